#!/usr/bin/env node
// The one test command (`npm test`): type-check, lint, build, then every unit, contract and
// e2e test in one `node --test` run, so CI reads one closing summary.
//   --only unit   skip the build and the e2e specs (fast inner loop)
//   --no-build    reuse dist/ as it is for the UI; a CLI the tests spawn runs from the sources
//   FILE...       run only these test files (type-check and lint still run unless --fast)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
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

// The tools the tests run for real. A missing one fails the run with a sentence naming it —
// never a quiet skip. Only the Electron binary may be absent (it cannot be downloaded everywhere).
function missingTools() {
  const has = (cmd) => spawnSync('sh', ['-c', cmd], { stdio: 'ignore' }).status === 0;
  const missing = [];
  if (!has('strace -V')) missing.push('strace (apt-get install strace)');
  if (!has('command -v cc || command -v gcc')) missing.push('a C compiler (apt-get install gcc libc6-dev)');
  else if (!has('test -f "$(cc -print-file-name=libc.a)"')) missing.push('a static C library (apt-get install libc6-dev)');
  if (!has('python3 --version')) missing.push('python3 (apt-get install python3)');
  if (!has('git --version')) missing.push('git (apt-get install git)');
  if (only !== 'unit' && !['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'].some((p) => fs.existsSync(p)) && !has('command -v chromium')) {
    missing.push('Chromium for the browser tests (apt-get install chromium)');
  }
  return missing;
}

const tapFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-test-')), 'results.tap');
const t0 = Date.now();
process.stdout.write(`\n▶ tests (${testFiles.length} files)\n`);
const run = spawnSync(process.execPath, [
  '--import', 'tsx',
  '--test',
  '--test-concurrency=2',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
  ...testFiles,
], { cwd: root, stdio: 'inherit', env: testEnv });
const tap = fs.existsSync(tapFile) ? fs.readFileSync(tapFile, 'utf8') : '';
fs.rmSync(path.dirname(tapFile), { recursive: true, force: true });

// Every skipped test, with its reason; the Electron one is the only skip allowed.
const skipped = [...tap.matchAll(/^\s*ok \d+ - (.*?) # SKIP ?(.*)$/gm)].map((m) => ({ name: m[1].trim(), reason: m[2].trim() }));
const allowed = skipped.filter((s) => /^Electron cannot run here/.test(s.reason));
const unexpected = skipped.filter((s) => !allowed.includes(s));
const count = (key) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(tap)?.[1] ?? NaN);
const missing = missingTools();
const seconds = ((Date.now() - t0) / 1000).toFixed(1);
const problems = [];
if (run.status !== 0) problems.push(`${Number.isNaN(count('fail')) ? 'some' : count('fail')} test(s) failed`);
if (unexpected.length) problems.push(`${unexpected.length} test(s) were skipped, which CI does not allow: ${unexpected.map((s) => `"${s.name}" (${s.reason || 'no reason given'})`).join('; ')}`);
if (missing.length) problems.push(`this machine lacks ${missing.join(', ')}, which the tests need (.ci/run installs them)`);
if (problems.length) {
  process.stdout.write(`✖ tests (${seconds} s): ${problems.join('; ')}.\n`);
  process.exit(run.status || 1);
}
const skipNote = allowed.length ? `; ${allowed.length} skipped: ${allowed.map((s) => `"${s.name}" — ${s.reason}`).join('; ')}` : '';
process.stdout.write(`✔ tests (${seconds} s): ${count('pass')} passed${skipNote}.\n`);
