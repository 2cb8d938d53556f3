#!/usr/bin/env node
// The one test command (`npm test`): type-check, lint, build, then every unit, contract and
// e2e test in one `node --test` run, so CI reads one closing summary.
//   --only unit   skip the build and the e2e specs (fast inner loop)
//   --no-build    reuse dist/ as it is for the UI; a CLI the tests spawn runs from the sources
//   FILE...       run only these test files (type-check and lint still run unless --fast)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const fast = args.includes('--fast');
const noBuild = args.includes('--no-build') || only === 'unit';
const files = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--only');

function step(name, cmd, cmdArgs, env = process.env) {
  const t0 = Date.now();
  process.stdout.write(`\n▶ ${name}\n`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    process.stdout.write(`✖ ${name} failed (exit ${r.status ?? r.signal}).\n`);
    process.exit(r.status || 1);
  }
  process.stdout.write(`✔ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
}

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
if (!fast) {
  step('type-check shared/ (no Node, no DOM)', process.execPath, [tsc, '-p', 'shared/tsconfig.json']);
  step('type-check src-main/ + tests (Node)', process.execPath, [tsc, '-p', 'tsconfig.main.json']);
  step('type-check src-renderer/ (browser)', process.execPath, [tsc, '-p', 'src-renderer/tsconfig.json']);
  step('type-check renderer tests', process.execPath, [tsc, '-p', 'src-renderer/tsconfig.test.json']);
  step('type-check browser specs', process.execPath, [tsc, '-p', 'test/e2e/tsconfig.json']);
  step('lint (layering rules)', process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '.']);
}
if (!noBuild) {
  step('build the capture interposer', process.execPath, ['scripts/build-interposer.mjs']);
  step('build (renderer + main)', process.execPath, ['scripts/build.mjs']);
}

let testFiles = files.length
  ? files
  : ['shared', 'src-main', 'src-renderer', 'test']
      .flatMap((d) => walk(path.join(root, d)))
      .filter((f) => /\.test\.tsx?$/.test(f) || (only !== 'unit' && /\.spec\.ts$/.test(f)))
      .map((f) => path.relative(root, f))
      .sort();
if (testFiles.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}
// A CLI spawned by a test runs the dist/ built above, or else the sources: a dist/ left from an
// earlier build would test yesterday's code (bin/retrace.mjs prefers dist/ when it exists).
const testEnv = noBuild
  ? { ...process.env, RETRACE_FROM_SOURCE: '1', RETRACE_TEST_DIST_FRESH: '0' }
  : { ...process.env, RETRACE_TEST_DIST_FRESH: '1' };
step(`tests (${testFiles.length} files)`, process.execPath, [
  '--import', 'tsx',
  '--test',
  '--test-concurrency=2',
  '--test-reporter=spec',
  ...testFiles,
], testEnv);
