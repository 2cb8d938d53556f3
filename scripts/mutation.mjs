#!/usr/bin/env node
// `npm run mutation [-- FOLDER…]`: StrykerJS over the core folders (scripts/mutation-folders.mjs),
// one after the other, each with its own report under reports/mutation/<folder>/ (HTML + JSON),
// then one table of the scores. Not part of `npm test`: a full run takes long on a small machine.
// Runs at the lowest CPU priority with one test process, so it can share the machine.
// Incremental: a re-run reuses the kills of unchanged mutants (reports/mutation/<folder>/
// incremental.json) and tests every other mutant again; `--full` starts afresh.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FOLDERS } from './mutation-folders.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const full = args.includes('--full');
const asked = args.filter((a) => !a.startsWith('--'));
for (const name of asked) {
  if (!FOLDERS[name]) {
    console.error(`Unknown folder "${name}": choose from ${Object.keys(FOLDERS).join(', ')}.`);
    process.exit(2);
  }
}
const names = asked.length ? asked : Object.keys(FOLDERS);
const GOAL = 80;

const stryker = path.join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js');
const failedRuns = [];
for (const name of names) {
  const t0 = Date.now();
  process.stdout.write(`\n▶ mutation: ${FOLDERS[name].title}\n`);
  // Tests read the upstream test tables from ../shared beside the checkout; the sandbox Stryker
  // copies the project into (.stryker-tmp/sandbox-*) gets the same neighbour through a link.
  const shared = path.resolve(root, '../shared');
  const link = path.join(root, '.stryker-tmp/shared');
  if (fs.existsSync(shared) && !fs.existsSync(link)) {
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(shared, link);
  }
  if (!full) forgetSurvivors(path.join(root, 'reports/mutation', name, 'incremental.json'));
  const cmdArgs = ['-n', '19', process.execPath, stryker, 'run', 'stryker.config.mjs'];
  if (full) cmdArgs.push('--force');
  const r = spawnSync('nice', cmdArgs, {
    cwd: root,
    stdio: 'inherit',
    // A CLI spawned by a test must run the mutated sources, never a built dist/.
    env: { ...process.env, RETRACE_MUTATION_FOLDER: name, RETRACE_FROM_SOURCE: '1', RETRACE_TEST_DIST_FRESH: '0' },
  });
  if (r.status !== 0) failedRuns.push(name);
  process.stdout.write(`(${name}: ${((Date.now() - t0) / 60000).toFixed(1)} min)\n`);
}

/**
 * Stryker reuses a survivor's result unless it sees a new test covering it, and with one "test"
 * per file it misses some (a survivor stays survived after a test that kills it was added). A
 * kill stays valid while the mutant's code and the killing test are unchanged, which Stryker
 * checks; so only the kills are kept and every other mutant is run again.
 */
function forgetSurvivors(file) {
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const f of Object.values(report.files)) f.mutants = f.mutants.filter((m) => m.status === 'Killed' || m.status === 'Timeout');
  fs.writeFileSync(file, JSON.stringify(report));
}

// The score per folder, read back from each folder's JSON report (mutation-testing-report-schema).
const rows = [];
for (const name of Object.keys(FOLDERS)) {
  const file = path.join(root, 'reports/mutation', name, 'mutation.json');
  if (!fs.existsSync(file)) continue;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const n = { Killed: 0, Survived: 0, NoCoverage: 0, Timeout: 0, RuntimeError: 0, CompileError: 0, Ignored: 0 };
  for (const f of Object.values(report.files)) for (const m of f.mutants) n[m.status] = (n[m.status] ?? 0) + 1;
  // Stryker's own score: killed + timeout over all valid mutants (errors and ignored excluded).
  const detected = n.Killed + n.Timeout;
  const valid = detected + n.Survived + n.NoCoverage;
  const score = valid ? (100 * detected) / valid : 0;
  rows.push({ name, ...n, score, when: fs.statSync(file).mtime.toISOString().slice(0, 16) });
}
console.log('\n| folder | killed | timeout | survived | no coverage | errors | ignored | score | goal ≥ 80% | report time |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|---|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.Killed} | ${r.Timeout} | ${r.Survived} | ${r.NoCoverage} | ${r.RuntimeError + r.CompileError} | ${r.Ignored} | ${r.score.toFixed(1)}% | ${r.score >= GOAL ? 'met' : 'NOT met'} | ${r.when} |`);
}
console.log('\nHTML reports: reports/mutation/<folder>/index.html');
if (failedRuns.length) {
  console.error(`Stryker failed for: ${failedRuns.join(', ')} (see the output above).`);
  process.exit(1);
}
