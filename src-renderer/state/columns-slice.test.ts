import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { shopLines } from '../../src-main/lineage/columns/columns-scenario.test-support';
import { ingestOnce } from '../../src-main/provenance/ingest';
import { openHarness, type Harness } from '../../test/api-clients.test-support';
import { createAppStore } from './app-store';

/**
 * The columns slice without React, over the IPC transport, on the shop scenario of
 * columns-scenario.test-support.ts (expected node ids worked out there by hand).
 */
let h: Harness;
before(async () => {
  h = await openHarness('ipc-fake');
  fs.writeFileSync(path.join(h.core.paths.logsDir, 'shop.jsonl'), shopLines().join('\n') + '\n');
  ingestOnce({ paths: h.core.paths, db: h.core.db });
});
after(async () => h.close());

test('selecting a column loads both sides and the graph node ids to colour; the time slider asks again', async () => {
  const store = createAppStore(h.client);
  await store.getState().selectColumn('shop/orders', 'discount');
  let s = store.getState();
  assert.equal(s.columnState, 'ready', s.columnError ?? '');
  assert.deepEqual(s.selectedColumn, { dataset: 'shop/orders', column: 'discount', id: 'column:shop/orders#discount', node: 'artifact:shop/orders' });
  assert.deepEqual(s.columnUpNodes, [], 'a source column');
  assert.deepEqual(s.columnDownNodes, ['artifact:shop/orders_clean', 'artifact:shop/customer_spend', 'artifact:shop/training']);
  assert.deepEqual(s.columnDownIds, ['column:shop/orders_clean#discount', 'column:shop/orders_clean#net_amount', 'column:shop/customer_spend#total_spend', 'column:shop/training#spend_total']);
  assert.ok(s.columnEdges.some((e) => e.source === 'column:shop/orders#discount' && e.target === 'column:shop/orders_clean#net_amount' && e.direct));

  // Travelling to snapshot 3 (before the drop): the column's reach follows.
  store.setState({ snapshot: 3 });
  for (let i = 0; i < 200 && store.getState().columnDownIds.length !== 6; i++) await new Promise((r) => setTimeout(r, 10));
  s = store.getState();
  assert.deepEqual(s.columnDownIds.slice(2).sort(), ['column:shop/customer_spend#avg_discount', 'column:shop/customer_spend#spend', 'column:shop/training#spend_total', 'column:shop/training#x_discount']);

  // A column that does not exist at the snapshot shown: one sentence, nothing highlighted.
  await store.getState().selectColumn('shop/training', 'x_discount');
  store.setState({ snapshot: null });
  for (let i = 0; i < 200 && store.getState().columnState !== 'error'; i++) await new Promise((r) => setTimeout(r, 10));
  s = store.getState();
  assert.equal(s.columnError, 'Column "x_discount" does not exist in shop/training at the latest snapshot (6).');
  assert.deepEqual([s.columnUpNodes, s.columnDownIds], [[], []]);
  assert.equal(s.selectedColumn?.column, 'x_discount', 'kept: stepping back shows it again');

  // DIRECT only drops the dataset-level edges; clearing empties everything.
  await store.getState().selectColumn('shop/training', 'spend_total');
  assert.equal(store.getState().columnUpIds.length, 8);
  await store.getState().setColumnsDirectOnly(true);
  assert.deepEqual(store.getState().columnUpIds, ['column:shop/customer_spend#total_spend', 'column:shop/orders_clean#net_amount', 'column:shop/orders#amount', 'column:shop/orders#discount']);
  await store.getState().selectColumn('', null);
  assert.deepEqual([store.getState().selectedColumn, store.getState().columnUpIds], [null, []]);
});
