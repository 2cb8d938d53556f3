import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { detectStrace, type TracerSupport } from './tracer';
import { findInterposer, INTERPOSER_NAME } from './tracer-choice';

/**
 * For tests: the interposer library, built with scripts/build-interposer.mjs when the install
 * step has not built it or its source is newer. Null when it cannot be built (no C compiler).
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE_DIR = path.join(ROOT, 'src-main/capture/interposer');

export function ensureInterposerForTests(): string | null {
  const target = path.join(ROOT, 'dist/native', INTERPOSER_NAME);
  const fresh = (): boolean => {
    try {
      const built = fs.statSync(target).mtimeMs;
      return fs.readdirSync(SOURCE_DIR).every((f) => fs.statSync(path.join(SOURCE_DIR, f)).mtimeMs <= built);
    } catch {
      return false;
    }
  };
  if (!fresh()) spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-interposer.mjs'), '--quiet'], { stdio: 'ignore' });
  return fresh() ? findInterposer({}) : null;
}

/**
 * The tools capture tests run for real. A machine without one fails those tests with a sentence
 * naming it — never a silent skip (CI installs them: .ci/run).
 */
export function needStrace(): TracerSupport {
  const s = detectStrace();
  if (!s.available) throw new Error(`This test needs strace, which cannot trace here (${s.reason}). Install it: apt-get install strace (see .ci/run).`);
  return s;
}

export function needInterposer(): string {
  const lib = ensureInterposerForTests();
  if (!lib) throw new Error('This test needs the LD_PRELOAD interposer, which could not be built: install a C compiler (apt-get install gcc libc6-dev; see .ci/run).');
  return lib;
}

export function needTool(name: string, pkg = name): void {
  if (spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`This test needs ${name}, which is not installed: apt-get install ${pkg} (see .ci/run).`);
  }
}
