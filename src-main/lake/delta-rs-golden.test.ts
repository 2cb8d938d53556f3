import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { commitFileName, loadSnapshot, logDir } from './delta-log';
import { readAllRows } from './delta-scan';
import { readChanges, firstVersionAtOrAfter, lastVersionAtOrBefore } from './changes';
import { writeCheckpoint } from './checkpoint-writer';
import { fileMayMatch } from './delta-scan';
import { _resetTimelineCacheForTests, versionAtTime } from './time-travel';
import { copyTable, ext, range, rowsAt, setMtime, sortedColumn } from './lake.test-support';

// Expectations quoted from ../shared/testdata/external/README.md (delta-rs and time-travel tables).

const fileNames = async (dir: string, v?: number): Promise<string[]> => (await loadSnapshot(dir, v)).files.map((f) => f.path).sort();
const prefixMatch = (names: string[], prefixes: string[]): void => {
  assert.equal(names.length, prefixes.length, names.join(','));
  for (const p of prefixes) assert.ok(names.some((n) => n.startsWith(p)), `${p} in ${names.join(',')}`);
};

test('delta-rs/simple_table: versions, and timestamp travel by mtimes (the .tmp commit is ignored)', async () => {
  const src = ext('delta-rs/simple_table');
  assert.deepEqual(await sortedColumn(src, 'id'), [5, 7, 9]);
  assert.equal((await loadSnapshot(src)).version, 4);
  assert.deepEqual(await sortedColumn(src, 'id', 0), [0, 1, 2, 3, 4]);
  assert.deepEqual(await sortedColumn(src, 'id', 1), range(0, 20));
  assert.deepEqual(await sortedColumn(src, 'id', 2), range(5, 10));
  assert.deepEqual(await sortedColumn(src, 'id', 3), [5, 7, 9, 106, 108]);

  const dir = copyTable('delta-rs/simple_table');
  try {
    for (let v = 0; v <= 4; v++) setMtime(path.join(logDir(dir), commitFileName(v)), `2020-05-0${v + 1}T22:47:31-07:00`);
    setMtime(path.join(logDir(dir), '.tmp', commitFileName(5)), '2020-05-06T22:47:31-07:00');
    _resetTimelineCacheForTests();
    const at = (iso: string): number => versionAtTime(dir, Date.parse(iso));
    assert.equal(at('2020-05-01T00:47:31-07:00'), 0);
    assert.equal(at('2020-05-02T22:47:31-07:00'), 1);
    assert.equal(at('2020-05-02T23:47:31-07:00'), 1);
    assert.equal(at('2020-05-03T22:47:31-07:00'), 2);
    assert.equal(at('2020-05-04T22:47:31-07:00'), 3);
    assert.equal(at('2020-05-05T21:47:31-07:00'), 3);
    assert.equal(at('2020-05-05T22:47:31-07:00'), 4);
    assert.equal(at('2020-05-25T22:47:31-07:00'), 4);
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test('delta/time-travel-start, -start20, -start20-start40: by version and by restored mtimes', async () => {
  const start = 1540415658000;
  const dir = copyTable('delta/time-travel-start-start20-start40');
  try {
    for (let v = 0; v <= 2; v++) setMtime(path.join(logDir(dir), commitFileName(v)), start + v * 20 * 60_000);
    _resetTimelineCacheForTests();
    for (const v of [0, 1, 2]) assert.deepEqual(await sortedColumn(dir, 'id', v), range(0, 10 * (v + 1)));
    assert.equal(versionAtTime(dir, start), 0);
    assert.equal(versionAtTime(dir, start + 20 * 60_000 - 1), 0);
    assert.equal(versionAtTime(dir, start + 20 * 60_000), 1);
    assert.equal(versionAtTime(dir, start + 40 * 60_000 - 1), 1);
    assert.equal(versionAtTime(dir, start + 40 * 60_000), 2);
    assert.equal(versionAtTime(dir, start + 10 * 86_400_000), 2);
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
  assert.deepEqual(await sortedColumn(ext('delta/time-travel-start'), 'id'), range(0, 10));
  assert.deepEqual(await sortedColumn(ext('delta/time-travel-start-start20'), 'id', 1), range(0, 20));
});

test('delta-rs/checkpoints_vacuumed: version 12 and timestamp travel with JSON v0-v4 gone', async () => {
  const src = ext('delta-rs/checkpoints_vacuumed');
  assert.equal((await loadSnapshot(src)).version, 12);
  const dir = copyTable('delta-rs/checkpoints_vacuumed');
  try {
    const log = logDir(dir);
    const t = (day: string): string => `2020-05-${day}T22:47:31-07:00`;
    setMtime(path.join(log, '00000000000000000005.checkpoint.parquet'), t('01'));
    const days: Record<number, string> = { 5: '02', 6: '03', 7: '04', 8: '05', 9: '06', 10: '08', 11: '09', 12: '10' };
    for (const [v, d] of Object.entries(days)) setMtime(path.join(log, commitFileName(Number(v))), t(d));
    setMtime(path.join(log, '00000000000000000010.checkpoint.parquet'), t('06'));
    _resetTimelineCacheForTests();
    assert.equal(versionAtTime(dir, Date.parse('2020-05-02T00:47:31-07:00')), 5);
    assert.equal(versionAtTime(dir, Date.parse('2020-05-09T00:47:31-07:00')), 10);
    await assert.rejects(loadSnapshot(dir, 3), /can no longer be reconstructed/);
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test('delta-rs/delta-0.2.0: files per version, tombstones, values', async () => {
  const dir = ext('delta-rs/delta-0.2.0');
  prefixMatch(await fileNames(dir, 0), ['part-00000-b44fcdb0', 'part-00001-185eca06']);
  prefixMatch(await fileNames(dir, 2), ['part-00000-7c2deba3', 'part-00001-c373a5bd']);
  prefixMatch(await fileNames(dir, 3), ['part-00000-cb6b150b', 'part-00000-7c2deba3', 'part-00001-c373a5bd']);
  const latest = await loadSnapshot(dir);
  assert.equal(latest.version, 3);
  assert.equal(latest.tombstones.length, 4);
  assert.deepEqual(await sortedColumn(dir, 'value', 2), [1, 2, 3]);
  assert.deepEqual(await sortedColumn(dir, 'value', 1), [1, 1, 2, 2, 3, 3]);
  assert.deepEqual(await sortedColumn(dir, 'value', 3), [1, 1, 2, 2, 3, 3]);
});

test('delta-rs/delta-0.8.0: stats, tombstone, values per version', async () => {
  const dir = ext('delta-rs/delta-0.8.0');
  const s = await loadSnapshot(dir);
  assert.equal(s.version, 1);
  prefixMatch(s.files.map((f) => f.path), ['part-00000-04ec9591', 'part-00000-c9b90f86']);
  const stats = s.files.map((f) => JSON.parse(f.stats!) as { numRecords: number; nullCount: Record<string, number> });
  assert.equal(stats.reduce((a, x) => a + x.numRecords, 0), 4);
  for (const st of stats) for (const n of Object.values(st.nullCount)) assert.equal(n, 0);
  assert.equal(s.tombstones.length, 1);
  assert.ok(s.tombstones[0]!.path.startsWith('part-00001-911a94a2'));
  assert.equal(s.tombstones[0]!.deletionTimestamp, 1615043776198);
  prefixMatch(await fileNames(dir, 0), ['part-00000-c9b90f86', 'part-00001-911a94a2']);
  assert.deepEqual(await sortedColumn(dir, 'value', 0), [0, 1, 2, 3, 4]);
  assert.deepEqual(await sortedColumn(dir, 'value', 1), [0, 1, 2, 4]);
});

test('delta-rs/delta-0.8.0-partitioned: year/month/day partitions, filter year=2021', async () => {
  const part = await rowsAt(ext('delta-rs/delta-0.8.0-partitioned'));
  const key = (r: Record<string, unknown>): string => `${r.value}|${r.year}|${r.month}|${r.day}`;
  const expected = ['1|2020|1|1', '2|2020|2|3', '3|2020|2|5', '6|2021|12|20', '7|2021|12|20', '5|2021|12|4', '4|2021|4|5'];
  assert.deepEqual(part.map(key).sort(), expected.sort());
  const snap = await loadSnapshot(ext('delta-rs/delta-0.8.0-partitioned'));
  const y2021 = await readAllRows(snap, { where: [{ column: 'year', value: '2021' }] });
  assert.deepEqual(y2021.map((r) => r.value).sort(), ['4', '5', '6', '7']);
});

test('delta-rs/delta-0.8.0-null-partition: a null partition value', async () => {
  const nulls = await rowsAt(ext('delta-rs/delta-0.8.0-null-partition'));
  assert.deepEqual(nulls.map((r) => r.k).sort(), ['A', null]);
});

test('delta-rs/delta-0.8.0-special-partition: URL-escaped partition values', async () => {
  const special = await rowsAt(ext('delta-rs/delta-0.8.0-special-partition'));
  assert.deepEqual(special.map((r) => r.x).sort(), ['A/A', 'B B']);
});

test('delta-rs/delta-0.8-empty: empty after a delete although the files are still on disk', async () => {
  assert.deepEqual(await rowsAt(ext('delta-rs/delta-0.8-empty')), []);
  assert.equal((await rowsAt(ext('delta-rs/delta-0.8-empty'), 0)).length > 0, true);
});

test('delta-rs/checkpoints: 12 files, also after writing our own checkpoints at v5 and v10', async () => {
  assert.equal((await loadSnapshot(ext('delta-rs/checkpoints'))).files.length, 12);
  // Like simple_checkpoint_test: write checkpoints at v5 and v10 with our writer, drop the JSON
  // they cover, and the latest table still has 12 files.
  const written = copyTable('delta-rs/checkpoints');
  try {
    writeCheckpoint(await loadSnapshot(written, 5));
    writeCheckpoint(await loadSnapshot(written, 10));
    for (let v = 0; v <= 10; v++) fs.rmSync(path.join(logDir(written), commitFileName(v)));
    const after = await loadSnapshot(written);
    assert.equal(after.files.length, 12);
    assert.equal(after.version, (await loadSnapshot(ext('delta-rs/checkpoints'))).version);
  } finally {
    fs.rmSync(path.dirname(written), { recursive: true, force: true });
  }
});

test('delta-rs/simple_table_with_checkpoint: replay from v0 gives the checkpoint\'s file set', async () => {
  const cp = ext('delta-rs/simple_table_with_checkpoint');
  const latest = await loadSnapshot(cp);
  assert.equal(latest.version, 10);
  const noCp = copyTable('delta-rs/simple_table_with_checkpoint');
  try {
    // A damaged checkpoint file is skipped in favour of replaying the JSON commits.
    fs.writeFileSync(path.join(logDir(noCp), '00000000000000000010.checkpoint.parquet'), 'not parquet');
    assert.deepEqual((await fileNames(noCp)), latest.files.map((f) => f.path).sort());
    for (const f of fs.readdirSync(logDir(noCp))) if (f.includes('checkpoint')) fs.rmSync(path.join(logDir(noCp), f));
    assert.deepEqual((await fileNames(noCp)), latest.files.map((f) => f.path).sort());
  } finally {
    fs.rmSync(path.dirname(noCp), { recursive: true, force: true });
  }
  assert.ok((await readAllRows(latest)).length > 0);
});

/** Log-only tables: the snapshot through the checkpoint equals a replay of all JSON commits. */
async function assertCheckpointMatchesReplay(rel: string, version: number): Promise<void> {
  const viaCheckpoint = await loadSnapshot(ext(rel));
  assert.equal(viaCheckpoint.version, version);
  const copy = copyTable(rel);
  try {
    for (const f of fs.readdirSync(logDir(copy))) if (f.includes('checkpoint')) fs.rmSync(path.join(logDir(copy), f));
    const viaJson = await loadSnapshot(copy);
    assert.equal(viaJson.version, version);
    assert.deepEqual(viaCheckpoint.files.map((f) => f.path).sort(), viaJson.files.map((f) => f.path).sort());
    assert.ok(viaJson.files.length > 0);
  } finally {
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  }
}

test('delta-rs/with_checkpoint_no_last_checkpoint: the checkpoint is found by listing', async () => {
  const dir = ext('delta-rs/with_checkpoint_no_last_checkpoint');
  assert.equal(fs.existsSync(path.join(logDir(dir), '_last_checkpoint')), false);
  await assertCheckpointMatchesReplay('delta-rs/with_checkpoint_no_last_checkpoint', 3);
});

test('delta-rs/latest_not_checkpointed: checkpoint v2 + JSON v3', async () => {
  await assertCheckpointMatchesReplay('delta-rs/latest_not_checkpointed', 3);
});

test('delta-rs/table_failed_last_checkpoint_update: version 3 although the hint says 1', async () => {
  assert.equal((await loadSnapshot(ext('delta-rs/table_failed_last_checkpoint_update'))).version, 3);
});

test('delta-rs/simple_table_with_cdc: version 2, one file, row (0, Mino)', async () => {
  const withCdc = await loadSnapshot(ext('delta-rs/simple_table_with_cdc'));
  assert.equal(withCdc.version, 2);
  assert.deepEqual(withCdc.files.map((f) => f.path), ['part-00000-7444aec4-710a-4a4c-8abe-3323499043e9.c000.snappy.parquet']);
  assert.deepEqual(await readAllRows(withCdc, { columns: ['id', 'name'] }), [{ id: 0, name: 'Mino' }]);
});

test('delta-rs/table-with-dv-small: rows 0 and 9 deleted by the DV', async () => {
  assert.deepEqual(await sortedColumn(ext('delta-rs/table-with-dv-small'), 'value'), range(1, 9));
});

test('delta-rs/table-without-dv-small: 10 rows', async () => {
  assert.deepEqual(await sortedColumn(ext('delta-rs/table-without-dv-small'), 'value'), range(0, 10));
});

test('delta-rs/table_with_edge_timestamps: INT96 year 9999 in data and stats', async () => {
  const edge = (await rowsAt(ext('delta-rs/table_with_edge_timestamps'))).sort((a, b) => Number(a.SOME_VALUE) - Number(b.SOME_VALUE));
  assert.deepEqual(edge.map((r) => [r.BIG_DATE, r.NORMAL_DATE, r.SOME_VALUE]), [
    ['9999-12-31T00:00:00.000Z', '2022-01-01T00:00:00.000Z', 1],
    ['9999-12-30T00:00:00.000Z', '2022-02-01T00:00:00.000Z', 2],
  ]);
  const edgeSnap = await loadSnapshot(ext('delta-rs/table_with_edge_timestamps'));
  assert.equal(edgeSnap.files.filter((f) => fileMayMatch(edgeSnap, f, [{ column: 'BIG_DATE', value: '9999-12-31T00:00:00Z' }])).length, 1);
});

const line = (r: Record<string, unknown>): string => `${r.id} ${r.name} ${r.birthday} ${r._change_type} ${r._commit_version} ${String(r._commit_timestamp).replace(/Z$/, '')}`;

test('delta-rs/cdf-table: change data feed from version 0 (partitioned)', async () => {
  const expected = `1 Steve 2023-12-22 insert 0 2023-12-22T17:10:18.828
10 Borb 2023-12-25 insert 0 2023-12-22T17:10:18.828
2 Bob 2023-12-22 update_postimage 1 2023-12-22T17:10:21.675
2 Bob 2023-12-23 insert 0 2023-12-22T17:10:18.828
2 Bob 2023-12-23 update_preimage 1 2023-12-22T17:10:21.675
3 Dave 2023-12-22 update_postimage 1 2023-12-22T17:10:21.675
3 Dave 2023-12-23 insert 0 2023-12-22T17:10:18.828
3 Dave 2023-12-23 update_preimage 1 2023-12-22T17:10:21.675
4 Kate 2023-12-22 update_postimage 1 2023-12-22T17:10:21.675
4 Kate 2023-12-23 insert 0 2023-12-22T17:10:18.828
4 Kate 2023-12-23 update_preimage 1 2023-12-22T17:10:21.675
5 Emily 2023-12-24 insert 0 2023-12-22T17:10:18.828
5 Emily 2023-12-24 update_preimage 2 2023-12-29T21:41:33.785
5 Emily 2023-12-29 update_postimage 2 2023-12-29T21:41:33.785
6 Carl 2023-12-24 insert 0 2023-12-22T17:10:18.828
6 Carl 2023-12-24 update_preimage 2 2023-12-29T21:41:33.785
6 Carl 2023-12-29 update_postimage 2 2023-12-29T21:41:33.785
7 Dennis 2023-12-24 insert 0 2023-12-22T17:10:18.828
7 Dennis 2023-12-24 update_preimage 2 2023-12-29T21:41:33.785
7 Dennis 2023-12-29 delete 3 2024-01-06T16:44:59.570
7 Dennis 2023-12-29 update_postimage 2 2023-12-29T21:41:33.785
8 Claire 2023-12-25 insert 0 2023-12-22T17:10:18.828
9 Ada 2023-12-25 insert 0 2023-12-22T17:10:18.828`.split('\n');
  const dir = ext('delta-rs/cdf-table');
  const rows = await readChanges(dir, 0, 3);
  assert.deepEqual(rows.map(line).sort(), [...expected].sort());
  const end = lastVersionAtOrBefore(dir, Date.parse('2023-12-22T17:10:21.675Z'));
  assert.equal(end, 1);
  const untilV1 = await readChanges(dir, 0, end);
  assert.deepEqual(untilV1.map(line).sort(), expected.filter((l) => / [01] 2023-12-22T17/.test(l)).sort());
  await assert.rejects(readChanges(ext('delta/deltalog-getChanges'), 2, 1), /startVersion must be <= endVersion/);
  await assert.rejects(readChanges(ext('delta/deltalog-getChanges'), 3, 8), /no log files found in the requested version range/);
});

test('delta-rs/cdf-table-non-partitioned: updates, delete, then a plain insert commit', async () => {
  const rows = await readChanges(ext('delta-rs/cdf-table-non-partitioned'), 0, 4);
  const by = (v: number, t: string): string[] => rows.filter((r) => r._commit_version === v && r._change_type === t).map((r) => `${r.id}:${r.name}:${r.birthday}`).sort();
  assert.deepEqual(by(0, 'insert').length, 10);
  const ten = rows.find((r) => r._commit_version === 0 && r.id === 10)!;
  assert.equal(ten.name, 'Borb');
  assert.equal(String(ten.long_field), '99999999999999999');
  assert.deepEqual(by(1, 'update_preimage'), ['2:Bob:2024-04-15', '3:Dave:2024-04-15', '4:Kate:2024-04-15']);
  assert.deepEqual(by(1, 'update_postimage'), ['2:Bob:2024-04-14', '3:Dave:2024-04-14', '4:Kate:2024-04-14']);
  assert.deepEqual(by(2, 'update_preimage'), ['5:Emily:2024-04-16', '6:Carl:2024-04-16', '7:Dennis:2024-04-16']);
  assert.deepEqual(by(2, 'update_postimage'), ['5:Emily:2024-04-14', '6:Carl:2024-04-14', '7:Dennis:2024-04-14']);
  assert.deepEqual(by(3, 'delete'), ['7:Dennis:2024-04-14']);
  assert.deepEqual(by(4, 'insert'), ['1:Alex:2024-04-14', '2:Alan:2024-04-15']);
  assert.equal(rows.filter((r) => r._commit_version === 4)[0]!._commit_timestamp, '2024-04-14T15:58:33.444Z');
  assert.equal(rows.length, 10 + 6 + 6 + 1 + 2);
});

test('delta-rs/checkpoint-cdf-table: changes from a timestamp with early JSON gone', async () => {
  const dir = ext('delta-rs/checkpoint-cdf-table');
  const from = firstVersionAtOrAfter(dir, Date.parse('2024-01-06T15:44:59.570Z'));
  assert.equal(from, 3);
  const rows = await readChanges(dir, from, (await loadSnapshot(dir)).version);
  const expected = `11 Ossama 2024-12-30 insert 4 2025-01-06T16:33:18.167
11 Ossama 2024-12-30 update_preimage 5 2025-01-06T16:38:19.623
12 Nick 2023-12-29 insert 4 2025-01-06T16:33:18.167
12 Nick 2023-12-29 update_preimage 5 2025-01-06T16:38:19.623
12 Ossama 2024-12-30 update_postimage 5 2025-01-06T16:38:19.623
13 Nick 2023-12-29 update_postimage 5 2025-01-06T16:38:19.623
13 Ryan 2023-12-22 insert 4 2025-01-06T16:33:18.167
13 Ryan 2023-12-22 update_preimage 5 2025-01-06T16:38:19.623
14 Ryan 2023-12-22 update_postimage 5 2025-01-06T16:38:19.623
14 Zach 2023-12-25 insert 4 2025-01-06T16:33:18.167
14 Zach 2023-12-25 update_preimage 5 2025-01-06T16:38:19.623
15 Zach 2023-12-25 update_postimage 5 2025-01-06T16:38:19.623
7 Dennis 2023-12-29 delete 3 2024-01-06T16:44:59.570`.split('\n');
  assert.deepEqual(rows.map(line).sort(), expected.sort());
});
