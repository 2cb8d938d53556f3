import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { loadSnapshot, readCommit } from './delta-log';
import { fileMayMatch, readAllRows } from './delta-scan';
import { EXTERNAL, ext, range, rowsAt, sortNum, sortedColumn } from './lake.test-support';

// Expectations quoted from ../shared/testdata/external/README.md (delta-io/delta golden tables).

test('external test data is present', () => {
  assert.ok(fs.existsSync(path.join(EXTERNAL, 'README.md')), `missing ${EXTERNAL}`);
});

const col2 = async (t: string): Promise<string[]> => (await rowsAt(ext(`delta/${t}`))).map((r) => String(r.col2)).sort();

test('delta/snapshot-data0: version 0, data-0-x', async () => {
  assert.equal((await loadSnapshot(ext('delta/snapshot-data0'))).version, 0);
  assert.deepEqual(await col2('snapshot-data0'), range(0, 10).map((x) => `data-0-${x}`).sort());
});

test('delta/snapshot-data1: version 1 after an append', async () => {
  assert.equal((await loadSnapshot(ext('delta/snapshot-data1'))).version, 1);
  assert.deepEqual(await col2('snapshot-data1'), [...range(0, 10).map((x) => `data-0-${x}`), ...range(0, 10).map((x) => `data-1-${x}`)].sort());
});

test('delta/snapshot-data2: an overwrite leaves only data2', async () => {
  assert.equal((await loadSnapshot(ext('delta/snapshot-data2'))).version, 2);
  assert.deepEqual(await col2('snapshot-data2'), range(0, 10).map((x) => `data-2-${x}`).sort());
});

test('delta/snapshot-data3: data2 + data3', async () => {
  assert.equal((await loadSnapshot(ext('delta/snapshot-data3'))).version, 3);
  assert.deepEqual(await col2('snapshot-data3'), [...range(0, 10).map((x) => `data-2-${x}`), ...range(0, 20).map((x) => `data-3-${x}`)].sort());
});

test('delta/snapshot-data2-deleted: version 4, only the 20 data3 rows', async () => {
  assert.equal((await loadSnapshot(ext('delta/snapshot-data2-deleted'))).version, 4);
  assert.deepEqual(await col2('snapshot-data2-deleted'), range(0, 20).map((x) => `data-3-${x}`).sort());
});

test('delta/snapshot-repartitioned: version 5, exactly 2 files, same rows', async () => {
  const rep = await loadSnapshot(ext('delta/snapshot-repartitioned'));
  assert.equal(rep.version, 5);
  assert.equal(rep.files.length, 2);
  assert.deepEqual(await col2('snapshot-repartitioned'), range(0, 20).map((x) => `data-3-${x}`).sort());
});

test('delta/snapshot-vacuumed: version 5, every data file on disk is in the snapshot', async () => {
  const vac = await loadSnapshot(ext('delta/snapshot-vacuumed'));
  assert.equal(vac.version, 5);
  const onDisk = fs.readdirSync(ext('delta/snapshot-vacuumed')).filter((f) => f.endsWith('.parquet')).sort();
  assert.deepEqual(vac.files.map((f) => f.path).sort(), onDisk);
});

test('delta/checkpoint: log-only, checkpoint at v10, replays to v14 with one file', async () => {
  const s = await loadSnapshot(ext('delta/checkpoint'));
  assert.equal(s.version, 14);
  assert.equal(s.files.length, 1);
});

test('delta/basic-with-inserts-deletes-checkpoint: ids, version 13, operationMetrics', async () => {
  const dir = ext('delta/basic-with-inserts-deletes-checkpoint');
  assert.equal((await loadSnapshot(dir)).version, 13);
  const expected = [...range(0, 5), ...range(10, 15), ...range(20, 25), ...range(30, 35), ...range(40, 45), ...range(50, 66)];
  assert.deepEqual(await sortedColumn(dir, 'id'), expected);
  const snap = await loadSnapshot(dir);
  assert.deepEqual(snap.schema.fields.map((f) => [f.name, f.type]), [['id', 'long']]);
  const metrics = (v: number): Record<string, string> => readCommit(dir, v).find((a) => a.commitInfo)!.commitInfo!.operationMetrics!;
  for (const v of [0, 1, 2, 3, 4, 10, 11, 12]) assert.equal(metrics(v).numOutputRows, '10');
  for (const v of [5, 6, 7, 8, 9]) {
    assert.equal(metrics(v).numDeletedRows, '5');
    assert.equal(metrics(v).numCopiedRows, '5');
  }
  assert.equal(metrics(13).numDeletedRows, '14');
  assert.equal(metrics(13).numCopiedRows, '6');
  assert.equal(metrics(13).numRemovedFiles, '2');
});

test('delta/only-checkpoint-files: checkpoints at v1 and v2', async () => {
  assert.deepEqual(await sortedColumn(ext('delta/only-checkpoint-files'), 'id'), sortNum([...range(5, 10), ...range(0, 20)]));
});

test('delta/multi-part-checkpoint: a 2-part checkpoint at v1', async () => {
  assert.deepEqual(await sortedColumn(ext('delta/multi-part-checkpoint'), 'id'), sortNum([0, ...range(0, 30)]));
});

test('delta/corrupted-last-checkpoint-kernel: a corrupt _last_checkpoint is ignored', async () => {
  assert.deepEqual(await sortedColumn(ext('delta/corrupted-last-checkpoint-kernel'), 'id'), range(0, 100));
});

test('delta/deltalog-invalid-protocol-version: reader version 99 refused', async () => {
  await assert.rejects(loadSnapshot(ext('delta/deltalog-invalid-protocol-version')), (e: AppError) => e.code === 'UNSUPPORTED' && /Unsupported Delta protocol reader version/.test(e.message) && /99/.test(e.message));
});

test('delta/deltalog-state-reconstruction-without-metadata: No metadata found', async () => {
  await assert.rejects(loadSnapshot(ext('delta/deltalog-state-reconstruction-without-metadata')), /No metadata found/);
});

test('delta/deltalog-state-reconstruction-without-protocol: No protocol found', async () => {
  await assert.rejects(loadSnapshot(ext('delta/deltalog-state-reconstruction-without-protocol')), /No protocol found/);
});

test('delta/versions-not-contiguous: versions are not contiguous: ([0, 2])', async () => {
  await assert.rejects(loadSnapshot(ext('delta/versions-not-contiguous')), /versions are not contiguous: \(\[0, 2\]\)/);
});

const metricsOf = (dir: string, v: number): Record<string, string> => readCommit(dir, v).find((a) => a.commitInfo)!.commitInfo!.operationMetrics!;

test('delta/basic-with-inserts-updates: UPDATE of ids < 50, metrics', async () => {
  const dir = ext('delta/basic-with-inserts-updates');
  const byId = new Map((await rowsAt(dir)).map((r) => [Number(r.id), r.str]));
  assert.equal(byId.size, 100);
  for (const x of range(0, 100)) assert.equal(byId.get(x), x < 50 ? 'N/A' : `val=${x}`);
  assert.deepEqual([metricsOf(dir, 1).numUpdatedRows, metricsOf(dir, 1).numCopiedRows], ['50', '0']);
});

test('delta/basic-with-inserts-merge: MERGE result and metrics', async () => {
  const dir = ext('delta/basic-with-inserts-merge');
  const byId = new Map((await rowsAt(dir)).map((r) => [Number(r.id), r.str]));
  assert.equal(byId.size, 140);
  for (const x of range(10, 150)) assert.equal(byId.get(x), x < 50 ? `val=${x}` : x < 100 ? 'N/A' : 'EXT');
  const m = metricsOf(dir, 1);
  assert.deepEqual([m.numTargetRowsInserted, m.numTargetRowsUpdated, m.numTargetRowsDeleted, m.numTargetRowsCopied, m.numOutputRows], ['50', '50', '10', '40', '140']);
});

test('delta/basic-with-inserts-overwrite-restore: version 3, ids 0..199', async () => {
  const dir = ext('delta/basic-with-inserts-overwrite-restore');
  assert.equal((await loadSnapshot(dir)).version, 3);
  assert.deepEqual(await sortedColumn(dir, 'id'), range(0, 200));
  assert.deepEqual(await sortedColumn(dir, 'id', 2), range(500, 1000));
});

test('delta/time-travel-schema-changes-a: schema {id}', async () => {
  const a = await loadSnapshot(ext('delta/time-travel-schema-changes-a'));
  assert.deepEqual(a.schema.fields.map((f) => f.name), ['id']);
  assert.deepEqual(await sortedColumn(ext('delta/time-travel-schema-changes-a'), 'id'), range(0, 10));
});

test('delta/time-travel-schema-changes-b: v0 {id}, v1 {id, part}, old rows read part = null', async () => {
  const b = ext('delta/time-travel-schema-changes-b');
  assert.deepEqual((await loadSnapshot(b, 0)).schema.fields.map((f) => f.name), ['id']);
  assert.deepEqual((await loadSnapshot(b, 1)).schema.fields.map((f) => f.name), ['id', 'part']);
  const latest = await rowsAt(b);
  assert.deepEqual(sortNum(latest.map((r) => Number(r.id))), range(0, 20));
  for (const r of latest) if (Number(r.id) < 10) assert.equal(r.part, null);
  assert.ok(latest.some((r) => Number(r.id) >= 10 && r.part !== null));
});

test('delta/time-travel-partition-changes-a: 10 rows partitioned by part5', async () => {
  const pa = await loadSnapshot(ext('delta/time-travel-partition-changes-a'));
  assert.deepEqual(pa.metadata.partitionColumns, ['part5']);
  const rows = await readAllRows(pa);
  assert.equal(rows.length, 10);
  for (const r of rows) assert.equal(Number(r.part5), Number(r.id) % 5);
});

test('delta/time-travel-partition-changes-b: v1 ids 10..19 partitioned by part2; v0 still readable', async () => {
  const dir = ext('delta/time-travel-partition-changes-b');
  const pb = await loadSnapshot(dir);
  assert.deepEqual(pb.metadata.partitionColumns, ['part2']);
  const rows = await readAllRows(pb);
  assert.deepEqual(sortNum(rows.map((r) => Number(r.id))), range(10, 20));
  for (const r of rows) assert.equal(Number(r.part2), Number(r.id) % 2);
  const v0 = await loadSnapshot(dir, 0);
  assert.deepEqual(v0.metadata.partitionColumns, ['part5']);
  assert.equal((await readAllRows(v0)).length, 10);
});

const without = (xs: number[], drop: number[]): number[] => xs.filter((x) => !drop.includes(x));
const ALL_2000 = range(0, 2000);

test('delta/table-with-dv-large: deletion vectors per version 0..4', async () => {
  const dir = ext('delta/table-with-dv-large');
  const v1 = without(ALL_2000, [0, 180, 300, 700, 1800]);
  const v2 = sortNum([...v1, 300, 700]);
  const v3 = without(v2, [300, 250, 350, 900, 1353, 1567, 1800]);
  const v4 = sortNum([...v3, 900, 1567]);
  const col = (await loadSnapshot(dir)).schema.fields[0]!.name;
  for (const [v, exp] of [[0, ALL_2000], [1, v1], [2, v2], [3, v3], [4, v4]] as const) assert.deepEqual(await sortedColumn(dir, col, v), exp, `v${v}`);
});

test('delta/partitioned-table-with-dv-large: deletion vectors per version 0..4', async () => {
  const dir = ext('delta/partitioned-table-with-dv-large');
  const col = (await loadSnapshot(dir)).schema.fields.find((f) => f.name !== 'partCol')!.name;
  const p1 = without(ALL_2000, [0, 180, 308, 225, 756, 1007, 1503]);
  const p2 = sortNum([...p1, 308, 756]);
  const p3 = without(p2, [300, 257, 399, 786, 1353, 1567, 1800]);
  const p4 = sortNum([...p3, 1353, 1567]);
  for (const [v, exp] of [[0, ALL_2000], [1, p1], [2, p2], [3, p3], [4, p4]] as const) assert.deepEqual(await sortedColumn(dir, col, v), exp, `v${v}`);
});

test('delta/basic-dv-no-checkpoint: ids 2..9', async () => {
  assert.deepEqual(await sortedColumn(ext('delta/basic-dv-no-checkpoint'), 'id'), range(2, 10));
});

test('delta/basic-dv-with-checkpoint: ids 0..499 except multiples of 11', async () => {
  assert.deepEqual(await sortedColumn(ext('delta/basic-dv-with-checkpoint'), 'id'), range(0, 500).filter((x) => x % 11 !== 0));
});

test('delta/dv-partitioned-with-checkpoint: rows (x % 10, x, foo{x % 5}) without even x < 30', async () => {
  const rows = await rowsAt(ext('delta/dv-partitioned-with-checkpoint'));
  const expected = range(0, 50).filter((x) => !(x % 2 === 0 && x < 30)).map((x) => `${x % 10}|${x}|foo${x % 5}`).sort();
  assert.deepEqual(rows.map((r) => `${r.part}|${r.col1}|${r.col2}`).sort(), expected);
});

test('delta/log-replay-dv-key-cases: one add file, DV cardinality 3', async () => {
  const keys = await loadSnapshot(ext('delta/log-replay-dv-key-cases'));
  assert.equal(keys.files.length, 1);
  assert.equal(keys.files[0]!.deletionVector!.cardinality, 3);
});

test('delta/deltalog-getChanges: latest txn of fakeAppId is 3, none for others', async () => {
  const snap = await loadSnapshot(ext('delta/deltalog-getChanges'));
  assert.equal(snap.txns.get('fakeAppId'), 3);
  assert.equal(snap.txns.get('otherAppId'), undefined);
  // TableChangesSuite expectations are checked in delta-rs-golden.test.ts next to the CDF tests.
});

test('delta/log-replay-latest-metadata-protocol: protocol (3,7), schema {col1, col2}', async () => {
  const lm = await loadSnapshot(ext('delta/log-replay-latest-metadata-protocol'));
  assert.deepEqual([lm.protocol.minReaderVersion, lm.protocol.minWriterVersion], [3, 7]);
  assert.deepEqual(lm.schema.fields.map((f) => f.name), ['col1', 'col2']);
});

test('delta/basic-with-vacuum-protocol-check-feature: accepted, (x, val=x) for x < 100', async () => {
  const rows = await rowsAt(ext('delta/basic-with-vacuum-protocol-check-feature'));
  assert.deepEqual(rows.map((r) => `${r.id}=${r.str}`).sort(), range(0, 100).map((x) => `${x}=val=${x}`).sort());
});

test('delta/data-skipping-basic-stats-all-types: predicates on 0 hit, on 1 miss', async () => {
  const all = await loadSnapshot(ext('delta/data-skipping-basic-stats-all-types'));
  const hits = (col: string, value: unknown): number => all.files.filter((f) => fileMayMatch(all, f, [{ column: col, value }])).length;
  const zero: Record<string, unknown> = { as_int: 0, as_long: 0, as_byte: 0, as_short: 0, as_float: 0, as_double: 0, as_string: '0', as_date: '2000-01-01', as_timestamp: '2000-01-01T00:00:00.000-08:00', as_big_decimal: '0' };
  const one: Record<string, unknown> = { as_int: 1, as_long: 1, as_byte: 1, as_short: 1, as_float: 1, as_double: 1, as_string: '1', as_date: '2000-01-02', as_timestamp: '2000-01-01T00:00:01.000-08:00', as_big_decimal: '1' };
  let checked = 0;
  for (const col of Object.keys(zero)) {
    if (!all.schema.fields.some((f) => f.name === col)) continue;
    checked++;
    assert.equal(hits(col, zero[col]), 1, `${col} = 0 must hit`);
    assert.equal(hits(col, one[col]), 0, `${col} = 1 must miss`);
  }
  assert.equal(checked, 10);
});

test('delta/data-skipping-change-stats-collected-across-versions: col1 → 1 file, col2 → 2, both → 1', async () => {
  const across = await loadSnapshot(ext('delta/data-skipping-change-stats-collected-across-versions'));
  const n = (where: { column: string; value: unknown }[]): number => across.files.filter((f) => fileMayMatch(across, f, where)).length;
  assert.equal(n([{ column: 'col1', value: 1 }]), 1);
  assert.equal(n([{ column: 'col2', value: 1 }]), 2);
  assert.equal(n([{ column: 'col1', value: 1 }, { column: 'col2', value: 1 }]), 1);
});

test('delta/data-skipping-partition-and-data-column: partition and data predicates combined', async () => {
  const pd = await loadSnapshot(ext('delta/data-skipping-partition-and-data-column'));
  const all = await readAllRows(pd);
  for (const sample of all.slice(0, 3)) {
    const where = [{ column: 'part', value: sample.part }, { column: 'id', value: sample.id }];
    const expected = all.filter((r) => r.part === sample.part && r.id === sample.id);
    assert.deepEqual(await readAllRows(pd, { where }), expected);
    assert.ok(pd.files.filter((f) => fileMayMatch(pd, f, where)).length < pd.files.length || pd.files.length === 1);
  }
});

test('delta/data-reader-primitives: every primitive type, one all-null row', async () => {
  const prim = await rowsAt(ext('delta/data-reader-primitives'));
  assert.equal(prim.length, 11);
  const nulls = prim.filter((r) => r.as_int === null);
  assert.equal(nulls.length, 1);
  for (const v of Object.values(nulls[0]!)) assert.equal(v, null);
  for (const x of range(0, 10)) {
    assert.deepEqual(prim.find((r) => r.as_int === x), {
      as_int: x, as_long: x, as_byte: x, as_short: x, as_boolean: x % 2 === 0, as_float: x, as_double: x, as_string: String(x),
      as_binary: Buffer.from([x, x]).toString('base64'), as_big_decimal: String(x),
    });
  }
});

test('delta/data-reader-partition-values: typed partition values, including nulls', async () => {
  const dir = ext('delta/data-reader-partition-values');
  const rows = await rowsAt(dir);
  const snap = await loadSnapshot(dir);
  assert.ok(rows.length > 0);
  for (const c of snap.metadata.partitionColumns) assert.ok(rows.some((r) => r[c] === null), `some null ${c}`);
  assert.ok(rows.some((r) => r.as_int === 1 && r.as_long === 1 && r.as_date === '2021-09-08'), JSON.stringify(rows.find((r) => r.as_int === 1)));
});

test('delta/data-reader-timestamp_ntz: accepted; values and partition values without zone', async () => {
  const ntz = await rowsAt(ext('delta/data-reader-timestamp_ntz'));
  assert.ok(ntz.some((r) => r.tsNtz === '2021-11-18T02:30:00.123456'), JSON.stringify(ntz));
  assert.ok(ntz.some((r) => r.tsNtzPartition === '2013-07-05T17:01:00.123456'), JSON.stringify(ntz));
  assert.ok(ntz.some((r) => r.tsNtzPartition === null));
});
