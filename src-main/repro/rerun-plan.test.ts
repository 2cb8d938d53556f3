import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { stageLines } from '../lineage/lineage-workspace.test-support';
import { FORK_STAGES, fixtureWorkspace, namesOf, sh, type FixtureWorkspace } from './rerun-fixture.test-support';

/**
 * Plans on a real four-stage workspace (every stage captured by `retrace run`, then ingested):
 *   prep: in.csv → a.csv;  clean: a.csv → b.csv;  train: b.csv → model.txt;  report: b.csv → report.txt
 * Expected plans are read off that picture, not computed by the planner.
 */
let ws: FixtureWorkspace;
before(async () => {
  ws = await fixtureWorkspace({ 'in.csv': 'b,2\na,1\n' }, FORK_STAGES);
});
after(() => ws.dispose());

test('nothing changed: nothing is stale', async () => {
  const plan = await ws.plan({ kind: 'stale' });
  assert.deepEqual(plan.stages, []);
});

test('--downstream from stage 2 plans 2, 3, 4 in order; from stage 1 all four', async () => {
  const plan = await ws.plan({ kind: 'downstream', run: ws.runs.clean!.slice(0, 8) });
  assert.deepEqual(namesOf(plan), ['clean', 'train', 'report']);
  assert.deepEqual(plan.stages.map((s) => s.level), [0, 1, 1]);
  assert.deepEqual(plan.stages.map((s) => s.after), [[], [ws.runs.clean], [ws.runs.clean]]);
  assert.deepEqual(plan.stages[1]!.reasons, ['It reads b.csv, which clean writes.']);
  const s = plan.stages[0]!;
  assert.deepEqual(s.argv, FORK_STAGES[1]!.argv);
  assert.equal(s.cwd, ws.root);
  assert.equal(s.blocked, null);
  assert.deepEqual(s.overwrites.map((o) => [o.artifact, o.kind, o.version !== null]), [['b.csv', 'file', true]]);
  assert.deepEqual(namesOf(await ws.plan({ kind: 'downstream', run: ws.runs.prep! })), ['prep', 'clean', 'train', 'report']);
  assert.deepEqual(namesOf(await ws.plan({ kind: 'downstream', run: ws.runs.train! })), ['train'], 'nothing consumed what train wrote');
});

test('the input of stage 2 changed on disk: --stale plans the three affected stages in order and leaves the first alone', async () => {
  const before = ws.read('a.csv');
  try {
    ws.write('a.csv', 'C,3\n' + before);
    const plan = await ws.plan({ kind: 'stale' });
    assert.deepEqual(namesOf(plan), ['clean', 'train', 'report']);
    assert.match(plan.stages[0]!.reasons[0]!, /^a\.csv changed since the run read it \(\w{8} → \w{8}\)\.$/);
    assert.deepEqual(plan.stages[2]!.reasons, ['It reads b.csv, which clean re-creates.']);
    // Only what model.txt needs: clean and train, not report.
    assert.deepEqual(namesOf(await ws.plan({ kind: 'stale', artifacts: ['model.txt'] })), ['clean', 'train']);
    const fresh = await ws.plan({ kind: 'stale', artifacts: ['in.csv'] });
    assert.deepEqual([fresh.stages.length, fresh.notes], [0, ['in.csv is up to date: no stale stage writes it.']]);
  } finally {
    ws.write('a.csv', before);
  }
});

test('the first stage\'s input changed: all four stages are stale, in order', async () => {
  const before = ws.read('in.csv');
  try {
    ws.write('in.csv', before + 'c,3\n');
    const plan = await ws.plan({ kind: 'stale' });
    assert.deepEqual(namesOf(plan), ['prep', 'clean', 'train', 'report']);
    assert.match(plan.stages[0]!.reasons[0]!, /^in\.csv changed since the run read it/);
  } finally {
    ws.write('in.csv', before);
  }
  assert.deepEqual((await ws.plan({ kind: 'stale' })).stages, [], 'restored content: fresh again');
});

test('a stage without a recorded command is reported and blocks only its descendants', async () => {
  // "audit" ran outside Retrace (an OpenLineage producer with no command): it read a.csv and
  // wrote audit.csv; "publish" was captured and reads audit.csv.
  ws.write('audit.csv', 'x\n');
  fs.writeFileSync(path.join(ws.core.paths.logsDir, 'external.jsonl'), stageLines({
    run: '00000000-0000-4000-8000-0000000000aa', job: 'audit', at: 1e6,
    ops: [{ path: 'a.csv', op: 'READ', hashAfter: await hashOf('a.csv') }, { path: 'audit.csv', op: 'CREATE', hashAfter: await hashOf('audit.csv') }],
  }).map((l) => l + '\n').join(''));
  ws.ingest();
  await ws.capture(sh('publish', 'cat audit.csv > published.csv'));
  const plan = await ws.plan({ kind: 'downstream', run: ws.runs.prep! });
  // Independent stages keep the order they first ran in: audit's events came last.
  assert.deepEqual(namesOf(plan), ['prep', 'clean', 'train', 'report', 'audit', 'publish']);
  const by = Object.fromEntries(plan.stages.map((s) => [s.stage, s]));
  assert.equal(by.audit!.blocked?.code, 'NOT_CAPTURED');
  assert.match(by.audit!.blocked!.message, /^Cannot re-run \(not captured\)/);
  assert.deepEqual([by.publish!.blocked?.code, by.publish!.blocked?.message], ['UPSTREAM_BLOCKED', 'Waits for audit, which cannot re-run.']);
  for (const n of ['prep', 'clean', 'train', 'report']) assert.equal(by[n]!.blocked, null, `${n} still runs`);
});

test('another past run of a stage can be picked; a run of another stage cannot', async () => {
  const newer = await ws.capture(sh('report', 'tail -n 1 b.csv > report.txt'));
  const plan = await ws.plan({ kind: 'run', run: newer });
  assert.deepEqual(plan.stages.map((s) => [s.id, s.run]), [[newer, newer]]);
  const older = plan.stages[0]!.alternatives.find((a) => a.display === "sh -c 'head -n 1 b.csv > report.txt'");
  assert.ok(older, 'the first report run is offered');
  const picked = await ws.plan({ kind: 'run', run: newer, picks: [{ stage: newer, run: older.run }] });
  assert.deepEqual([picked.stages[0]!.id, picked.stages[0]!.run, picked.stages[0]!.argv], [newer, older.run, ['sh', '-c', 'head -n 1 b.csv > report.txt']]);
  assert.notEqual(picked.digest, plan.digest, 'another plan, another digest');
  await assert.rejects(ws.plan({ kind: 'run', run: newer, picks: [{ stage: newer, run: ws.runs.train! }] }), /is not a run of report/);
});

async function hashOf(rel: string): Promise<string> {
  const { sha256Text } = await import('../capture/hashing');
  return sha256Text(fs.readFileSync(path.join(ws.root, rel)));
}
