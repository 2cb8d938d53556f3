import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { captureRun, ENV_CAPTURE_MODE, ENV_PARENT_RUN_ID } from './capture-run';
import { footprintClasses } from './footprint';
import { needStrace } from './interposer.test-support';
import { ENV_PRELOAD_SO, ENV_TRACER } from './tracer-choice';

/**
 * captureRun end to end: events, exit status, fallbacks, nesting, versions, environment. What
 * each kind of program's footprint must be is the ground truth's job (test/capture/).
 */
const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures/capture/ground-truth');
const quiet = { warn: () => {} };

function makeWorkspace(): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-capture-'));
  for (const [name, body] of Object.entries({ 'in.csv': 'a,b\n1,2\n', 'over.txt': 'old', 'app.txt': 'start', 'del.txt': 'gone', 'ren_src.txt': 'moved' })) {
    fs.writeFileSync(path.join(ws, name), body);
  }
  return ws;
}

// Parsed event lines are checked field by field; typing every facet here would only restate them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function readEvents(ws: string): Record<string, any>[] {
  return fs
    .readFileSync(path.join(ws, '.retrace/logs/runs.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

test('exit codes pass through and a failing run ends with FAIL and an errorMessage', async () => {
  needStrace();
  const ws = makeWorkspace();
  try {
    const r = await captureRun({ argv: ['sh', '-c', 'echo x > out.txt; exit 7'], workspaceRoot: ws, cwd: ws, ...quiet });
    assert.equal(r.exitCode, 7);
    const fail = readEvents(ws)[1]!;
    assert.equal(fail.eventType, 'FAIL');
    assert.match(fail.run.facets.errorMessage.message, /code 7/);
    assert.equal(fail.run.facets.retrace_command.exitCode, 7);
    assert.deepEqual(footprintClasses(fail.run.facets.retrace_footprint.ops).OUTPUT_ADDED, ['out.txt']);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a command killed by a signal is reported with that signal', async () => {
  needStrace();
  const ws = makeWorkspace();
  try {
    const r = await captureRun({ argv: ['sh', '-c', 'kill -TERM $$'], workspaceRoot: ws, cwd: ws, ...quiet });
    assert.equal(r.signal, 'SIGTERM');
    assert.match(readEvents(ws)[1]!.run.facets.errorMessage.message, /SIGTERM/);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('without strace the run falls back to a before/after scan, warns once and is partial', async () => {
  const ws = makeWorkspace();
  try {
    fs.copyFileSync(path.join(FIXTURES, 'sh-basic/prog.sh'), path.join(ws, 'ops.sh'));
    const warnings: string[] = [];
    const r = await captureRun({
      argv: ['sh', 'ops.sh'],
      workspaceRoot: ws,
      cwd: ws,
      // Neither tracer: no strace, and no interposer library.
      env: { ...process.env, [ENV_CAPTURE_MODE]: '', [ENV_TRACER]: '', [ENV_PRELOAD_SO]: '/nonexistent/retrace_preload.so', RETRACE_STRACE: '/nonexistent/strace' },
      warn: (m) => warnings.push(m),
    });
    assert.equal(r.captureMode, 'scan');
    assert.equal(r.partial, true);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /not installed/);
    const c = footprintClasses(r.footprint);
    // Reads and temp files are invisible to a scan; everything else is seen.
    assert.deepEqual(c, {
      INPUT: [],
      OUTPUT_MODIFIED: ['app.txt', 'over.txt'],
      OUTPUT_ADDED: ['child.txt', 'new.txt', 'ren_dst.txt', 'sub/at.txt', 'sub/rel.txt'],
      OUTPUT_REMOVED: ['del.txt', 'ren_src.txt'],
      OUTPUT_TMP: [],
    });
    assert.equal(readEvents(ws)[1]!.run.facets.retrace_footprint.partial, true);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a run started inside another links to it as its parent; a pipeline run is not traced', async () => {
  const ws = makeWorkspace();
  try {
    const outer = await captureRun({ argv: ['true'], workspaceRoot: ws, cwd: ws, pipeline: 'daily', mode: 'scan', ...quiet });
    assert.equal(outer.captureMode, 'children');
    const inner = await captureRun({
      argv: ['sh', '-c', 'echo $RETRACE_PARENT_RUN_ID > parent.txt'],
      workspaceRoot: ws,
      cwd: ws,
      stage: 'train',
      env: { ...process.env, [ENV_PARENT_RUN_ID]: outer.runId, RETRACE_PARENT_JOB_NAME: 'daily', RETRACE_PARENT_JOB_NAMESPACE: 'daily' },
      ...quiet,
    });
    // Children of the inner run see the inner run as their parent.
    assert.equal(fs.readFileSync(path.join(ws, 'parent.txt'), 'utf8').trim(), inner.runId);
    const ev = readEvents(ws).filter((e) => e.run.runId === inner.runId);
    assert.equal(ev[0]!.run.facets.parent.run.runId, outer.runId);
    assert.equal(ev[0]!.run.facets.parent.job.name, 'daily');
    assert.equal(ev[0]!.job.name, 'train');
    assert.equal(ev[0]!.job.namespace, 'daily');
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('an unknown command is refused before any event is written', async () => {
  const ws = makeWorkspace();
  try {
    await assert.rejects(captureRun({ argv: ['no-such-command-xyz'], workspaceRoot: ws, cwd: ws, ...quiet }), /was not found/);
    assert.equal(fs.existsSync(path.join(ws, '.retrace/logs/runs.jsonl')), false);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a capture ignore rule with alternatives (**/*.{tmp,log}) leaves those files out of the footprint', async () => {
  const ws = makeWorkspace();
  try {
    fs.mkdirSync(path.join(ws, '.retrace'), { recursive: true });
    fs.writeFileSync(path.join(ws, '.retrace/config.json'), JSON.stringify({ capture: { ignore: ['**/*.{tmp,log}'] } }));
    const r = await captureRun({ argv: ['sh', '-c', 'mkdir -p logs; echo a > x.tmp; echo b > logs/run.log; echo c > keep.txt'], workspaceRoot: ws, cwd: ws, ...quiet });
    assert.deepEqual(footprintClasses(r.footprint).OUTPUT_ADDED, ['keep.txt']);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a file read and then changed in the same run is recorded with the version it read', async () => {
  needStrace();
  const ws = makeWorkspace();
  try {
    const first = await captureRun({ argv: ['sh', '-c', 'echo v1 > state.txt'], workspaceRoot: ws, cwd: ws, ...quiet });
    const v1 = first.footprint.find((o) => o.path === 'state.txt')!.hashAfter;
    const second = await captureRun({ argv: ['sh', '-c', 'cat state.txt > /dev/null; echo v2 >> state.txt'], workspaceRoot: ws, cwd: ws, ...quiet });
    const read = second.footprint.find((o) => o.path === 'state.txt' && o.op === 'READ')!;
    const modify = second.footprint.find((o) => o.path === 'state.txt' && o.op === 'MODIFY')!;
    assert.equal(read.hashAfter, v1);
    assert.notEqual(modify.hashAfter, v1);
    assert.match(modify.hashAfter ?? '', /^sha256:/);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('the Python environment is remembered, and a package appearing on PYTHONPATH is noticed', async () => {
  needStrace();
  const ws = makeWorkspace();
  try {
    const vendor = path.join(ws, 'vendor');
    fs.mkdirSync(vendor);
    const env = { ...process.env, PYTHONPATH: vendor };
    const packagesOf = async (): Promise<string[]> => {
      await captureRun({ argv: ['python3', '-c', 'pass'], workspaceRoot: ws, cwd: ws, env, ...quiet });
      const last = readEvents(ws).pop()!;
      return last.run.facets.retrace_environment.packages.map((p: { name: string }) => p.name);
    };
    assert.ok(!(await packagesOf()).includes('fancylib'));
    assert.equal(fs.readdirSync(path.join(ws, '.retrace/capture-python-cache')).length, 1);
    const distInfo = path.join(vendor, 'fancylib-2.5.0.dist-info');
    fs.mkdirSync(distInfo);
    fs.writeFileSync(path.join(distInfo, 'METADATA'), 'Metadata-Version: 2.1\nName: fancylib\nVersion: 2.5.0\n');
    assert.ok((await packagesOf()).includes('fancylib'));
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});
