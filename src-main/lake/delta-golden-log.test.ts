import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { canonicalPath, commitFileName, loadSnapshot, logDir, readCommit } from './delta-log';
import { readAllRows } from './delta-scan';
import { tableHistory } from './table-api';
import { copyTable, ext, range, rowsAt, sortedColumn } from './lake.test-support';

// Log replay and path edge cases, v2 checkpoints, the Hive-connector tables and folders that are
// not tables (delta-io/delta golden tables; expectations from ../shared/testdata/external/README.md).

const liveNames = async (rel: string): Promise<string[]> => (await loadSnapshot(ext(rel))).files.map((f) => canonicalPath(f.path)).sort();

for (const t of ['normal-a', 'normal-b', 'special-a', 'special-b']) {
  test(`delta/canonicalized-paths-${t}: a remove written as a file: URI matches the plain add`, async () => {
    const snap = await loadSnapshot(ext(`delta/canonicalized-paths-${t}`));
    assert.equal(snap.version, 1);
    assert.deepEqual(snap.files, []);
  });
}

test('delta/log-replay-special-characters-a: the URI-encoded add is removed again', async () => {
  assert.deepEqual(await liveNames('delta/log-replay-special-characters-a'), []);
});

test('delta/log-replay-special-characters: an identical copy of -a', async () => {
  assert.deepEqual(await liveNames('delta/log-replay-special-characters'), []);
});

test('delta/log-replay-special-characters-b: one file whose decoded name is "special p@#h"', async () => {
  assert.deepEqual(await liveNames('delta/log-replay-special-characters-b'), ['special p@#h']);
});

test('delta/delete-re-add-same-file-different-transactions: foo (re-added, newer mtime) and bar live', async () => {
  const snap = await loadSnapshot(ext('delta/delete-re-add-same-file-different-transactions'));
  assert.deepEqual(snap.files.map((f) => f.path).sort(), ['bar', 'foo']);
  assert.equal(snap.files.find((f) => f.path === 'foo')!.modificationTime, 1_700_000_000_000);
});

test('delta/update-deleted-directory: version 0 from its checkpoint, 10 live files', async () => {
  const snap = await loadSnapshot(ext('delta/update-deleted-directory'));
  assert.equal(snap.version, 0);
  assert.equal(snap.files.length, 10);
});

test('delta/corrupted-last-checkpoint: version 10, 11 live files', async () => {
  const snap = await loadSnapshot(ext('delta/corrupted-last-checkpoint'));
  assert.equal(snap.version, 10);
  assert.deepEqual(snap.files.map((f) => f.path).sort((a, b) => Number(a) - Number(b)), range(0, 11).map(String));
});

test('delta/deltalog-commit-info: the commit info of version 0, field by field', async () => {
  const dir = ext('delta/deltalog-commit-info');
  const info = readCommit(dir, 0).find((a) => a.commitInfo)!.commitInfo!;
  assert.deepEqual(info, {
    timestamp: 1540415658000, userId: 'user_0', userName: 'username_0', operation: 'WRITE', operationParameters: { test: 'test' },
    job: { jobId: 'job_id_0', jobName: 'job_name_0', runId: 'run_id_0', jobOwnerId: 'job_owner_0', triggerType: 'trigger_type_0' },
    notebook: { notebookId: 'notebook_id_0' }, clusterId: 'cluster_id_0', readVersion: -1, isolationLevel: 'default',
    isBlindAppend: true, operationMetrics: { test: 'test' }, userMetadata: 'foo',
  });
  const [h] = tableHistory(dir);
  assert.equal(h!.operation, 'WRITE');
  // Not readable as rows: it has no schema, so a read yields no columns (the data file `abc` is fake).
  assert.deepEqual((await loadSnapshot(dir)).schema.fields, []);
});

test('delta/deltalog-state-reconstruction-from-checkpoint-missing-metadata: No metadata found', async () => {
  await assert.rejects(loadSnapshot(ext('delta/deltalog-state-reconstruction-from-checkpoint-missing-metadata')), /No metadata found/);
});

test('delta/deltalog-state-reconstruction-from-checkpoint-missing-protocol: No protocol found', async () => {
  await assert.rejects(loadSnapshot(ext('delta/deltalog-state-reconstruction-from-checkpoint-missing-protocol')), /No protocol found/);
});

test('delta/data-reader-absolute-paths-escaped-chars: refused cleanly, the log has no metadata', async () => {
  await assert.rejects(loadSnapshot(ext('delta/data-reader-absolute-paths-escaped-chars')), (e: AppError) => e.code === 'STORE_CORRUPT' && /No metadata found/.test(e.message));
});

test('delta/commit-info-containing-arbitrary-operationParams-types: non-string operation parameters; rows (1,1), (2,2)', async () => {
  const dir = ext('delta/commit-info-containing-arbitrary-operationParams-types');
  assert.deepEqual(tableHistory(dir).map((h) => h.version), [0, 1, 2]);
  assert.deepEqual((await rowsAt(dir)).map((r) => `${r.id},${r.month}`).sort(), ['1,1', '2,2']);
});

test('delta/125-iterator-bug: seven empty appends among twelve, checkpoint at v10: col1 = 1..5', async () => {
  assert.deepEqual(await sortedColumn(ext('delta/125-iterator-bug'), 'col1'), [1, 2, 3, 4, 5]);
});

test('delta/data-reader-escaped-chars: partition values holding + and % read literally', async () => {
  const rows = (await rowsAt(ext('delta/data-reader-escaped-chars'))).map((r) => `${r._1}|${r._2}`).sort();
  assert.deepEqual(rows, ['foo1|bar+%21', 'foo2|bar+%22', 'foo3|bar+%23']);
});

for (const t of ['log-store-read', 'log-store-listFrom', 'no-delta-log-folder']) {
  test(`delta/${t}: not a Delta table, and said so`, async () => {
    await assert.rejects(loadSnapshot(ext(`delta/${t}`)), (e: AppError) => e.code === 'NOT_FOUND' && /is not a Delta table/.test(e.message));
  });
}

for (const t of ['v2-checkpoint-json', 'v2-checkpoint-parquet']) {
  test(`delta/${t}: read through the v2 checkpoint and its sidecars (ids 0..9)`, async () => {
    assert.deepEqual(await sortedColumn(ext(`delta/${t}`), 'id'), range(0, 10));
    // Without the JSON commits the checkpoint alone must carry the table: protocol, schema and
    // the four adds held by its two sidecar files.
    const copy = copyTable(`delta/${t}`);
    try {
      for (let v = 0; v <= 2; v++) fs.rmSync(path.join(logDir(copy), commitFileName(v)));
      const snap = await loadSnapshot(copy);
      assert.equal(snap.version, 2);
      assert.equal(snap.files.length, 4);
      assert.deepEqual((await readAllRows(snap)).map((r) => r.id).sort(), range(0, 10));
      // A missing sidecar is damage, named.
      const side = path.join(logDir(copy), '_sidecars');
      fs.rmSync(path.join(side, fs.readdirSync(side).find((n) => n.endsWith('.parquet'))!));
      await assert.rejects(loadSnapshot(copy), /sidecar .* is missing/);
    } finally {
      fs.rmSync(path.dirname(copy), { recursive: true, force: true });
    }
  });
}

test('delta/table-with-dv-small: column mapping and a deletion vector: v0 = 0..9, v1 = 1..8', async () => {
  const dir = ext('delta/table-with-dv-small');
  assert.deepEqual(await sortedColumn(dir, 'value', 0), range(0, 10));
  assert.deepEqual(await sortedColumn(dir, 'value', 1), range(1, 9));
});

test('delta/time-travel-start: v0, ids 0..9', async () => {
  assert.deepEqual(await sortedColumn(ext('delta/time-travel-start'), 'id'), range(0, 10));
});

test('delta/time-travel-start-start20: v1, ids 0..19', async () => {
  assert.deepEqual(await sortedColumn(ext('delta/time-travel-start-start20'), 'id', 1), range(0, 20));
  assert.deepEqual(await sortedColumn(ext('delta/time-travel-start-start20'), 'id', 0), range(0, 10));
});

// Hive-connector tables (README "Hive connector tables", derived with DuckDB by the README's authors).
const abRows = (a: string, b: string, rows: Record<string, unknown>[]): string[] => rows.map((r) => `${r[a]}|${r[b]}`).sort();
const fooRows = range(0, 10).map((x) => `${x}|foo${x % 2}`).sort();

for (const [t, a, b] of [
  ['deltatbl-not-allow-write', 'a', 'b'], ['deltatbl-incorrect-format-config', 'a', 'b'], ['deltatbl-non-partitioned', 'c1', 'c2'],
  ['deltatbl-deleted-path', 'c1', 'c2'], ['deltatbl-partitioned', 'c1', 'c2'], ['deltatbl-touch-files-needed-for-partitioned', 'c1', 'c2'],
  ['deltatbl-column-names-case-insensitive', 'FooBar', 'BarFoo'],
] as const) {
  test(`delta/hive/${t}: (${a}, ${b}) = (x, foo{x % 2})`, async () => {
    assert.deepEqual(abRows(a, b, await rowsAt(ext(`delta/hive/${t}`))), fooRows);
  });
}

test('delta/hive/deltatbl-schema-match: (a, b, c) = (x, foo{x % 2}, test{x % 3}), partitioned by b', async () => {
  const dir = ext('delta/hive/deltatbl-schema-match');
  assert.deepEqual((await loadSnapshot(dir)).metadata.partitionColumns, ['b']);
  assert.deepEqual((await rowsAt(dir)).map((r) => `${r.a}|${r.b}|${r.c}`).sort(), range(0, 10).map((x) => `${x}|foo${x % 2}|test${x % 3}`).sort());
});

test('delta/hive/deltatbl-special-chars-in-partition-column: partition values "+ =%" + x % 2', async () => {
  assert.deepEqual(abRows('c1', 'c2', await rowsAt(ext('delta/hive/deltatbl-special-chars-in-partition-column'))), range(0, 10).map((x) => `${x}|+ =%${x % 2}`).sort());
});

test('delta/hive/deltatbl-partition-prune: five rows partitioned by date and city', async () => {
  const rows = (await rowsAt(ext('delta/hive/deltatbl-partition-prune'))).map((r) => `${r.city}|${r.date}|${r.name}|${r.cnt}`).sort();
  assert.deepEqual(rows, ['bj|20180520|Trump|1', 'hz|20180520|Jim|3', 'hz|20180718|Jone|7', 'sh|20180512|Jay|4', 'sz|20181212|Linda|8']);
});

test('delta/hive/deltatbl-map-types-correctly: one row of fifteen types, an array, a map and a struct among them', async () => {
  assert.deepEqual(await rowsAt(ext('delta/hive/deltatbl-map-types-correctly')), [{
    c1: 97, c2: Buffer.from('bc').toString('base64'), c3: true, c4: 4, c5: 5, c6: 'foo', c7: 6, c8: 7, c9: 8,
    c10: '1970-01-01', c11: '1970-01-01T16:40:00.000Z', c12: '12345.678900000000794535',
    c13: ['foo', 'bar'], c14: { foo: 123 }, c15: { f1: 'foo', f2: 456 },
  }]);
});
