// The engine keeps a snapshot list, the two most recent replayed histories and the names of
// runs between queries. These tests query, change the data (a new ingest batch, new table
// commits, an emptied DB) or ask for another snapshot, and query again: the answer must be the
// one for the data and snapshot asked, never a cached one. Expected values come from the stages.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { TableCommitSnapshot } from '../index-engine/snapshots';
import { LineageEngine } from './lineage-engine';
import { RUN, lineageWorkspace, minute, stageLines } from '../lineage-workspace.test-support';

const C = (p: string) => ({ path: p, op: 'CREATE' as const });
const R = (p: string) => ({ path: p, op: 'READ' as const });
const M = (p: string) => ({ path: p, op: 'MODIFY' as const });

/** make writes a.csv (snapshot 1), edit rewrites it (2), use reads the rewrite (3). */
const THREE = [
  ...stageLines({ run: RUN(1), job: 'make', at: 0, ops: [C('a.csv')] }),
  ...stageLines({ run: RUN(2), job: 'edit', at: 2, ops: [M('a.csv')] }),
  ...stageLines({ run: RUN(3), job: 'use', at: 4, ops: [R('a.csv')] }),
];

test('histories of different snapshots asked in turn each answer for their own snapshot', () => {
  const ws = lineageWorkspace(THREE);
  try {
    const of = (snapshot?: number) => ws.engine.impact({ artifact: 'a.csv', ...(snapshot === undefined ? {} : { snapshot }) });
    const v1 = `a.csv@run:${RUN(1)}`, v2 = `a.csv@run:${RUN(2)}`;
    // More snapshots than the cache holds, and back again.
    for (const [snapshot, label, runs] of [
      [1, v1, []], [2, v2, []], [1, v1, []], [3, v2, [RUN(3)]], [undefined, v2, [RUN(3)]], [2, v2, []], [1, v1, []], [3, v2, [RUN(3)]],
    ] as const) {
      const imp = of(snapshot);
      assert.deepEqual([imp.of, imp.runs], [label, runs], `snapshot ${snapshot}`);
    }
    // Run states as of a snapshot come from the same histories.
    const edit = ws.engine.catalog.resolveRun(RUN(2));
    assert.deepEqual([1, 2, 1, 3].map((k) => ws.engine.runStateAt(edit, k)), ['RUNNING', 'COMPLETE', 'RUNNING', 'COMPLETE']);
  } finally {
    ws.dispose();
  }
});

test('a batch with only a START is folded in: the engine is dirty, the new job is in the graph, a run that ends later shows its ending', () => {
  const ws = lineageWorkspace(THREE.slice(0, 2));
  try {
    assert.equal(ws.engine.footprint(RUN(1)).state, 'COMPLETE');
    ws.engine.dirty = false;
    ws.append(stageLines({ run: RUN(4), job: 'slow', at: 6, state: null }));
    assert.equal(ws.engine.graphAt(undefined).nodes.some((n) => n.id === 'job:ns/slow'), true);
    assert.equal(ws.engine.dirty, true, 'a new run is worth saving');
    const slow = ws.engine.catalog.resolveRun(RUN(4));
    assert.equal(ws.engine.runStateAt(slow, undefined), 'START');
    assert.deepEqual(ws.engine.listSnapshots().map((s) => s.label), ['make #1']);
    // Its ending arrives in the next batch: state, snapshots and footprint are read again.
    ws.append(stageLines({ run: RUN(4), job: 'slow', at: 6, ops: [R('a.csv')] }).slice(1));
    assert.deepEqual(ws.engine.listSnapshots().map((s) => s.label), ['make #1', 'slow #1']);
    assert.equal(ws.engine.runStateAt(slow, undefined), 'COMPLETE');
    assert.deepEqual(ws.engine.footprint(RUN(4)).classes.INPUT, ['a.csv']);
    assert.deepEqual(ws.engine.impact({ run: RUN(1) }).runs, [RUN(4)]);
  } finally {
    ws.dispose();
  }
});

test('new table commits are in the snapshot list once the engine is told to forget it', () => {
  const ws = lineageWorkspace(THREE);
  try {
    const commits: TableCommitSnapshot[] = [];
    const engine = LineageEngine.open(ws.db, { commits: () => commits });
    assert.deepEqual(engine.listSnapshots().map((s) => s.label), ['make #1', 'edit #1', 'use #1']);
    const afterMake = ws.db.prepare('SELECT event_seq FROM run_endings WHERE seq = 1').pluck().get() as number;
    commits.push({ at: Date.parse(minute(1.5)), label: 'features v1', eventSeq: afterMake });
    engine.invalidateSnapshots();
    assert.deepEqual(engine.listSnapshots().map((s) => s.label), ['make #1', 'features v1', 'edit #1', 'use #1']);
    assert.equal(engine.snapshotAsOf(Date.parse(minute(2))), 2);
    // Snapshot 2 is now the commit: a.csv is still make's version there.
    assert.equal(engine.impact({ artifact: 'a.csv', snapshot: 2 }).of, `a.csv@run:${RUN(1)}`);
    assert.equal(engine.impact({ artifact: 'a.csv', snapshot: 3 }).of, `a.csv@run:${RUN(2)}`);
  } finally {
    ws.dispose();
  }
});

test('a DB emptied under a live engine (a rebuild from logs that are gone) leaves no snapshots, runs or artifacts', () => {
  const ws = lineageWorkspace(THREE);
  try {
    assert.equal(ws.engine.listSnapshots().length, 3);
    assert.equal(ws.engine.graphAt(undefined).nodes.length > 0, true);
    ws.db.exec('DELETE FROM prov_search; DELETE FROM run_endings; DELETE FROM accesses; DELETE FROM events; DELETE FROM artifact_versions; DELETE FROM artifacts; DELETE FROM runs; DELETE FROM jobs; DELETE FROM prov_sources');
    fs.writeFileSync(path.join(ws.paths.logsDir, 'events.jsonl'), '');
    ws.engine.dirty = false;
    ws.append([]);
    assert.deepEqual(ws.engine.listSnapshots(), []);
    assert.deepEqual(ws.engine.graphAt(undefined).nodes, []);
    assert.equal(ws.engine.dirty, true, 'the emptied index is worth saving');
    assert.throws(() => ws.engine.footprint(RUN(1)), { code: 'NOT_FOUND' });
  } finally {
    ws.dispose();
  }
});
