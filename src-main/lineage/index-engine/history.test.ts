// The replayed state after a snapshot (history.ts) as staleness and the graph show it: which
// read of an input counts, when a later run of the job counts as changed code or environment,
// and what a rename or a metadata operation does to an artifact's state. Expected values are
// worked out from the stages each test writes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stalenessOf } from '../read-models/upstream';
import { seededRandom } from '../../../shared/seeded-random';
import { type FootprintOpSpec, RUN, type StageSpec, lineageWorkspace, runEventLine, stageLines } from '../lineage-workspace.test-support';

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

test('the graph\'s stale flag (the fast check) agrees with the stale reasons for every artifact at every snapshot of a random, partly nested history', () => {
  const rnd = seededRandom(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const files = ['a.csv', 'b.csv', 'c.csv', 'd.csv', 'e.csv'];
  const stages: StageSpec[] = [];
  for (let i = 1; i <= 40; i++) {
    const ops: FootprintOpSpec[] = [];
    for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
      const r = rnd();
      const p = pick(files);
      if (r < 0.4) ops.push(R(p));
      else if (r < 0.6) ops.push(C(p));
      else if (r < 0.8) ops.push(M(p));
      else if (r < 0.9) ops.push({ path: p, op: 'DELETE' });
      else ops.push({ path: pick(files.filter((f) => f !== p)), op: 'RENAME', renamedFrom: p });
    }
    const gitSha = pick(['v1', 'v2', null]);
    const numpy = pick(['1.26.4', '2.0.0', null]);
    stages.push({ run: RUN(i), job: pick(['prep', 'train', 'eval']), at: i * 2, ops,
      ...(rnd() < 0.5 ? { inputs: [pick(files)] } : {}), ...(gitSha ? { gitSha } : {}), ...(numpy ? { numpy } : {}) });
  }
  // Some stages run inside another (START, the other stage, COMPLETE), and the inner one rewrites
  // a file the outer one named as its input and reads again at the end: the outer run's START
  // and its footprint then name different versions of it, and only the last read counts.
  const lines: string[] = [];
  for (let i = 0; i < stages.length; i++) {
    if (i + 1 < stages.length && rnd() < 0.3) {
      const f = pick(files);
      const outer = stageLines({ ...stages[i]!, inputs: [f], ops: [...stages[i]!.ops!, R(f)] });
      const inner = stageLines({ ...stages[++i]!, ops: [...stages[i]!.ops!, M(f)] });
      lines.push(outer[0]!, ...inner, outer[1]!);
    } else lines.push(...stageLines(stages[i]!));
  }
  const ws = lineageWorkspace(lines);
  try {
    const counts = { stale: 0, fresh: 0, reasons: new Set<string>() };
    const snapshots = ws.engine.snapshots().length;
    assert.ok(snapshots >= 40);
    for (let k = 1; k <= snapshots; k++) {
      for (const f of files) {
        for (const s of stalenessOf(ws.engine, { artifact: f, snapshot: k })) {
          assert.equal(s.stale, s.reasons.length > 0, `${f} at snapshot ${k}: ${JSON.stringify(s.reasons)}`);
          counts[s.stale ? 'stale' : 'fresh']++;
          for (const r of s.reasons) counts.reasons.add(r.code);
        }
      }
    }
    // The history exercises both answers and every reason.
    assert.ok(counts.stale > 20 && counts.fresh > 20, JSON.stringify(counts));
    assert.deepEqual([...counts.reasons].sort(), ['CODE_CHANGED', 'ENVIRONMENT_CHANGED', 'INPUT_DELETED', 'INPUT_NEWER']);
  } finally {
    ws.dispose();
  }
});

test('a run that read an input, was overtaken by a rewrite of it, and read it again later is stale only until that later read', () => {
  const v = (n: string) => `sha256:${n.repeat(32)}`;
  const ws = lineageWorkspace([
    runEventLine(RUN(1), 'make', 'START', 0), runEventLine(RUN(1), 'make', 'COMPLETE', 1, [{ path: 'in.csv', op: 'CREATE', hashAfter: v('a1') }]),
    // long reads in.csv (a1) and writes out.csv; fix rewrites in.csv (a2) and ends: snapshot 2.
    runEventLine(RUN(2), 'long', 'START', 2), runEventLine(RUN(2), 'long', 'RUNNING', 3, [R('in.csv'), C('out.csv')]),
    runEventLine(RUN(3), 'fix', 'START', 4), runEventLine(RUN(3), 'fix', 'COMPLETE', 5, [{ path: 'in.csv', op: 'MODIFY', hashAfter: v('a2') }]),
    // long then reads in.csv again (a2) and ends: snapshot 3.
    runEventLine(RUN(2), 'long', 'RUNNING', 6, [R('in.csv')]), runEventLine(RUN(2), 'long', 'COMPLETE', 7),
  ]);
  try {
    assert.deepEqual(ws.engine.listSnapshots().map((s) => s.label), ['make #1', 'fix #1', 'long #1']);
    // As of fix's end, long's later read had not happened: what it had read was overtaken.
    assert.deepEqual(staleOf(ws, 'out.csv', 2), [[true, ['INPUT_NEWER']]]);
    assert.deepEqual(staleOf(ws, 'out.csv', 3), [[false, []]]);
    assert.deepEqual(staleOf(ws, 'out.csv'), [[false, []]]);
  } finally {
    ws.dispose();
  }
});

test('what a running run reads after a snapshot does not count at that snapshot, even a file deleted by then', () => {
  const ws = lineageWorkspace([
    runEventLine(RUN(1), 'make', 'START', 0), runEventLine(RUN(1), 'make', 'COMPLETE', 1, [C('gone.csv')]),
    runEventLine(RUN(2), 'long', 'START', 2), runEventLine(RUN(2), 'long', 'RUNNING', 3, [C('out.csv')]),
    runEventLine(RUN(3), 'drop', 'START', 4), runEventLine(RUN(3), 'drop', 'COMPLETE', 5, [{ path: 'gone.csv', op: 'DELETE' }]),
    // After drop's end (snapshot 2), long writes gone.csv anew and reads it.
    runEventLine(RUN(2), 'long', 'RUNNING', 6, [C('gone.csv'), R('gone.csv')]), runEventLine(RUN(2), 'long', 'COMPLETE', 7),
  ]);
  try {
    assert.deepEqual(ws.engine.listSnapshots().map((s) => s.label), ['make #1', 'drop #1', 'long #1']);
    assert.deepEqual(staleOf(ws, 'out.csv', 2), [[false, []]]);
    assert.deepEqual(staleOf(ws, 'out.csv', 3), [[false, []]]);
  } finally {
    ws.dispose();
  }
});
