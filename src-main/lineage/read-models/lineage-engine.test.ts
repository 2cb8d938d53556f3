// The lineage engine's own rules, on small workspaces ingested from OpenLineage lines: argument
// checks, which version an artifact stands for, run states as of a snapshot, catching up with
// new ingest batches, and saving the index for the next cold start. Expected values are worked
// out from the stages each test writes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { LineageEngine } from './lineage-engine';
import { RUN, type StageSpec, lineageWorkspace, stageLines } from '../lineage-workspace.test-support';

const C = (p: string) => ({ path: p, op: 'CREATE' as const });
const R = (p: string) => ({ path: p, op: 'READ' as const });
const M = (p: string) => ({ path: p, op: 'MODIFY' as const });
const D = (p: string) => ({ path: p, op: 'DELETE' as const });
const workspace = (stages: StageSpec[], opts: { indexFile?: boolean } = {}) => lineageWorkspace(stages.flatMap(stageLines), opts);

test('impact refuses a depth that is not a whole number ≥ 0, and a request with nothing to start from', () => {
  const ws = workspace([{ run: RUN(1), job: 'a', at: 0, ops: [C('f.csv')] }]);
  try {
    for (const depth of [-1, 1.5]) {
      assert.throws(() => ws.engine.impact({ run: RUN(1), depth }), { code: 'INVALID_ARGUMENT', message: `Depth ${depth} is not a whole number ≥ 0.` });
    }
    assert.throws(() => ws.engine.impact({}), { code: 'INVALID_ARGUMENT', message: 'Impact needs a run or an artifact to start from.' });
    const none = ws.engine.impact({ run: RUN(1), depth: 0 });
    assert.deepEqual([none.runs, none.depth, none.maxDepthReached, none.direction, none.snapshot], [[], 0, 0, 'downstream', null]);
  } finally {
    ws.dispose();
  }
});

test('an artifact stands for its current version; a deleted one has none, and a version prefix must be unique', () => {
  const ws = workspace([
    { run: RUN(1), job: 'make', at: 0, ops: [C('f.csv'), C('gone.csv')] },
    { run: RUN(2), job: 'edit', at: 2, ops: [R('f.csv'), M('f.csv'), D('gone.csv')] },
    { run: RUN(3), job: 'use', at: 4, ops: [R('f.csv')] },
  ]);
  try {
    // Snapshots are the run endings: 1 after make, 2 after edit, 3 after use.
    assert.equal(ws.engine.impact({ artifact: 'f.csv' }).of, `f.csv@run:${RUN(2)}`);
    assert.deepEqual(ws.engine.impact({ artifact: 'f.csv' }).runs, [RUN(3)]);
    assert.equal(ws.engine.impact({ artifact: 'f.csv', snapshot: 1 }).of, `f.csv@run:${RUN(1)}`);
    const gone1 = ws.engine.impact({ artifact: 'gone.csv', snapshot: 1 });
    assert.deepEqual([gone1.of, gone1.runs], [`gone.csv@run:${RUN(1)}`, []], 'edit deleted it without reading it: no consumer');
    assert.throws(() => ws.engine.impact({ artifact: 'gone.csv' }), { code: 'NOT_FOUND', message: 'gone.csv has no current version.' });
    assert.throws(() => ws.engine.impact({ artifact: 'gone.csv', snapshot: 2 }), { code: 'NOT_FOUND', message: 'gone.csv has no current version at snapshot 2.' });
    // Both versions of f.csv start with "run:0000…": a prefix names one only when it is unique.
    assert.throws(() => ws.engine.impact({ artifact: 'f.csv', version: 'run:0000' }), {
      code: 'INVALID_ARGUMENT', message: `Version "run:0000" of f.csv is ambiguous: run:${RUN(1)}, run:${RUN(2)}.`,
    });
    assert.equal(ws.engine.impact({ artifact: 'f.csv', version: `run:${RUN(2)}` }).of, `f.csv@run:${RUN(2)}`);
    // "%" and "_" in a version are literal characters, not SQL wildcards.
    assert.throws(() => ws.engine.impact({ artifact: 'f.csv', version: 'run:%' }), { code: 'NOT_FOUND', message: 'f.csv has no version "run:%".' });
    assert.throws(() => ws.engine.impact({ artifact: 'f.csv', version: 'run_' }), { code: 'NOT_FOUND', message: 'f.csv has no version "run_".' });
  } finally {
    ws.dispose();
  }
});

test('impact as of a snapshot: a run that had not ended by then is RUNNING; upstream walks the other way', () => {
  const ws = workspace([
    { run: RUN(1), job: 'make', at: 0, ops: [C('a.csv')] },
    { run: RUN(2), job: 'train', at: 2, ops: [R('a.csv'), C('b.csv')] },
    { run: RUN(3), job: 'report', at: 4, ops: [R('b.csv'), C('c.csv')], state: 'FAIL' },
  ]);
  try {
    const now = ws.engine.impact({ run: RUN(1) });
    assert.deepEqual(now.runDetails, [
      { run: RUN(2), job: 'ns/train', depth: 1, state: 'COMPLETE' },
      { run: RUN(3), job: 'ns/report', depth: 2, state: 'FAIL' },
    ]);
    const up = ws.engine.impact({ artifact: 'c.csv', direction: 'upstream' });
    assert.equal(up.direction, 'upstream');
    assert.deepEqual(up.runDetails.map((d) => [d.run, d.depth]), [[RUN(3), 1], [RUN(2), 2], [RUN(1), 3]]);
    assert.deepEqual(ws.engine.impact({ run: RUN(3), direction: 'upstream', depth: 1 }).runs, [RUN(2)]);
    assert.equal(ws.engine.runStateAt(ws.engine.catalog.resolveRun(RUN(3)), undefined), 'FAIL');
    const snaps = ws.engine.listSnapshots();
    assert.equal(snaps.length, 3);
    assert.equal(ws.engine.runStateAt(ws.engine.catalog.resolveRun(RUN(2)), 1), 'RUNNING', 'train had started, not ended, by snapshot 1');
    assert.equal(ws.engine.runStateAt(ws.engine.catalog.resolveRun(RUN(2)), 2), 'COMPLETE');
    assert.equal(ws.engine.footprint(RUN(2), { snapshot: 2 }).state, 'COMPLETE');
    assert.equal(ws.engine.footprint(RUN(2), { snapshot: 2 }).snapshot, 2);
    assert.equal(ws.engine.footprint(RUN(2)).snapshot, null);
  } finally {
    ws.dispose();
  }
});

test('the engine catches up with new ingest batches on its next query and marks itself dirty', () => {
  const ws = workspace([{ run: RUN(1), job: 'make', at: 0, ops: [C('a.csv')] }]);
  try {
    assert.equal(ws.engine.listSnapshots().length, 1);
    assert.deepEqual(ws.engine.impact({ run: RUN(1) }).runs, []);
    assert.equal(ws.engine.workspaceRoot, ws.paths.root);
    ws.engine.dirty = false;
    ws.append(stageLines({ run: RUN(2), job: 'use', at: 2, ops: [R('a.csv')] }));
    assert.deepEqual(ws.engine.impact({ run: RUN(1) }).runs, [RUN(2)]);
    assert.equal(ws.engine.dirty, true);
    assert.equal(ws.engine.listSnapshots().length, 2, 'the snapshot list is built again');
    assert.equal(ws.engine.graphAt(undefined).nodes.filter((n) => n.kind === 'job').length, 2);
    ws.engine.dirty = false;
    ws.engine.refresh();
    assert.equal(ws.engine.dirty, false, 'nothing new: still clean');
  } finally {
    ws.dispose();
  }
});

test('the index is saved for the next cold start, which loads it instead of rebuilding; no file, no save', () => {
  const ws = workspace([
    { run: RUN(1), job: 'make', at: 0, ops: [C('a.csv')] },
    { run: RUN(2), job: 'use', at: 2, ops: [R('a.csv')] },
  ], { indexFile: true });
  try {
    const file = path.join(ws.paths.dotDir, 'lineage-index.bin');
    assert.equal(ws.engine.coldStart, 'rebuilt');
    assert.equal(ws.engine.dirty, true);
    assert.equal(ws.engine.save(), true);
    assert.equal(ws.engine.dirty, false);
    assert.ok(fs.statSync(file).size > 0);
    const again = LineageEngine.open(ws.db, { indexFile: file, workspaceRoot: ws.paths.root });
    assert.equal(again.coldStart, 'loaded');
    assert.deepEqual(again.impact({ run: RUN(1) }).runs, [RUN(2)]);
    assert.equal(LineageEngine.open(ws.db).save(), false, 'an engine without an index file has nothing to save');
    // A folder that cannot hold the file: the save fails quietly, the engine stays dirty, no temp file stays.
    const blocked = path.join(ws.paths.dotDir, 'not-a-folder');
    fs.writeFileSync(blocked, '');
    const stuck = LineageEngine.open(ws.db, { indexFile: path.join(blocked, 'index.bin') });
    assert.equal(stuck.save(), false);
    assert.equal(stuck.dirty, true);
    assert.deepEqual(fs.readdirSync(ws.paths.dotDir).filter((n) => n.endsWith('.tmp')), []);
  } finally {
    ws.dispose();
  }
});

test('impact follows consumption: outputs, not what the start run read; never a read recorded before the write; never the producer reading back', () => {
  const ws = workspace([
    { run: RUN(1), job: 'make', at: 0, ops: [C('a.csv')] },
    { run: RUN(2), job: 'train', at: 2, ops: [R('a.csv'), C('b.csv')] },
    { run: RUN(3), job: 'audit', at: 4, ops: [R('a.csv')] },
    // Writes then reads back its own output.
    { run: RUN(5), job: 'selfcheck', at: 6, ops: [C('s.csv'), R('s.csv')] },
  ]);
  try {
    assert.deepEqual(ws.engine.impact({ run: RUN(2) }).runs, [], 'audit read what train read, not what train wrote');
    const s = ws.engine.impact({ artifact: 's.csv' });
    assert.equal(s.of, `s.csv@run:${RUN(5)}`);
    assert.deepEqual(s.runs, [], 'the producer reading back its own version is no consumer');
    assert.deepEqual(ws.engine.impact({ run: RUN(5) }).runs, []);
    // As of snapshot 2 (after train), audit had not read a.csv yet.
    assert.deepEqual(ws.engine.impact({ run: RUN(1), snapshot: 2 }).runs, [RUN(2)]);
    assert.deepEqual(ws.engine.impact({ run: RUN(1) }).runs, [RUN(2), RUN(3)]);
  } finally {
    ws.dispose();
  }
});

test('a run writing the same content as an earlier version is not consumed by the reads that came before its write', () => {
  const ws = workspace([
    { run: RUN(1), job: 'make', at: 0, ops: [{ path: 'f.csv', op: 'CREATE', hashAfter: 'sha256:aaaa' }] },
    { run: RUN(2), job: 'early', at: 2, ops: [R('f.csv')] },
    { run: RUN(3), job: 'rewrite', at: 4, ops: [{ path: 'f.csv', op: 'MODIFY', hashAfter: 'sha256:aaaa' }] },
    { run: RUN(4), job: 'late', at: 6, ops: [R('f.csv')] },
  ]);
  try {
    assert.deepEqual(ws.engine.impact({ run: RUN(3) }).runs, [RUN(4)], 'early read the same bytes, but before rewrite wrote them');
    assert.deepEqual(ws.engine.impact({ run: RUN(1) }).runs, [RUN(2), RUN(4)]);
  } finally {
    ws.dispose();
  }
});

test('impact lists runs by depth then run id, and artifacts by name, whatever order they were found in', () => {
  const ws = workspace([
    { run: RUN(1), job: 'make', at: 0, ops: [C('z.csv'), C('a.csv')] },
    { run: RUN(9), job: 'first', at: 2, ops: [R('z.csv'), C('y.csv')] },
    { run: RUN(4), job: 'second', at: 4, ops: [R('a.csv'), C('b.csv')] },
    { run: RUN(7), job: 'third', at: 6, ops: [R('y.csv')] },
    { run: RUN(6), job: 'fourth', at: 8, ops: [R('b.csv')] },
  ]);
  try {
    const imp = ws.engine.impact({ run: RUN(1) });
    assert.deepEqual(imp.runDetails.map((d) => [d.run, d.depth]), [[RUN(4), 1], [RUN(9), 1], [RUN(6), 2], [RUN(7), 2]]);
    assert.deepEqual(imp.runs, [RUN(4), RUN(9), RUN(6), RUN(7)]);
    assert.deepEqual(imp.artifacts, ['a.csv', 'b.csv', 'y.csv', 'z.csv']);
    assert.deepEqual(imp.entries.map((e) => e.artifact), ['a.csv', 'b.csv', 'y.csv', 'z.csv']);
    const fp = ws.engine.footprint(RUN(1));
    assert.deepEqual(fp.entries.map((e) => e.artifact), ['a.csv', 'z.csv'], 'footprint entries by name too');
  } finally {
    ws.dispose();
  }
});

test('impactOf: surrounding blanks around a run id; an artifact error other than "no such artifact" is the answer; an ambiguous run prefix stays ambiguous', () => {
  const ws = workspace([
    { run: RUN(1), job: 'make', at: 0, ops: [C('f.csv'), C('gone.csv')] },
    { run: RUN(2), job: 'edit', at: 2, ops: [R('f.csv'), M('f.csv'), D('gone.csv')] },
    { run: RUN(3), job: 'use', at: 4, ops: [R('f.csv')] },
  ]);
  try {
    assert.equal(ws.engine.impactOf(`  ${RUN(2)} `).of, RUN(2));
    assert.deepEqual(ws.engine.impactOf(`  ${RUN(2)} `).runs, [RUN(3)]);
    assert.throws(() => ws.engine.impactOf('gone.csv'), { code: 'NOT_FOUND', message: 'gone.csv has no current version.' });
    assert.throws(() => ws.engine.impactOf('f.csv@run:0000'), { code: 'INVALID_ARGUMENT', message: /^Version "run:0000" of f\.csv is ambiguous/ });
    assert.throws(() => ws.engine.impactOf('00000000-0000-4000-8000-00000000000'), { code: 'INVALID_ARGUMENT', message: /^Run prefix "00000000-0000-4000-8000-00000000000" is ambiguous/ });
    assert.throws(() => ws.engine.impactOf('@f.csv'), { code: 'NOT_FOUND', message: /^No run or artifact matches "@f\.csv"/ });
  } finally {
    ws.dispose();
  }
});
