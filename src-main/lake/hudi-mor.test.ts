import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hudiFileSlices, readHudiIncremental, readHudiSnapshot } from './hudi';
import { hudiTimeline } from './hudi-timeline';
import { readHudiLogFile } from './hudi-log';
import type { Row } from './delta-types';
import { ext, verifyNonpartRecords } from './lake.test-support';


// Merge-on-read tables from apache/hudi-rs (expectations quoted from
// ../shared/testdata/external/README.md, "hudi-rs/mor/"): base files merged with Avro and
// Parquet log blocks, delete blocks, rollbacks, compaction and clustering.

const mor = (t: string): string => ext(`hudi-rs/mor/${t}`);
const triple = (rows: Row[]): string[] => rows.map((r) => `${r.id},${r.name},${r.isActive}`).sort();
const txns = (rows: Row[]): string[] => rows.map((r) => `${r.txn_id},${r.txn_type},${r.txn_ts}`).sort();
const FOUR = ['1,Alice,false', '2,Bob,false', '3,Carol,true', '4,Diana,true'];

test('mor/v6_empty: no rows; incremental from "0" neither', async () => {
  assert.equal(hudiTimeline(mor('v6_empty')).tableType, 'MERGE_ON_READ');
  assert.deepEqual(await readHudiSnapshot(mor('v6_empty')), []);
  assert.deepEqual(await readHudiIncremental(mor('v6_empty'), '0'), []);
});

test('mor/v6_nonpartitioned: the Parquet log block wins in a snapshot; read-optimised sees base files only', async () => {
  const dir = mor('v6_nonpartitioned');
  assert.deepEqual(triple(await readHudiSnapshot(dir)), FOUR);
  assert.deepEqual(triple(await readHudiSnapshot(dir, { readOptimized: true })), ['1,Alice,true', '2,Bob,false', '3,Carol,true', '4,Diana,true']);
  const slices = await hudiFileSlices(hudiTimeline(dir));
  assert.ok(slices.some((s) => s.logs.length > 0), 'default slices carry log files');
  const blocks = await readHudiLogFile(slices.find((s) => s.logs.length > 0)!.logs[0]!.path);
  assert.deepEqual(blocks.map((b) => [b.kind, b.instant]), [['data', '20250117083136333']]);
});

test('mor/v6_complexkeygen_hivestyle: the log update must win under the upstream filters', async () => {
  const rows = await readHudiSnapshot(mor('v6_complexkeygen_hivestyle'));
  assert.deepEqual(triple(rows), FOUR);
  const filtered = rows.filter((r) => Number(r.byteField) >= 10 && Number(r.byteField) < 20 && Number(r.shortField) !== 100);
  assert.deepEqual(triple(filtered), ['1,Alice,false', '3,Carol,true']);
  assert.deepEqual(rows.filter((r) => Number(r.id) % 2 === 0 && r.name !== 'Alice' && Number((r.structField as Row).field2) > 30).map((r) => r.id).sort(), [2, 4]);
  assert.ok((await readHudiSnapshot(mor('v6_complexkeygen_hivestyle'), { readOptimized: true })).some((r) => r.name === 'Alice' && r.isActive === true));
});

test('mor/v6_simplekeygen_hivestyle_no_metafields: base files only, no meta fields', async () => {
  assert.deepEqual(triple(await readHudiSnapshot(mor('v6_simplekeygen_hivestyle_no_metafields'))), FOUR);
});

test('mor/v6_simplekeygen_nonhivestyle_overwritetable: the five incremental windows; latest Diana only', async () => {
  const dir = mor('v6_simplekeygen_nonhivestyle_overwritetable');
  const [c1, c2, c3] = hudiTimeline(dir).timeline.map((i) => i.instant);
  assert.deepEqual([c1, c2, c3], ['20250121000647668', '20250121000656060', '20250121000702475']);
  assert.deepEqual(triple(await readHudiIncremental(dir, '19700101000000', c1)), ['1,Alice,true', '2,Bob,false', '3,Carol,true']);
  assert.deepEqual(triple(await readHudiIncremental(dir, c1!, c2)), ['1,Alice,false', '4,Diana,true']);
  assert.deepEqual(triple(await readHudiIncremental(dir, c2!, c3)), ['4,Diana,false']);
  assert.deepEqual(triple(await readHudiIncremental(dir, c1!)), ['4,Diana,false']);
  assert.deepEqual(await readHudiIncremental(dir, c3!), []);
  const latest = await readHudiSnapshot(dir);
  assert.deepEqual(latest.map((r) => [r.id, r.name, r.isActive, (r.structField as Row).field2]), [[4, 'Diana', false, 50]]);
});

test('mor/v6_nonpartitioned_rollback: the rolled-back block is skipped, the later one applied', async () => {
  assert.deepEqual(triple(await readHudiSnapshot(mor('v6_nonpartitioned_rollback'))), ['1,Alice,true', '2,Bob,true', '3,Carol,true']);
});

test('mor/v9_nonpartitioned_rollback: snapshot, time travel to the first commit, incremental windows', async () => {
  const dir = mor('v9_nonpartitioned_rollback');
  assert.deepEqual(txns(await readHudiSnapshot(dir)), ['TXN-001,debit,1700000000001', 'TXN-002,debit,1700000000002', 'TXN-002,debit,1700200000002', 'TXN-003,debit,1700000000003']);
  const [c1, c2] = hudiTimeline(dir).timeline.map((i) => i.instant);
  assert.deepEqual(txns(await readHudiSnapshot(dir, { asOf: c1! })), ['TXN-001,debit,1700000000001', 'TXN-002,debit,1700000000002', 'TXN-003,debit,1700000000003']);
  assert.deepEqual(txns(await readHudiIncremental(dir, '19700101000000000', c1)), ['TXN-001,debit,1700000000001', 'TXN-002,debit,1700000000002', 'TXN-003,debit,1700000000003']);
  assert.deepEqual(txns(await readHudiIncremental(dir, c1!, c2)), ['TXN-002,debit,1700200000002']);
  assert.deepEqual(txns(await readHudiIncremental(dir, c1!)), ['TXN-002,debit,1700200000002']);
  assert.deepEqual(await readHudiIncremental(dir, c2!), []);
});

test('mor/v9_timebasedkeygen_nonhivestyle: an Avro data block and a delete block merged; read-optimised without them', async () => {
  const dir = mor('v9_timebasedkeygen_nonhivestyle');
  assert.deepEqual(txns(await readHudiSnapshot(dir, { readOptimized: true })), [
    'TXN-001,debit,1700000000001', 'TXN-001,reversal,1700100000001', 'TXN-002,debit,1700000000002', 'TXN-003,debit,1700000000003',
    'TXN-004,transfer,1700000000004', 'TXN-005,debit,1700100000005', 'TXN-006,debit,1700300000006',
  ]);
  // The delete block removes TXN-002; the Avro block moves TXN-003 to ts 1700200000003.
  assert.deepEqual(txns(await readHudiSnapshot(dir)), [
    'TXN-001,debit,1700000000001', 'TXN-001,reversal,1700100000001', 'TXN-003,debit,1700200000003',
    'TXN-004,transfer,1700000000004', 'TXN-005,debit,1700100000005', 'TXN-006,debit,1700300000006',
  ]);
});

test('mor/v9_txns_simple_overwrite: snapshot after INSERT OVERWRITE; as of the second commit the old rows', async () => {
  const dir = mor('v9_txns_simple_overwrite');
  const latest = ['TXN-101,debit,1700500000001', 'TXN-102,debit,1700500000002', 'TXN-103,debit,1700500000003'];
  assert.deepEqual(txns(await readHudiSnapshot(dir, { readOptimized: true })), latest);
  assert.deepEqual(txns(await readHudiSnapshot(dir)), latest);
  const first6 = [1, 2, 3, 4, 5, 6].map((i) => `TXN-00${i},${i === 4 ? 'credit' : 'debit'},170000000000${i}`);
  assert.deepEqual(txns(await readHudiSnapshot(dir, { asOf: '20260403184015284' })), [...first6, 'TXN-007,debit,1700100000007', 'TXN-008,debit,1700100000008'].sort());
});

test('mor/v9_txns_complex_nometa: composite keys across regions; before the compaction the logs carry the changes', async () => {
  const dir = mor('v9_txns_complex_nometa');
  for (const readOptimized of [false, true]) {
    const rows = await readHudiSnapshot(dir, { readOptimized });
    const ids = (region: string): string[] => rows.filter((r) => r.region === region).map((r) => String(r.txn_id).slice(4)).sort();
    assert.deepEqual(rows.map((r) => r.txn_id).sort(), ['001', '003', '007', '008', '011', '012', '013', '014', '015', '016', '017', '018'].map((n) => `TXN-${n}`));
    const by = new Map(rows.map((r) => [r.txn_id, r]));
    assert.equal(by.get('TXN-001')!.txn_type, 'reversal');
    assert.equal(by.get('TXN-007')!.fee_amount, '75.00');
    assert.deepEqual([ids('eu'), ids('us'), ids('apac')], [['011', '012', '018'], ['001', '003', '013', '014', '017'], ['007', '008', '015', '016']]);
  }
  // Before the compaction (…9445), and before eu was overwritten (…7259), TXN-001's update, the
  // deletes of TXN-002 and TXN-005 and TXN-007's fee live only in log files.
  const before = new Map((await readHudiSnapshot(dir, { asOf: '20260307135906048' })).map((r) => [r.txn_id, r]));
  const beforeRo = new Map((await readHudiSnapshot(dir, { asOf: '20260307135906048', readOptimized: true })).map((r) => [r.txn_id, r]));
  assert.equal(before.get('TXN-001')!.txn_type, 'reversal');
  assert.equal(beforeRo.get('TXN-001')!.txn_type, 'debit');
  assert.equal(before.get('TXN-007')!.fee_amount, '75.00');
  assert.notEqual(beforeRo.get('TXN-007')!.fee_amount, '75.00');
  for (const gone of ['TXN-002', 'TXN-005']) {
    assert.equal(before.has(gone), false, `${gone} deleted by a delete block`);
    assert.equal(beforeRo.has(gone), true, `${gone} still in the base file`);
  }
});

test('mor/v9_txns_nonpart_nometa: snapshot and read-optimised agree after compaction; before it the logs decide', async () => {
  const dir = mor('v9_txns_nonpart_nometa');
  verifyNonpartRecords(await readHudiSnapshot(dir));
  verifyNonpartRecords(await readHudiSnapshot(dir, { readOptimized: true }));
  const before = new Map((await readHudiSnapshot(dir, { asOf: '20260307135936125' })).map((r) => [r.txn_id, r]));
  const beforeRo = new Map((await readHudiSnapshot(dir, { asOf: '20260307135936125', readOptimized: true })).map((r) => [r.txn_id, r]));
  assert.deepEqual([before.get('TXN-001')!.txn_type, beforeRo.get('TXN-001')!.txn_type], ['reversal', 'debit']);
  assert.deepEqual([before.get('TXN-007')!.fee_amount, beforeRo.get('TXN-007')!.fee_amount], ['75.00', '45.00']);
  assert.deepEqual([before.has('TXN-002'), before.has('TXN-005'), beforeRo.has('TXN-002'), beforeRo.has('TXN-005')], [false, false, true, true]);
});
