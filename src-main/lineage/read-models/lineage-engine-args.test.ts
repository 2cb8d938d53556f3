// The engine's argument rules and orderings on small workspaces ingested from OpenLineage lines:
// which of run and artifact an argument names, version labels and prefixes, a run that began
// with its ending, result order whatever the order found, the tree form, and saving and
// rebuilding the index. Expected values are worked out from the stages each test writes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { LineageEngine } from './lineage-engine';
import { RUN, type StageSpec, lineageWorkspace, stageLines } from '../lineage-workspace.test-support';

const C = (p: string) => ({ path: p, op: 'CREATE' as const });
const R = (p: string) => ({ path: p, op: 'READ' as const });
const workspace = (stages: StageSpec[], opts: { indexFile?: boolean } = {}) => lineageWorkspace(stages.flatMap(stageLines), opts);

test('impactOf: an exact run id is the run even when a file bears that name; a missing artifact with or without @ is "no run or artifact"', () => {
  const ws = workspace([
    { run: RUN(1), job: 'make', at: 0, ops: [C('f.csv')] },
    // A file named like run 1's id, written by run 2 and read by run 3.
    { run: RUN(2), job: 'odd', at: 2, ops: [C(RUN(1))] },
    { run: RUN(3), job: 'use', at: 4, ops: [R(RUN(1)), R('f.csv')] },
  ]);
  try {
    for (const arg of [RUN(1), ` ${RUN(1)}  `]) {
      const imp = ws.engine.impactOf(arg);
      assert.deepEqual([imp.of, imp.runs], [RUN(1), [RUN(3)]], `"${arg}" is the run`);
    }
    assert.equal(ws.engine.impact({ artifact: RUN(1) }).of, `${RUN(1)}@run:${RUN(2)}`, 'asked as an artifact, it is the file');
    // "f.csvx" is no artifact; without an @ it is not read as "f.csv" at version "f.csvx".
    assert.throws(() => ws.engine.impactOf('f.csvx'), { code: 'NOT_FOUND', message: /^No run or artifact matches "f\.csvx"/ });
    // ARTIFACT@VERSION whose artifact does not exist falls through to the run lookup.
    assert.throws(() => ws.engine.impactOf('nope.csv@v1'), { code: 'NOT_FOUND', message: /^No run or artifact matches "nope\.csv@v1"/ });
  } finally {
    ws.dispose();
  }
});

test('a version is named by its label or a unique prefix; a label that is also a prefix of another is that version', () => {
  const short = 'sha256:aa11', long = 'sha256:aa1122';
  const ws = workspace([
    { run: RUN(1), job: 'make', at: 0, ops: [{ path: 'f.csv', op: 'CREATE', hashAfter: short }] },
    { run: RUN(2), job: 'early', at: 2, ops: [R('f.csv')] },
    { run: RUN(3), job: 'edit', at: 4, ops: [{ path: 'f.csv', op: 'MODIFY', hashAfter: long }] },
    { run: RUN(4), job: 'late', at: 6, ops: [R('f.csv')] },
  ]);
  try {
    const exact = ws.engine.impact({ artifact: 'f.csv', version: short });
    assert.deepEqual([exact.of, exact.runs], [`f.csv@${short}`, [RUN(2)]]);
    const prefix = ws.engine.impact({ artifact: 'f.csv', version: 'sha256:aa112' });
    assert.deepEqual([prefix.of, prefix.runs], [`f.csv@${long}`, [RUN(4)]]);
    assert.throws(() => ws.engine.impact({ artifact: 'f.csv', version: 'sha256:aa' }), { code: 'INVALID_ARGUMENT', message: `Version "sha256:aa" of f.csv is ambiguous: ${short}, ${long}.` });
  } finally {
    ws.dispose();
  }
});

test('a run whose first event is its ending had started by the snapshot of that ending', () => {
  const ws = lineageWorkspace([
    ...stageLines({ run: RUN(1), job: 'make', at: 0, ops: [C('a.csv')] }),
    // No START: the COMPLETE is the run's first event (accepted, with a warning).
    ...stageLines({ run: RUN(2), job: 'late', at: 2, ops: [R('a.csv'), C('b.csv')] }).slice(1),
  ]);
  try {
    const fp = ws.engine.footprint(RUN(2), { snapshot: 2 });
    assert.deepEqual([fp.state, fp.classes.INPUT, fp.classes.OUTPUT_ADDED], ['COMPLETE', ['a.csv'], ['b.csv']]);
    assert.deepEqual(ws.engine.impact({ run: RUN(1), snapshot: 2 }).runs, [RUN(2)]);
    assert.throws(() => ws.engine.footprint(RUN(2), { snapshot: 1 }), { code: 'NOT_FOUND', message: `Run ${RUN(2)} had not started by snapshot 1.` });
  } finally {
    ws.dispose();
  }
});

test('impact and footprints list runs by depth then id and artifacts by name, found in the reverse order', () => {
  const names = ['e.csv', 'c.csv', 'a.csv', 'd.csv', 'b.csv'];
  const readers = [9, 7, 8, 5, 6];
  const ws = workspace([
    { run: RUN(1), job: 'make', at: 0, ops: names.map(C) },
    ...names.map((n, i): StageSpec => ({ run: RUN(readers[i]!), job: `use${i}`, at: 2 + i, ops: [R(n), C(`out${readers[i]}.csv`)] })),
  ]);
  try {
    const imp = ws.engine.impact({ run: RUN(1) });
    assert.deepEqual(imp.runs, [5, 6, 7, 8, 9].map(RUN));
    assert.deepEqual(imp.runDetails.map((d) => d.run), [5, 6, 7, 8, 9].map(RUN));
    assert.deepEqual(imp.artifacts, ['a.csv', 'b.csv', 'c.csv', 'd.csv', 'e.csv', 'out5.csv', 'out6.csv', 'out7.csv', 'out8.csv', 'out9.csv']);
    assert.deepEqual(imp.entries.map((e) => e.artifact), imp.artifacts);
    assert.deepEqual(ws.engine.footprint(RUN(1)).entries.map((e) => e.artifact), ['a.csv', 'b.csv', 'c.csv', 'd.csv', 'e.csv']);
  } finally {
    ws.dispose();
  }
});

test('the tree form of a footprint: nested folders, merged into one path when asked for the compact form', () => {
  const ws = workspace([{ run: RUN(1), job: 'train', at: 0, ops: [R('data/in.csv'), C('models/v1/deep/m.pt')] }]);
  try {
    const full = ws.engine.footprintTree(RUN(1));
    assert.deepEqual(full.children.map((c) => c.name), ['data', 'models']);
    assert.deepEqual(full.children[1]!.children.map((c) => c.name), ['v1']);
    assert.deepEqual(full.counts, { ALL: 2, INPUT: 1, OUTPUT_MODIFIED: 0, OUTPUT_ADDED: 1, OUTPUT_REMOVED: 0, OUTPUT_TMP: 0 });
    const compact = ws.engine.footprintTree(RUN(1), { compact: true });
    assert.deepEqual(compact.children.map((c) => c.name), ['data', 'models/v1/deep']);
    assert.deepEqual(ws.engine.footprintTree(RUN(1), { compact: false }), full);
  } finally {
    ws.dispose();
  }
});

test('a loaded index with nothing new is clean; a failed save leaves no temporary file', () => {
  const ws = workspace([{ run: RUN(1), job: 'make', at: 0, ops: [C('a.csv')] }], { indexFile: true });
  try {
    assert.ok(ws.engine.save());
    const file = path.join(ws.paths.dotDir, 'lineage-index.bin');
    const again = LineageEngine.open(ws.db, { indexFile: file });
    assert.deepEqual([again.coldStart, again.dirty], ['loaded', false]);
    // The index path is a folder with a file in it: the temporary file is written, the rename fails.
    const folder = path.join(ws.paths.dotDir, 'taken');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'keep'), '');
    const stuck = LineageEngine.open(ws.db, { indexFile: folder });
    assert.equal(stuck.save(), false);
    assert.deepEqual(fs.readdirSync(ws.paths.dotDir).filter((n) => n.endsWith('.tmp')), []);
  } finally {
    ws.dispose();
  }
});

test('a DB rebuilt under a live engine from another history: names are read again, not taken from before', () => {
  const ws = workspace([
    { run: RUN(1), job: 'make', at: 0, ops: [C('a.csv')] },
    { run: RUN(2), job: 'use', at: 2, ops: [R('a.csv')] },
  ]);
  try {
    assert.deepEqual(ws.engine.footprint(RUN(1)).classes.OUTPUT_ADDED, ['a.csv']);
    assert.deepEqual(ws.engine.impact({ run: RUN(1) }).artifacts, ['a.csv']);
    ws.db.exec('DELETE FROM prov_search; DELETE FROM run_endings; DELETE FROM accesses; DELETE FROM events; DELETE FROM artifact_versions; DELETE FROM artifacts; DELETE FROM runs; DELETE FROM jobs; DELETE FROM prov_sources');
    // The new history's first artifact (id 1 again) is z.csv.
    fs.writeFileSync(path.join(ws.paths.logsDir, 'events.jsonl'), stageLines({ run: RUN(7), job: 'other', at: 0, ops: [C('z.csv')] }).map((l) => l + '\n').join(''));
    ws.append([]);
    const fp = ws.engine.footprint(RUN(7));
    assert.deepEqual([fp.job, fp.classes.OUTPUT_ADDED], ['ns/other', ['z.csv']]);
    assert.deepEqual(ws.engine.listSnapshots().map((s) => s.label), ['other #1']);
  } finally {
    ws.dispose();
  }
});
