#!/usr/bin/env node
// Builds the LD_PRELOAD file-operation recorder of `retrace run` (src-main/capture/interposer/)
// into dist/native/retrace_preload.so. Run at install and build time; it never fails: without a
// C compiler (or off Linux) it prints one line and `retrace run` keeps tracing with strace.
//   node scripts/build-interposer.mjs [--out FILE] [--quiet]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const outArg = args.includes('--out') ? args[args.indexOf('--out') + 1] : null;
const quiet = args.includes('--quiet');
const sourceDir = path.join(root, 'src-main/capture/interposer');
const out = path.resolve(outArg ?? path.join(root, 'dist/native/retrace_preload.so'));
const say = (m) => {
  if (!quiet) console.log(`build-interposer: ${m}`);
};

function main() {
  if (process.platform !== 'linux') return say(`skipped on ${process.platform}; retrace run uses strace where it exists.`);
  const sources = fs.existsSync(sourceDir) ? fs.readdirSync(sourceDir).filter((f) => f.endsWith('.c')).sort().map((f) => path.join(sourceDir, f)) : [];
  if (sources.length === 0) return say(`skipped: no C sources in ${path.relative(root, sourceDir)}.`);
  const cc = [process.env.CC, 'cc', 'gcc', 'clang'].find((c) => c && spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0);
  if (!cc) return say('no C compiler found (cc, gcc, clang); retrace run will trace with strace instead (slower on file-heavy commands).');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Build beside the target and rename: a process loading the old library never sees half a file.
  const tmp = `${out}.${process.pid}.tmp`;
  // Hidden by default: only the wrapped libc functions are exported (EXPORT in interposer.h).
  const r = spawnSync(cc, ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', '-fvisibility=hidden', '-o', tmp, ...sources, '-ldl', '-pthread'], { encoding: 'utf8' });
  if (r.status !== 0) {
    fs.rmSync(tmp, { force: true });
    const first = (r.stderr || r.error?.message || '').split('\n').find((l) => l.trim()) ?? `exit ${r.status}`;
    return say(`${cc} failed (${first.trim()}); retrace run will trace with strace instead.`);
  }
  fs.renameSync(tmp, out);
  say(`built ${path.relative(root, out) || out}`);
}

try {
  main();
} catch (err) {
  say(`skipped (${err instanceof Error ? err.message : String(err)}); retrace run will trace with strace instead.`);
}
