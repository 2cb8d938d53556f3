import assert from 'node:assert/strict';
import { test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import type { GraphDto } from '../../../shared/dto';
import { LineageEngine } from '../read-models/lineage-engine';
import { minute, lineageWorkspace, stageLines } from '../lineage-workspace.test-support';

/** Run ids whose first 8 characters differ, so short versions (`run:11111111`) tell them apart. */
const U = (i: number) => `${String(i).repeat(8)}-0000-4000-8000-${String(i).padStart(12, '0')}`;

const PIPELINE = [
  ...stageLines({ run: U(9), job: 'pipeline', at: -1, state: null }),
  ...stageLines({ run: U(1), job: 'ingest', at: 0, gitSha: 'aaa1111', numpy: '1.26.4', ops: [{ path: 'data/raw.csv', op: 'CREATE' }] }),
  ...stageLines({ run: U(2), job: 'train', at: 5, gitSha: 'bbb2222', numpy: '1.26.4', parent: { run: U(9), job: 'pipeline' },
    ops: [{ path: 'data/raw.csv', op: 'READ' }, { path: 'models/model.pt', op: 'CREATE' }] }),
  ...stageLines({ run: U(3), job: 'ingest', at: 10, gitSha: 'aaa1111', numpy: '1.26.4', ops: [{ path: 'data/raw.csv', op: 'MODIFY' }] }),
  ...stageLines({ run: U(4), job: 'cleanup', at: 15, state: 'FAIL', ops: [{ path: 'models/model.pt', op: 'DELETE' }] }),
  ...stageLines({ run: U(5), job: 'train', at: 20, state: null, inputs: ['data/raw.csv'] }),
];

/** A graph as sorted lines, with code/environment hashes masked (they are sha1s of facets). */
function lines(g: GraphDto): { nodes: string[]; edges: string[] } {
  const mask = (s: string) => s.replace(/(code|environment):[0-9a-f]{40}/g, '$1:#');
  return {
    nodes: g.nodes.map((n) => mask(`${n.id} ${n.kind} "${n.label}"${n.version ? ' v=' + n.version : ''}${n.state ? ' ' + n.state : ''}${n.stale ? ' STALE' : ''}`)).sort(),
    edges: g.edges.map((e) => mask(e.id)).sort(),
  };
}

test('snapshots are the run endings in order, with labels, and "as of" picks the last one at or before a time', () => {
  const ws = lineageWorkspace(PIPELINE);
  try {
    assert.deepEqual(ws.engine.listSnapshots(), [
      { seq: 1, at: minute(1), kind: 'run', label: 'ingest #1' },
      { seq: 2, at: minute(6), kind: 'run', label: 'train #1' },
      { seq: 3, at: minute(11), kind: 'run', label: 'ingest #2' },
      { seq: 4, at: minute(16), kind: 'run', label: 'cleanup #1 (FAIL)' },
    ]);
    assert.equal(ws.engine.snapshotAsOf(Date.parse(minute(6))), 2);
    assert.equal(ws.engine.snapshotAsOf(Date.parse(minute(5.9))), 1);
    assert.equal(ws.engine.snapshotAsOf(Date.parse(minute(0))), null);
    assert.throws(() => ws.engine.graphAt(5), { code: 'NOT_FOUND', message: 'Snapshot 5 does not exist; snapshots run from 1 to 4.' });
  } finally {
    ws.dispose();
  }
});

test('the job-granularity graph at each snapshot is built from the history up to it', () => {
  const ws = lineageWorkspace(PIPELINE);
  try {
    const env = 'environment:#';
    assert.deepEqual(lines(ws.engine.graphAt(1)), {
      nodes: [
        'artifact:file/data/raw.csv dataset "data/raw.csv" v=run:11111111',
        'code:# code "aaa1111"',
        `${env} environment "python 3.12.1"`,
        'job:ns/ingest job "ingest" COMPLETE',
        'job:ns/pipeline job "pipeline" RUNNING',
      ],
      edges: ['job:ns/ingest|artifact:file/data/raw.csv|writes', 'job:ns/ingest|code:#|uses_code', `job:ns/ingest|${env}|uses_environment`],
    });
    const g2 = lines(ws.engine.graphAt(2));
    assert.deepEqual(g2.nodes.filter((n) => n.startsWith('artifact') || n.startsWith('job:ns/train')), [
      'artifact:file/data/raw.csv dataset "data/raw.csv" v=run:11111111',
      'artifact:file/models/model.pt model "models/model.pt" v=run:22222222',
      'job:ns/train job "train" COMPLETE',
    ]);
    assert.ok(g2.edges.includes('artifact:file/data/raw.csv|job:ns/train|reads'));
    assert.ok(g2.edges.includes('job:ns/train|artifact:file/models/model.pt|writes'));
    // Snapshot 3: a new version of the input makes the model stale.
    const g3 = lines(ws.engine.graphAt(3)).nodes.filter((n) => n.startsWith('artifact'));
    assert.deepEqual(g3, [
      'artifact:file/data/raw.csv dataset "data/raw.csv" v=run:33333333',
      'artifact:file/models/model.pt model "models/model.pt" v=run:22222222 STALE',
    ]);
    // Snapshot 4: the deleted model is gone with its edges; the failed cleanup job stands alone.
    const g4 = lines(ws.engine.graphAt(4));
    assert.ok(!g4.nodes.some((n) => n.includes('model.pt')));
    assert.ok(!g4.edges.some((e) => e.includes('model.pt')));
    assert.ok(g4.nodes.includes('job:ns/cleanup job "cleanup" FAIL'));
    assert.ok(g4.nodes.includes('job:ns/train job "train" COMPLETE'));
    // Now (after a START with no ending yet): the train job's latest run has only started.
    assert.ok(lines(ws.engine.graphAt(undefined)).nodes.includes('job:ns/train job "train" START'));
  } finally {
    ws.dispose();
  }
});

test('the run-granularity graph has runs with instance_of and parent edges', () => {
  const ws = lineageWorkspace(PIPELINE);
  try {
    const g = lines(ws.engine.graphAt(2, { granularity: 'run' }));
    assert.deepEqual(g.nodes.filter((n) => n.startsWith('run:')), [
      `run:${U(1)} run "ingest #1" COMPLETE`,
      `run:${U(2)} run "train #1" COMPLETE`,
      `run:${U(9)} run "pipeline #1" RUNNING`,
    ]);
    for (const e of [
      `run:${U(1)}|job:ns/ingest|instance_of`, `run:${U(2)}|run:${U(9)}|parent`, `artifact:file/data/raw.csv|run:${U(2)}|reads`,
      `run:${U(2)}|artifact:file/models/model.pt|writes`, `run:${U(2)}|code:#|uses_code`,
    ]) assert.ok(g.edges.includes(e), e);
    assert.ok(!g.nodes.some((n) => n.includes(U(3))), 'a run after the snapshot is not in it');
  } finally {
    ws.dispose();
  }
});

test('diff between snapshots: versions and staleness changed, deleted artifacts and their edges removed', () => {
  const ws = lineageWorkspace(PIPELINE);
  try {
    const d23 = ws.engine.diff(2, 3);
    assert.deepEqual(d23.nodes.added, []);
    assert.deepEqual(d23.nodes.changed, [
      { id: 'artifact:file/data/raw.csv', before: { version: 'run:11111111' }, after: { version: 'run:33333333' } },
      { id: 'artifact:file/models/model.pt', before: { version: 'run:22222222' }, after: { version: 'run:22222222', stale: true } },
    ]);
    const d34 = ws.engine.diff(3, 4);
    assert.deepEqual(d34.nodes.added, ['job:ns/cleanup']);
    assert.deepEqual(d34.nodes.removed, ['artifact:file/models/model.pt']);
    assert.deepEqual(d34.edges.removed, ['job:ns/train|artifact:file/models/model.pt|writes']);
  } finally {
    ws.dispose();
  }
});

test('the engine catches up with new ingest batches; a saved index loads and catches up too', () => {
  const ws = lineageWorkspace(PIPELINE.slice(0, 3), { indexFile: true });
  const indexFile = path.join(ws.paths.dotDir, 'lineage-index.bin');
  try {
    assert.equal(ws.engine.coldStart, 'rebuilt');
    assert.equal(ws.engine.listSnapshots().length, 1);
    assert.ok(ws.engine.save());
    ws.append(PIPELINE.slice(3, 7));
    assert.equal(ws.engine.listSnapshots().length, 3);
    assert.deepEqual(ws.engine.impact({ run: U(1) }).runs, [U(2)]);
    // A second engine loads the older file and folds in the batch appended since.
    const reopened = LineageEngine.open(ws.db, { indexFile });
    assert.equal(reopened.coldStart, 'loaded');
    assert.deepEqual(reopened.listSnapshots(), ws.engine.listSnapshots());
    assert.deepEqual(reopened.impact({ run: U(1) }), ws.engine.impact({ run: U(1) }));
    ws.append(PIPELINE.slice(7));
    assert.deepEqual(reopened.graphAt(undefined), ws.engine.graphAt(undefined));
    assert.ok(reopened.save());
    // A file that no longer describes the DB (here: the DB rebuilt from a different log) is not used.
    ws.db.exec('DELETE FROM accesses WHERE id = (SELECT max(id) FROM accesses)');
    assert.equal(LineageEngine.open(ws.db, { indexFile }).coldStart, 'rebuilt');
  } finally {
    ws.dispose();
  }
});

test('table commits merge into the snapshot list by event seq; the graph at a commit is the history up to it', () => {
  const ws = lineageWorkspace(PIPELINE);
  try {
    const afterIngest = ws.db.prepare('SELECT event_seq FROM run_endings WHERE seq = 1').pluck().get() as number;
    const withCommits = LineageEngine.open(ws.db, { commits: () => [{ at: Date.parse(minute(3)), label: 'features v0', eventSeq: afterIngest }] });
    assert.deepEqual(withCommits.listSnapshots().slice(0, 3).map((s) => [s.seq, s.kind, s.label]), [
      [1, 'run', 'ingest #1'], [2, 'commit', 'features v0'], [3, 'run', 'train #1'],
    ]);
    assert.deepEqual(withCommits.graphAt(2).nodes, ws.engine.graphAt(1).nodes);
    assert.deepEqual(withCommits.graphAt(3).edges, ws.engine.graphAt(2).edges);
    assert.equal(withCommits.snapshotAsOf(Date.parse(minute(4))), 2);
  } finally {
    ws.dispose();
  }
});

test('a DB rebuilt under a live engine (fewer events than indexed) makes the engine start over', () => {
  const ws = lineageWorkspace(PIPELINE);
  try {
    assert.equal(ws.engine.listSnapshots().length, 4);
    ws.db.exec('DELETE FROM prov_search; DELETE FROM run_endings; DELETE FROM accesses; DELETE FROM events; DELETE FROM artifact_versions; DELETE FROM artifacts; DELETE FROM runs; DELETE FROM jobs; DELETE FROM prov_sources');
    // The log now holds less history (as after `ingest --rebuild` over rewritten logs).
    fs.writeFileSync(path.join(ws.paths.logsDir, 'events.jsonl'), PIPELINE.slice(0, 3).map((l) => l + '\n').join(''));
    ws.append([]);
    assert.deepEqual(ws.engine.listSnapshots().map((s) => s.label), ['ingest #1']);
    assert.deepEqual(ws.engine.impact({ run: U(1) }).runs, []);
    assert.throws(() => ws.engine.footprint(U(2)), { code: 'NOT_FOUND' });
  } finally {
    ws.dispose();
  }
});
