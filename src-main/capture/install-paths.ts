import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where Retrace itself is installed: the folder holding `bin/retrace.mjs`, found by walking up
 * from this module (the sources run from src-main/capture/, a build from dist/main/).
 */
export function retraceInstallRoot(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'bin', 'retrace.mjs'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Globs for Retrace's own code: a stage that calls `retrace table` must not list our sources as its inputs. */
export function retraceOwnGlobs(): string[] {
  const root = retraceInstallRoot();
  return root ? ['bin', 'src-main', 'shared', 'dist'].map((d) => `${root}/${d}/**`).concat(`${root}/package.json`) : [];
}

/** The argv prefix that starts the Retrace CLI from this installation (what child processes should call). */
export function retraceCliArgv(): string[] {
  const root = retraceInstallRoot();
  return root ? [process.execPath, path.join(root, 'bin', 'retrace.mjs')] : ['retrace'];
}
