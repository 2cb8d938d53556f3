import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { createLakeClient } from './lake-client';
import { ext, tempDir } from './lake.test-support';

test('the worker client reads, writes and reports errors off the main thread, and recycles workers', { timeout: 60_000 }, async () => {
  const root = tempDir();
  const client = createLakeClient({ maxJobs: 2 });
  try {
    const dir = path.join(root, 't');
    const res = await client.writeTable(dir, { mode: 'append', rows: [{ k: 1, v: 'a' }, { k: 2, v: 'b' }], fields: [{ name: 'k', type: 'long', nullable: false }, { name: 'v', type: 'string', nullable: true }], keyColumns: ['k'] });
    assert.equal(res.version, 0);
    const page = await client.readTablePage(dir, { limit: 10 });
    assert.deepEqual(page.rows, [{ k: 1, v: 'a' }, { k: 2, v: 'b' }]);
    // Third job runs on a fresh worker (maxJobs 2): state lives on disk, not in the worker.
    const hit = await client.lookupKey(dir, { keyColumn: 'k', key: 2 });
    assert.deepEqual(hit.rows, [{ k: 2, v: 'b' }]);
    assert.equal(client.workersStarted, 2);
    await assert.rejects(client.readTablePage(ext('delta/deltalog-invalid-protocol-version')), (e: AppError) => e instanceof AppError && e.code === 'UNSUPPORTED' && /reader version 99/.test(e.message));
    const concurrent = await Promise.all([client.tableHistory(dir), client.tableHistory(dir), client.tableHistory(dir)]);
    for (const h of concurrent) assert.equal(h.length, 1);
  } finally {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
