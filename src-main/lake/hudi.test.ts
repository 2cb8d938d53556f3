import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hudiFileSlices, hudiHistory, readHudiIncremental, readHudiSnapshot } from './hudi';
import { hudiTimeline } from './hudi-timeline';
import { AppError } from '../../shared/errors';
import fs from 'node:fs';
import path from 'node:path';
import { copyTable, ext, verifyNonpartRecords } from './lake.test-support';
import type { Row } from './delta-types';

// Expectations quoted from ../shared/testdata/external/README.md (apache/hudi-rs COW tables).

const triple = (rows: Row[]): string[] => rows.map((r) => `${r.id},${r.name},${r.isActive}`).sort((a, b) => Number(a.split(',')[0]) - Number(b.split(',')[0]));
const FOUR = ['1,Alice,false', '2,Bob,false', '3,Carol,true', '4,Diana,true'];

test('cow/v6_empty: snapshot and incremental return nothing', async () => {
  assert.deepEqual(await readHudiSnapshot(ext('hudi-rs/cow/v6_empty')), []);
  assert.deepEqual(await readHudiIncremental(ext('hudi-rs/cow/v6_empty'), '0'), []);
});

test('cow/v6_nonpartitioned: snapshot after an upsert rewrote the file group', async () => {
  assert.deepEqual(triple(await readHudiSnapshot(ext('hudi-rs/cow/v6_nonpartitioned'))), FOUR);
});

test('cow/v6_simplekeygen_nonhivestyle: time travel, partition pruning, latest', async () => {
  const dir = ext('hudi-rs/cow/v6_simplekeygen_nonhivestyle');
  assert.deepEqual(triple(await readHudiSnapshot(dir, { asOf: '20240418172802262' })), ['1,Alice,true', '2,Bob,false', '3,Carol,true']);
  assert.deepEqual(triple(await readHudiSnapshot(dir, { partitions: ['10'] })), ['1,Alice,false', '3,Carol,true']);
  const table = hudiTimeline(dir);
  assert.ok((await hudiFileSlices(table)).filter((s) => s.partition === '10').length < (await hudiFileSlices(table)).length);
  assert.deepEqual(triple(await readHudiSnapshot(dir)), FOUR);
  const [, second] = await hudiHistory(dir);
  assert.equal(second!.instant, '20240418172804498');
  assert.equal(second!.partitions['30']![0]!.numInserts, 1);
  const p10 = second!.partitions['10']![0]!;
  assert.deepEqual([p10.numUpdateWrites, p10.numWrites, p10.prevCommit], [1, 2, '20240418172802262']);
  assert.equal(second!.rowsUpdated, 1);
});

test('cow/v6_simplekeygen_nonhivestyle_overwritetable: incremental queries across a replacecommit', async () => {
  const dir = ext('hudi-rs/cow/v6_simplekeygen_nonhivestyle_overwritetable');
  const [c1, c2, c3] = hudiTimeline(dir).timeline.map((i) => i.instant);
  assert.deepEqual([c1, c2, c3], ['20240707001301554', '20240707001302376', '20240707001303088']);
  assert.deepEqual(triple(await readHudiIncremental(dir, '19700101000000', c1)), ['1,Alice,true', '2,Bob,false', '3,Carol,true']);
  assert.deepEqual(triple(await readHudiIncremental(dir, c1!, c2)), ['1,Alice,false', '4,Diana,true']);
  assert.deepEqual(triple(await readHudiIncremental(dir, c2!, c3)), ['4,Diana,false']);
  assert.deepEqual(triple(await readHudiIncremental(dir, c1!)), ['4,Diana,false']);
  assert.deepEqual(await readHudiIncremental(dir, c3!), []);
});

test('cow/v8_nonpartitioned: Avro timeline (table version 8), snapshot', async () => {
  assert.equal(hudiTimeline(ext('hudi-rs/cow/v8_nonpartitioned')).tableVersion, 8);
  assert.deepEqual(triple(await readHudiSnapshot(ext('hudi-rs/cow/v8_nonpartitioned'))), FOUR);
});

test('cow/v8_simplekeygen_nonhivestyle: partitioned, table version 8', async () => {
  assert.deepEqual(triple(await readHudiSnapshot(ext('hudi-rs/cow/v8_simplekeygen_nonhivestyle'))), FOUR);
});

test('cow/v8_empty: no commits, no rows', async () => {
  assert.deepEqual(await readHudiSnapshot(ext('hudi-rs/cow/v8_empty')), []);
});

for (const t of ['v6_simplekeygen_hivestyle_no_metafields', 'v8_simplekeygen_hivestyle_no_metafields']) {
  test(`cow/${t}: written without meta fields (the _hoodie_* columns hold nulls)`, async () => {
    const rows = await readHudiSnapshot(ext(`hudi-rs/cow/${t}`));
    assert.deepEqual(triple(rows), FOUR);
    assert.ok(rows.every((r) => r._hoodie_commit_time == null && r._hoodie_record_key == null));
  });
}

test('cow/v6_complexkeygen_hivestyle: two-level hive partitions; the upstream filters; shortField per row', async () => {
  const rows = await readHudiSnapshot(ext('hudi-rs/cow/v6_complexkeygen_hivestyle'));
  assert.deepEqual(triple(rows), FOUR);
  const filtered = rows.filter((r) => Number(r.byteField) >= 10 && Number(r.byteField) < 20 && Number(r.shortField) !== 100);
  assert.deepEqual(triple(filtered), ['1,Alice,false', '3,Carol,true']);
  const pushdown = rows.filter((r) => Number(r.id) % 2 === 0 && r.name !== 'Alice' && Number((r.structField as Row).field2) > 30);
  assert.deepEqual(pushdown.map((r) => [r.id, r.name, r.isActive, (r.structField as Row).field2]).sort(), [[2, 'Bob', false, 40], [4, 'Diana', true, 50]]);
  assert.deepEqual(rows.sort((a, b) => Number(a.id) - Number(b.id)).map((r) => r.shortField), [300, 100, 300, 100]);
});

test('cow/v6_timebasedkeygen_nonhivestyle: time-based key generator, partitions yyyy/MM/dd/HH', async () => {
  const rows = await readHudiSnapshot(ext('hudi-rs/cow/v6_timebasedkeygen_nonhivestyle'));
  assert.deepEqual(triple(rows), FOUR);
  const pushdown = rows.filter((r) => Number(r.id) % 2 === 0 && r.name !== 'Alice' && Number((r.structField as Row).field2) > 30);
  assert.deepEqual(pushdown.map((r) => [r.id, r.name, r.isActive, (r.structField as Row).field2]).sort(), [[2, 'Bob', false, 40], [4, 'Diana', true, 50]]);
});

const txns = (rows: Row[]): string[] => rows.map((r) => `${r.txn_id},${r.txn_type},${r.txn_ts}`).sort();
const SIX_EPOCH = ['TXN-001,debit,1700000000001', 'TXN-001,reversal,1700100000001', 'TXN-002,debit,1700000000002', 'TXN-003,debit,1700200000003', 'TXN-005,debit,1700100000005', 'TXN-006,transfer,1700100000006'];

test('cow/v9_timebasedkeygen_epochmillis: TXN-001 in two file groups, both kept', async () => {
  assert.deepEqual(txns(await readHudiSnapshot(ext('hudi-rs/cow/v9_timebasedkeygen_epochmillis'))), SIX_EPOCH);
});

test('cow/v9_timebasedkeygen_unixtimestamp: the same six rows', async () => {
  assert.deepEqual(txns(await readHudiSnapshot(ext('hudi-rs/cow/v9_timebasedkeygen_unixtimestamp'))), SIX_EPOCH);
});

test('cow/v9_timebasedkeygen_nonhivestyle: DATE_STRING key generator', async () => {
  assert.deepEqual(txns(await readHudiSnapshot(ext('hudi-rs/cow/v9_timebasedkeygen_nonhivestyle'))),
    ['TXN-001,debit,1700000000001', 'TXN-001,reversal,1700100000001', 'TXN-003,debit,1700200000003', 'TXN-004,transfer,1700000000004', 'TXN-005,debit,1700100000005']);
});

test('cow/v9_txns_nonpart_nometa: 14 transactions after updates, deletes and clustering', async () => {
  verifyNonpartRecords(await readHudiSnapshot(ext('hudi-rs/cow/v9_txns_nonpart_nometa')));
});

test('cow/v9_txns_simple_overwrite: snapshot, time travel and incremental with replace pruning', async () => {
  const dir = ext('hudi-rs/cow/v9_txns_simple_overwrite');
  assert.deepEqual(txns(await readHudiSnapshot(dir)), ['TXN-101,debit,1700500000001', 'TXN-102,debit,1700500000002', 'TXN-103,debit,1700500000003']);
  const [c1, c2, c3] = hudiTimeline(dir).timeline.map((i) => i.instant);
  const asOf2 = txns(await readHudiSnapshot(dir, { asOf: c2! }));
  const first6 = [1, 2, 3, 4, 5, 6].map((i) => `TXN-00${i},${i === 4 ? 'credit' : 'debit'},170000000000${i}`);
  assert.deepEqual(asOf2, [...first6, 'TXN-007,debit,1700100000007', 'TXN-008,debit,1700100000008'].sort());
  const ids = (rows: Row[]): string[] => rows.map((r) => String(r.txn_id)).sort();
  assert.deepEqual(ids(await readHudiIncremental(dir, '19700101000000000', c1)), ['TXN-001', 'TXN-002', 'TXN-003', 'TXN-004', 'TXN-005', 'TXN-006']);
  assert.deepEqual(ids(await readHudiIncremental(dir, c1!, c2)), ['TXN-007', 'TXN-008']);
  assert.deepEqual(ids(await readHudiIncremental(dir, c2!, c3)), ['TXN-101', 'TXN-102', 'TXN-103']);
  assert.deepEqual(ids(await readHudiIncremental(dir, c1!)), ['TXN-101', 'TXN-102', 'TXN-103']);
  assert.deepEqual(await readHudiIncremental(dir, c3!), []);
});

test('a Hudi table version, base file format or bootstrap Retrace cannot read is refused by name', () => {
  const dir = copyTable('hudi-rs/cow/v6_empty');
  try {
    const props = path.join(dir, '.hoodie', 'hoodie.properties');
    const original = fs.readFileSync(props, 'utf8');
    fs.writeFileSync(props, original.replace(/hoodie.table.version=\d+/, 'hoodie.table.version=4'));
    assert.throws(() => hudiTimeline(dir), (e: AppError) => e.code === 'UNSUPPORTED' && e.message === `Hudi table ${dir} has table version 4; Retrace reads versions 5, 6, 8 and 9.`);
    fs.writeFileSync(props, `${original}hoodie.table.base.file.format=ORC\n`);
    assert.throws(() => hudiTimeline(dir), (e: AppError) => e.message === `Hudi table ${dir} keeps its base files as ORC; Retrace reads Parquet base files only.`);
    fs.writeFileSync(props, `${original}hoodie.bootstrap.base.path=/data/src\n`);
    assert.throws(() => hudiTimeline(dir), (e: AppError) => e.message === `Hudi table ${dir} is a bootstrap table (its data stays in /data/src), which Retrace cannot read yet.`);
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});
