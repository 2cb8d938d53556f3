import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listArtifacts, listRuns } from './filters';
import { latestPipelineUsing, mostUsed, whoRan } from './insights';
import { search } from './search';
import { RUN, type StageSpec, lineageWorkspace, minute, stageLines } from '../lineage-workspace.test-support';

const R = (p: string) => ({ path: p, op: 'READ' as const });
const C = (p: string) => ({ path: p, op: 'CREATE' as const });
const NIGHTLY = RUN(90);
const WEEKLY = RUN(91); // named as a parent, never ingested itself

/** A fixture with known answers: a.csv read by 3 runs, c.csv by 2, b.csv by 1; train v2 completed by bob, then alice. */
const STAGES: StageSpec[] = [
  { run: NIGHTLY, job: 'nightly', at: -1, state: null },
  { run: RUN(1), job: 'prep', at: 0, user: 'alice', ops: [C('data/a.csv'), C('data/b.csv'), C('data/c.csv')] },
  { run: RUN(2), job: 'train', at: 2, user: 'alice', gitSha: 'v1', parent: { run: NIGHTLY, job: 'nightly' }, ops: [R('data/a.csv'), R('data/c.csv'), C('m.pt')] },
  { run: RUN(3), job: 'train', at: 4, user: 'bob', gitSha: 'v2', ops: [R('data/a.csv'), R('data/a.csv'), C('m.pt')] },
  { run: RUN(4), job: 'train', at: 6, user: 'carol', gitSha: 'v2', state: 'FAIL', parent: { run: NIGHTLY, job: 'nightly' }, ops: [R('data/a.csv'), R('data/c.csv')] },
  { run: RUN(5), job: 'train', at: 8, user: 'alice', gitSha: 'v2', parent: { run: WEEKLY, job: 'weekly' }, ops: [R('data/b.csv')] },
];

test('insights: most used datasets, latest pipeline using a dataset, who ran the latest version successfully', () => {
  const ws = lineageWorkspace(STAGES.flatMap(stageLines));
  try {
    assert.deepEqual(mostUsed(ws.engine).map((m) => [m.artifact, m.readers]), [['data/a.csv', 3], ['data/c.csv', 2], ['data/b.csv', 1]]);
    assert.deepEqual(mostUsed(ws.engine, { limit: 1 }).map((m) => m.artifact), ['data/a.csv']);
    assert.deepEqual(mostUsed(ws.engine, { snapshot: 2 }).map((m) => [m.artifact, m.readers]), [['data/a.csv', 1], ['data/c.csv', 1]]);
    assert.deepEqual(latestPipelineUsing(ws.engine, 'data/a.csv'),
      { pipeline: 'ns/nightly', pipelineId: 'job:ns/nightly', run: NIGHTLY, consumerRun: RUN(4), consumerJob: 'ns/train', at: minute(7) });
    // The weekly pipeline run was never ingested: only its parent facet names it, so it has no graph node.
    assert.deepEqual(latestPipelineUsing(ws.engine, 'data/b.csv'),
      { pipeline: 'ns/weekly', pipelineId: null, run: WEEKLY, consumerRun: RUN(5), consumerJob: 'ns/train', at: minute(9) });
    assert.throws(() => latestPipelineUsing(ws.engine, 'm.pt'), { code: 'NOT_FOUND', message: 'No run has read m.pt yet.' });
    assert.deepEqual(whoRan(ws.engine, 'train'), [
      { user: 'alice', run: RUN(5), at: minute(9), code: 'v2' },
      { user: 'bob', run: RUN(3), at: minute(5), code: 'v2' },
    ]);
    assert.deepEqual(whoRan(ws.engine, 'ns/prep').map((w) => w.user), ['alice']);
    assert.throws(() => whoRan(ws.engine, 'deploy'), { code: 'NOT_FOUND' });
  } finally {
    ws.dispose();
  }
});

test('insights as of a snapshot, over a time window, by kind', () => {
  const ws = lineageWorkspace(STAGES.flatMap(stageLines));
  try {
    // Snapshots are the five run endings (RUN(1)…RUN(5)); the nightly run never ended.
    // Window: runs that started in [10:03, 10:07] are RUN(3) (10:04) and RUN(4) (10:06).
    assert.deepEqual(mostUsed(ws.engine, { since: Date.parse(minute(3)), until: Date.parse(minute(7)) }).map((m) => [m.artifact, m.readers]),
      [['data/a.csv', 2], ['data/c.csv', 1]]);
    // From 10:05 on: RUN(4) read a and c, RUN(5) read b; ties keep creation order.
    assert.deepEqual(mostUsed(ws.engine, { since: Date.parse(minute(5)) }).map((m) => [m.artifact, m.readers]),
      [['data/a.csv', 1], ['data/b.csv', 1], ['data/c.csv', 1]]);
    assert.deepEqual(mostUsed(ws.engine, { until: Date.parse(minute(1)) }), [], 'only prep and nightly started by 10:01, and they read nothing');
    assert.throws(() => mostUsed(ws.engine, { since: 2, until: 1 }), { code: 'INVALID_ARGUMENT' });
    // As of snapshot 2 (RUN(2) ended): RUN(2) is the latest reader of a.csv.
    assert.deepEqual(latestPipelineUsing(ws.engine, 'data/a.csv', { snapshot: 2 }),
      { pipeline: 'ns/nightly', pipelineId: 'job:ns/nightly', run: NIGHTLY, consumerRun: RUN(2), consumerJob: 'ns/train', at: minute(3) });
    assert.throws(() => latestPipelineUsing(ws.engine, 'data/b.csv', { snapshot: 4 }), { code: 'NOT_FOUND', message: 'No run has read data/b.csv by snapshot 4.' });
    // As of snapshot 2 only RUN(2) (code v1) had run train: it is the latest version then.
    assert.deepEqual(whoRan(ws.engine, 'train', { snapshot: 2 }), [{ user: 'alice', run: RUN(2), at: minute(3), code: 'v1' }]);
    assert.deepEqual(whoRan(ws.engine, 'train', { snapshot: 3 }), [{ user: 'bob', run: RUN(3), at: minute(5), code: 'v2' }]);
    assert.throws(() => whoRan(ws.engine, 'train', { snapshot: 9 }), { code: 'NOT_FOUND' });
  } finally {
    ws.dispose();
  }
});

test('a reading run that has not ended is dated by its start; kinds other than datasets on request', () => {
  const ws = lineageWorkspace([
    { run: RUN(11), job: 'prep', at: 0, ops: [C('data/x.csv'), C('models/m.pt')] },
    { run: RUN(12), job: 'eval', at: 2, ops: [R('models/m.pt'), R('data/x.csv')] },
    // Still running: its input is on the START event.
    { run: RUN(13), job: 'serve', at: 4, state: null, inputs: ['models/m.pt'] },
  ].flatMap(stageLines));
  try {
    assert.deepEqual(mostUsed(ws.engine).map((m) => [m.artifact, m.kind, m.readers]), [['data/x.csv', 'dataset', 1]]);
    assert.deepEqual(mostUsed(ws.engine, { kinds: ['model'] }).map((m) => [m.artifact, m.kind, m.readers]), [['models/m.pt', 'model', 2]]);
    assert.deepEqual(mostUsed(ws.engine, { kinds: ['model'], snapshot: 1 }), []);
    assert.deepEqual(latestPipelineUsing(ws.engine, 'models/m.pt'),
      { pipeline: 'ns/serve', pipelineId: 'job:ns/serve', run: RUN(13), consumerRun: RUN(13), consumerJob: 'ns/serve', at: minute(4) });
    assert.deepEqual(latestPipelineUsing(ws.engine, 'models/m.pt', { snapshot: 2 }).consumerRun, RUN(12));
  } finally {
    ws.dispose();
  }
});

test('search: prefix words, users as results, a name hit ranks a job first, field restriction', () => {
  const ws = lineageWorkspace(STAGES.flatMap(stageLines));
  try {
    const carol = search(ws.db, 'car');
    assert.equal(carol.ranked, true);
    assert.deepEqual(carol.results.slice(0, 2).map((r) => [r.kind, r.id]), [['user', 'user:carol'], ['run', `run:${RUN(4)}`]]);
    const train = search(ws.db, 'trai');
    assert.deepEqual([train.results[0]!.kind, train.results[0]!.id, train.results[0]!.label], ['job', 'job:ns/train', 'train']);
    assert.ok(train.results.filter((r) => r.kind === 'run').length >= 4);
    assert.deepEqual(search(ws.db, 'path:data/c').results.map((r) => r.id), ['artifact:file/data/c.csv']);
    assert.deepEqual(search(ws.db, 'data csv', { rank: false }).results.map((r) => r.label).sort(), ['data/a.csv', 'data/b.csv', 'data/c.csv']);
    assert.equal(search(ws.db, 'nothing-like-this').results.length, 0);
    assert.throws(() => search(ws.db, ' "" '), { code: 'INVALID_ARGUMENT' });
  } finally {
    ws.dispose();
  }
});

test('filter_by on runs and artifacts: equality, _LIKE, time comparisons, unknown fields refused', () => {
  const ws = lineageWorkspace(STAGES.flatMap(stageLines));
  try {
    const runs = (...f: string[]) => listRuns(ws.db, { filterBy: f }).map((r) => r.run);
    assert.deepEqual(runs('USER:alice'), [RUN(5), RUN(2), RUN(1)]);
    assert.deepEqual(runs('STATE:FAIL'), [RUN(4)]);
    assert.deepEqual(runs('JOB:train', 'USER_LIKE:a*'), [RUN(5), RUN(2)]);
    assert.deepEqual(runs('USER:bob', 'USER:carol'), [RUN(4), RUN(3)]);
    assert.deepEqual(runs(`STARTED_AT_GTE:${minute(4)}`, 'STARTED_AT_LT:' + Date.parse(minute(8))), [RUN(4), RUN(3)]);
    assert.deepEqual(listRuns(ws.db, { filterBy: ['JOB:train'], sortBy: 'STARTED_AT:asc', limit: 2 }).map((r) => r.user), ['alice', 'bob']);
    assert.deepEqual(listArtifacts(ws.db, { filterBy: ['KIND:model'] }).map((a) => a.artifact), ['m.pt']);
    assert.deepEqual(listArtifacts(ws.db, { filterBy: ['NAME_LIKE:data/*.csv'], sortBy: 'NAME:asc' }).map((a) => a.artifact), ['data/a.csv', 'data/b.csv', 'data/c.csv']);
    assert.throws(() => listRuns(ws.db, { filterBy: ['COLOUR:red'] }), { code: 'INVALID_ARGUMENT', message: /^Unknown run filter field "COLOUR"; known: RUN_ID, STATE/ });
    assert.throws(() => listRuns(ws.db, { filterBy: ['STARTED_AT_GT:yesterday'] }), { code: 'INVALID_ARGUMENT' });
  } finally {
    ws.dispose();
  }
});
