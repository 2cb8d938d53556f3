import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RUN, lineageWorkspace, stageLines } from '../lineage-workspace.test-support';
import { stalenessOf, upstreamOf } from './upstream';

const STAGES = [
  ...stageLines({ run: RUN(1), job: 'prep', at: 0, ops: [{ path: 'seed.csv', op: 'READ' }, { path: 'in.csv', op: 'CREATE' }] }),
  ...stageLines({ run: RUN(2), job: 'train', at: 2, gitSha: 'v1', numpy: '1.26.4', ops: [{ path: 'in.csv', op: 'READ' }, { path: 'out.pt', op: 'CREATE' }] }),
];

test('upstream provenance: producing runs, their inputs\' versions, code and environment, back to the sources', () => {
  const ws = lineageWorkspace(STAGES);
  try {
    const up = upstreamOf(ws.engine, { artifact: 'out.pt' });
    assert.deepEqual(up.of, { artifact: 'out.pt', version: `run:${RUN(2)}` });
    assert.deepEqual(up.runs.map((r) => [r.run, r.depth, r.job]), [[RUN(2), 1, 'ns/train'], [RUN(1), 2, 'ns/prep']]);
    assert.deepEqual(up.runs[0]!.inputs, [{ artifact: 'in.csv', version: `run:${RUN(1)}`, producedBy: RUN(1) }]);
    assert.deepEqual(up.runs[0]!.outputs, [{ artifact: 'out.pt', version: `run:${RUN(2)}` }]);
    assert.equal(up.runs[0]!.code?.gitSha, 'v1');
    assert.equal(up.runs[0]!.environment?.interpreter, 'python 3.12.1');
    assert.equal(up.runs[0]!.user, 'alice');
    assert.deepEqual(up.sources, [{ artifact: 'seed.csv', version: 'initial' }]);
    const shallow = upstreamOf(ws.engine, { artifact: 'out.pt', depth: 1 });
    assert.deepEqual(shallow.runs.map((r) => r.run), [RUN(2)]);
    assert.deepEqual(shallow.sources, []);
  } finally {
    ws.dispose();
  }
});

test('staleness: a newer input version, changed code and environment are each a listed reason', () => {
  const ws = lineageWorkspace([
    ...STAGES,
    // The train stage ran again with new code and numpy, and failed before writing anything.
    ...stageLines({ run: RUN(3), job: 'train', at: 4, gitSha: 'v2', numpy: '2.1.0', state: 'FAIL', ops: [] }),
    // A read-modify-write of the input: its own output is current, so it is not stale itself.
    ...stageLines({ run: RUN(4), job: 'clean', at: 6, ops: [{ path: 'in.csv', op: 'READ' }, { path: 'in.csv', op: 'MODIFY' }] }),
  ]);
  try {
    assert.deepEqual(stalenessOf(ws.engine, { snapshot: 2 }), []);
    const now = stalenessOf(ws.engine);
    assert.deepEqual(now.map((s) => [s.artifact, s.stale, s.reasons.map((r) => r.code)]), [
      ['out.pt', true, ['INPUT_NEWER', 'CODE_CHANGED', 'ENVIRONMENT_CHANGED']],
    ]);
    const [newer, code] = now[0]!.reasons;
    assert.equal(newer!.message, `in.csv has a newer version run:${RUN(4)} (the producing run read run:${RUN(1)}).`);
    assert.equal(code!.message, 'The code of ns/train changed in run 00000000: git v1 → v2.');
    assert.deepEqual([code!.run, code!.readVersion, code!.currentVersion], [RUN(3), 'v1', 'v2']);
    // Asked about one artifact, fresh versions are listed too.
    assert.deepEqual(stalenessOf(ws.engine, { artifact: 'in.csv' }).map((s) => [s.version, s.stale]), [[`run:${RUN(4)}`, false]]);
    // At snapshot 3 (after the failed run) only code and environment have moved on.
    assert.deepEqual(stalenessOf(ws.engine, { snapshot: 3 })[0]!.reasons.map((r) => r.code), ['CODE_CHANGED', 'ENVIRONMENT_CHANGED']);
    assert.equal(ws.engine.graphAt(undefined).nodes.find((n) => n.label === 'out.pt')?.stale, true);
  } finally {
    ws.dispose();
  }
});

test('a deleted input makes the output stale with INPUT_DELETED', () => {
  const ws = lineageWorkspace([
    ...STAGES,
    ...stageLines({ run: RUN(3), job: 'rm', at: 4, ops: [{ path: 'in.csv', op: 'DELETE' }] }),
  ]);
  try {
    const [s] = stalenessOf(ws.engine);
    assert.deepEqual([s!.artifact, s!.reasons.map((r) => r.message)], ['out.pt', ['in.csv has been deleted since the producing run read it (run:00000000…).']]);
    assert.equal(s!.reasons[0]!.readVersion, `run:${RUN(1)}`, 'the full version is in the reason');
  } finally {
    ws.dispose();
  }
});
