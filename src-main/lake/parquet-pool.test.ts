import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadSnapshot } from './delta-log';
import { readAllRows, scanSlices } from './delta-scan';
import type { DeltaField } from './delta-types';
import { writeTable } from './delta-writer';
import { closeParquetPool } from './parquet-pool';
import { tempDir } from './lake.test-support';

// Big commits and full reads go through the Parquet worker pool; what they write and read must
// be exactly what the single-thread path writes and reads.

test('a commit big enough for the worker pool writes, and a full read decodes, the same rows', { timeout: 120_000 }, async () => {
  const root = tempDir();
  try {
    const dir = path.join(root, 'big');
    const fields: DeltaField[] = [{ name: 'key', type: 'long', nullable: false }, { name: 'emb', type: { type: 'array', elementType: 'float', containsNull: false }, nullable: true }];
    const DIM = 40, N = 120_000;
    // Values that do not compress, so the files are as big as the data.
    const emb = (k: number): Float32Array => Float32Array.from({ length: DIM }, (_, i) => (Math.sin(k * 12.9898 + i * 78.233) * 43758.5453) % 1);
    // Out of key order, so the writer's sort is exercised too.
    const rows = Array.from({ length: N }, (_, i) => { const k = (i * 7919) % N; return { key: k, emb: emb(k) }; });
    await writeTable(dir, { mode: 'append', rows, fields, keyColumns: ['key'], rowsPerFile: 30_000 });
    const snap = await loadSnapshot(dir);
    assert.equal(snap.files.length, 4);
    assert.ok(snap.files.reduce((s, f) => s + f.size, 0) > 16 * 1024 * 1024, 'big enough for the pooled read');
    let seen = 0, lastMax = -1;
    for await (const { slice } of scanSlices(snap)) {
      const keys = slice.column('key') as number[];
      const embs = slice.column('emb') as number[][];
      for (let i = 0; i < slice.numRows; i++) {
        assert.deepEqual(embs[i], Array.from(emb(keys[i]!)), `key ${keys[i]}`);
        seen++;
      }
      assert.ok(keys[0]! > lastMax, 'files hold ascending key ranges, in order');
      lastMax = keys[keys.length - 1]!;
    }
    assert.equal(seen, N);
    const sample = await readAllRows(snap, { columns: ['key'], where: [{ column: 'key', value: 77_777 }] });
    assert.deepEqual(sample, [{ key: 77_777 }]);
  } finally {
    await closeParquetPool();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
