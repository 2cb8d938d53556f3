import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readGitState, type GitState } from '../capture/code-state';
import { probePythonAsync, type PythonProbe } from '../capture/environment';
import { HashCache, hashFile, type FileVersion } from '../capture/hashing';

/**
 * How things are *now*, measured the same way capture measured them at run time (same hash
 * function and cache, same git questions, the same interpreter asked for its packages), so a
 * difference means a change, not a different ruler.
 */
export interface CurrentState {
  git(): GitState | null;
  hash(relOrAbs: string): Promise<FileVersion | null>;
  exists(relOrAbs: string): boolean;
  /** The newest version of a Delta table folder (from its `_delta_log`), or null if not a table. */
  deltaVersion(relOrAbs: string): number | null;
  python(executable: string, env: NodeJS.ProcessEnv): Promise<PythonProbe | null>;
  platform(): { os: string; arch: string };
}

export function liveState(workspaceRoot: string): CurrentState {
  const cache = new HashCache(path.join(workspaceRoot, '.retrace', 'capture-hash-cache'));
  const abs = (p: string) => (path.isAbsolute(p) ? p : path.join(workspaceRoot, p));
  let git: GitState | null | undefined;
  const probes = new Map<string, Promise<PythonProbe | null>>();
  return {
    git: () => (git === undefined ? (git = readGitState(workspaceRoot)) : git),
    hash: (p) => hashFile(abs(p), cache),
    exists: (p) => fs.existsSync(abs(p)),
    deltaVersion: (p) => latestDeltaVersion(abs(p)),
    python: (exe, env) => {
      const key = `${exe}\0${env.PYTHONPATH ?? ''}\0${env.VIRTUAL_ENV ?? ''}`;
      let probe = probes.get(key);
      if (!probe) probes.set(key, (probe = probePythonAsync(exe, env, workspaceRoot)));
      return probe;
    },
    platform: () => ({ os: os.platform(), arch: os.arch() }),
  };
}

/** Highest `NNN.json` commit in `<table>/_delta_log` (checkpoints alone never add a version). */
export function latestDeltaVersion(tableDir: string): number | null {
  let names: string[];
  try {
    names = fs.readdirSync(path.join(tableDir, '_delta_log'));
  } catch {
    return null;
  }
  let max = -1;
  for (const n of names) {
    const m = /^(\d{20})\.json$/.exec(n);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max >= 0 ? max : null;
}
