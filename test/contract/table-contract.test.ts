import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { formatVectorCell } from '../../shared/vector-format';
import { writeTable } from '../../src-main/lake/delta-writer';
import { alterTable } from '../../src-main/lake/table-alter';
import { ingestOnce } from '../../src-main/provenance/ingest';
import { openHarness, TRANSPORTS, type Harness } from '../api-clients.test-support';

/**
 * The table methods of the API over every transport, on a real workspace: a Delta feature table
 * with an embedding column written by the commit store, named by a captured run's footprint and
 * ingested from its log line. Expected values come from what this test wrote.
 */
const FIELDS = [
  { name: 'id', type: 'long', nullable: false },
  { name: 'emb', type: { type: 'array', elementType: 'float', containsNull: false }, nullable: true },
  { name: 'meta', type: { type: 'struct', fields: [{ name: 'src', type: 'string', nullable: true }] }, nullable: true },
] as const;

function runEvents(): string {
  const base = { producer: 'https://github.com/retrace/retrace/0.1.0', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent', job: { namespace: 'retrace://ws', name: 'featurize' }, inputs: [], outputs: [] };
  const runId = '0190f3a0-0000-7000-8000-0000000000aa';
  const footprint = { _producer: base.producer, _schemaURL: 'retrace_footprint', ops: [{ path: 'data/features/_delta_log/00000000000000000000.json', op: 'CREATE', at: '2026-01-01T10:00:01Z', size: 10 }] };
  return [
    { ...base, eventType: 'START', eventTime: '2026-01-01T10:00:00Z', run: { runId, facets: {} } },
    { ...base, eventType: 'COMPLETE', eventTime: '2026-01-01T10:00:02Z', run: { runId, facets: { retrace_footprint: footprint } } },
  ].map((e) => JSON.stringify(e)).join('\n') + '\n';
}

for (const transport of TRANSPORTS) {
  describe(`table API over ${transport}`, () => {
    let h: Harness;
    before(async () => {
      h = await openHarness(transport);
      const dir = path.join(h.core.paths.root, 'data', 'features');
      const rows = [0, 1, 2].map((id) => ({ id, emb: [id, 0.5, -0.25, 1], meta: { src: `s${id}` } }));
      await writeTable(dir, { mode: 'append', rows, fields: FIELDS as never, keyColumns: ['id'] });
      await writeTable(dir, { mode: 'upsert', rows: [{ id: 1, emb: [3, 4, 0, 0], meta: { src: 'new' } }], keyColumns: ['id'] });
      await alterTable(dir, { rename: [['meta', 'source']] });
      fs.writeFileSync(path.join(h.core.paths.logsDir, 'run.jsonl'), runEvents());
      ingestOnce({ paths: h.core.paths, db: h.core.db });
    });
    after(async () => h.close());

    test('getTableInfo: format, protocol, features and the schema tree', async () => {
      const info = await h.client.getTableInfo({ artifact: 'data/features' });
      assert.equal(info.format, 'delta');
      assert.equal(info.version, 2);
      assert.equal(info.summary, 'Delta · reader 3 / writer 7 · columnMapping');
      assert.deepEqual(info.protocol, { readerVersion: 3, writerVersion: 7 });
      assert.deepEqual(info.readerFeatures, ['columnMapping']);
      assert.equal(info.columnMapping, 'name');
      assert.deepEqual(info.schema.map((n) => [n.name, n.type, n.kind]), [['id', 'long', 'primitive'], ['emb', 'array<float>', 'array'], ['source', 'struct<src:string>', 'struct']]);
      assert.equal(info.schema[1]!.vector, true);
      assert.deepEqual(info.schema[2]!.physicalName, 'meta');
      assert.deepEqual(info.schema[2]!.children!.map((c) => c.name), ['src']);
      assert.equal(info.numRecords, 3);
      const v0 = await h.client.getTableInfo({ artifact: 'data/features', version: 0 });
      assert.equal(v0.summary, 'Delta · reader 1 / writer 7 · changeDataFeed, inCommitTimestamp');
      assert.deepEqual(v0.schema.map((n) => n.name), ['id', 'emb', 'meta']);
    });

    test('readTablePage: nested cells as JSON, a vector cell formats compactly; history and diff', async () => {
      const page = await h.client.readTablePage({ artifact: 'data/features', limit: 10 });
      assert.equal(page.format, 'delta');
      assert.deepEqual(page.warnings, []);
      const one = page.rows.find((r) => r.id === 1)!;
      assert.deepEqual(one, { id: 1, emb: [3, 4, 0, 0], source: { src: 'new' } });
      assert.equal(formatVectorCell(one.emb), '[4] 3, 4, 0 … ‖v‖ 5.00');
      assert.deepEqual(page.columns.map((c) => c.type), ['long', 'array<float>', 'struct<src:string>']);
      const history = await h.client.getTableHistory({ artifact: 'data/features' });
      assert.deepEqual(history.map((c) => [c.version, c.operation]), [[0, 'CREATE TABLE'], [1, 'MERGE'], [2, 'RENAME COLUMN']]);
      const diff = await h.client.diffTable({ artifact: 'data/features', from: 0, to: 1 });
      assert.deepEqual(diff.counts, { inserted: 0, updated: 1, deleted: 0 });
    });

    test('a path that is not a table is refused with a sentence', async () => {
      await assert.rejects(h.client.getTableInfo({ artifact: 'nope/none' }), (e: AppError) => e instanceof AppError && e.code === 'NOT_FOUND');
    });
  });
}
