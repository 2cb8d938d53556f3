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
