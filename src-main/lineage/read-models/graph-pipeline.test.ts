import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RUN, type StageSpec, lineageWorkspace, stageLines } from '../lineage-workspace.test-support';

const C = (p: string) => ({ path: p, op: 'CREATE' as const });
const R = (p: string) => ({ path: p, op: 'READ' as const });
const NIGHTLY = RUN(90);
const GONE = RUN(91); // named as a parent, never ingested itself

/**
 * Graph nodes say which pipeline they run in (the explorer groups stages by it): through an
 * ingested parent run, through a parent facet whose run never arrived, and not at all.
 */
const STAGES: StageSpec[] = [
  { run: NIGHTLY, job: 'nightly', at: -1, state: 'COMPLETE' },
  { run: RUN(1), job: 'prep', at: 0, parent: { run: NIGHTLY, job: 'nightly' }, ops: [C('data/a.csv')] },
  { run: RUN(2), job: 'train', at: 2, parent: { run: GONE, job: 'weekly' }, ops: [R('data/a.csv'), C('m.pt')] },
  { run: RUN(3), job: 'report', at: 4, ops: [R('m.pt')] },
];

test('job and run nodes carry their pipeline', () => {
  const ws = lineageWorkspace(STAGES.flatMap(stageLines));
  try {
    const jobs = new Map(ws.engine.graphAt(undefined).nodes.filter((n) => n.kind === 'job').map((n) => [n.label, n.pipeline ?? null]));
    assert.deepEqual(Object.fromEntries(jobs), { nightly: null, prep: 'ns/nightly', train: 'ns/weekly', report: null });
    const runs = ws.engine.graphAt(undefined, { granularity: 'run' }).nodes.filter((n) => n.kind === 'run');
    assert.equal(runs.find((r) => r.id === `run:${RUN(1)}`)?.pipeline, 'ns/nightly');
    assert.equal(runs.find((r) => r.id === `run:${RUN(3)}`)?.pipeline, undefined);
  } finally {
    ws.dispose();
  }
});
