import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDb } from '../../db/open-db';
import { LineageEngine } from '../read-models/lineage-engine';
import { synthLineage } from '../synthetic/synth-lineage';
import { RUN, type StageSpec, lineageWorkspace, stageLines } from '../lineage-workspace.test-support';

const C = (p: string) => ({ path: p, op: 'CREATE' as const });
const R = (p: string) => ({ path: p, op: 'READ' as const });
const M = (p: string) => ({ path: p, op: 'MODIFY' as const });
const D = (p: string) => ({ path: p, op: 'DELETE' as const });

function workspace(stages: StageSpec[]) {
  return lineageWorkspace(stages.flatMap(stageLines));
}

test('diamond: A → B, C → D; D is impacted once, at depth 2; depth 1 stops at B and C', () => {
  const ws = workspace([
    { run: RUN(1), job: 'a', at: 0, ops: [C('a.csv')] },
    { run: RUN(2), job: 'b', at: 2, ops: [R('a.csv'), C('b.csv')] },
    { run: RUN(3), job: 'c', at: 4, ops: [R('a.csv'), C('c.csv')] },
    { run: RUN(4), job: 'd', at: 6, ops: [R('b.csv'), R('c.csv'), C('d.csv')] },
  ]);
  try {
    const all = ws.engine.impact({ run: RUN(1) });
    assert.deepEqual(all.runDetails.map((d) => [d.run, d.depth]), [[RUN(2), 1], [RUN(3), 1], [RUN(4), 2]]);
    assert.deepEqual(all.classes.INPUT, ['a.csv', 'b.csv', 'c.csv']);
    assert.deepEqual(all.classes.OUTPUT_ADDED, ['b.csv', 'c.csv', 'd.csv']);
    assert.deepEqual(all.counts, { ALL: 4, INPUT: 3, OUTPUT_MODIFIED: 0, OUTPUT_ADDED: 3, OUTPUT_REMOVED: 0, OUTPUT_TMP: 0 });
    assert.deepEqual(all.artifacts, ['a.csv', 'b.csv', 'c.csv', 'd.csv']);
    assert.deepEqual(all.byKind, { dataset: 4 });
    assert.equal(all.maxDepthReached, 2);
    const one = ws.engine.impact({ run: RUN(1), depth: 1 });
    assert.deepEqual(one.runs, [RUN(2), RUN(3)]);
    assert.deepEqual(one.classes.OUTPUT_ADDED, ['b.csv', 'c.csv']);
    assert.deepEqual(ws.engine.impact({ run: RUN(1), depth: 0 }).runs, []);
  } finally {
    ws.dispose();
  }
});

test('fan-out: every reader of the version is impacted; a leaf run impacts nothing', () => {
  const ws = workspace([
    { run: RUN(1), job: 'src', at: 0, ops: [C('x.parquet')] },
    ...[2, 3, 4].map((i) => ({ run: RUN(i), job: `use${i}`, at: i * 2, ops: [R('x.parquet'), C(`y${i}.parquet`)] })),
  ]);
  try {
    const imp = ws.engine.impact({ run: RUN(1) });
    assert.deepEqual(imp.runs, [RUN(2), RUN(3), RUN(4)]);
    assert.deepEqual(imp.classes.OUTPUT_ADDED, ['y2.parquet', 'y3.parquet', 'y4.parquet']);
    assert.deepEqual(ws.engine.impact({ run: RUN(3) }).runs, []);
  } finally {
    ws.dispose();
  }
});

test('a version overwritten by an unrelated run: later readers of the new version are not impacted', () => {
  const ws = workspace([
    { run: RUN(1), job: 'a', at: 0, ops: [C('f.csv')] },
    { run: RUN(2), job: 'b', at: 2, ops: [R('f.csv'), C('g.csv')] },
    { run: RUN(3), job: 'unrelated', at: 4, ops: [M('f.csv')] },
    { run: RUN(4), job: 'c', at: 6, ops: [R('f.csv'), C('h.csv')] },
  ]);
  try {
    const a = ws.engine.impact({ run: RUN(1) });
    assert.deepEqual(a.runs, [RUN(2)]);
    assert.deepEqual(a.classes.OUTPUT_ADDED, ['g.csv']);
    assert.deepEqual(ws.engine.impact({ run: RUN(3) }).runs, [RUN(4)]);
    // As of snapshot 2 (after B), A's impact is B alone, too; as an artifact: f.csv's current version is U's.
    assert.deepEqual(ws.engine.impact({ run: RUN(1), snapshot: 2 }).runs, [RUN(2)]);
    assert.throws(() => ws.engine.impact({ run: RUN(4), snapshot: 2 }), { code: 'NOT_FOUND', message: `Run ${RUN(4)} had not started by snapshot 2.` });
    const art = ws.engine.impact({ artifact: 'f.csv' });
    assert.equal(art.of, `f.csv@run:${RUN(3)}`);
    assert.deepEqual(art.runs, [RUN(4)]);
    assert.deepEqual(ws.engine.impact({ artifact: 'f.csv', snapshot: 2 }).runs, [RUN(2)]);
    assert.deepEqual(ws.engine.impact({ artifact: 'f.csv', version: `run:${RUN(1)}` }).runs, [RUN(2)]);
    assert.deepEqual(ws.engine.impactOf(`f.csv@run:${RUN(1)}`).runs, [RUN(2)]);
    assert.throws(() => ws.engine.impactOf('f.csv@sha256:nope'), { code: 'NOT_FOUND', message: 'f.csv has no version "sha256:nope".' });
  } finally {
    ws.dispose();
  }
});

test('read-modify-write stages form a cycle over one file and still terminate with the right runs', () => {
  const ws = workspace([
    { run: RUN(1), job: 'make', at: 0, ops: [C('f.csv')] },
    { run: RUN(2), job: 'rmw', at: 2, ops: [R('f.csv'), M('f.csv')] },
    { run: RUN(3), job: 'rmw', at: 4, ops: [R('f.csv'), M('f.csv')] },
    { run: RUN(4), job: 'use', at: 6, ops: [R('f.csv'), C('t.csv')] },
  ]);
  try {
    const imp = ws.engine.impact({ run: RUN(1) });
    assert.deepEqual(imp.runDetails.map((d) => [d.run, d.depth]), [[RUN(2), 1], [RUN(3), 2], [RUN(4), 3]]);
    assert.deepEqual(imp.classes.INPUT, ['f.csv']);
    assert.deepEqual(imp.classes.OUTPUT_MODIFIED, ['f.csv']);
    assert.deepEqual(imp.classes.OUTPUT_ADDED, ['t.csv']);
    // The middle run's impact: only what read its version, not the run before it.
    assert.deepEqual(ws.engine.impact({ run: RUN(2) }).runs, [RUN(3), RUN(4)]);
    assert.deepEqual(ws.engine.impact({ run: RUN(3) }).runs, [RUN(4)]);
  } finally {
    ws.dispose();
  }
});

test('a deleted input: the deleting reader is impacted; a run that recreated the file starts a new lineage', () => {
  const ws = workspace([
    { run: RUN(1), job: 'a', at: 0, ops: [C('f.csv'), C('tmp.bin'), D('tmp.bin')] },
    { run: RUN(2), job: 'consume', at: 2, ops: [R('f.csv'), D('f.csv')] },
    { run: RUN(3), job: 'recreate', at: 4, ops: [C('f.csv')] },
    { run: RUN(4), job: 'reader', at: 6, ops: [R('f.csv')] },
  ]);
  try {
    const imp = ws.engine.impact({ run: RUN(1) });
    assert.deepEqual(imp.runs, [RUN(2)]);
    assert.deepEqual(imp.classes.INPUT, ['f.csv']);
    assert.deepEqual(imp.classes.OUTPUT_REMOVED, ['f.csv']);
    assert.deepEqual(ws.engine.impact({ run: RUN(3) }).runs, [RUN(4)]);
    const fp = ws.engine.footprint(RUN(1));
    assert.deepEqual(fp.classes.OUTPUT_TMP, ['tmp.bin']);
  } finally {
    ws.dispose();
  }
});

test('impactOf takes a run prefix or an artifact, and says which when neither matches', () => {
  const ws = workspace([
    { run: RUN(1), job: 'a', at: 0, ops: [C('data/f.csv')] },
    { run: RUN(2), job: 'b', at: 2, ops: [R('data/f.csv')] },
  ]);
  try {
    assert.deepEqual(ws.engine.impactOf(RUN(1)).runs, [RUN(2)]);
    assert.deepEqual(ws.engine.impactOf('data/f.csv').runs, [RUN(2)]);
    assert.deepEqual(ws.engine.impactOf('file/data/f.csv').runs, [RUN(2)]);
    assert.deepEqual(ws.engine.impactOf(`${ws.paths.root}/data/f.csv`).runs, [RUN(2)]);
    assert.throws(() => ws.engine.impactOf('nope.csv'), { code: 'NOT_FOUND', message: /^No run or artifact matches "nope.csv"/ });
  } finally {
    ws.dispose();
  }
});

test('the precomputed per-access fast path of impact equals the exact per-run footprint path (generated workspaces)', () => {
  for (const shape of ['pipelines', 'mesh'] as const) {
    const db = openDb(':memory:');
    try {
      synthLineage(db, { runs: 400, shape });
      const engine = LineageEngine.open(db);
      const norm = (r: ReturnType<typeof engine.impactRaw>) => ({
        runs: r.runs.map((x, i) => `${x}@${r.depths[i]}`).sort(),
        files: r.files.map((f) => `${f}:${r.fileBits[f]}`).sort(),
        arts: r.arts.map((a) => `${a}:${r.artBits[a]}`).sort(),
      });
      const fast = Array.from({ length: 400 }, (_, i) => norm(engine.impactRaw({ run: i + 1 })));
      assert.ok(fast.some((f) => f.runs.length > 5), `${shape}: some impacts reach several runs`);
      engine.index.runSlow.data.fill(1);
      for (let i = 0; i < 400; i++) assert.deepEqual(norm(engine.impactRaw({ run: i + 1 })), fast[i], `${shape} run ${i + 1}`);
    } finally {
      db.close();
    }
  }
});

test('upstream over a diamond: the common ancestor once, at its shortest depth; a source file (no producer) ends the walk', () => {
  const ws = workspace([
    { run: RUN(1), job: 'a', at: 0, ops: [R('seed.csv'), C('a.csv')] },
    { run: RUN(2), job: 'b', at: 2, ops: [R('a.csv'), C('b.csv')] },
    { run: RUN(3), job: 'c', at: 4, ops: [R('a.csv'), C('c.csv')] },
    { run: RUN(4), job: 'd', at: 6, ops: [R('b.csv'), R('c.csv'), C('d.csv')] },
  ]);
  try {
    const up = ws.engine.impact({ run: RUN(4), direction: 'upstream' });
    assert.deepEqual(up.runDetails.map((d) => [d.run, d.depth]), [[RUN(2), 1], [RUN(3), 1], [RUN(1), 2]]);
    assert.equal(up.maxDepthReached, 2);
    assert.deepEqual(up.classes.INPUT, ['a.csv', 'seed.csv']);
    assert.deepEqual(up.classes.OUTPUT_ADDED, ['a.csv', 'b.csv', 'c.csv']);
    assert.deepEqual(ws.engine.impact({ run: RUN(1), direction: 'upstream' }).runs, [], 'seed.csv was there before any run');
    assert.deepEqual(ws.engine.impact({ artifact: 'seed.csv', direction: 'upstream' }).runs, []);
    assert.deepEqual(ws.engine.impact({ artifact: 'd.csv', direction: 'upstream', depth: 2 }).runDetails.map((d) => [d.run, d.depth]), [[RUN(4), 1], [RUN(2), 2], [RUN(3), 2]]);
  } finally {
    ws.dispose();
  }
});
