import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { captureRun, type CaptureResult } from '../../src-main/capture/capture-run';
import { ensureInterposerForTests } from '../../src-main/capture/interposer.test-support';
import { detectStrace } from '../../src-main/capture/tracer';
import { footprintClasses, type FootprintClass } from '../../src-main/capture/footprint';
import { ENV_TRACER } from '../../src-main/capture/tracer-choice';

/**
 * The capture ground truth: small programs in bash, Python, C and Node, each in its own folder
 * under test/fixtures/capture/ground-truth/ with a `case.json` that says what the workspace holds
 * before the run, the command, and the footprint a correct capture records — worked out by hand
 * from what the program does, never from a capture. Every case runs in a fresh workspace under
 * each backend and is compared exactly.
 *
 * case.json:
 *   argv        the command, run in the workspace root
 *   files       {path: content} written before the run; `symlinks` {link: target} and
 *               `hardlinks` {newName: existingName} after them
 *   compile     [{src, out, static?, shared?}]: C sources from the case folder (or ../_c/), built
 *               once per test process (cached by source hash) and copied to `out` (relative to the
 *               workspace; `$OUTSIDE/x` is a folder outside it)
 *   config      `.retrace/config.json` of the workspace
 *   expect      {INPUT, OUTPUT_MODIFIED, OUTPUT_ADDED, OUTPUT_REMOVED, OUTPUT_TMP, CODE}: paths
 *               relative to the workspace; an entry `/…/` is a regular expression (random temp
 *               names); a missing key means none. CODE lists `retrace_code.files`.
 *   partial     a regular expression the run's partial reasons must match; absent = complete
 *   strace      per-backend overrides of `expect`/`partial`, each with a `why`
 */
export const CASES_DIR = path.resolve(import.meta.dirname, '../fixtures/capture/ground-truth');
export const CLASS_KEYS = ['INPUT', 'OUTPUT_MODIFIED', 'OUTPUT_ADDED', 'OUTPUT_REMOVED', 'OUTPUT_TMP', 'CODE'] as const;
export type ClassKey = (typeof CLASS_KEYS)[number];
export type Expectation = Partial<Record<ClassKey, string[]>>;
export type Backend = 'default' | 'strace';

export interface GroundTruthCase {
  name: string;
  dir: string;
  description: string;
  argv: string[];
  files?: Record<string, string>;
  symlinks?: Record<string, string>;
  hardlinks?: Record<string, string>;
  compile?: { src: string; out: string; static?: boolean; shared?: boolean }[];
  config?: unknown;
  expect: Expectation;
  partial?: string;
  strace?: { why: string; expect?: Expectation; partial?: string | null };
}

export function loadCases(): GroundTruthCase[] {
  return fs
    .readdirSync(CASES_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('_'))
    .map((e) => {
      const dir = path.join(CASES_DIR, e.name);
      const spec = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as Omit<GroundTruthCase, 'name' | 'dir'>;
      return { ...spec, name: e.name, dir };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Programs a case needs that this machine lacks, as one sentence per tool (empty: all there). */
export function missingTools(cases: readonly GroundTruthCase[]): string[] {
  const need = new Set<string>();
  for (const c of cases) {
    need.add(c.argv[0]!);
    if (c.compile?.length) need.add('gcc');
  }
  const missing: string[] = [];
  for (const tool of need) {
    if (tool.includes('/')) continue;
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) missing.push(tool);
  }
  return missing;
}

const OUTSIDE = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-gt-outside-'));
const BIN_CACHE = path.join(os.tmpdir(), 'retrace-gt-bin-cache');

/** Builds a C source once per content and flags; returns the cached binary. */
function compiled(c: GroundTruthCase, spec: NonNullable<GroundTruthCase['compile']>[number]): string {
  const src = fs.existsSync(path.join(c.dir, spec.src)) ? path.join(c.dir, spec.src) : path.join(CASES_DIR, '_c', spec.src);
  const flags = ['-O1', '-w', ...(spec.static ? ['-static'] : []), ...(spec.shared ? ['-shared', '-fPIC'] : []), ...(spec.shared ? [] : ['-pthread', '-ldl'])];
  const key = crypto.createHash('sha1').update(fs.readFileSync(src)).update(flags.join(' ')).digest('hex').slice(0, 16);
  const out = path.join(BIN_CACHE, `${path.basename(spec.src, '.c')}-${key}${spec.shared ? '.so' : ''}`);
  if (!fs.existsSync(out)) {
    fs.mkdirSync(BIN_CACHE, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    const r = spawnSync('gcc', ['-o', tmp, src, ...flags], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gcc ${spec.src} failed: ${r.stderr}`);
    fs.renameSync(tmp, out);
  }
  return out;
}

export function prepareWorkspace(c: GroundTruthCase): string {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `retrace-gt-${c.name}-`)));
  const write = (rel: string, body: string): void => {
    const abs = path.join(ws, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, body);
  };
  for (const f of fs.readdirSync(c.dir)) {
    if (f === 'case.json' || f.endsWith('.c')) continue;
    fs.copyFileSync(path.join(c.dir, f), path.join(ws, f));
    if (f.endsWith('.sh')) fs.chmodSync(path.join(ws, f), 0o755);
  }
  for (const [rel, body] of Object.entries(c.files ?? {})) write(rel, body);
  for (const [link, target] of Object.entries(c.symlinks ?? {})) {
    fs.mkdirSync(path.dirname(path.join(ws, link)), { recursive: true });
    fs.symlinkSync(target, path.join(ws, link));
  }
  for (const [name, existing] of Object.entries(c.hardlinks ?? {})) fs.linkSync(path.join(ws, existing), path.join(ws, name));
  for (const spec of c.compile ?? []) {
    const target = spec.out.startsWith('$OUTSIDE/') ? path.join(OUTSIDE, c.name, spec.out.slice('$OUTSIDE/'.length)) : path.join(ws, spec.out);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(compiled(c, spec), target);
    fs.chmodSync(target, 0o755);
  }
  if (c.config !== undefined) write('.retrace/config.json', JSON.stringify(c.config));
  return ws;
}

export interface CaseOutcome {
  name: string;
  backend: Backend;
  exitCode: number | null;
  captureMode: string;
  actual: Record<ClassKey, string[]>;
  expected: Expectation;
  /** Per class: expected entries not recorded, recorded entries not expected. */
  missing: Partial<Record<ClassKey, string[]>>;
  extra: Partial<Record<ClassKey, string[]>>;
  exact: boolean;
  partial: boolean;
  partialReasons: string[];
  /** The partial state is what the case expects (complete, or partial for the expected reason). */
  partialAsExpected: boolean;
}

export function expectationFor(c: GroundTruthCase, backend: Backend): { expect: Expectation; partial: string | undefined } {
  if (backend === 'strace' && c.strace) {
    return {
      expect: c.strace.expect ?? c.expect,
      partial: c.strace.partial === null ? undefined : (c.strace.partial ?? c.partial),
    };
  }
  return { expect: c.expect, partial: c.partial };
}

export async function runCase(c: GroundTruthCase, backend: Backend): Promise<CaseOutcome> {
  const ws = prepareWorkspace(c);
  let result: CaptureResult | undefined;
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${ws}:${process.env.PATH ?? ''}`, [ENV_TRACER]: backend === 'strace' ? 'strace' : '' };
    delete env.RETRACE_CAPTURE;
    const argv = c.argv.map((a) => (a.startsWith('$OUTSIDE/') ? path.join(OUTSIDE, c.name, a.slice('$OUTSIDE/'.length)) : a));
    result = await captureRun({ argv, workspaceRoot: ws, cwd: ws, env, stdio: 'quiet', warn: () => {} });
    const last = readEvents(ws).pop() ?? {};
    const codeFiles = (last.job?.facets?.retrace_code?.files ?? []) as { path: string }[];
    const classes = footprintClasses(result.footprint);
    const actual = { ...classes, CODE: codeFiles.map((f) => f.path).sort() } as Record<ClassKey, string[]>;
    const { expect, partial } = expectationFor(c, backend);
    const missing: CaseOutcome['missing'] = {};
    const extra: CaseOutcome['extra'] = {};
    for (const k of CLASS_KEYS) {
      const { unmatchedExpected, unmatchedActual } = matchEntries(expect[k] ?? [], actual[k]);
      if (unmatchedExpected.length) missing[k] = unmatchedExpected;
      if (unmatchedActual.length) extra[k] = unmatchedActual;
    }
    const reasons = (result as CaptureResult & { partialReasons?: string[] }).partialReasons ?? [];
    const partialAsExpected = partial === undefined ? !result.partial : result.partial && reasons.some((r) => new RegExp(partial, 'i').test(r));
    return {
      name: c.name,
      backend,
      exitCode: result.exitCode,
      captureMode: result.captureMode,
      actual,
      expected: expect,
      missing,
      extra,
      exact: Object.keys(missing).length === 0 && Object.keys(extra).length === 0,
      partial: result.partial,
      partialReasons: reasons,
      partialAsExpected,
    };
  } finally {
    if (result) killLeftovers(result.runId);
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

/** `/…/` entries are regular expressions; each expected entry takes one recorded entry. */
function matchEntries(expected: readonly string[], actual: readonly string[]): { unmatchedExpected: string[]; unmatchedActual: string[] } {
  const left = [...actual];
  const unmatchedExpected: string[] = [];
  const take = (pred: (a: string) => boolean): boolean => {
    const i = left.findIndex(pred);
    if (i < 0) return false;
    left.splice(i, 1);
    return true;
  };
  // Literal entries first, so a regex never steals a path a literal names.
  for (const e of expected.filter((x) => !isRegex(x))) if (!take((a) => a === e)) unmatchedExpected.push(e);
  for (const e of expected.filter(isRegex)) {
    const re = new RegExp(e.slice(1, -1));
    if (!take((a) => re.test(a))) unmatchedExpected.push(e);
  }
  return { unmatchedExpected, unmatchedActual: left };
}

const isRegex = (s: string): boolean => s.length > 2 && s.startsWith('/') && s.endsWith('/');

// Parsed event lines are checked field by field; typing every facet here would only restate them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function readEvents(ws: string): Record<string, any>[] {
  const f = path.join(ws, '.retrace/logs/runs.jsonl');
  if (!fs.existsSync(f)) return [];
  return fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** Processes a case left running on purpose (the "outlives the command" cases): found by the run id they inherited. */
function killLeftovers(runId: string): void {
  const needle = `RETRACE_PARENT_RUN_ID=${runId}`;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(needle)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone, or not ours
    }
  }
}

/**
 * Micro-averaged file-level precision and recall over (class, path) pairs of the five footprint
 * classes, and how many runs were exact, partial as expected, or silently wrong.
 */
export function summarise(outcomes: readonly CaseOutcome[]): { runs: number; exact: number; precision: number; recall: number; silentMisses: string[] } {
  let hits = 0;
  let got = 0;
  let want = 0;
  const silentMisses: string[] = [];
  for (const o of outcomes) {
    for (const k of CLASS_KEYS) {
      if (k === 'CODE') continue;
      const e = (o.expected[k] ?? []).length;
      const a = o.actual[k].length;
      const m = (o.missing[k] ?? []).length;
      want += e;
      got += a;
      hits += e - m;
    }
    if ((!o.exact || !o.partialAsExpected) && !o.partial) silentMisses.push(`${o.name} (${o.backend})`);
  }
  return {
    runs: outcomes.length,
    exact: outcomes.filter((o) => o.exact && o.partialAsExpected).length,
    precision: got ? hits / got : 1,
    recall: want ? hits / want : 1,
    silentMisses,
  };
}

export type { FootprintClass };

/**
 * One test per ground-truth case: the footprint must equal the case's expectation exactly, or —
 * where the case says an operation is out of reach — the run must be marked partial for that
 * reason and record nothing it should not. A missing tool fails loudly instead of skipping.
 */
export function defineGroundTruthTests(backend: Backend): void {
  const cases = loadCases();
  test(`ground truth (${backend}): the tools the cases need are installed`, () => {
    const missing = missingTools(cases);
    if (!ensureInterposerForTests()) missing.push('a C compiler to build the LD_PRELOAD interposer');
    if (!detectStrace().available) missing.push(`strace (${detectStrace().reason})`);
    assert.deepEqual(missing, [], `The capture ground truth needs: ${missing.join(', ')}. Install them (see .ci/run).`);
  });
  for (const c of cases) {
    test(`ground truth (${backend}): ${c.name} — ${c.description}`, async () => {
      const o = await runCase(c, backend);
      const detail = JSON.stringify({ missing: o.missing, extra: o.extra, partial: o.partial, reasons: o.partialReasons, mode: o.captureMode }, null, 1);
      assert.ok(o.partialAsExpected, `partial state not as expected: ${detail}`);
      if (o.partial) assert.deepEqual(o.extra, {}, `recorded what did not happen: ${detail}`);
      else assert.ok(o.exact, `footprint differs from the ground truth: ${detail}`);
    });
  }
}
