import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { type DeltaField } from './delta-types';
import { writeTable } from './delta-writer';
import { KEY_INDEX_DIR } from './data-files';
import { clearLookupCaches, configureLookupCaches, lookupCacheUsage, lookupKey, rowsInRange } from './lookup';
import { readTablePage, tableDiff, tableHistory } from './table-api';
import { ext, tempDir } from './lake.test-support';

const FIELDS: DeltaField[] = [
  { name: 'key', type: 'long', nullable: false }, { name: 'feature', type: 'double', nullable: true },
  { name: 'event_time', type: 'timestamp', nullable: true },
];

test('key lookups by version and time read one row group of one file, then hit the cache', async () => {
  const root = tempDir();
  const dir = path.join(root, 'fs');
  try {
    let clock = 1_800_000_000_000;
    const now = (): number => clock;
    const base = Array.from({ length: 4000 }, (_, k) => ({ key: k, feature: k / 10, event_time: new Date(1_700_000_000_000 + k * 1000).toISOString() }));
    await writeTable(dir, { mode: 'append', rows: base, fields: FIELDS, keyColumns: ['key'], rowsPerFile: 1000, rowGroupRows: 100, now });
    assert.equal(fs.readdirSync(path.join(dir, KEY_INDEX_DIR)).length, 4);
    clock += 60_000;
    await writeTable(dir, { mode: 'upsert', rows: [{ key: 2500, feature: -1, event_time: null }], keyColumns: ['key'], rowsPerFile: 1000, rowGroupRows: 100, now });
    clearLookupCaches();

    const v0 = await lookupKey(dir, { keyColumn: 'key', key: 2500, version: 0 });
    assert.deepEqual(v0.rows.map((r) => r.feature), [250]);
    assert.deepEqual(v0.read, { files: 1, rowGroups: 1, cached: 0 });
    const latest = await lookupKey(dir, { keyColumn: 'key', key: '2500', columns: ['feature'] });
    assert.equal(latest.version, 1);
    assert.deepEqual(latest.rows, [{ feature: -1 }]);
    const again = await lookupKey(dir, { keyColumn: 'key', key: 2500, columns: ['feature'] });
    assert.deepEqual(again.read, { files: 0, rowGroups: 0, cached: 1 });
    const byTime = await lookupKey(dir, { keyColumn: 'key', key: 2500, asOf: 1_800_000_030_000 });
    assert.equal(byTime.version, 0);
    assert.equal(byTime.rows[0]!.feature, 250);
    assert.deepEqual((await lookupKey(dir, { keyColumn: 'key', key: 999_999 })).rows, []);

    const range = await rowsInRange(dir, { column: 'event_time', from: '2023-11-14T22:13:20Z', to: '2023-11-14T22:13:29Z', version: 0, columns: ['key'] });
    assert.deepEqual(range.rows.map((r) => r.key), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const page = await readTablePage(dir, { version: 0, offset: 10, limit: 5, columns: ['key'] });
    assert.equal(page.rows.length, 5);
    assert.equal(page.hasMore, true);
    const filtered = await readTablePage(dir, { where: [{ column: 'key', value: 2500 }] });
    assert.deepEqual(filtered.rows.map((r) => r.feature), [-1]);
    const diff = await tableDiff(dir, 0, 1, { limit: 10 });
    assert.deepEqual(diff.counts, { inserted: 0, updated: 1, deleted: 0 });
    const history = tableHistory(dir);
    assert.deepEqual(history.map((h) => [h.version, h.rowsInserted, h.rowsUpdated]), [[0, 4000, 0], [1, 0, 1]]);
    assert.equal(history[1]!.timestamp, new Date(1_800_000_060_000).toISOString());
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('lookups also work on tables without a key index (upstream tables)', async () => {
  const res = await lookupKey(ext('delta/basic-with-inserts-updates'), { keyColumn: 'id', key: 42 });
  assert.deepEqual(res.rows.map((r) => r.str), ['N/A']);
  const diff = await tableDiff(ext('delta/basic-with-inserts-updates'), 0, 1, { keyColumns: ['id'], limit: 5 });
  assert.deepEqual(diff.counts, { inserted: 0, updated: 50, deleted: 0 });
  assert.equal(diff.truncated, true);
});

test('the decoded-data cache is bounded by bytes, not entries: wide embedding files evict each other', async () => {
  const root = tempDir();
  const dir = path.join(root, 'emb');
  try {
    const fields: DeltaField[] = [{ name: 'key', type: 'long', nullable: false }, { name: 'emb', type: { type: 'array', elementType: 'float', containsNull: false }, nullable: true }];
    // 4 files of 500 rows × 128 floats, written without a key index (as another engine would):
    // a lookup decodes a whole file, > 256 KB of Arrow buffers each.
    const rows = Array.from({ length: 2000 }, (_, key) => ({ key, emb: new Float32Array(128).fill(key) }));
    await writeTable(dir, { mode: 'append', rows, fields, rowsPerFile: 500 });
    const limit = 700 * 1024;
    configureLookupCaches({ sliceBytes: limit });
    for (const key of [0, 500, 1000, 1500]) {
      const r = await lookupKey(dir, { keyColumn: 'key', key });
      assert.deepEqual(r.rows.map((x) => (x.emb as number[]).slice(0, 2)), [[key, key]]);
      assert.equal(r.read!.rowGroups, 1);
      assert.ok(lookupCacheUsage().sliceBytes <= limit, `cache holds ${lookupCacheUsage().sliceBytes} bytes > ${limit}`);
    }
    // Four entries would fit any entry count; the byte bound kept at most two.
    assert.ok(lookupCacheUsage().slices <= 2, `${lookupCacheUsage().slices} files cached`);
    assert.deepEqual((await lookupKey(dir, { keyColumn: 'key', key: 1500 })).read, { files: 0, rowGroups: 0, cached: 1 });
    assert.deepEqual((await lookupKey(dir, { keyColumn: 'key', key: 0 })).read, { files: 1, rowGroups: 1, cached: 0 }, 'the oldest file was evicted');
  } finally {
    configureLookupCaches({});
    fs.rmSync(root, { recursive: true, force: true });
  }
});
