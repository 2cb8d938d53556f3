import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { MetadataAction, ProtocolAction } from './delta-actions';
import { listLog, loadSnapshot, logDir, readCommit } from './delta-log';
import type { DeltaField, Row } from './delta-types';
import { writeTable } from './delta-writer';
import { alterTable } from './table-alter';
import { rowsAt, tempDir } from './lake.test-support';
import { refusal } from '../../test/refusal.test-support';

// What the writer puts in the log (commitInfo, protocol, metaData, remove actions) and which
// tables, requests and concurrent commits it refuses, each against a log written by hand or a
// commit sequence worked out in the test (Delta protocol: PROTOCOL.md of delta-io/delta).

function withTemp(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const root = tempDir();
    try { await fn(path.join(root, 't')); } finally { fs.rmSync(root, { recursive: true, force: true }); }
  };
}

const KV: DeltaField[] = [{ name: 'k', type: 'long', nullable: false }, { name: 'v', type: 'string', nullable: true }];
const byK = (rows: Row[]): Row[] => [...rows].sort((a, b) => Number(a.k) - Number(b.k));
const info = (dir: string, v: number) => readCommit(dir, v)[0]!.commitInfo!;
function action(dir: string, v: number, kind: 'protocol'): ProtocolAction | undefined;
function action(dir: string, v: number, kind: 'metaData'): MetadataAction | undefined;
function action(dir: string, v: number, kind: 'protocol' | 'metaData'): ProtocolAction | MetadataAction | undefined {
  return readCommit(dir, v).find((a) => a[kind])?.[kind];
}

/** A table whose first commit is written by hand: a protocol, a metaData and the given adds. */
function handMadeTable(dir: string, opts: { protocol: Record<string, unknown>; configuration?: Record<string, string>; fields?: unknown[]; adds?: Record<string, unknown>[] }): void {
  fs.mkdirSync(logDir(dir), { recursive: true });
  // Fields as a Spark log spells them may lack `metadata`; `configuration` may be missing too.
  const fields = opts.fields ?? [{ name: 'k', type: 'long', nullable: false }, { name: 'v', type: 'string', nullable: true }];
  const actions: unknown[] = [
    { protocol: opts.protocol },
    { metaData: { id: 'hand-made', format: { provider: 'parquet', options: {} }, schemaString: JSON.stringify({ type: 'struct', fields }), partitionColumns: [], ...(opts.configuration ? { configuration: opts.configuration } : {}), createdTime: 1 } },
    ...(opts.adds ?? []).map((add) => ({ add })),
  ];
  fs.writeFileSync(path.join(logDir(dir), '00000000000000000000.json'), actions.map((a) => JSON.stringify(a)).join('\n') + '\n');
}

test('a created table records protocol (1, 7), its schema, CDF and in-commit timestamps on, and who wrote each commit', withTemp(async (dir) => {
  const now = () => 1_700_000_000_000;
  await writeTable(dir, { mode: 'append', rows: [{ k: 1, v: 'a' }], fields: KV, now });
  assert.deepEqual(action(dir, 0, 'protocol'), { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ['changeDataFeed', 'inCommitTimestamp'] });
  const meta = action(dir, 0, 'metaData')!;
  assert.deepEqual(meta.format, { provider: 'parquet', options: {} });
  assert.deepEqual(JSON.parse(meta.schemaString), { type: 'struct', fields: [{ name: 'k', type: 'long', nullable: false, metadata: {} }, { name: 'v', type: 'string', nullable: true, metadata: {} }] });
  assert.deepEqual([meta.partitionColumns, meta.configuration, meta.createdTime], [[], { 'delta.enableChangeDataFeed': 'true', 'delta.enableInCommitTimestamps': 'true' }, 1_700_000_000_000]);
  assert.match(meta.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a random UUID');
  const c0 = info(dir, 0);
  assert.deepEqual([c0.operation, c0.operationParameters, c0.readVersion, c0.isBlindAppend, c0.engineInfo, c0.timestamp, c0.inCommitTimestamp],
    ['CREATE TABLE', { mode: 'ErrorIfExists', partitionBy: '[]' }, -1, true, 'Retrace', 1_700_000_000_000, 1_700_000_000_000]);
  await writeTable(dir, { mode: 'append', rows: [{ k: 2, v: 'b' }], now });
  const c1 = info(dir, 1);
  assert.deepEqual([c1.operation, c1.operationParameters, c1.readVersion, c1.isBlindAppend], ['WRITE', { mode: 'Append', partitionBy: '[]' }, 0, true]);
  assert.deepEqual(readCommit(dir, 1).map((a) => Object.keys(a)[0]), ['commitInfo', 'add'], 'an append with the same schema writes no metaData');
}));

test('in-commit timestamps only go forward: a commit made on a clock behind the last one gets the last one plus 1 ms', withTemp(async (dir) => {
  let clock = 10_000;
  await writeTable(dir, { mode: 'append', rows: [{ k: 1, v: 'a' }], fields: KV, now: () => clock });
  clock = 5_000;
  await writeTable(dir, { mode: 'append', rows: [{ k: 2, v: 'b' }], now: () => clock });
  assert.deepEqual([info(dir, 1).timestamp, info(dir, 1).inCommitTimestamp], [5_000, 10_001]);
  clock = 20_000;
  await writeTable(dir, { mode: 'append', rows: [{ k: 3, v: 'c' }], now: () => clock });
  assert.deepEqual([info(dir, 2).timestamp, info(dir, 2).inCommitTimestamp], [20_000, 20_000]);
}));

test('overwrite: removes every file it replaces, and writes metaData (same id, same creation time) only when the schema or partitioning changes', withTemp(async (dir) => {
  let clock = 1_000;
  const now = () => clock;
  await writeTable(dir, { mode: 'append', rows: [{ k: 1, v: 'a' }, { k: 2, v: 'b' }], fields: KV, now });
  await writeTable(dir, { mode: 'append', rows: [{ k: 3, v: 'c' }], now });
  const id = action(dir, 0, 'metaData')!.id;
  const before = (await loadSnapshot(dir)).files.map((f) => f.path).sort();
  clock = 2_000;
  const same = await writeTable(dir, { mode: 'overwrite', rows: [{ k: 4, v: 'd' }], now });
  assert.deepEqual([same.rowsDeleted, same.filesRemoved, same.rowsInserted, same.filesAdded], [3, 2, 1, 1]);
  const c2 = info(dir, 2);
  assert.deepEqual([c2.operation, c2.operationParameters, c2.isBlindAppend, c2.operationMetrics], ['WRITE', { mode: 'Overwrite', partitionBy: '[]' }, false, { numFiles: '1', numOutputRows: '1', numRemovedFiles: '2', numDeletedRows: '3' }]);
  const removes = readCommit(dir, 2).filter((a) => a.remove).map((a) => a.remove!);
  assert.deepEqual(removes.map((r) => [r.path, r.deletionTimestamp, r.dataChange]).sort(), before.map((p) => [p, 2_000, true]));
  assert.equal(action(dir, 2, 'metaData'), undefined, 'same schema: no metaData');
  // Nullability is part of the schema: v becoming NOT NULL is a change.
  await writeTable(dir, { mode: 'overwrite', rows: [{ k: 5, v: 'e' }], fields: [KV[0]!, { ...KV[1]!, nullable: false }], now });
  const m3 = action(dir, 3, 'metaData')!;
  assert.deepEqual([m3.id, m3.createdTime, JSON.parse(m3.schemaString).fields[1].nullable], [id, 1_000, false]);
  // A new partitioning is a change too; a later append keeps the table's partitioning, whatever it asks for.
  await writeTable(dir, { mode: 'overwrite', rows: [{ k: 6, v: 'f' }], partitionColumns: ['v'], now });
  assert.deepEqual([action(dir, 4, 'metaData')?.partitionColumns, info(dir, 4).operationParameters], [['v'], { mode: 'Overwrite', partitionBy: '["v"]' }]);
  await writeTable(dir, { mode: 'append', rows: [{ k: 7, v: 'g' }], partitionColumns: [], now });
  assert.deepEqual([(await loadSnapshot(dir)).metadata.partitionColumns, info(dir, 5).operationParameters], [['v'], { mode: 'Append', partitionBy: '["v"]' }]);
  await writeTable(dir, { mode: 'overwrite', rows: [{ k: 8, v: 'h' }], now });
  assert.deepEqual([(await loadSnapshot(dir)).metadata.partitionColumns, action(dir, 6, 'metaData')], [['v'], undefined], 'an overwrite that names no partitioning keeps the table\'s');
  assert.deepEqual(await rowsAt(dir), [{ k: 8, v: 'h' }]);
}));

test('overwriting a column-mapped table keeps the physical names of the columns that stay, and gives new columns new ids and names', withTemp(async (dir) => {
  await writeTable(dir, { mode: 'append', rows: [{ k: 1, v: 'a' }], fields: KV, keyColumns: ['k'] });
  await alterTable(dir, { rename: [['v', 'label']] }); // column mapping on: k is id 1 ("k"), label is id 2 (physical "v")
  const mapped = (await loadSnapshot(dir)).schema.fields;
  const fields: DeltaField[] = [{ name: 'k', type: 'long', nullable: false }, { name: 'label', type: 'string', nullable: true }, { name: 'extra', type: 'long', nullable: true }];
  await writeTable(dir, { mode: 'overwrite', rows: [{ k: 2, label: 'b', extra: 7 }], fields });
  const snap = await loadSnapshot(dir);
  const md = (name: string) => snap.schema.fields.find((f) => f.name === name)!.metadata ?? {};
  assert.deepEqual([md('k'), md('label')], [mapped[0]!.metadata, mapped[1]!.metadata]);
  assert.deepEqual([md('label')['delta.columnMapping.id'], md('label')['delta.columnMapping.physicalName']], [2, 'v']);
  assert.equal(md('extra')['delta.columnMapping.id'], 3);
  assert.match(String(md('extra')['delta.columnMapping.physicalName']), /^col-[0-9a-f-]{36}$/);
  assert.equal(snap.metadata.configuration?.['delta.columnMapping.maxColumnId'], '3');
  assert.deepEqual(await rowsAt(dir), [{ k: 2, label: 'b', extra: 7 }]);
  // A later overwrite that drops the newest column keeps the highest id ever given out.
  await writeTable(dir, { mode: 'overwrite', rows: [{ k: 3, label: 'c' }], fields: fields.slice(0, 2) });
  assert.equal((await loadSnapshot(dir)).metadata.configuration?.['delta.columnMapping.maxColumnId'], '3');
}));

test('rows missing nullable columns get nulls; converted values are written converted, the other columns kept', withTemp(async (dir) => {
  const fields: DeltaField[] = [{ name: 'k', type: 'long', nullable: false }, { name: 'm', type: { type: 'map', keyType: 'string', valueType: 'long', valueContainsNull: true }, nullable: true }, { name: 'v', type: 'string', nullable: true }];
  // Row 1 is complete, with its map given as [key, value] pairs (converted to an object); row 2 lacks m and v.
  await writeTable(dir, { mode: 'append', rows: [{ k: 1, m: [['a', 1]], v: 'x' }, { k: 2 }], fields });
  assert.deepEqual(byK(await rowsAt(dir)), [{ k: 1, m: { a: 1 }, v: 'x' }, { k: 2, m: null, v: null }]);
  const [code, message] = await refusal(writeTable(dir, { mode: 'append', rows: [{ k: 3 }, { k: 'four' }] }));
  assert.equal(code, 'INVALID_ARGUMENT');
  assert.match(message, /^Row 2 of the input, column "k": /);
  assert.deepEqual((await refusal(writeTable(dir, { mode: 'append', rows: [{ k: 5, nope: 1 }] })))[0], 'INVALID_ARGUMENT');
}));

test('requests the writer refuses before writing anything', withTemp(async (dir) => {
  assert.deepEqual(await refusal(writeTable(dir, { mode: 'append', rows: [{ k: 1 }] })), ['INVALID_ARGUMENT', 'A schema is needed to create table here.']);
  assert.deepEqual(await refusal(writeTable(dir, { mode: 'delete', rows: [{ k: 1 }], keyColumns: ['k'] })), ['NOT_FOUND', `Table ${dir} does not exist, so there is nothing to delete.`]);
  await writeTable(dir, { mode: 'append', rows: [{ k: 1, v: 'a' }], fields: KV });
  for (const req of [{ mode: 'delete' as const, rows: [{ k: 1 }] }, { mode: 'delete' as const, rows: [{ k: 1 }], keyColumns: [] }, { mode: 'upsert' as const, rows: [{ k: 1, v: 'b' }], keyColumns: [] }]) {
    assert.deepEqual(await refusal(writeTable(dir, req)), ['INVALID_ARGUMENT', `Mode "${req.mode}" needs a key column (--key).`]);
  }
  assert.deepEqual(await refusal(writeTable(dir, { mode: 'upsert', rows: [{ k: 1, v: 'b' }], keyColumns: ['k', 'nope'] })), ['INVALID_ARGUMENT', `Key column "nope" does not exist in table ${dir}.`]);
  assert.equal(listLog(dir).latest, 0);
  // A delete's rows carry only keys: they are not checked against the schema's other columns.
  assert.equal((await writeTable(dir, { mode: 'delete', rows: [{ k: 1 }], keyColumns: ['k'] })).rowsDeleted, 1);
}));

test('tables written by other engines: legacy writer versions, hand-made logs without configuration or field metadata, every writer feature Retrace supports', withTemp(async (dir) => {
  const root = path.dirname(dir);
  const append = (d: string) => writeTable(d, { mode: 'append', rows: [{ k: 1, v: 'a' }], now: () => 5_000 });
  const supported = ['appendOnly', 'invariants', 'changeDataFeed', 'inCommitTimestamp', 'timestampNtz', 'deletionVectors', 'vacuumProtocolCheck', 'columnMapping', 'typeWidening', 'typeWidening-preview'];
  const accepted: Record<string, Record<string, unknown>> = {
    legacy2: { minReaderVersion: 1, minWriterVersion: 2 },
    legacy4: { minReaderVersion: 1, minWriterVersion: 4, writerFeatures: ['v2Checkpoint'] }, // a feature list means nothing below writer version 7
    features7: { minReaderVersion: 1, minWriterVersion: 7 },
    all7: { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: supported },
  };
  for (const [name, protocol] of Object.entries(accepted)) {
    const d = path.join(root, name);
    handMadeTable(d, { protocol });
    assert.equal((await append(d)).version, 1, name);
    // No configuration: in-commit timestamps are off, so the commit carries only its plain timestamp.
    assert.deepEqual([info(d, 1).timestamp, 'inCommitTimestamp' in info(d, 1)], [5_000, false], name);
  }
  for (const v of [5, 6, 8]) {
    const d = path.join(root, `writer${v}`);
    handMadeTable(d, { protocol: { minReaderVersion: 1, minWriterVersion: v } });
    assert.deepEqual(await refusal(append(d)), ['UNSUPPORTED', `Table ${d} needs Delta writer version ${v}, which Retrace cannot write.`]);
  }
}));

test('tables whose rules Retrace cannot enforce are refused: CHECK constraints, nested invariants; append-only tables take appends only', withTemp(async (dir) => {
  const root = path.dirname(dir);
  const protocol = { minReaderVersion: 1, minWriterVersion: 3 };
  const checks = path.join(root, 'checks');
  handMadeTable(checks, { protocol, configuration: { 'delta.enableChangeDataFeed': 'false', 'delta.constraints.positive': 'k > 0' } });
  assert.deepEqual(await refusal(writeTable(checks, { mode: 'append', rows: [{ k: 1 }] })), ['UNSUPPORTED', `Table ${checks} has CHECK constraints, which Retrace cannot enforce, so it will not write to it.`]);
  const nested = path.join(root, 'nested');
  const s = { type: 'struct', fields: [{ name: 'plain', type: 'long', nullable: true }, { name: 'inner', type: 'long', nullable: true, metadata: { 'delta.invariants': '{"expression":{"expression":"inner > 0"}}' } }] };
  handMadeTable(nested, { protocol, fields: [{ name: 'k', type: 'long', nullable: false }, { name: 'tags', type: { type: 'array', elementType: 'string', containsNull: true }, nullable: true }, { name: 's', type: s, nullable: true }] });
  assert.deepEqual(await refusal(writeTable(nested, { mode: 'append', rows: [{ k: 1 }] })), ['UNSUPPORTED', `Table ${nested} has a column invariant ("inner"), which Retrace cannot enforce, so it will not write to it.`]);
  const appendOnly = path.join(root, 'append-only');
  handMadeTable(appendOnly, { protocol, configuration: { 'delta.appendOnly': 'true' } });
  assert.equal((await writeTable(appendOnly, { mode: 'append', rows: [{ k: 1, v: 'a' }] })).version, 1);
  for (const mode of ['upsert', 'delete', 'overwrite'] as const) {
    assert.deepEqual(await refusal(writeTable(appendOnly, { mode, rows: [{ k: 1, v: 'b' }], keyColumns: ['k'] })), ['INVALID_ARGUMENT', `Table ${appendOnly} is append-only (delta.appendOnly=true); ${mode} is not allowed.`]);
  }
  assert.equal(listLog(appendOnly).latest, 1);
}));

test('an overwrite removes files as they were added: deletion vectors kept, unreadable stats counted as 0 rows', withTemp(async (dir) => {
  const dv = { storageType: 'u', pathOrInlineDv: 'ab^-aqEH.-t@S}K{vb[*k^', offset: 1, sizeInBytes: 36, cardinality: 2 };
  handMadeTable(dir, { protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors'] }, adds: [
    { path: 'a.parquet', partitionValues: {}, size: 10, modificationTime: 1, dataChange: true, stats: '{"numRecords":5}', deletionVector: dv },
    { path: 'b.parquet', partitionValues: {}, size: 20, modificationTime: 1, dataChange: true, stats: 'not json' },
    { path: 'c.parquet', partitionValues: {}, size: 30, modificationTime: 1, dataChange: true },
  ] });
  const r = await writeTable(dir, { mode: 'overwrite', rows: [{ k: 1, v: 'a' }], now: () => 7_000 });
  assert.deepEqual([r.filesRemoved, r.rowsDeleted], [3, 5]);
  const removes = readCommit(dir, 1).filter((a) => a.remove).map((a) => a.remove!);
  assert.deepEqual(removes.map((x) => [x.path, x.size, x.deletionVector ?? null]), [['a.parquet', 10, dv], ['b.parquet', 20, null], ['c.parquet', 30, null]]);
}));

test('concurrent commits: what each kind of write refuses, and what it lands on top of', withTemp(async (dir) => {
  const root = path.dirname(dir);
  const fresh = async (name: string): Promise<string> => {
    const d = path.join(root, name);
    await writeTable(d, { mode: 'append', rows: [{ k: 1, v: 'a' }, { k: 2, v: 'b' }], fields: KV, keyColumns: ['k'] }); // v0: keys 1–2
    return d;
  };
  const lost = (d: string, v: number, what: string) => ['CONFLICT', `Commit to table ${d} lost to a concurrent commit at version ${v} that ${what}; nothing was written.`];
  // An overwrite planned on v0 against an append at v1.
  let d = await fresh('overwrite-vs-append');
  await writeTable(d, { mode: 'append', rows: [{ k: 9, v: 'z' }] });
  assert.deepEqual(await refusal(writeTable(d, { mode: 'overwrite', rows: [{ k: 5, v: 'e' }], readVersion: 0 })), lost(d, 1, 'changed data this overwrite replaces'));
  // An overwrite planned on v0 against an upsert at v1 that rewrote the file it replaces: named as such.
  d = await fresh('overwrite-vs-upsert');
  await writeTable(d, { mode: 'upsert', rows: [{ k: 1, v: 'A' }], keyColumns: ['k'] });
  const rewritten = readCommit(d, 1).find((a) => a.remove)!.remove!.path;
  assert.deepEqual(await refusal(writeTable(d, { mode: 'overwrite', rows: [{ k: 5, v: 'e' }], readVersion: 0 })), lost(d, 1, `rewrote the same file ${rewritten}`));
  // Even a blind append refuses to land on a schema change.
  d = await fresh('append-vs-schema');
  await writeTable(d, { mode: 'overwrite', rows: [{ k: 1, v: 'a', w: 1 }], fields: [...KV, { name: 'w', type: 'long', nullable: true }] });
  assert.deepEqual(await refusal(writeTable(d, { mode: 'append', rows: [{ k: 3, v: 'c' }], readVersion: 0 })), lost(d, 1, 'changed the table schema or protocol'));
  // A delete or upsert planned on v0 against an append at v1 of a file whose key range holds its keys…
  for (const mode of ['delete', 'upsert'] as const) {
    d = await fresh(`${mode}-vs-overlap`);
    await writeTable(d, { mode: 'append', rows: [{ k: 1, v: 'dup' }, { k: 3, v: 'c' }] }); // keys 1–3
    const added = readCommit(d, 1).find((a) => a.add)!.add!.path;
    assert.deepEqual(await refusal(writeTable(d, { mode, rows: [{ k: 2, v: 'B' }, { k: 2, v: 'B' }], keyColumns: ['k'], readVersion: 0 })), lost(d, 1, `added file ${added} that may hold the same keys`));
    // …but one whose keys lie outside it lands on top, one retry per commit it lost to.
    d = await fresh(`${mode}-vs-disjoint`);
    await writeTable(d, { mode: 'append', rows: [{ k: 10, v: 'j' }, { k: 11, v: 'k' }] }); // keys 10–11
    const r = await writeTable(d, { mode, rows: [{ k: 2, v: 'B' }], keyColumns: ['k'], readVersion: 0 });
    assert.deepEqual([r.version, r.retries], [2, 1]);
    assert.deepEqual(byK(await rowsAt(d)).map((x) => x.k), mode === 'delete' ? [1, 10, 11] : [1, 2, 10, 11]);
  }
}));

test('a table created by another writer between planning and committing: CONFLICT, or planned again on it when asked', withTemp(async (dir) => {
  const root = path.dirname(dir);
  for (const onConflict of ['fail', 'replan'] as const) {
    const d = path.join(root, onConflict);
    let calls = 0;
    // The clock is read once to plan and once to commit; between the two, the other writer creates the table.
    const now = () => {
      if (++calls === 2) handMadeTable(d, { protocol: { minReaderVersion: 1, minWriterVersion: 2 } });
      return 1_000;
    };
    const p = writeTable(d, { mode: 'append', rows: [{ k: 1, v: 'a' }], fields: KV, now, onConflict });
    if (onConflict === 'fail') {
      assert.deepEqual(await refusal(p), ['CONFLICT', `Commit to table ${d} lost to a concurrent commit at version 0 that the table was created concurrently; nothing was written.`]);
      assert.equal(listLog(d).latest, 0);
    } else {
      assert.deepEqual([(await p).version, (await p).retries], [1, 1]);
      assert.deepEqual(await rowsAt(d), [{ k: 1, v: 'a' }]);
    }
  }
}));

test('a write that keeps losing to schema changes gives up after 200 attempts', withTemp(async (dir) => {
  await writeTable(dir, { mode: 'append', rows: [{ k: 1, v: 'a' }], fields: KV });
  let calls = 0;
  // Every attempt reads the clock twice (plan, commit); before each commit another writer changes the schema.
  const now = () => {
    if (++calls % 2 === 0) {
      const v = listLog(dir).latest + 1;
      const meta = { ...action(dir, 0, 'metaData')!, schemaString: JSON.stringify({ type: 'struct', fields: [...KV, { name: `c${v}`, type: 'long', nullable: true, metadata: {} }].map((f) => ({ metadata: {}, ...f })) }) };
      fs.writeFileSync(path.join(logDir(dir), `${String(v).padStart(20, '0')}.json`), JSON.stringify({ metaData: meta }) + '\n');
    }
    return 1_000;
  };
  assert.deepEqual(await refusal(writeTable(dir, { mode: 'overwrite', rows: [{ k: 2, v: 'b' }], now, onConflict: 'replan' })), ['CONFLICT', `Table ${dir} kept changing under this write; gave up after 200 attempts.`]);
  assert.equal(listLog(dir).latest, 200, 'one foreign commit per attempt, none of ours');
}));
