// The replayed state after a snapshot (history.ts) as staleness and the graph show it: which
// read of an input counts, when a later run of the job counts as changed code or environment,
// and what a rename or a metadata operation does to an artifact's state. Expected values are
// worked out from the stages each test writes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stalenessOf } from '../read-models/upstream';
import { RUN, type StageSpec, lineageWorkspace, stageLines } from '../lineage-workspace.test-support';

const C = (p: string) => ({ path: p, op: 'CREATE' as const });
const R = (p: string) => ({ path: p, op: 'READ' as const });
const M = (p: string) => ({ path: p, op: 'MODIFY' as const });
const workspace = (stages: StageSpec[]) => lineageWorkspace(stages.flatMap(stageLines));
const staleOf = (ws: ReturnType<typeof workspace>, artifact: string, snapshot?: number) =>
  stalenessOf(ws.engine, { artifact, ...(snapshot === undefined ? {} : { snapshot }) }).map((s) => [s.stale, s.reasons.map((r) => r.code)]);

test('a run\'s last read of an input counts: a START that pinned an older version does not make its output stale', () => {
  const [start, complete] = stageLines({ run: RUN(2), job: 'train', at: 2, inputs: ['in.csv'], ops: [R('in.csv'), C('out.csv')] }) as [string, string];
  const ws = lineageWorkspace([
    ...stageLines({ run: RUN(1), job: 'make', at: 0, ops: [C('in.csv')] }),
    // train starts naming make's in.csv; fix rewrites in.csv; train then reads fix's version.
    start,
    ...stageLines({ run: RUN(3), job: 'fix', at: 3, ops: [M('in.csv')] }),
    complete,
  ]);
  try {
    assert.deepEqual(staleOf(ws, 'out.csv'), [[false, []]]);
    assert.equal(ws.engine.graphAt(undefined).nodes.find((n) => n.label === 'out.csv')?.stale, undefined);
    assert.deepEqual(stalenessOf(ws.engine), []);
  } finally {
    ws.dispose();
  }
});

test('a later run of the job without code or environment facts does not count as a change; one with other facts does', () => {
  const ws = workspace([
    { run: RUN(1), job: 'train', at: 0, gitSha: 'v1', numpy: '1.26.4', ops: [C('out.csv')] },
    // The same job again, reporting neither code nor environment.
    { run: RUN(2), job: 'train', at: 2, ops: [] },
  ]);
  try {
    assert.deepEqual(staleOf(ws, 'out.csv'), [[false, []]]);
    ws.append(stageLines({ run: RUN(3), job: 'train', at: 4, gitSha: 'v2', ops: [] }));
    assert.deepEqual(staleOf(ws, 'out.csv'), [[true, ['CODE_CHANGED']]]);
    ws.append(stageLines({ run: RUN(4), job: 'train', at: 6, gitSha: 'v1', numpy: '2.0.0', ops: [] }));
    assert.deepEqual(staleOf(ws, 'out.csv'), [[true, ['ENVIRONMENT_CHANGED']]], 'the latest run is what counts: code v1 again, numpy changed');
    assert.deepEqual(staleOf(ws, 'out.csv', 3), [[true, ['CODE_CHANGED']]]);
    assert.deepEqual(staleOf(ws, 'out.csv', 2), [[false, []]]);
  } finally {
    ws.dispose();
  }
});

test('a version the producer read and then rewrote itself is not newer than what it read', () => {
  const ws = workspace([
    { run: RUN(1), job: 'make', at: 0, ops: [C('in.csv')] },
    { run: RUN(2), job: 'rmw', at: 2, ops: [R('in.csv'), M('in.csv'), C('out.csv')] },
  ]);
  try {
    assert.deepEqual(staleOf(ws, 'out.csv'), [[false, []]]);
    ws.append(stageLines({ run: RUN(3), job: 'other', at: 4, ops: [M('in.csv')] }));
    assert.deepEqual(staleOf(ws, 'out.csv'), [[true, ['INPUT_NEWER']]]);
  } finally {
    ws.dispose();
  }
});

test('a renamed file is gone from the graph and the rename target is there; a file whose source was never seen is only the target', () => {
  const ws = workspace([
    { run: RUN(1), job: 'make', at: 0, ops: [C('tmp/a.bin')] },
    { run: RUN(2), job: 'mv', at: 2, ops: [{ path: 'out/a.bin', op: 'RENAME', renamedFrom: 'tmp/a.bin' }, { path: 'out/b.bin', op: 'RENAME', renamedFrom: 'tmp/b.bin' }] },
  ]);
  try {
    const labels = (k?: number) => ws.engine.graphAt(k).nodes.filter((n) => n.kind !== 'job' && n.kind !== 'code' && n.kind !== 'environment').map((n) => n.label).sort();
    assert.deepEqual(labels(1), ['tmp/a.bin']);
    assert.deepEqual(labels(), ['out/a.bin', 'out/b.bin']);
    assert.throws(() => ws.engine.impact({ artifact: 'tmp/b.bin' }), { code: 'NOT_FOUND', message: 'tmp/b.bin has no current version.' });
  } finally {
    ws.dispose();
  }
});
