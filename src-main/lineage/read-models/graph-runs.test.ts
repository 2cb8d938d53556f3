import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RUN, lineageWorkspace, minute, stageLines } from '../lineage-workspace.test-support';

test('run nodes carry their job and their start and end times, an end only once the snapshot has seen it', () => {
  const slow = stageLines({ run: RUN(1), job: 'slow', at: 0, ops: [{ path: 'a.csv', op: 'CREATE' }] });
  // slow starts, quick starts and ends (snapshot 1), then slow's ending is logged (snapshot 2).
  const ws = lineageWorkspace([slow[0]!, ...stageLines({ run: RUN(2), job: 'quick', at: 0.5, ops: [{ path: 'b.csv', op: 'CREATE' }] }), slow[1]!]);
  try {
    const node = (snapshot: number | undefined, run: string) => ws.engine.graphAt(snapshot, { granularity: 'run' }).nodes.find((n) => n.id === `run:${run}`);
    const pick = (n: ReturnType<typeof node>) => n && { job: n.job, startedAt: n.startedAt, endedAt: n.endedAt, state: n.state };
    assert.deepEqual(pick(node(1, RUN(1))), { job: 'ns/slow', startedAt: minute(0), endedAt: undefined, state: 'RUNNING' });
    assert.deepEqual(pick(node(1, RUN(2))), { job: 'ns/quick', startedAt: minute(0.5), endedAt: minute(1.5), state: 'COMPLETE' });
    assert.deepEqual(pick(node(2, RUN(1))), { job: 'ns/slow', startedAt: minute(0), endedAt: minute(1), state: 'COMPLETE' });
    assert.deepEqual(pick(node(undefined, RUN(1))), { job: 'ns/slow', startedAt: minute(0), endedAt: minute(1), state: 'COMPLETE' });
    assert.equal(ws.engine.graphAt(undefined).nodes.find((n) => n.id === 'job:ns/slow')?.startedAt, undefined, 'job nodes carry no run times');
  } finally {
    ws.dispose();
  }
});
