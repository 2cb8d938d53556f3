import fs from 'node:fs';
import path from 'node:path';

/**
 * Where a workspace keeps Retrace's own files. Every path the core touches comes from here,
 * so the composition roots (CLI, Electron) decide the folder and nothing else guesses it.
 */
export interface WorkspacePaths {
  /** The folder the user opened. */
  readonly root: string;
  /** `<root>/.retrace` */
  readonly dotDir: string;
  /** `<root>/.retrace/retrace.db` — the derived metadata index. */
  readonly dbFile: string;
  /** `<root>/.retrace/logs` — provenance logs written by `retrace run` and the HTTP intake. */
  readonly logsDir: string;
  /** `<root>/.retrace/config.json` */
  readonly configFile: string;
}

export function workspacePaths(root: string): WorkspacePaths {
  const abs = path.resolve(root);
  const dotDir = path.join(abs, '.retrace');
  return {
    root: abs,
    dotDir,
    dbFile: path.join(dotDir, 'retrace.db'),
    logsDir: path.join(dotDir, 'logs'),
    configFile: path.join(dotDir, 'config.json'),
  };
}

/** Creates `.retrace/` and `.retrace/logs/` if missing; returns the paths. */
export function ensureWorkspace(root: string): WorkspacePaths {
  const p = workspacePaths(root);
  fs.mkdirSync(p.logsDir, { recursive: true });
  return p;
}

/**
 * DESIGN §8: the workspace is the nearest folder upward holding `.retrace/`, else `start` itself.
 */
export function findWorkspaceRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, '.retrace'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start);
    dir = parent;
  }
}
