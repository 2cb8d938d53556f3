import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../shared/errors';
import { shopLines } from '../../src-main/lineage/columns/columns-scenario.test-support';
import { ingestOnce } from '../../src-main/provenance/ingest';
import { openHarness, TRANSPORTS, type Harness, type TransportName } from '../api-clients.test-support';

/**
 * The column-lineage methods (issue 19) over every transport, on the shop scenario of
 * columns-scenario.test-support.ts (expected values worked out there by hand). Every transport
 * must return identical answers and identical errors.
 */
const results = new Map<TransportName, unknown[]>();

for (const transport of TRANSPORTS) {
  describe(`column lineage API over ${transport}`, () => {
    let h: Harness;
    const seen: unknown[] = [];
    before(async () => {
      h = await openHarness(transport);
      fs.writeFileSync(path.join(h.core.paths.logsDir, 'shop.jsonl'), shopLines().join('\n') + '\n');
      ingestOnce({ paths: h.core.paths, db: h.core.db });
      results.set(transport, seen);
    });
    after(async () => h.close());

    test('getDatasetColumns: a page of columns at a snapshot, each with inputs and history', async () => {
      const now = await h.client.getDatasetColumns({ dataset: 'shop/customer_spend' });
      assert.deepEqual([now.node, now.source, now.count, now.columns.map((c) => c.name)], ['artifact:shop/customer_spend', 'declared', 3, ['customer_id', 'region', 'total_spend']]);
      assert.deepEqual(now.columns[2]!.history.map((e) => [e.change, e.snapshot, e.column]), [['appeared', 2, 'spend'], ['renamed', 4, 'total_spend']]);
      assert.equal(now.columns[2]!.id, 'column:shop/customer_spend#total_spend');
      const page = await h.client.getDatasetColumns({ dataset: 'shop/customer_spend', snapshot: 3, query: 'discount', limit: 10 });
      assert.deepEqual([page.total, page.columns.map((c) => c.name)], [1, ['avg_discount']]);
      seen.push(now, page);
    });

    test('getColumnLineage: upstream with node ids for the graph, downstream as of a snapshot', async () => {
      const up = await h.client.getColumnLineage({ dataset: 'shop/training', column: 'spend_total', direction: 'upstream', depth: 2 });
      assert.deepEqual(up.columns.map((c) => [c.id, c.depth]), [
        ['column:shop/customer_spend#total_spend', 1], ['column:shop/customers#customer_id', 2], ['column:shop/orders_clean#customer_id', 2], ['column:shop/orders_clean#net_amount', 2],
      ]);
      assert.deepEqual(up.nodes, ['artifact:shop/training', 'artifact:shop/customer_spend', 'artifact:shop/customers', 'artifact:shop/orders_clean']);
      const down = await h.client.getColumnLineage({ dataset: 'shop/orders', column: 'discount', direction: 'downstream', asOf: '2026-03-01T09:35:00Z' });
      assert.deepEqual([down.snapshot, down.columns.map((c) => c.column)], [3, ['discount', 'net_amount', 'avg_discount', 'spend', 'spend_total', 'x_discount']]);
      seen.push(up, down);
    });

    test('getColumnImpact and getDatasetSchema', async () => {
      const imp = await h.client.getColumnImpact({ dataset: 'shop/orders', column: 'discount' });
      assert.deepEqual(imp.datasets.map((d) => [d.node, d.columns]), [
        ['artifact:shop/orders_clean', ['discount', 'net_amount']], ['artifact:shop/customer_spend', ['total_spend']], ['artifact:shop/training', ['spend_total']],
      ]);
      const s = await h.client.getDatasetSchema({ dataset: 'shop/customer_spend', against: 3 });
      assert.deepEqual(s.diff?.renamed, [{ from: 'spend', to: 'total_spend', type: 'double', by: 'lineage' }]);
      seen.push(imp, s);
    });

    test('errors: a column missing at the snapshot, bad arguments', async () => {
      const errors: unknown[] = [];
      for (const [p, code] of [
        [h.client.getColumnLineage({ dataset: 'shop/training', column: 'x_discount', direction: 'upstream' }), 'NOT_FOUND'],
        [h.client.getColumnLineage({ dataset: 'shop/training', column: 'region', direction: 'sideways' } as never), 'INVALID_ARGUMENT'],
        [h.client.getDatasetColumns({ dataset: 'shop/training', snapshot: 1, asOf: '2026-03-01T09:35:00Z' }), 'INVALID_ARGUMENT'],
        [h.client.getDatasetSchema({ dataset: 'shop/training', tableVersion: 1 }), 'INVALID_ARGUMENT'],
      ] as const) {
        try {
          await p;
          assert.fail(`expected ${code}`);
        } catch (err) {
          assert.ok(err instanceof AppError, String(err));
          assert.equal(err.code, code, err.message);
          errors.push({ code: err.code, message: err.message });
        }
      }
      assert.equal((errors[0] as { message: string }).message, 'Column "x_discount" does not exist in shop/training at the latest snapshot (6).');
      assert.equal((errors[3] as { message: string }).message, 'shop/training is not a Delta table Retrace knows, so it has no table versions.');
      seen.push(errors);
    });
  });
}

test('every transport returned the same column answers', () => {
  const direct = JSON.stringify(results.get('direct'));
  for (const t of TRANSPORTS) assert.equal(JSON.stringify(results.get(t)), direct, t);
});
