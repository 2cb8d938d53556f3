import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { DEFAULT_FINGERPRINT_ABOVE_BYTES } from './hashing';

/**
 * The `capture` section of `.retrace/config.json`:
 *   {"capture": {"ignore": ["scratch/**"], "fingerprintAboveBytes": 1073741824,
 *                "lingerMs": 2000, "lingerMaxMs": 60000}}
 * `lingerMs`: how long processes that outlive the command are waited for once none of them holds
 * a file open for writing; `lingerMaxMs`: the longest wait in any case (descendants.ts).
 * Other sections belong to other capabilities and are left alone.
 */
export interface CaptureConfig {
  ignore: string[];
  fingerprintAboveBytes: number;
  lingerMs: number;
  lingerMaxMs: number;
}

export const DEFAULT_LINGER_MS = 2000;
export const DEFAULT_LINGER_MAX_MS = 60_000;

export function readCaptureConfig(configFile: string): CaptureConfig {
  const dflt: CaptureConfig = { ignore: [], fingerprintAboveBytes: DEFAULT_FINGERPRINT_ABOVE_BYTES, lingerMs: DEFAULT_LINGER_MS, lingerMaxMs: DEFAULT_LINGER_MAX_MS };
  if (!fs.existsSync(configFile)) return dflt;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  } catch {
    throw new AppError('INVALID_ARGUMENT', `${configFile} is not valid JSON; fix or remove it.`);
  }
  const cap = (parsed as { capture?: unknown } | null)?.capture;
  if (cap === undefined) return dflt;
  if (typeof cap !== 'object' || cap === null) throw new AppError('INVALID_ARGUMENT', `"capture" in ${configFile} must be an object.`);
  const c = cap as { ignore?: unknown; fingerprintAboveBytes?: unknown; lingerMs?: unknown; lingerMaxMs?: unknown };
  if (c.ignore !== undefined && (!Array.isArray(c.ignore) || !c.ignore.every((g) => typeof g === 'string'))) {
    throw new AppError('INVALID_ARGUMENT', `"capture.ignore" in ${configFile} must be a list of glob strings.`);
  }
  if (c.fingerprintAboveBytes !== undefined && (typeof c.fingerprintAboveBytes !== 'number' || !(c.fingerprintAboveBytes >= 0))) {
    throw new AppError('INVALID_ARGUMENT', `"capture.fingerprintAboveBytes" in ${configFile} must be a non-negative number.`);
  }
  for (const key of ['lingerMs', 'lingerMaxMs'] as const) {
    const v = c[key];
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))) {
      throw new AppError('INVALID_ARGUMENT', `"capture.${key}" in ${configFile} must be a non-negative number of milliseconds.`);
    }
  }
  return {
    ignore: (c.ignore as string[] | undefined) ?? [],
    fingerprintAboveBytes: (c.fingerprintAboveBytes as number | undefined) ?? DEFAULT_FINGERPRINT_ABOVE_BYTES,
    lingerMs: (c.lingerMs as number | undefined) ?? DEFAULT_LINGER_MS,
    lingerMaxMs: (c.lingerMaxMs as number | undefined) ?? DEFAULT_LINGER_MAX_MS,
  };
}

/** Finds an executable on PATH the way execvp would; null when there is none. */
export function resolveExecutable(cmd: string, env: NodeJS.ProcessEnv, cwd: string): string | null {
  const isExec = (p: string): boolean => {
    try {
      const st = fs.statSync(p);
      fs.accessSync(p, fs.constants.X_OK);
      return st.isFile();
    } catch {
      return false;
    }
  };
  if (cmd.includes('/')) {
    const abs = path.resolve(cwd, cmd);
    return isExec(abs) ? abs : null;
  }
  for (const dir of (env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const p = path.join(path.resolve(cwd, dir), cmd);
    if (isExec(p)) return p;
  }
  return null;
}
