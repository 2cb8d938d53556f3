import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RUN, lineageWorkspace, minute, stageLines } from '../lineage-workspace.test-support';
import { LineageEngine } from './lineage-engine';
import { compareSnapshots } from './snapshot-compare';

const C = (p: string) => ({ path: p, op: 'CREATE' as const });

test('table commits in (A, B] are listed with their row counts, in snapshot order', () => {
  const ws = lineageWorkspace([
    ...stageLines({ run: RUN(1), job: 'load', at: 0, ops: [C('tables/orders')] }),
    ...stageLines({ run: RUN(2), job: 'fix', at: 2, ops: [{ path: 'tables/orders', op: 'MODIFY' }] }),
  ]);
  try {
    const orders = ws.engine.resolveArtifact('tables/orders');
    const events = ws.db.prepare('SELECT seq FROM events ORDER BY seq').pluck().all() as number[];
    // Two commits by an outside writer: one after the first run ended (event 2), one after the second (event 4).
    const engine = LineageEngine.open(ws.db, {
      workspaceRoot: ws.paths.root,
      commits: () => [
        { at: Date.parse(minute(1.5)), eventSeq: events[1]!, label: 'orders v1 (WRITE)', table: { artifactId: orders, version: 1, operation: 'WRITE', rowsInserted: 10, rowsUpdated: 0, rowsDeleted: 0 } },
        { at: Date.parse(minute(3.5)), eventSeq: events[3]!, label: 'orders v2 (MERGE)', table: { artifactId: orders, version: 2, operation: 'MERGE', rowsInserted: 1, rowsUpdated: 2, rowsDeleted: 0 } },
      ],
    });
    // Snapshots: 1 = load ended, 2 = v1, 3 = fix ended, 4 = v2.
    assert.deepEqual(engine.listSnapshots().map((s) => [s.seq, s.kind]), [[1, 'run'], [2, 'commit'], [3, 'run'], [4, 'commit']]);
    const d = compareSnapshots(engine, 1, 4);
    assert.deepEqual(d.changes!.runs.map((r) => [r.run, r.snapshot]), [[RUN(2), 3]]);
    assert.deepEqual(d.changes!.commits, [
      { table: 'tables/orders', id: 'artifact:file/tables/orders', version: 1, at: minute(1.5), operation: 'WRITE', rowsInserted: 10, rowsUpdated: 0, rowsDeleted: 0, snapshot: 2 },
      { table: 'tables/orders', id: 'artifact:file/tables/orders', version: 2, at: minute(3.5), operation: 'MERGE', rowsInserted: 1, rowsUpdated: 2, rowsDeleted: 0, snapshot: 4 },
    ]);
    assert.deepEqual(compareSnapshots(engine, 2, 3).changes!.commits, [], 'a commit at A itself is not after A');
  } finally {
    ws.dispose();
  }
});
