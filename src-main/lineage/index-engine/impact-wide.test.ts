// Impact, upstream and footprints on a generated workspace with more than 2048 runs and 4096
// artifacts: past twice the size the engine's reusable scratch arrays (visited stamps, class
// unions, per-run footprint) start with, so they must grow to the ids in use, not just double. The workspace is built so the
// answers follow from its construction:
//   run 1 (make) creates f0001…f2100 (artifact ids 1…2100);
//   run k+1 (use k, k = 1…2100) reads fk and creates gk;
//   run 2102 (join) reads g2099 and g2100, creates tmp.bin and renames it to out.bin.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RUN, type StageSpec, lineageWorkspace, stageLines } from '../lineage-workspace.test-support';

const N = 2100;
const pad = (k: number) => String(k).padStart(4, '0');
const f = (k: number) => `f${pad(k)}.csv`;
const g = (k: number) => `g${pad(k)}.csv`;
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

const STAGES: StageSpec[] = [
  { run: RUN(1), job: 'make', at: 0, ops: range(N).map((k) => ({ path: f(k), op: 'CREATE' as const })) },
  ...range(N).map((k): StageSpec => ({ run: RUN(k + 1), job: `use${pad(k)}`, at: 2, ops: [{ path: f(k), op: 'READ' }, { path: g(k), op: 'CREATE' }] })),
  { run: RUN(N + 2), job: 'join', at: 4, ops: [
    { path: g(N - 1), op: 'READ' }, { path: g(N), op: 'READ' },
    { path: 'tmp.bin', op: 'CREATE' }, { path: 'out.bin', op: 'RENAME', renamedFrom: 'tmp.bin' },
  ] },
];

test('a workspace of 2102 runs and 4202 artifacts: impact, upstream and footprints past the scratch arrays\' first size', () => {
  const ws = lineageWorkspace(STAGES.flatMap(stageLines));
  try {
    // Downstream of make: every user at depth 1, join once at depth 2 (it read two of their outputs).
    const imp = ws.engine.impact({ run: RUN(1) });
    assert.equal(imp.runs.length, N + 1);
    assert.deepEqual(imp.runDetails.slice(0, 2).map((d) => [d.run, d.depth]), [[RUN(2), 1], [RUN(3), 1]]);
    assert.deepEqual(imp.runDetails.at(-1), { run: RUN(N + 2), job: 'ns/join', depth: 2, state: 'COMPLETE' });
    assert.equal(imp.runDetails.filter((d) => d.depth === 1).length, N);
    assert.equal(new Set(imp.runs).size, imp.runs.length, 'no run twice');
    assert.equal(imp.maxDepthReached, 2);
    assert.deepEqual(imp.counts, { ALL: 2 * N + 2, INPUT: N + 2, OUTPUT_MODIFIED: 0, OUTPUT_ADDED: N + 1, OUTPUT_REMOVED: 0, OUTPUT_TMP: 1 });
    assert.deepEqual(imp.classes.INPUT, [...range(N).map(f), g(N - 1), g(N)]);
    assert.deepEqual(imp.classes.OUTPUT_ADDED, [...range(N).map(g), 'out.bin']);
    assert.deepEqual(imp.classes.OUTPUT_TMP, ['tmp.bin']);
    assert.deepEqual(imp.artifactCounts, imp.counts);
    assert.deepEqual(imp.byKind, { dataset: 2 * N, file: 2 });

    // From the last user (ids past 2048): join alone, its footprint taken the exact way (a rename).
    const last = ws.engine.impact({ run: RUN(N + 1) });
    assert.deepEqual(last.runDetails.map((d) => [d.run, d.depth]), [[RUN(N + 2), 1]]);
    assert.deepEqual(last.classes, { INPUT: [g(N - 1), g(N)], OUTPUT_MODIFIED: [], OUTPUT_ADDED: ['out.bin'], OUTPUT_REMOVED: [], OUTPUT_TMP: ['tmp.bin'] });
    // From a version with an artifact id past 2048.
    assert.deepEqual(ws.engine.impact({ artifact: g(N) }).runs, [RUN(N + 2)]);
    assert.deepEqual(ws.engine.impact({ artifact: f(N) }).runs, [RUN(N + 1), RUN(N + 2)]);

    // Upstream of join: the two users that wrote what it read, then make once.
    const up = ws.engine.impact({ run: RUN(N + 2), direction: 'upstream' });
    assert.deepEqual(up.runDetails.map((d) => [d.run, d.depth]), [[RUN(N), 1], [RUN(N + 1), 1], [RUN(1), 2]]);
    assert.equal(up.counts.OUTPUT_ADDED, N + 2, 'make\'s f0001…f2100 and the two users\' outputs');
    assert.deepEqual(up.classes.INPUT, [f(N - 1), f(N)]);

    // Footprints with artifact ids past 2048, twice (the scratch is reset between queries).
    for (let i = 0; i < 2; i++) {
      const fp = ws.engine.footprint(RUN(1));
      assert.equal(fp.counts.OUTPUT_ADDED, N);
      assert.equal(fp.counts.ALL, N);
      assert.deepEqual(fp.entries.at(-1)?.artifact, f(N));
      const join = ws.engine.footprint(RUN(N + 2));
      assert.deepEqual(join.classes, { INPUT: [g(N - 1), g(N)], OUTPUT_MODIFIED: [], OUTPUT_ADDED: ['out.bin'], OUTPUT_REMOVED: [], OUTPUT_TMP: ['tmp.bin'] });
    }
  } finally {
    ws.dispose();
  }
});
