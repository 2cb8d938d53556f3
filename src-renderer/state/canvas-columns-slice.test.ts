import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { shopLines } from '../../src-main/lineage/columns/columns-scenario.test-support';
import { ingestOnce } from '../../src-main/provenance/ingest';
import { openHarness, type Harness } from '../../test/api-clients.test-support';
import { createAppStore } from './app-store';
import { lastPageStart } from './canvas-columns-slice';

/**
 * Expanding dataset nodes into their columns on the canvas, without React, over the IPC
 * transport: the shop scenario (columns-scenario.test-support.ts) plus a 30-column table
 * `shop/wide` (c00 … c29) written after it, so paging and search have something to page.
 */
let h: Harness;
const WIDE = 'artifact:shop/wide';
before(async () => {
  h = await openHarness('ipc-fake');
  const wide = Array.from({ length: 30 }, (_, i) => ({ name: `c${String(i).padStart(2, '0')}`, type: 'long' }));
  const ev = (eventType: string, eventTime: string) => JSON.stringify({
    eventType, eventTime, producer: 'p', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: '00000000-0000-4000-8000-000000000900' }, job: { namespace: 'shop', name: 'widen' },
    inputs: [{ namespace: 'shop', name: 'orders' }],
    outputs: [{ namespace: 'shop', name: 'wide', facets: { schema: { _producer: 'p', _schemaURL: 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json', fields: wide } } }],
  });
  const lines = [...shopLines(), ev('START', '2026-03-02T09:00:00Z'), ev('COMPLETE', '2026-03-02T09:01:00Z')];
  fs.writeFileSync(path.join(h.core.paths.logsDir, 'shop.jsonl'), lines.join('\n') + '\n');
  ingestOnce({ paths: h.core.paths, db: h.core.db });
});
after(async () => h.close());

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 300 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
};

test('a wide node expands one page of 12 at a time; paging clamps to the last page; search asks again from the top', async () => {
  const store = createAppStore(h.client);
  await store.getState().load();
  await store.getState().expandColumns(WIDE);
  let card = store.getState().canvasColumns[WIDE]!;
  assert.equal(card.state, 'ready', card.error ?? '');
  assert.equal(card.dataset, 'shop/wide');
  assert.deepEqual([card.page!.total, card.page!.count, card.offset], [30, 30, 0]);
  assert.deepEqual(card.page!.columns.map((c) => c.name), ['c00', 'c01', 'c02', 'c03', 'c04', 'c05', 'c06', 'c07', 'c08', 'c09', 'c10', 'c11']);

  await store.getState().pageCanvasColumns(WIDE, 12);
  assert.deepEqual(store.getState().canvasColumns[WIDE]!.page!.columns.map((c) => c.name)[0], 'c12');
  await store.getState().pageCanvasColumns(WIDE, 500);
  card = store.getState().canvasColumns[WIDE]!;
  assert.equal(card.offset, 24, '30 columns: the last page starts at 24');
  assert.deepEqual(card.page!.columns.map((c) => c.name), ['c24', 'c25', 'c26', 'c27', 'c28', 'c29']);

  await store.getState().searchCanvasColumns(WIDE, ' c1 ');
  card = store.getState().canvasColumns[WIDE]!;
  assert.deepEqual([card.query, card.offset, card.page!.total, card.page!.count], ['c1', 0, 10, 30]);
  assert.deepEqual(card.page!.columns.map((c) => c.name), ['c10', 'c11', 'c12', 'c13', 'c14', 'c15', 'c16', 'c17', 'c18', 'c19']);

  // One click collapses; a job has no columns to expand.
  await store.getState().toggleColumns(WIDE);
  assert.equal(store.getState().canvasColumns[WIDE], undefined);
  await store.getState().expandColumns('job:shop/widen');
  assert.deepEqual(store.getState().canvasColumns, {});
});

test('expanded nodes follow the time slider: the training set before x_discount was dropped', async () => {
  const store = createAppStore(h.client);
  await store.getState().load();
  const node = 'artifact:shop/training';
  await store.getState().expandColumns(node);
  const names = () => store.getState().canvasColumns[node]!.page?.columns.map((c) => c.name).sort() ?? [];
  assert.deepEqual(names(), ['region', 'spend_total'], 'R5 dropped x_discount');
  store.setState({ snapshot: 3 });
  await until(() => names().length === 3);
  assert.deepEqual(names(), ['region', 'spend_total', 'x_discount'], 'as R3 declared it');
});

test('clicking a column on the canvas selects its node and the column, whose path the columns slice answers', async () => {
  const store = createAppStore(h.client);
  await store.getState().load();
  const node = 'artifact:shop/training';
  await store.getState().expandColumns(node);
  await store.getState().pickCanvasColumn(node, 'spend_total');
  const s = store.getState();
  assert.equal(s.selectedId, node);
  assert.equal(s.columnState, 'ready', s.columnError ?? '');
  assert.deepEqual([s.selectedColumn?.dataset, s.selectedColumn?.column, s.selectedColumn?.node], ['shop/training', 'spend_total', node]);
  assert.ok(s.columnUpNodes.includes('artifact:shop/customer_spend'));
});

test('the last page of n columns starts at the last multiple of 12 below n', () => {
  assert.deepEqual([0, 1, 12, 13, 24, 1000].map(lastPageStart), [0, 0, 0, 12, 12, 996]);
});
