// Impact and upstream as of a snapshot taken while a run was still running: the run's
// footprint in force then is only what it had done by then (the exact per-run path), not its
// whole footprint (the per-access path precomputed for finished runs). The runs report their
// footprint op by op on RUNNING events, as `retrace run` does, so one run's accesses land on
// both sides of another run's ending. Expected values are worked out from the events below.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FootprintOpSpec } from '../lineage-workspace.test-support';
import { RUN, lineageWorkspace, runEventLine } from '../lineage-workspace.test-support';

const event = runEventLine;

const C = (p: string): FootprintOpSpec => ({ path: p, op: 'CREATE' });
const R = (p: string): FootprintOpSpec => ({ path: p, op: 'READ' });
const M = (p: string): FootprintOpSpec => ({ path: p, op: 'MODIFY' });
const D = (p: string): FootprintOpSpec => ({ path: p, op: 'DELETE' });

const MAKE = RUN(1), LONG = RUN(2), QUICK = RUN(3), LATE = RUN(4);

/**
 * make writes in.csv and ends (snapshot 1). long starts, reads in.csv and writes early.csv,
 * then quick reads early.csv, writes b.csv and ends (snapshot 2) while long still runs. long
 * then modifies early.csv, writes late.csv, deletes in.csv and ends (snapshot 3). Finally
 * late reads late.csv (snapshot 4).
 */
const LINES = [
  event(MAKE, 'make', 'START', 0), event(MAKE, 'make', 'COMPLETE', 1, [C('in.csv')]),
  event(LONG, 'long', 'START', 2), event(LONG, 'long', 'RUNNING', 3, [R('in.csv'), { path: 'early.csv', op: 'CREATE', hashAfter: `sha256:${'e1'.repeat(32)}` }]),
  event(QUICK, 'quick', 'START', 4), event(QUICK, 'quick', 'COMPLETE', 5, [R('early.csv'), C('b.csv')]),
  event(LONG, 'long', 'RUNNING', 6, [{ path: 'early.csv', op: 'MODIFY', hashAfter: `sha256:${'e2'.repeat(32)}` }, C('late.csv')]), event(LONG, 'long', 'COMPLETE', 7, [D('in.csv')]),
  event(LATE, 'late', 'START', 8), event(LATE, 'late', 'COMPLETE', 9, [R('late.csv')]),
];

test('the fixture: four snapshots, long ends third and was running at the first two', () => {
  const ws = lineageWorkspace(LINES);
  try {
    assert.deepEqual(ws.engine.listSnapshots().map((s) => s.label), ['make #1', 'quick #1', 'long #1', 'late #1']);
    const longId = ws.engine.catalog.resolveRun(LONG);
    assert.deepEqual([1, 2, 3].map((k) => ws.engine.runStateAt(longId, k)), ['RUNNING', 'RUNNING', 'COMPLETE']);
  } finally {
    ws.dispose();
  }
});

test('impact as of a snapshot a reached run spans: only the part of its footprint done by then, and only the outputs it had written', () => {
  const ws = lineageWorkspace(LINES);
  try {
    // At snapshot 2 long had read in.csv and created early.csv; quick had read that and ended.
    const at2 = ws.engine.impact({ run: MAKE, snapshot: 2 });
    assert.deepEqual(at2.runDetails, [
      { run: LONG, job: 'ns/long', depth: 1, state: 'RUNNING' },
      { run: QUICK, job: 'ns/quick', depth: 2, state: 'COMPLETE' },
    ]);
    assert.deepEqual(at2.classes, { INPUT: ['early.csv', 'in.csv'], OUTPUT_MODIFIED: [], OUTPUT_ADDED: ['b.csv', 'early.csv'], OUTPUT_REMOVED: [], OUTPUT_TMP: [] });
    assert.deepEqual(at2.counts, { ALL: 3, INPUT: 2, OUTPUT_MODIFIED: 0, OUTPUT_ADDED: 2, OUTPUT_REMOVED: 0, OUTPUT_TMP: 0 });
    assert.deepEqual(at2.artifactClasses, at2.classes, 'no roll-up folders: per artifact = per file');
    assert.deepEqual(at2.artifacts, ['b.csv', 'early.csv', 'in.csv']);
    assert.equal(at2.maxDepthReached, 2);

    // Now: long's whole footprint; in.csv is read and then deleted (INPUT and OUTPUT_REMOVED),
    // early.csv created then modified (OUTPUT_ADDED only), and late.csv leads on to late.
    const now = ws.engine.impact({ run: MAKE });
    assert.deepEqual(now.runDetails.map((d) => [d.run, d.depth, d.state]), [[LONG, 1, 'COMPLETE'], [QUICK, 2, 'COMPLETE'], [LATE, 2, 'COMPLETE']]);
    assert.deepEqual(now.classes, {
      INPUT: ['early.csv', 'in.csv', 'late.csv'], OUTPUT_MODIFIED: [], OUTPUT_ADDED: ['b.csv', 'early.csv', 'late.csv'], OUTPUT_REMOVED: ['in.csv'], OUTPUT_TMP: [],
    });
    assert.equal(now.counts.ALL, 4);

    // At snapshot 3 (long ended) the whole run is in force; late had not started.
    const at3 = ws.engine.impact({ run: MAKE, snapshot: 3 });
    assert.deepEqual(at3.runs, [LONG, QUICK]);
    assert.deepEqual(at3.classes.OUTPUT_ADDED, ['b.csv', 'early.csv', 'late.csv']);
    assert.deepEqual(at3.classes.OUTPUT_REMOVED, ['in.csv']);
    assert.deepEqual(at3.classes.INPUT, ['early.csv', 'in.csv']);

    // At snapshot 1 long had not read in.csv yet: nothing is impacted.
    const at1 = ws.engine.impact({ run: MAKE, snapshot: 1 });
    assert.deepEqual([at1.runs, at1.counts.ALL, at1.maxDepthReached], [[], 0, 0]);
  } finally {
    ws.dispose();
  }
});

test('impact of a run still running at the snapshot follows only the outputs it had written by then', () => {
  const ws = lineageWorkspace(LINES);
  try {
    const at2 = ws.engine.impact({ run: LONG, snapshot: 2 });
    assert.equal(at2.of, LONG);
    assert.deepEqual(at2.runs, [QUICK]);
    assert.deepEqual(at2.classes.INPUT, ['early.csv']);
    assert.deepEqual(at2.classes.OUTPUT_ADDED, ['b.csv']);
    // Now its late.csv is followed too; quick read the early.csv version long wrote first.
    assert.deepEqual(ws.engine.impact({ run: LONG }).runs, [QUICK, LATE]);
    // Long's footprint as of snapshot 2: two accesses, its state RUNNING.
    const fp = ws.engine.footprint(LONG, { snapshot: 2 });
    assert.equal(fp.state, 'RUNNING');
    assert.deepEqual(fp.entries.map((e) => [e.artifact, e.ops, e.classes]), [['early.csv', ['CREATE'], ['OUTPUT_ADDED']], ['in.csv', ['READ'], ['INPUT']]]);
    // The version of each file is the last one the run had touched by then.
    assert.equal(fp.entries[0]!.version, 'sha256:e1e1e1e1');
    assert.equal(ws.engine.footprint(LONG).entries[0]!.version, 'sha256:e2e2e2e2');
    assert.deepEqual(ws.engine.footprint(LONG).entries.map((e) => [e.artifact, e.ops, e.classes]), [
      ['early.csv', ['CREATE', 'MODIFY'], ['OUTPUT_ADDED']], ['in.csv', ['READ', 'DELETE'], ['INPUT', 'OUTPUT_REMOVED']], ['late.csv', ['CREATE'], ['OUTPUT_ADDED']],
    ]);
  } finally {
    ws.dispose();
  }
});

test('upstream as of a snapshot: a producer counts only with what it had done by then; a version whose producer had not started has none', () => {
  const ws = lineageWorkspace(LINES);
  try {
    const up2 = ws.engine.impact({ run: QUICK, direction: 'upstream', snapshot: 2 });
    assert.deepEqual(up2.runDetails.map((d) => [d.run, d.depth, d.state]), [[LONG, 1, 'RUNNING'], [MAKE, 2, 'COMPLETE']]);
    assert.deepEqual(up2.classes, { INPUT: ['in.csv'], OUTPUT_MODIFIED: [], OUTPUT_ADDED: ['early.csv', 'in.csv'], OUTPUT_REMOVED: [], OUTPUT_TMP: [] });
    const upNow = ws.engine.impact({ run: QUICK, direction: 'upstream' });
    assert.deepEqual(upNow.runs, [LONG, MAKE]);
    assert.deepEqual(upNow.classes.OUTPUT_ADDED, ['early.csv', 'in.csv', 'late.csv']);
    assert.deepEqual(upNow.classes.OUTPUT_REMOVED, ['in.csv']);
    // late.csv's only version is long's: as of snapshot 1 long had not started, so the version
    // has no producer in force yet; from snapshot 3 on it is long (and what long read, make's in.csv).
    const lateVersion = `run:${LONG}`;
    assert.deepEqual(ws.engine.impact({ artifact: 'late.csv', version: lateVersion, direction: 'upstream', snapshot: 1 }).runs, []);
    // As of snapshot 2 long is running but has not written late.csv yet: nothing made that version then.
    assert.deepEqual(ws.engine.impact({ artifact: 'late.csv', version: lateVersion, direction: 'upstream', snapshot: 2 }).runs, []);
    assert.deepEqual(ws.engine.impact({ artifact: 'late.csv', version: lateVersion, snapshot: 2 }).runs, []);
    assert.deepEqual(ws.engine.impact({ artifact: 'late.csv', version: lateVersion, direction: 'upstream', snapshot: 3 }).runs, [LONG, MAKE]);
    // The starting run itself is never its own ancestor, and depth 1 stops at the producers.
    assert.deepEqual(ws.engine.impact({ run: LATE, direction: 'upstream', depth: 1 }).runDetails.map((d) => [d.run, d.depth]), [[LONG, 1]]);
  } finally {
    ws.dispose();
  }
});

/**
 * Runs overlapping in time: rmw reads f.csv and creates tmp.bin (still running), peek reads
 * f.csv (make's version) and tmp.bin and ends (snapshot 2); rmw then modifies f.csv, deletes
 * tmp.bin and ends (3); use reads rmw's f.csv (4); mv reads it too and renames make's
 * staged.bin, which it never opened, to final.bin (5).
 */
const RMW = RUN(12), PEEK = RUN(13), USE = RUN(14), MV = RUN(15);
const OVERLAP = [
  event(MAKE, 'make', 'START', 0), event(MAKE, 'make', 'COMPLETE', 1, [C('f.csv'), C('staged.bin')]),
  event(RMW, 'rmw', 'START', 2), event(RMW, 'rmw', 'RUNNING', 3, [R('f.csv'), C('tmp.bin')]),
  event(PEEK, 'peek', 'START', 4), event(PEEK, 'peek', 'COMPLETE', 5, [R('f.csv'), R('tmp.bin')]),
  event(RMW, 'rmw', 'COMPLETE', 6, [M('f.csv'), D('tmp.bin')]),
  event(USE, 'use', 'START', 7), event(USE, 'use', 'COMPLETE', 8, [R('f.csv')]),
  event(MV, 'mv', 'START', 9), event(MV, 'mv', 'COMPLETE', 10, [R('f.csv'), { path: 'final.bin', op: 'RENAME', renamedFrom: 'staged.bin' }]),
];

test('impact follows a run\'s outputs only: not the version it read, nor a temporary file another run read before it was deleted', () => {
  const ws = lineageWorkspace(OVERLAP);
  try {
    assert.deepEqual(ws.engine.listSnapshots().map((s) => s.label), ['make #1', 'peek #1', 'rmw #1', 'use #1', 'mv #1']);
    // peek read make's f.csv (rmw had only read it) and rmw's tmp.bin, which is no output of rmw.
    const rmw = ws.engine.impact({ run: RMW });
    assert.deepEqual(rmw.runDetails.map((d) => [d.run, d.depth]), [[USE, 1], [MV, 1]]);
    // mv renamed staged.bin without opening it: it is removed all the same.
    assert.deepEqual(rmw.classes, { INPUT: ['f.csv'], OUTPUT_MODIFIED: [], OUTPUT_ADDED: ['final.bin'], OUTPUT_REMOVED: ['staged.bin'], OUTPUT_TMP: [] });
    // From make: rmw and peek read its f.csv; use and mv read rmw's.
    const make = ws.engine.impact({ run: MAKE });
    assert.deepEqual(make.runDetails.map((d) => [d.run, d.depth]), [[RMW, 1], [PEEK, 1], [USE, 2], [MV, 2]]);
    assert.deepEqual(make.classes, {
      INPUT: ['f.csv', 'tmp.bin'], OUTPUT_MODIFIED: ['f.csv'], OUTPUT_ADDED: ['final.bin'], OUTPUT_REMOVED: ['staged.bin'], OUTPUT_TMP: ['tmp.bin'],
    });
    // At snapshot 2 rmw had created tmp.bin and not deleted it yet: then it was an output.
    const at2 = ws.engine.impact({ run: MAKE, snapshot: 2 });
    assert.deepEqual(at2.runDetails.map((d) => [d.run, d.depth]), [[RMW, 1], [PEEK, 1]]);
    assert.deepEqual(at2.classes, { INPUT: ['f.csv', 'tmp.bin'], OUTPUT_MODIFIED: [], OUTPUT_ADDED: ['tmp.bin'], OUTPUT_REMOVED: [], OUTPUT_TMP: [] });
    assert.deepEqual(ws.engine.impact({ run: RMW, snapshot: 2 }).runs, [PEEK]);
  } finally {
    ws.dispose();
  }
});

test('upstream as of a snapshot whose last access is the producer\'s first: the producer counts', () => {
  const X = RUN(21), Y = RUN(22);
  const ws = lineageWorkspace([
    event(X, 'writer', 'START', 0), event(X, 'writer', 'RUNNING', 1, [C('x.csv')]),
    // idle ends without any access: snapshot 1 has x.csv's write as its last access.
    event(Y, 'idle', 'START', 2), event(Y, 'idle', 'COMPLETE', 3),
    event(X, 'writer', 'COMPLETE', 4, [C('y.csv')]),
  ]);
  try {
    assert.deepEqual(ws.engine.listSnapshots().map((s) => s.label), ['idle #1', 'writer #1']);
    const up = ws.engine.impact({ artifact: 'x.csv', direction: 'upstream', snapshot: 1 });
    assert.deepEqual([up.of, up.runDetails], [`x.csv@run:${X}`, [{ run: X, job: 'ns/writer', depth: 1, state: 'RUNNING' }]]);
    assert.deepEqual(up.classes.OUTPUT_ADDED, ['x.csv'], 'only what writer had done by then');
  } finally {
    ws.dispose();
  }
});
