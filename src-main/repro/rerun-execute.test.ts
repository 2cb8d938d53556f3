import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { RerunProgressDto } from '../../shared/rerun-dto';
import { waitGone } from '../../test/processes.test-support';
import { FORK_STAGES, fixtureWorkspace, sh } from './rerun-fixture.test-support';
import { CANCEL_REASON } from './rerun-executor';

/**
 * Plans executed for real: every stage re-run under capture, its output streamed, its outputs
 * judged against the run it repeats. The fixture is the four-stage fork of rerun-plan.test.ts.
 */
test('a deterministic pipeline re-run end to end: every output bit-for-bit, new runs linked to the runs they repeat', async () => {
  const ws = await fixtureWorkspace({ 'in.csv': 'b,2\na,1\n' }, FORK_STAGES);
  try {
    const plan = await ws.plan({ kind: 'downstream', run: ws.runs.prep! });
    const { result, events } = await ws.execute(plan);
    assert.equal(result.state, 'finished');
    assert.deepEqual(result.stages.map((s) => s.status), ['done', 'done', 'done', 'done']);
    assert.deepEqual(result.stages.map((s) => s.outputs.map((o) => [o.artifact, o.verdict])), [
      [['a.csv', 'bit-for-bit']], [['b.csv', 'bit-for-bit']], [['model.txt', 'bit-for-bit']], [['report.txt', 'bit-for-bit']],
    ]);
    assert.equal(result.summary, '4 stages, 4 bit-for-bit');
    // Status changes arrive in order per stage; running always before done.
    const prep = plan.stages[0]!.id;
    const statuses = events.filter((e): e is Extract<RerunProgressDto, { type: 'stage' }> => e.type === 'stage' && e.stage.id === prep).map((e) => e.stage.status);
    assert.deepEqual(statuses, ['running', 'done']);
    assert.equal(events.at(-1)?.type, 'finished');
    ws.ingest();
    const facets = ws.core.db.prepare("SELECT run_uuid, json_extract(facets, '$.retrace_rerun.rerunOf') AS of FROM runs WHERE json_extract(facets, '$.retrace_rerun.rerunOf') IS NOT NULL").all() as { run_uuid: string; of: string }[];
    assert.deepEqual(facets.map((f) => f.of).sort(), Object.values(ws.runs).sort(), 'each new run names the run it repeats');
    assert.deepEqual(new Set(facets.map((f) => f.run_uuid)), new Set(result.stages.map((s) => s.newRun)));
    assert.deepEqual((await ws.plan({ kind: 'stale' })).stages, [], 'nothing stale after the re-run');
  } finally {
    ws.dispose();
  }
});

test('a stage that writes the time into a JSON file differs in exactly that key; its output streams live', async () => {
  const python = spawnSync('python3', ['--version']).status === 0;
  assert.ok(python, 'python3 is installed (CI installs it)');
  const script = "import json, time\nrows = open('in.csv').read().splitlines()\nprint('counted', len(rows), flush=True)\njson.dump({'rows': len(rows), 'at': time.time_ns()}, open('stamp.json', 'w'))\n";
  const ws = await fixtureWorkspace({ 'in.csv': 'a\nb\n', 'stamp.py': script }, [{ name: 'stamp', argv: ['python3', 'stamp.py'] }]);
  try {
    const plan = await ws.plan({ kind: 'run', run: ws.runs.stamp! });
    const { result, events } = await ws.execute(plan);
    const [s] = result.stages;
    assert.equal(s!.status, 'done');
    const out = s!.outputs.find((o) => o.artifact === 'stamp.json');
    assert.equal(out?.verdict, 'differs');
    assert.deepEqual(out!.changes.map((c) => [c.key, c.change]), [['at', 'changed']]);
    assert.equal(out!.moreChanges, 0);
    assert.match(result.summary ?? '', /^1 stage, 1 differs: stamp\.json at \d+ → \d+$/);
    const text = events.filter((e) => e.type === 'output').map((e) => (e as { text: string }).text).join('');
    assert.equal(text, 'counted 2\n');
    assert.equal(result.logs[s!.id], 'counted 2\n');
  } finally {
    ws.dispose();
  }
});

test('a failing stage skips its descendants and the rest completes', async () => {
  const ws = await fixtureWorkspace({ 'in.csv': 'b,2\na,1\n' }, FORK_STAGES);
  try {
    ws.write('FAIL_TRAIN', '');
    const r1 = (await ws.execute(await ws.plan({ kind: 'downstream', run: ws.runs.prep! }), 2)).result;
    assert.deepEqual(r1.stages.map((s) => s.status), ['done', 'done', 'failed', 'done'], 'report does not wait for train');
    assert.equal(r1.stages[2]!.reason, 'Exited with code 1.');
    fs.rmSync(path.join(ws.root, 'FAIL_TRAIN'));
    ws.write('FAIL_CLEAN', '');
    const r2 = (await ws.execute(await ws.plan({ kind: 'downstream', run: ws.runs.prep! }))).result;
    assert.deepEqual(r2.stages.map((s) => [s.status, s.reason]), [
      ['done', null], ['failed', 'Exited with code 1.'], ['skipped', 'Skipped: clean failed.'], ['skipped', 'Skipped: clean failed.'],
    ]);
    assert.equal(r2.summary, '4 stages, 1 bit-for-bit, 1 failed, 2 skipped');
  } finally {
    ws.dispose();
  }
});

test('cancelling stops the running stage\'s process group, records it as FAIL with the reason, and skips the rest', async () => {
  const slow = sh('slow', 'echo "pids $$"; sleep "$(cat delay)" & echo "bg $!"; wait; echo done > slow.txt');
  const ws = await fixtureWorkspace({ delay: '0' }, [slow, sh('after', 'cat slow.txt > after.txt')]);
  try {
    ws.write('delay', '30');
    const plan = await ws.plan({ kind: 'downstream', run: ws.runs.slow! });
    assert.deepEqual(plan.stages.map((s) => s.stage), ['slow', 'after']);
    const pids: number[] = [];
    let execution = '';
    const { result } = await ws.execute(plan, 1, (e) => {
      if (e.type === 'stage' && e.stage.status === 'running') execution = e.execution;
      if (e.type !== 'output') return;
      for (const m of e.text.matchAll(/^(?:pids|bg) (\d+)$/gm)) pids.push(Number(m[1]));
      if (pids.length === 2) void ws.core.api.cancelRerunPlan({ execution });
    });
    assert.equal(result.state, 'cancelled');
    assert.deepEqual(result.stages.map((s) => [s.status, s.reason]), [['failed', CANCEL_REASON], ['skipped', 'Cancelled before it started.']]);
    assert.equal(pids.length, 2);
    assert.deepEqual(await waitGone(pids), [], 'the stage and its background sleep are gone');
    assert.match(result.summary ?? '', /^Cancelled: 2 stages, 1 failed, 1 skipped$/);
    ws.ingest();
    const row = ws.core.db.prepare('SELECT state, error_message AS error FROM runs WHERE run_uuid = ?').get(result.stages[0]!.newRun) as { state: string; error: string };
    assert.deepEqual(row, { state: 'FAIL', error: CANCEL_REASON });
  } finally {
    ws.dispose();
  }
});
