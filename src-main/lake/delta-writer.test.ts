import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { listLog, loadSnapshot, logDir, readCommit } from './delta-log';
import { readAllRows, readDataSlice } from './delta-scan';
import { readChanges } from './changes';
import { type DeltaField, type Row } from './delta-types';
import { writeTable } from './delta-writer';
import { readInputFile } from './input';
import { versionAtTime } from './time-travel';
import { copyTable, rowsAt, sortedColumn, tempDir } from './lake.test-support';

const ALL_TYPES: DeltaField[] = [
  { name: 'id', type: 'long', nullable: false }, { name: 's', type: 'string', nullable: true }, { name: 'i', type: 'integer', nullable: true },
  { name: 'sh', type: 'short', nullable: true }, { name: 'b', type: 'byte', nullable: true }, { name: 'f', type: 'float', nullable: true },
  { name: 'd', type: 'double', nullable: true }, { name: 'bo', type: 'boolean', nullable: true }, { name: 'bi', type: 'binary', nullable: true },
  { name: 'dt', type: 'date', nullable: true }, { name: 'ts', type: 'timestamp', nullable: true }, { name: 'tn', type: 'timestamp_ntz', nullable: true },
  { name: 'dec', type: 'decimal(12,3)', nullable: true },
];
const ALL_ROWS: Row[] = [
  { id: 1, s: 'héllo, "world"', i: -2147483648, sh: -32768, b: 127, f: 1.5, d: -2.25e300, bo: true, bi: 'AQID', dt: '1969-12-31', ts: '2024-01-01T00:00:00.123456Z', tn: '2024-06-01T12:30:00.000001', dec: '-123456789.125' },
  { id: '9007199254740993', s: '', i: 0, sh: 0, b: 0, f: 0, d: 0, bo: false, bi: '', dt: '2000-02-29', ts: '1900-01-01T00:00:00.000Z', tn: '1970-01-01T00:00:00.000', dec: '0.000' },
  { id: 3, s: null, i: null, sh: null, b: null, f: null, d: null, bo: null, bi: null, dt: null, ts: null, tn: null, dec: null },
];

function withTemp(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const root = tempDir();
    try { await fn(path.join(root, 't')); } finally { fs.rmSync(root, { recursive: true, force: true }); }
  };
}

test('round trip of every type we write, with stats and protocol', withTemp(async (dir) => {
  const res = await writeTable(dir, { mode: 'append', rows: ALL_ROWS, fields: ALL_TYPES });
  assert.equal(res.version, 0);
  const snap = await loadSnapshot(dir);
  assert.deepEqual(snap.protocol, { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['timestampNtz'], writerFeatures: ['changeDataFeed', 'inCommitTimestamp', 'timestampNtz'] });
  const rows = (await readAllRows(snap)).sort((a, b) => String(a.id).localeCompare(String(b.id)));
  const expected = [...ALL_ROWS].sort((a, b) => String(a.id).localeCompare(String(b.id)));
  assert.deepEqual(rows, expected);
  // Single-row conversion (point lookups) agrees with whole-column conversion, nulls included.
  const slice = await readDataSlice(snap, snap.files[0]!, ALL_TYPES);
  const oneByOne = Array.from({ length: slice.numRows }, (_, i) => slice.row(i)).sort((a, b) => String(a.id).localeCompare(String(b.id)));
  assert.deepEqual(oneByOne, expected);
  const stats = JSON.parse(snap.files[0]!.stats!);
  assert.equal(stats.numRecords, 3);
  assert.equal(stats.nullCount.s, 1);
  assert.equal(stats.minValues.i, -2147483648);
  assert.equal(stats.maxValues.ts, '2024-01-01T00:00:00.124Z'); // ceil to ms: a bound, never below the value
  assert.equal(stats.minValues.ts, '1900-01-01T00:00:00.000Z');
  const info = readCommit(dir, 0)[0]!.commitInfo!;
  assert.equal(typeof info.inCommitTimestamp, 'number');
  assert.deepEqual(info.operationMetrics, { numFiles: '1', numOutputRows: '3' });
}));

test('append, upsert, delete, overwrite: metrics, CDF, time travel, only touched files rewritten', withTemp(async (dir) => {
  const fields: DeltaField[] = [{ name: 'k', type: 'long', nullable: false }, { name: 'v', type: 'string', nullable: true }];
  let clock = 1_700_000_000_000;
  const now = (): number => clock;
  // 3 files with disjoint key ranges (rowsPerFile 10): an upsert of key 15 must only rewrite the middle one.
  await writeTable(dir, { mode: 'append', rows: Array.from({ length: 30 }, (_, k) => ({ k, v: `a${k}` })), fields, keyColumns: ['k'], rowsPerFile: 10, now });
  assert.equal((await loadSnapshot(dir)).files.length, 3);
  clock += 1000;
  const up = await writeTable(dir, { mode: 'upsert', rows: [{ k: 15, v: 'b15' }, { k: 100, v: 'new' }], keyColumns: ['k'], rowsPerFile: 10, now });
  assert.deepEqual([up.version, up.rowsInserted, up.rowsUpdated, up.filesRemoved], [1, 1, 1, 1]);
  const m1 = readCommit(dir, 1)[0]!.commitInfo!;
  assert.equal(m1.operation, 'MERGE');
  assert.equal(m1.operationMetrics!.numTargetRowsUpdated, '1');
  assert.equal(m1.operationMetrics!.numTargetRowsInserted, '1');
  assert.equal(m1.operationMetrics!.numTargetRowsCopied, '9');
  clock += 1000;
  const del = await writeTable(dir, { mode: 'delete', rows: [{ k: 0 }, { k: 1 }, { k: 999 }], keyColumns: ['k'], now });
  assert.deepEqual([del.rowsDeleted, del.filesRemoved], [2, 1]);
  assert.equal(readCommit(dir, 2)[0]!.commitInfo!.operationMetrics!.numDeletedRows, '2');

  const latest = new Map((await rowsAt(dir)).map((r) => [r.k, r.v]));
  assert.equal(latest.size, 29);
  assert.equal(latest.get(15), 'b15');
  assert.equal(latest.get(100), 'new');
  assert.equal(latest.has(0), false);
  assert.equal((await rowsAt(dir, 0)).length, 30);

  const changes = await readChanges(dir, 1, 2);
  const summary = changes.map((c) => `${c._commit_version}:${c._change_type}:${c.k}:${c.v}`).sort();
  assert.deepEqual(summary, ['1:insert:100:new', '1:update_postimage:15:b15', '1:update_preimage:15:a15', '2:delete:0:a0', '2:delete:1:a1']);

  // In-commit timestamps drive timestamp travel (the mtimes say nothing).
  assert.equal(versionAtTime(dir, 1_700_000_000_500), 0);
  assert.equal(versionAtTime(dir, 1_700_000_001_000), 1);
  assert.equal(versionAtTime(dir, 1_700_000_099_000), 2);

  clock += 1000;
  const ow = await writeTable(dir, { mode: 'overwrite', rows: [{ k: 7, v: 'only' }], fields, now });
  assert.equal(ow.rowsDeleted, 29);
  assert.deepEqual(await rowsAt(dir), [{ k: 7, v: 'only' }]);
}));

test('a checkpoint every 10 commits, readable by our reader', withTemp(async (dir) => {
  const fields: DeltaField[] = [{ name: 'k', type: 'long', nullable: false }];
  for (let i = 0; i < 12; i++) await writeTable(dir, { mode: 'append', rows: [{ k: i }], fields });
  const listing = listLog(dir);
  assert.deepEqual([...listing.checkpoints.keys()], [10]);
  assert.equal(JSON.parse(fs.readFileSync(path.join(logDir(dir), '_last_checkpoint'), 'utf8')).version, 10);
  for (let v = 0; v < 10; v++) fs.rmSync(path.join(logDir(dir), `${String(v).padStart(20, '0')}.json`));
  assert.deepEqual(await sortedColumn(dir, 'k'), Array.from({ length: 12 }, (_, i) => i));
}));

test('create from CSV, JSON lines and Parquet input with inferred schemas', withTemp(async (dir) => {
  const root = path.dirname(dir);
  fs.mkdirSync(root, { recursive: true });
  const csv = path.join(root, 'in.csv');
  fs.writeFileSync(csv, 'id,name,score,ok,day,at\n1,"Smith, J",1.5,true,2024-01-02,2024-01-02T03:04:05Z\n2,Lee,,false,2024-01-03,2024-01-03T00:00:00Z\n');
  const csvIn = await readInputFile(csv);
  assert.deepEqual(csvIn.fields.map((f) => `${f.name}:${String(f.type)}`), ['id:long', 'name:string', 'score:double', 'ok:boolean', 'day:date', 'at:timestamp']);
  await writeTable(dir, { mode: 'append', rows: csvIn.rows, fields: csvIn.fields });
  const rows = await rowsAt(dir);
  assert.deepEqual(rows.find((r) => r.id === 1), { id: 1, name: 'Smith, J', score: 1.5, ok: true, day: '2024-01-02', at: '2024-01-02T03:04:05.000Z' });
  assert.equal(rows.find((r) => r.id === 2)!.score, null);

  const jsonl = path.join(root, 'in.jsonl');
  fs.writeFileSync(jsonl, '{"id":3,"name":"Kim","score":2}\n{"id":4,"name":null,"score":2.5}\n');
  const jsonIn = await readInputFile(jsonl);
  assert.deepEqual(jsonIn.fields.map((f) => `${f.name}:${String(f.type)}`), ['id:long', 'name:string', 'score:double']);
  await writeTable(dir, { mode: 'append', rows: jsonIn.rows });
  assert.equal((await rowsAt(dir)).length, 4);

  const snap = await loadSnapshot(dir);
  const pq = path.join(dir, decodeURIComponent(snap.files[0]!.path));
  const pqIn = await readInputFile(pq);
  assert.deepEqual(pqIn.fields.map((f) => f.type), ['long', 'string', 'double', 'boolean', 'date', 'timestamp']);
  assert.equal(pqIn.rows.length, 2);
}));

test('partitioned tables and writing into an upstream table (Spark-written, CDF on)', withTemp(async (dir) => {
  const fields: DeltaField[] = [{ name: 'id', type: 'long', nullable: false }, { name: 'p', type: 'string', nullable: true }];
  await writeTable(dir, { mode: 'append', rows: [{ id: 1, p: 'a/b' }, { id: 2, p: null }, { id: 3, p: 'c d' }], fields, partitionColumns: ['p'] });
  const snap = await loadSnapshot(dir);
  assert.equal(snap.files.length, 3);
  assert.deepEqual((await readAllRows(snap)).map((r) => `${r.id}:${r.p}`).sort(), ['1:a/b', '2:null', '3:c d']);
  await writeTable(dir, { mode: 'upsert', rows: [{ id: 2, p: 'moved' }], keyColumns: ['id'] });
  assert.deepEqual((await rowsAt(dir)).map((r) => `${r.id}:${r.p}`).sort(), ['1:a/b', '2:moved', '3:c d']);

  const cdf = copyTable('delta-rs/cdf-table', path.dirname(dir));
  const before = (await loadSnapshot(cdf)).version;
  const res = await writeTable(cdf, { mode: 'upsert', rows: [{ id: 1, name: 'Stevie', birthday: '2023-12-22' }], keyColumns: ['id'] });
  assert.equal(res.version, before + 1);
  assert.equal(res.rowsUpdated, 1);
  const ch = await readChanges(cdf, res.version, res.version);
  assert.deepEqual(ch.map((c) => `${c._change_type}:${c.name}`).sort(), ['update_postimage:Stevie', 'update_preimage:Steve']);
}));

test('refusals: unknown writer feature, missing key, unknown input column', withTemp(async (dir) => {
  await assert.rejects(writeTable(dir, { mode: 'upsert', rows: [{ k: 1 }], fields: [{ name: 'k', type: 'long', nullable: false }] }), /needs a key column/);
  await assert.rejects(writeTable(dir, { mode: 'delete', rows: [{ k: 1 }], keyColumns: ['k'] }), (e: AppError) => e.code === 'NOT_FOUND');
  const fields: DeltaField[] = [{ name: 'k', type: 'long', nullable: false }, { name: 'v', type: 'long', nullable: true }];
  await writeTable(dir, { mode: 'append', rows: [{ k: 1, v: 0 }], fields, keyColumns: ['k'] });
  await assert.rejects(writeTable(dir, { mode: 'append', rows: [{ k: 1, v: 0 }, { k: 1, nope: 0 }] }), /^AppError: Row 2 of the input has column "nope", which does not exist/);
  const bad = copyTable('delta/v2-checkpoint-json', path.dirname(dir));
  await assert.rejects(writeTable(bad, { mode: 'append', rows: [] }), (e: AppError) => e.code === 'UNSUPPORTED' && /writer feature "v2Checkpoint"/.test(e.message));
}));

const dataFilesOnDisk = (dir: string): string[] => fs.readdirSync(dir, { recursive: true }).map(String).filter((p) => p.endsWith('.parquet') && !p.startsWith('_delta_log')).sort();

test('a write planned on a version another commit has since rewritten is refused with CONFLICT, and leaves nothing', withTemp(async (dir) => {
  const fields: DeltaField[] = [{ name: 'k', type: 'long', nullable: false }, { name: 'v', type: 'long', nullable: true }];
  await writeTable(dir, { mode: 'append', rows: [{ k: 1, v: 0 }, { k: 2, v: 0 }], fields, keyColumns: ['k'] });
  await writeTable(dir, { mode: 'upsert', rows: [{ k: 1, v: 1 }], keyColumns: ['k'] }); // v1 rewrites the only file
  const before = dataFilesOnDisk(dir);
  // This writer read version 0: its plan rewrites the file v1 already removed. It must refuse,
  // not quietly plan again (that would drop what the caller saw).
  await assert.rejects(
    writeTable(dir, { mode: 'upsert', rows: [{ k: 1, v: 2 }], keyColumns: ['k'], readVersion: 0 }),
    (e: AppError) => e.code === 'CONFLICT' && e.message === `Commit to table ${dir} lost to a concurrent commit at version 1 that rewrote the same file ${(readCommit(dir, 1).find((a) => a.remove)!.remove!.path)}; nothing was written.`,
  );
  assert.equal(listLog(dir).latest, 1);
  assert.deepEqual(dataFilesOnDisk(dir), before, 'the refused write left no file behind');
  assert.deepEqual((await rowsAt(dir)).sort((a, b) => Number(a.k) - Number(b.k)), [{ k: 1, v: 1 }, { k: 2, v: 0 }]);
  // Asked to, the writer plans again on the new version.
  const replanned = await writeTable(dir, { mode: 'upsert', rows: [{ k: 1, v: 2 }], keyColumns: ['k'], readVersion: 0, onConflict: 'replan' });
  assert.deepEqual([replanned.version, replanned.retries], [2, 1]);
  assert.deepEqual((await rowsAt(dir)).sort((a, b) => Number(a.k) - Number(b.k)), [{ k: 1, v: 2 }, { k: 2, v: 0 }]);
  // A blind append conflicts with nothing: it lands on top, one retry per commit it lost to.
  const appended = await writeTable(dir, { mode: 'append', rows: [{ k: 3, v: 0 }], readVersion: 0 });
  assert.deepEqual([appended.version, appended.retries], [3, 2]);
}));

test('writes are refused where the table asks for rules Retrace cannot enforce: invariants, generated and identity columns', withTemp(async (dir) => {
  for (const [key, words] of [['delta.invariants', 'a column invariant ("v")'], ['delta.generationExpression', 'a generated column ("v")'], ['delta.identity.start', 'an identity column ("v")']] as const) {
    fs.rmSync(dir, { recursive: true, force: true });
    await writeTable(dir, { mode: 'append', rows: [{ k: 1, v: 1 }], fields: [{ name: 'k', type: 'long', nullable: false }, { name: 'v', type: 'long', nullable: true, metadata: { [key]: 'x' } }] });
    await assert.rejects(writeTable(dir, { mode: 'append', rows: [{ k: 2, v: 2 }] }), (e: AppError) => e.code === 'UNSUPPORTED' && e.message === `Table ${dir} has ${words}, which Retrace cannot enforce, so it will not write to it.`);
    assert.equal(listLog(dir).latest, 0);
  }
}));
