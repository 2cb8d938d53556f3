import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ingestOnce, sourcesOf } from './ingest';
import { IngestSession } from './session';
import type { CacheLimits } from './entities';
import { synthLines } from './synth';
import type { WriteBatch } from './write-batch';
import { PROVENANCE_TABLES } from '../db/metadata-schema';
import { FIXTURES, OPENLINEAGE_TESTDATA, count, dumpProvenance, tempWorkspace } from './temp-workspace.test-support';

const ev = (runId: string, type: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    eventType: type, eventTime: '2026-01-01T10:00:00Z', producer: 'test', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId }, job: { namespace: 'ns', name: `job-${runId}` }, inputs: [], outputs: [], ...extra,
  });
const RUN = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

test('Retrace capture facets fill runs, code versions, environments and footprint accesses', () => {
  const ws = tempWorkspace({ memory: true });
  try {
    const r = ingestOnce({ paths: ws.paths, db: ws.db, extraPaths: [path.join(FIXTURES, 'retrace-capture.jsonl')] });
    assert.deepEqual([r.events, r.runs, r.rejected.length], [4, 2, 0]);
    assert.equal(r.warnings.invalid_footprint_op, 2);
    const run = ws.db.prepare("SELECT * FROM runs WHERE run_uuid = '0190f3a0-0000-7000-8000-000000000001'").get() as Record<string, unknown>;
    assert.equal(run.user, 'carol');
    assert.equal(run.host, 'ws-7');
    assert.deepEqual(JSON.parse(run.command as string), ['python', 'train.py', '--epochs', '3']);
    assert.equal(run.cwd, '/ws');
    assert.equal(run.exit_code, 0); // the COMPLETE's retrace_command replaced the START's
    assert.equal(run.parent_run_uuid, '0190f3a0-0000-7000-8000-000000000000');
    assert.equal(run.state, 'COMPLETE');
    const code = ws.db.prepare('SELECT git_sha, dirty_diff_hash FROM code_versions WHERE id = ?').get(run.code_version_id) as Record<string, unknown>;
    assert.deepEqual(code, { git_sha: '3f2a9c1d', dirty_diff_hash: 'sha256:dd' });
    const pkgs = ws.db.prepare('SELECT name, version FROM environment_packages WHERE environment_id = ? ORDER BY name').raw().all(run.environment_id);
    assert.deepEqual(pkgs, [['numpy', '1.26.4'], ['torch', '2.3.0']]);
    const ops = ws.db.prepare(`SELECT a.name, x.op, v.version FROM accesses x JOIN artifacts a ON a.id = x.artifact_id
      JOIN artifact_versions v ON v.id = x.version_id WHERE x.origin = 'footprint' ORDER BY x.id`).raw().all();
    assert.deepEqual(ops, [
      ['data/train.csv', 'READ', 'sha256:c1'],
      ['models/model.pt', 'CREATE', 'sha256:m1'],
      ['tmp/scratch.bin', 'CREATE', 'run:0190f3a0-0000-7000-8000-000000000001'],
      ['tmp/scratch.bin', 'DELETE', 'run:0190f3a0-0000-7000-8000-000000000001'],
      ['metrics.json', 'MODIFY', 'sha256:x2'],
      ['models/best.pt', 'RENAME', 'sha256:b1'],
    ]);
    // The OpenLineage output names the same write as the footprint: one version, with its statistics.
    const out = ws.db.prepare(`SELECT v.version, v.size, v.row_count FROM accesses x JOIN artifact_versions v ON v.id = x.version_id
      WHERE x.origin = 'output'`).raw().all();
    assert.deepEqual(out, [['sha256:m1', 5000, 1]]);
    assert.equal(ws.db.prepare("SELECT kind FROM artifacts WHERE name = 'models/model.pt'").pluck().get(), 'model');
    // Snapshots: run endings numbered in ingest order.
    assert.deepEqual(ws.db.prepare('SELECT seq, state FROM run_endings ORDER BY seq').raw().all(), [[1, 'COMPLETE'], [2, 'FAIL']]);
    // Search rowids decode to entities: id * 4 + (1 run, 2 artifact, 3 job).
    const search = (q: string) => ws.db.prepare(`SELECT coalesce(r.run_uuid, a.kind || ':' || a.name, j.name) FROM prov_search s
      LEFT JOIN runs r ON s.rowid % 4 = 1 AND r.id = s.rowid / 4 LEFT JOIN artifacts a ON s.rowid % 4 = 2 AND a.id = s.rowid / 4
      LEFT JOIN jobs j ON s.rowid % 4 = 3 AND j.id = s.rowid / 4 WHERE prov_search MATCH ? ORDER BY s.rowid`).pluck().all(q);
    assert.deepEqual(search('carol'), ['0190f3a0-0000-7000-8000-000000000001']);
    assert.deepEqual(search('evaluate'), ['0190f3a0-0000-7000-8000-000000000000']);
    assert.deepEqual(search('pixel'), ['dataset:data/train.csv']);
    assert.deepEqual(search('train'), ['dataset:data/train.csv', '0190f3a0-0000-7000-8000-000000000001', 'train']);
  } finally {
    ws.dispose();
  }
});

test('Hopsworks file-op log: runs by app id, rolled-up artifacts, exact rejections, footprint fixture', () => {
  const ws = tempWorkspace({ memory: true });
  try {
    const r = ingestOnce({ paths: ws.paths, db: ws.db, extraPaths: [path.join(FIXTURES, 'hopsworks-file-ops.jsonl')] });
    assert.deepEqual([r.events, r.runs, r.rejected.length], [19, 1, 3]);
    assert.deepEqual(r.rejected.map((x) => x.line), [6, 10, 13]);
    assert.match(r.rejected[0]!.reason, /^Field "inode_operation" is "CHMOD", not one of CREATE/);
    assert.match(r.rejected[1]!.reason, /^Field "io_timestamp" is missing/);
    assert.match(r.rejected[2]!.reason, /^Field "state" is "EXPLODED"/);
    assert.equal(r.warnings.unattributed_file_op, 2);
    const run = ws.db.prepare("SELECT r.state, r.user, j.name FROM runs r JOIN jobs j ON j.id = r.job_id").get();
    assert.deepEqual(run, { state: 'COMPLETE', user: 'alice', name: 'train_model' });
    // The Hopsworks footprint fixture (prov_full_spec.rb): ALL 6, INPUT 1, OUTPUT_ADDED 2, OUTPUT_TMP 1.
    const ops = new Map<string, Set<string>>();
    for (const [name, op] of ws.db.prepare(`SELECT a.name, x.op FROM accesses x JOIN artifacts a ON a.id = x.artifact_id
      WHERE x.run_id IS NOT NULL AND a.name LIKE '%/Resources/f_'`).raw().all() as [string, string][]) {
      if (!ops.has(name)) ops.set(name, new Set());
      ops.get(name)!.add(op);
    }
    const has = (o: string) => [...ops].filter(([, s]) => s.has(o)).map(([n]) => n);
    const created = new Set(has('CREATE'));
    const deleted = new Set(has('DELETE'));
    assert.equal(ops.size, 6);
    assert.equal(has('READ').filter((n) => !created.has(n)).length, 1);
    assert.equal([...created].filter((n) => !deleted.has(n)).length, 2);
    assert.equal([...created].filter((n) => deleted.has(n)).length, 1);
    // Files below an artifact folder roll up to it; its kind comes from the naming rules.
    const rolled = ws.db.prepare(`SELECT f.name, a.name AS artifact, a.kind FROM artifacts f JOIN artifacts a ON a.id = f.rollup_id ORDER BY f.id`).raw().all();
    assert.deepEqual(rolled, [
      ['/Projects/demo/Models/mnist/1/model.pkl', '/Projects/demo/Models/mnist/1', 'model'],
      ['/Projects/demo/Models/mnist/1/metrics.json', '/Projects/demo/Models/mnist/1', 'model'],
      ['/Projects/demo/demo_Training_Datasets/mnist_td_1/part-0.tfrecord', '/Projects/demo/demo_Training_Datasets/mnist_td_1', 'training_dataset'],
      ['/Projects/demo/demo_featurestore.db/sales_fg_1/part-0.parquet', '/Projects/demo/demo_featurestore.db/sales_fg_1', 'feature_group'],
      ['/Projects/demo/Experiments/application_1767_0002_1/log.txt', '/Projects/demo/Experiments/application_1767_0002_1', 'experiment'],
    ]);
    // Raw op kinds are kept; METADATA/XATTR_* are outside footprints (op OTHER).
    assert.deepEqual(ws.db.prepare("SELECT raw_op FROM accesses WHERE op = 'OTHER' ORDER BY id").pluck().all(), ['XATTR_ADD', 'METADATA']);
  } finally {
    ws.dispose();
  }
});

test('a folder mixing valid events, malformed lines and per-event files: exact counts and every rejected line', () => {
  const ws = tempWorkspace();
  try {
    const logs = ws.paths.logsDir;
    fs.writeFileSync(path.join(logs, 'events.jsonl'), [
      ev(RUN(1), 'START'), '{not json', ev(RUN(1), 'COMPLETE'), '[1,2]', '', ev(RUN(2), 'START'),
      JSON.stringify({ eventType: 'START', eventTime: '2026-01-01T10:00:00Z', run: {}, job: { name: 'x' } }),
      ev(RUN(1), 'START'), // the same event again: ignored
      JSON.stringify({ eventType: 'DONE', eventTime: '2026-01-01T10:00:00Z', run: { runId: RUN(9) }, job: { name: 'x' } }),
    ].join('\n') + '\n');
    // The Python client's file transport without append: one file per event.
    fs.mkdirSync(path.join(logs, 'ol'));
    fs.writeFileSync(path.join(logs, 'ol', 'events-20260101-100000.000001.json'), JSON.stringify(JSON.parse(ev(RUN(3), 'START')), null, 2));
    fs.writeFileSync(path.join(logs, 'ol', 'events-20260101-100001.000002.json'), ev(RUN(3), 'COMPLETE', { outputs: [{ namespace: 's3://b', name: 'out.parquet' }] }));
    fs.writeFileSync(path.join(logs, 'ol', 'events-20260101-100002.000003.json'), '{"eventType": "START", "eventTime": ');
    fs.utimesSync(path.join(logs, 'ol', 'events-20260101-100002.000003.json'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    const r = ingestOnce({ paths: ws.paths, db: ws.db });
    assert.equal(r.events, 5);
    assert.equal(r.runs, 3);
    assert.equal(r.artifacts, 1);
    assert.equal(r.duplicates, 1);
    assert.deepEqual(r.rejected, [
      { file: '.retrace/logs/events.jsonl', line: 2, reason: r.rejected[0]!.reason },
      { file: '.retrace/logs/events.jsonl', line: 4, reason: 'The line is JSON but an array, not an object.' },
      { file: '.retrace/logs/events.jsonl', line: 7, reason: 'Field "run.runId" is missing, so the event cannot be placed in a run.' },
      { file: '.retrace/logs/events.jsonl', line: 9, reason: 'Field "eventType" is "DONE", not one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER.' },
      { file: '.retrace/logs/ol/events-20260101-100002.000003.json', line: 1, reason: r.rejected[4]!.reason },
    ]);
    assert.match(r.rejected[0]!.reason, /^The line is not valid JSON \(.+\)\.$/);
    assert.match(r.rejected[4]!.reason, /^The file is not valid JSON/);
    assert.equal(count(ws.db, 'prov_rejected'), 5);
    // A second pass reads nothing new: offsets were committed with the events.
    const again = ingestOnce({ paths: ws.paths, db: ws.db });
    assert.deepEqual([again.events, again.rejected.length, again.duplicates, again.runs], [0, 0, 0, 3]);
  } finally {
    ws.dispose();
  }
});

test('a partial last line waits for its newline and is then ingested exactly once', () => {
  const ws = tempWorkspace();
  try {
    const file = path.join(ws.paths.logsDir, 'run.jsonl');
    const line = ev(RUN(1), 'START');
    fs.writeFileSync(file, ev(RUN(2), 'START') + '\n' + line.slice(0, 40));
    const r1 = ingestOnce({ paths: ws.paths, db: ws.db });
    assert.equal(r1.events, 1);
    assert.deepEqual(r1.waiting, [{ file: '.retrace/logs/run.jsonl', bytes: 40 }]);
    fs.appendFileSync(file, line.slice(40) + '\n');
    const r2 = ingestOnce({ paths: ws.paths, db: ws.db });
    assert.deepEqual([r2.events, r2.rejected.length, r2.waiting.length], [1, 0, 0]);
    assert.equal(count(ws.db, 'events'), 2);
    assert.deepEqual(ws.db.prepare('SELECT line FROM events ORDER BY seq').pluck().all(), [1, 2]);
  } finally {
    ws.dispose();
  }
});

test('truncation and rotation are detected by identity and size; nothing is lost or doubled', () => {
  const ws = tempWorkspace();
  try {
    const file = path.join(ws.paths.logsDir, 'app.jsonl');
    fs.writeFileSync(file, [1, 2, 3].map((i) => ev(RUN(i), 'START')).join('\n') + '\n');
    assert.equal(ingestOnce({ paths: ws.paths, db: ws.db }).events, 3);
    // copytruncate: the file is emptied and written again from byte 0.
    fs.writeFileSync(file, ev(RUN(4), 'START') + '\n');
    const t = ingestOnce({ paths: ws.paths, db: ws.db });
    assert.equal(t.events, 1);
    assert.equal(ws.db.prepare("SELECT line FROM events ORDER BY seq DESC LIMIT 1").pluck().get(), 1);
    // Rewritten in place with more bytes than were read: recognised by its first bytes.
    fs.writeFileSync(file, [7, 8].map((i) => ev(RUN(i), 'START')).join('\n') + '\n');
    assert.equal(ingestOnce({ paths: ws.paths, db: ws.db }).events, 2);
    fs.writeFileSync(file, ev(RUN(4), 'START') + '\n');
    assert.equal(ingestOnce({ paths: ws.paths, db: ws.db }).duplicates, 1);
    // rename rotation: app.jsonl → app.jsonl.1 (still under logs/), a new app.jsonl appears.
    fs.appendFileSync(file, ev(RUN(5), 'START') + '\n');
    fs.renameSync(file, file + '.1');
    fs.writeFileSync(file, ev(RUN(6), 'START') + '\n');
    const rot = ingestOnce({ paths: ws.paths, db: ws.db, extraPaths: [file + '.1'] });
    assert.equal(rot.events, 2); // RUN(5) from the rotated file, RUN(6) from the new one
    assert.equal(rot.duplicates, 1); // RUN(4) read again from the rotated file
    assert.equal(count(ws.db, 'events'), 8);
    assert.equal(count(ws.db, 'runs'), 8);
  } finally {
    ws.dispose();
  }
});

test('--rebuild recreates identical DB content from the logs alone', () => {
  const ws = tempWorkspace();
  try {
    const extra = [path.join(FIXTURES, 'hopsworks-file-ops.jsonl'), path.join(FIXTURES, 'retrace-capture.jsonl'), OPENLINEAGE_TESTDATA];
    const first = ingestOnce({ paths: ws.paths, db: ws.db, extraPaths: extra, batchEvents: 7 });
    const before = dumpProvenance(ws.db, PROVENANCE_TABLES);
    const rebuilt = ingestOnce({ paths: ws.paths, db: ws.db, rebuild: true });
    assert.equal(rebuilt.rebuilt, true);
    assert.equal(rebuilt.events, first.events);
    assert.deepEqual(dumpProvenance(ws.db, PROVENANCE_TABLES), before);
    assert.ok(before.accesses!.length > 50 && before.prov_search!.length > 100 && before.prov_search_terms!.length > 1000);
  } finally {
    ws.dispose();
  }
});

test('config.json: logSources (file, folder, glob) are read; artifactRules come before the defaults', () => {
  const ws = tempWorkspace();
  try {
    const root = ws.paths.root;
    fs.mkdirSync(path.join(root, 'lineage', 'nested'), { recursive: true });
    fs.writeFileSync(path.join(root, 'one.jsonl'), ev(RUN(1), 'START', { outputs: [{ namespace: 'file', name: 'weights/net.bin' }] }) + '\n');
    fs.writeFileSync(path.join(root, 'lineage', 'nested', 'two.ndjson'), ev(RUN(2), 'START') + '\n');
    fs.writeFileSync(path.join(root, 'lineage', 'README.md'), '# not a log\n');
    fs.writeFileSync(path.join(root, 'g-1.log'), ev(RUN(3), 'START') + '\n');
    fs.writeFileSync(path.join(root, 'g-2.log'), ev(RUN(4), 'START') + '\n');
    fs.writeFileSync(ws.paths.configFile, JSON.stringify({
      logSources: ['one.jsonl', 'lineage', 'g-*.log', 'missing.jsonl'],
      artifactRules: [{ match: 'weights/*.bin', kind: 'model' }],
      captureIgnore: ['**/.git/**'],
    }));
    const progress: { done: boolean; bytesRead: number; bytesTotal: number }[] = [];
    const r = ingestOnce({ paths: ws.paths, db: ws.db, onProgress: (p) => progress.push(p) });
    assert.deepEqual([r.events, r.runs, r.files, r.rejected.length], [4, 4, 4, 0]);
    assert.equal(ws.db.prepare("SELECT kind FROM artifacts WHERE name = 'weights/net.bin'").pluck().get(), 'model');
    const last = progress[progress.length - 1]!;
    assert.equal(last.done, true);
    assert.equal(last.bytesRead, last.bytesTotal);
    fs.writeFileSync(ws.paths.configFile, '{"artifactRules": [{"match": "x"}]}');
    assert.throws(() => ingestOnce({ paths: ws.paths, db: ws.db }), /artifactRules\[0\] needs "match" \(a glob\) and "kind"/);
  } finally {
    ws.dispose();
  }
});

test('standard facets: dataset version, lifecycle ops, processing engine and Spark environment properties', () => {
  const ws = tempWorkspace({ memory: true });
  try {
    const f = (extra: Record<string, unknown>) => ({ _producer: 'p', _schemaURL: 'u', ...extra });
    fs.writeFileSync(path.join(ws.paths.logsDir, 'spark.jsonl'), [
      ev(RUN(1), 'COMPLETE', {
        run: { runId: RUN(1), facets: {
          processing_engine: f({ name: 'spark', version: '3.5.1' }),
          'environment-properties': f({ 'environment-properties': { 'spark.master': 'yarn' } }),
        } },
        inputs: [{ namespace: 'hive', name: 'db.src', facets: { version: f({ datasetVersion: '17' }) } }],
        outputs: [
          { namespace: 'hive', name: 'db.old', facets: { lifecycleStateChange: f({ lifecycleStateChange: 'DROP' }) } },
          { namespace: 'hive', name: 'db.t', facets: { lifecycleStateChange: f({ lifecycleStateChange: 'OVERWRITE' }) } },
          { namespace: 'hive', name: 'db.new', facets: { lifecycleStateChange: f({ lifecycleStateChange: 'RENAME', previousIdentifier: { namespace: 'hive', name: 'db.tmp' } }) } },
        ],
      }),
    ].join('\n') + '\n');
    const r = ingestOnce({ paths: ws.paths, db: ws.db });
    assert.deepEqual([r.events, r.rejected.length], [1, 0]);
    const rows = ws.db.prepare(`SELECT a.name, x.op, x.raw_op, v.version, v.version_kind, (SELECT name FROM artifacts WHERE id = x.renamed_from_id)
      FROM accesses x JOIN artifacts a ON a.id = x.artifact_id JOIN artifact_versions v ON v.id = x.version_id ORDER BY x.id`).raw().all();
    assert.deepEqual(rows, [
      ['db.src', 'READ', 'READ', '17', 'dataset_version', null],
      ['db.old', 'DELETE', 'lifecycle:DELETE', 'initial', 'initial', null],
      ['db.t', 'MODIFY', 'lifecycle:MODIFY', `run:${RUN(1)}`, 'run', null],
      ['db.new', 'RENAME', 'lifecycle:RENAME', `run:${RUN(1)}`, 'run', 'db.tmp'],
    ]);
    const env = ws.db.prepare('SELECT e.engine, e.engine_version, e.variables FROM runs r JOIN environments e ON e.id = r.environment_id').get();
    assert.deepEqual(env, { engine: 'spark', engine_version: '3.5.1', variables: '{"spark.master":"yarn"}' });
    assert.equal(r.warnings.complete_without_start, 1);
  } finally {
    ws.dispose();
  }
});

test('a session given its own sink hands it the batch (events, offsets) and writes nothing to the DB itself', () => {
  const ws = tempWorkspace();
  try {
    const log = path.join(ws.paths.logsDir, 'a.jsonl');
    const text = [ev(RUN(1), 'START'), ev(RUN(1), 'COMPLETE'), ev(RUN(2), 'START')].join('\n') + '\n';
    fs.writeFileSync(log, text);
    const batches: WriteBatch[] = [];
    const session = new IngestSession(ws.db, ws.paths, { sink: { write: (b) => void batches.push(b), drain() {}, close() {} } });
    try {
      session.pass(sourcesOf(ws.paths, [], []), { batchEvents: 100, settleMs: 0 });
    } finally {
      session.close();
    }
    assert.equal(batches.length, 1);
    assert.equal(batches[0]!.events.count, 3);
    assert.equal(batches[0]!.runs.count, 2);
    assert.deepEqual(batches[0]!.sources.map((s) => [s.path, s.offset, s.expectedOffset]), [[log, Buffer.byteLength(text), null]]);
    for (const t of PROVENANCE_TABLES) assert.equal(count(ws.db, t), 0, t);
  } finally {
    ws.dispose();
  }
});

test('entities evicted from the caches and reloaded from the DB fold exactly as if they had stayed cached', () => {
  // One log file read by both workspaces: the same path and inode in prov_sources.
  const logs = tempWorkspace();
  const log = path.join(logs.paths.root, 'synth.jsonl');
  fs.writeFileSync(log, [...synthLines({ events: 3000, datasets: 150 })].join('\n') + '\n');
  const ingestWith = (opts: { cacheLimits?: CacheLimits; writer?: 'thread' }) => {
    const ws = tempWorkspace();
    const session = new IngestSession(ws.db, ws.paths, opts);
    try {
      const t = session.pass(sourcesOf(ws.paths, [log], []), { batchEvents: 100, settleMs: 0 });
      assert.equal(t.events + t.rejected, 3000);
      return { ws, dump: dumpProvenance(ws.db, PROVENANCE_TABLES) };
    } finally {
      session.close();
    }
  };
  const cached = ingestWith({});
  // Limits far below what 3,000 events create (about 1,500 runs, 2,000 artifacts, 1,400 code
  // versions, 2 environments): emptied at almost every commit, every entity reloaded by key,
  // while the writer thread may still be writing the batch that created it.
  const evicted = ingestWith({ cacheLimits: { runs: 3, artifacts: 10, hashIds: 1 }, writer: 'thread' });
  try {
    assert.ok(count(cached.ws.db, 'runs') > 1000 && count(cached.ws.db, 'code_versions') > 1000 && count(cached.ws.db, 'environments') === 2);
    assert.deepEqual(evicted.dump, cached.dump);
  } finally {
    cached.ws.dispose();
    evicted.ws.dispose();
    logs.dispose();
  }
});
