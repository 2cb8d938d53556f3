// Impact and upstream over Hopsworks file provenance: a model folder whose files roll up to one
// artifact, a metadata-only operation (in no footprint class) and a read no application is
// named for. Expected values are worked out from the lines below.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineageWorkspace } from '../lineage-workspace.test-support';

const T0 = Date.UTC(2026, 0, 1, 10);
const P = (p: string) => `/Projects/demo/${p}`;
const MODEL = P('Models/m/1');
let clock = 0;
const app = (id: string, name: string, state: 'RUNNING' | 'FINISHED') =>
  JSON.stringify({ id, state, timestamp: T0 + ++clock * 1000, name, user: 'alice', submit_time: T0, start_time: T0, finish_time: state === 'FINISHED' ? T0 + clock * 1000 : -1 });
const op = (appId: string | null, operation: string, path: string) => JSON.stringify({
  inode_id: ++clock, inode_operation: operation, io_logical_time: clock, io_timestamp: T0 + clock * 1000,
  ...(appId ? { io_app_id: appId } : {}), io_user_name: 'alice', path,
});

const A = 'application_1_0001', B = 'application_1_0002', C = 'application_1_0003';
/**
 * make writes two files of model folder Models/m/1 and data.csv; score reads the model file and
 * data.csv, touches notes.txt's metadata only and writes scores.csv; a file operation without an
 * application then reads scores.csv; report reads scores.csv.
 */
const LINES = [
  app(A, 'make', 'RUNNING'), op(A, 'CREATE', `${MODEL}/model.pkl`), op(A, 'CREATE', `${MODEL}/meta.json`), op(A, 'CREATE', P('Resources/data.csv')), app(A, 'make', 'FINISHED'),
  app(B, 'score', 'RUNNING'), op(B, 'ACCESS_DATA', `${MODEL}/model.pkl`), op(B, 'ACCESS_DATA', P('Resources/data.csv')), op(B, 'METADATA', P('Resources/notes.txt')),
  op(B, 'CREATE', P('Resources/scores.csv')), app(B, 'score', 'FINISHED'),
  op(null, 'ACCESS_DATA', P('Resources/scores.csv')),
  app(C, 'report', 'RUNNING'), op(C, 'ACCESS_DATA', P('Resources/scores.csv')), app(C, 'report', 'FINISHED'),
];

test('a model folder stands for the current versions of its files: downstream reaches their readers, upstream their one producer once', () => {
  const ws = lineageWorkspace(LINES);
  try {
    const down = ws.engine.impact({ artifact: MODEL });
    assert.equal(down.of, MODEL, 'two versions (model.pkl, meta.json): the folder itself is named');
    assert.deepEqual(down.runDetails.map((d) => [d.run, d.depth]), [[B, 1], [C, 2]]);
    const up = ws.engine.impact({ artifact: MODEL, direction: 'upstream' });
    assert.deepEqual(up.runDetails.map((d) => [d.run, d.depth]), [[A, 1]]);
    assert.deepEqual(up.classes.OUTPUT_ADDED, [`${MODEL}/meta.json`, `${MODEL}/model.pkl`, P('Resources/data.csv')]);
    // One file of the folder: its version is named.
    assert.match(ws.engine.impact({ artifact: `${MODEL}/model.pkl` }).of, /^\/Projects\/demo\/Models\/m\/1\/model\.pkl@/);
  } finally {
    ws.dispose();
  }
});

test('a metadata-only operation is in no class and no artifact count; a read by no application impacts no run', () => {
  const ws = lineageWorkspace(LINES);
  try {
    const imp = ws.engine.impact({ run: A });
    assert.deepEqual(imp.runs, [B, C]);
    assert.deepEqual(imp.artifacts, [`${MODEL}/model.pkl`, P('Resources/data.csv'), P('Resources/scores.csv')]);
    assert.deepEqual(imp.entries.map((e) => [e.artifact, e.classes]), [
      [`${MODEL}/model.pkl`, ['INPUT']], [P('Resources/data.csv'), ['INPUT']], [P('Resources/scores.csv'), ['INPUT', 'OUTPUT_ADDED']],
    ]);
    // Rolled up: the model folder, data.csv and scores.csv.
    assert.deepEqual(imp.artifactClasses.INPUT, [P('Models/m/1'), P('Resources/data.csv'), P('Resources/scores.csv')]);
    assert.equal(imp.artifactCounts.ALL, 3);
    assert.equal(Object.values(imp.byKind).reduce((s, n) => s + n!, 0), 3);
    // Downstream of score: report only (the unattributed read is no run).
    assert.deepEqual(ws.engine.impact({ run: B }).runs, [C]);
    // Upstream of report: score, then make; notes.txt (metadata only) is in no class.
    const up = ws.engine.impact({ run: C, direction: 'upstream' });
    assert.deepEqual(up.runDetails.map((d) => [d.run, d.depth]), [[B, 1], [A, 2]]);
    assert.deepEqual(up.artifacts, [`${MODEL}/meta.json`, `${MODEL}/model.pkl`, P('Resources/data.csv'), P('Resources/scores.csv')]);
    assert.equal(up.counts.ALL, 4);
    assert.equal(Object.values(up.byKind).reduce((s, n) => s + n!, 0), 3);
  } finally {
    ws.dispose();
  }
});
