import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findInterposer, INTERPOSER_NAME } from './tracer-choice';

/**
 * For tests: the interposer library, built with scripts/build-interposer.mjs when the install
 * step has not built it or its source is newer. Null when it cannot be built (no C compiler).
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE = path.join(ROOT, 'src-main/capture/interposer/retrace_preload.c');

export function ensureInterposerForTests(): string | null {
  const target = path.join(ROOT, 'dist/native', INTERPOSER_NAME);
  const fresh = (): boolean => {
    try {
      return fs.statSync(target).mtimeMs >= fs.statSync(SOURCE).mtimeMs;
    } catch {
      return false;
    }
  };
  if (!fresh()) spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-interposer.mjs'), '--quiet'], { stdio: 'ignore' });
  return fresh() ? findInterposer({}) : null;
}
