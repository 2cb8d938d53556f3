import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { classNames, classesFrom, classesOfSets, fileSets, footprintTree, opNames } from './footprint';
import { LINEAGE_FIXTURES, RUN, lineageWorkspace, stageLines } from '../lineage-workspace.test-support';

test('the Hopsworks footprint fixture: ALL 6, INPUT 1, OUTPUT_ADDED 2, OUTPUT_TMP 1', () => {
  const ws = lineageWorkspace([], { extraPaths: [path.join(LINEAGE_FIXTURES, 'hopsworks-footprint.jsonl')] });
  try {
    const fp = ws.engine.footprint('application_1767_0042');
    const r = (f: string) => `/Projects/demo/Resources/${f}`;
    assert.deepEqual(fp.counts, { ALL: 6, INPUT: 1, OUTPUT_MODIFIED: 1, OUTPUT_ADDED: 2, OUTPUT_REMOVED: 1, OUTPUT_TMP: 1 });
    assert.deepEqual(fp.classes, {
      INPUT: [r('f6')], OUTPUT_MODIFIED: [r('f3')], OUTPUT_ADDED: [r('f1'), r('f2')], OUTPUT_REMOVED: [r('f5')], OUTPUT_TMP: [r('f4')],
    });
    assert.equal(fp.job, 'hopsworks/footprint_fixture');
    assert.equal(fp.state, 'COMPLETE');
    const f1 = fp.entries.find((e) => e.artifact === r('f1'))!;
    assert.deepEqual([f1.ops, f1.classes], [['CREATE', 'MODIFY'], ['OUTPUT_ADDED']]);
  } finally {
    ws.dispose();
  }
});

test('a create or delete of a file inside an artifact folder is a modification of the artifact; metadata ops are outside', () => {
  const ws = lineageWorkspace([], { extraPaths: [path.join(LINEAGE_FIXTURES, 'hopsworks-footprint.jsonl')] });
  try {
    const fp = ws.engine.footprint('application_1767_0043');
    // Per file: model.pkl created, old.pkl deleted, the part file read; f7 only had METADATA.
    assert.deepEqual(fp.classes.OUTPUT_ADDED, ['/Projects/demo/Models/mnist/1/model.pkl']);
    assert.deepEqual(fp.classes.OUTPUT_REMOVED, ['/Projects/demo/Models/mnist/1/old.pkl']);
    assert.equal(fp.counts.ALL, 3);
    assert.deepEqual(fp.entries.find((e) => e.artifact.endsWith('f7'))?.classes, []);
    // Rolled up: the model folder is modified (not added, not removed), the training dataset is an input.
    assert.deepEqual(fp.artifacts, {
      INPUT: ['/Projects/demo/demo_Training_Datasets/mnist_td_1'], OUTPUT_MODIFIED: ['/Projects/demo/Models/mnist/1'],
      OUTPUT_ADDED: [], OUTPUT_REMOVED: [], OUTPUT_TMP: [],
    });
    assert.equal(fp.artifactCounts.ALL, 2);
  } finally {
    ws.dispose();
  }
});

test('read + modify is both INPUT and OUTPUT_MODIFIED; a rename creates the target and removes the source', () => {
  const ws = lineageWorkspace([
    ...stageLines({ run: RUN(1), job: 'make', at: 0, ops: [{ path: 'data/a.csv', op: 'CREATE' }, { path: 'tmp/x.bin', op: 'CREATE' }] }),
    ...stageLines({ run: RUN(2), job: 'edit', at: 5, ops: [
      { path: 'data/a.csv', op: 'READ' }, { path: 'data/a.csv', op: 'MODIFY' },
      { path: 'out/final.bin', op: 'RENAME', renamedFrom: 'tmp/x.bin', hashAfter: 'sha256:' + 'b'.repeat(64) },
    ] }),
  ]);
  try {
    const fp = ws.engine.footprint(RUN(2));
    assert.deepEqual(fp.classes.INPUT, ['data/a.csv']);
    assert.deepEqual(fp.classes.OUTPUT_MODIFIED, ['data/a.csv']);
    assert.deepEqual(fp.classes.OUTPUT_ADDED, ['out/final.bin']);
    assert.deepEqual(fp.classes.OUTPUT_REMOVED, ['tmp/x.bin']);
    assert.equal(fp.counts.ALL, 3);
    assert.equal(fp.entries.find((e) => e.artifact === 'out/final.bin')?.version, 'sha256:bbbbbbbb');
  } finally {
    ws.dispose();
  }
});

test('the set algebra follows the first-match order of ALL and allows several classes', () => {
  const A = 1, C = 2, M = 4, D = 8;
  assert.deepEqual(classNames(classesOfSets(A)), ['INPUT']);
  assert.deepEqual(classNames(classesOfSets(A | M)), ['INPUT', 'OUTPUT_MODIFIED']);
  assert.deepEqual(classNames(classesOfSets(C | M)), ['OUTPUT_ADDED']);
  assert.deepEqual(classNames(classesOfSets(C | D | A)), ['OUTPUT_TMP']);
  assert.deepEqual(classNames(classesOfSets(M | D)), ['OUTPUT_REMOVED']);
  assert.deepEqual(classNames(classesOfSets(fileSets(1 << 6))), []); // OTHER only
});

test('the tree form nests folders, counts classes per folder, and compacts single-child chains', () => {
  const entries = [
    { artifact: 'data/raw/a.csv', classes: ['INPUT' as const] },
    { artifact: 'data/raw/b.csv', classes: ['INPUT' as const, 'OUTPUT_MODIFIED' as const] },
    { artifact: 'models/v1/deep/m.pt', classes: ['OUTPUT_ADDED' as const] },
  ];
  const full = footprintTree(entries);
  assert.deepEqual(full.children.map((c) => c.name), ['data', 'models']);
  assert.deepEqual(full.counts, { ALL: 3, INPUT: 2, OUTPUT_MODIFIED: 1, OUTPUT_ADDED: 1, OUTPUT_REMOVED: 0, OUTPUT_TMP: 0 });
  const raw = full.children[0]!.children[0]!;
  assert.deepEqual([raw.path, raw.children.map((c) => c.path)], ['data/raw', ['data/raw/a.csv', 'data/raw/b.csv']]);
  assert.deepEqual(raw.children[1]!.classes, ['INPUT', 'OUTPUT_MODIFIED']);
  const min = footprintTree(entries, true);
  const models = min.children[1]!;
  assert.equal(models.name, 'models/v1/deep');
  assert.deepEqual(models.children.map((c) => c.path), ['models/v1/deep/m.pt']);
});

test('an ambiguous or unknown run prefix is refused with one sentence naming it', () => {
  const ws = lineageWorkspace([
    ...stageLines({ run: RUN(1), job: 'a', at: 0, ops: [] }),
    ...stageLines({ run: RUN(2), job: 'b', at: 1, ops: [] }),
  ]);
  try {
    assert.throws(() => ws.engine.footprint('00000000-0000'), /^AppError: Run prefix "00000000-0000" is ambiguous: it matches 00000000-0000-4000-8000-000000000001, 00000000-0000-4000-8000-000000000002; give more characters\.$/);
    assert.throws(() => ws.engine.footprint('3f2a'), { code: 'NOT_FOUND', message: 'No run matches "3f2a"; runs look like 00000000-0000-4000-8000-000000000002.' });
  } finally {
    ws.dispose();
  }
});

test('renames survive a saved and reloaded index (sparse rename columns), and reads append after a reload', async () => {
  const { LineageEngine } = await import('../read-models/lineage-engine');
  const lines = [
    ...stageLines({ run: RUN(1), job: 'make', at: 0, ops: [{ path: 'tmp/x.bin', op: 'CREATE' }] }),
    ...stageLines({ run: RUN(2), job: 'mv', at: 2, ops: [{ path: 'out/x.bin', op: 'RENAME', renamedFrom: 'tmp/x.bin' }] }),
  ];
  const ws = lineageWorkspace(lines, { indexFile: true });
  const indexFile = path.join(ws.paths.dotDir, 'lineage-index.bin');
  try {
    assert.ok(ws.engine.save());
    const reopened = LineageEngine.open(ws.db, { indexFile });
    assert.equal(reopened.coldStart, 'loaded');
    assert.deepEqual(reopened.footprint(RUN(2)), ws.engine.footprint(RUN(2)));
    assert.deepEqual(reopened.graphAt(undefined), ws.engine.graphAt(undefined));
    assert.ok(!reopened.graphAt(undefined).nodes.some((n) => n.label === 'tmp/x.bin'), 'the rename source is gone');
    ws.append(stageLines({ run: RUN(3), job: 'use', at: 4, ops: [{ path: 'out/x.bin', op: 'READ' }] }));
    assert.deepEqual(reopened.impact({ run: RUN(2) }).runs, [RUN(3)]);
    assert.deepEqual(reopened.impact({ run: RUN(2) }), ws.engine.impact({ run: RUN(2) }));
  } finally {
    ws.dispose();
  }
});

test('the tree form of absolute paths: folders sorted by name with absolute paths, a folder kept above a single file, the root never merged', () => {
  const entries = [
    { artifact: '/P/data/z.csv', classes: ['INPUT' as const] },
    { artifact: '/P/models/m1/model.pkl', classes: ['OUTPUT_ADDED' as const] },
    { artifact: '/P/empty.txt', classes: [] },
    { artifact: '/P/logs/run.log', classes: ['OUTPUT_TMP' as const] },
    { artifact: '/P/data/a.csv', classes: ['OUTPUT_ADDED' as const] },
  ];
  const shape = (n: ReturnType<typeof footprintTree>): unknown => [n.name, n.path, n.counts.ALL, ...(n.classes ? [n.classes] : []), n.children.map(shape)];
  assert.deepEqual(shape(footprintTree(entries)), ['', '', 4, [
    ['P', '/P', 4, [
      ['data', '/P/data', 2, [['a.csv', '/P/data/a.csv', 1, ['OUTPUT_ADDED'], []], ['z.csv', '/P/data/z.csv', 1, ['INPUT'], []]]],
      ['logs', '/P/logs', 1, [['run.log', '/P/logs/run.log', 1, ['OUTPUT_TMP'], []]]],
      ['models', '/P/models', 1, [['m1', '/P/models/m1', 1, [['model.pkl', '/P/models/m1/model.pkl', 1, ['OUTPUT_ADDED'], []]]]]],
    ]],
  ]]);
  // Compact: models/m1 merge (m1 is a folder); logs stays above its one file; P has three children.
  assert.deepEqual(shape(footprintTree(entries, true)), ['', '', 4, [
    ['P', '/P', 4, [
      ['data', '/P/data', 2, [['a.csv', '/P/data/a.csv', 1, ['OUTPUT_ADDED'], []], ['z.csv', '/P/data/z.csv', 1, ['INPUT'], []]]],
      ['logs', '/P/logs', 1, [['run.log', '/P/logs/run.log', 1, ['OUTPUT_TMP'], []]]],
      ['models/m1', '/P/models/m1', 1, [['model.pkl', '/P/models/m1/model.pkl', 1, ['OUTPUT_ADDED'], []]]],
    ]],
  ]]);
  const counts = footprintTree(entries).counts;
  assert.deepEqual(counts, { ALL: 4, INPUT: 1, OUTPUT_MODIFIED: 0, OUTPUT_ADDED: 2, OUTPUT_REMOVED: 0, OUTPUT_TMP: 1 });
  // A single folder chain under the root: the root keeps its empty name.
  const one = footprintTree([{ artifact: '/only/dir/f.csv', classes: ['INPUT'] }], true);
  assert.deepEqual([one.name, one.children.map((c) => c.name)], ['', ['only/dir']]);
});

test('op and class names from bits: every op but the rename source, classes in their fixed order', () => {
  assert.deepEqual(opNames(0b1111110), ['READ', 'CREATE', 'MODIFY', 'DELETE', 'RENAME', 'OTHER']);
  assert.deepEqual(opNames(1), []);
  assert.deepEqual(classNames(31), ['INPUT', 'OUTPUT_MODIFIED', 'OUTPUT_ADDED', 'OUTPUT_REMOVED', 'OUTPUT_TMP']);
  assert.deepEqual(classNames(32), [], 'the PRODUCES bit is no class');
  const { classes, counts } = classesFrom([['b', 1], ['a', 1 | 4], ['z', 0]]);
  assert.deepEqual(classes.INPUT, ['a', 'b']);
  assert.deepEqual(counts, { ALL: 2, INPUT: 2, OUTPUT_MODIFIED: 0, OUTPUT_ADDED: 1, OUTPUT_REMOVED: 0, OUTPUT_TMP: 0 });
});
