import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ColumnLineageDto } from '../../../shared/columns-dto';
import { LineageEngine } from '../read-models/lineage-engine';
import { columnImpact, columnLineage, datasetColumns, datasetSchema } from './column-answers';
import { ColumnsService } from './columns-service';
import { shopWorkspace, type ShopWorkspace } from './columns-scenario.test-support';

/**
 * The multi-hop shop scenario (columns-scenario.test-support.ts) with a rename, a dropped column,
 * a dataset-level FILTER / GROUP_BY / JOIN, an unknown dataset and a failed run. Every expected
 * set below is worked out by hand from the facets listed there: [dataset, column, depth,
 * "TYPE SUBTYPE" of the edges reaching it from one step closer].
 */
let ws: ShopWorkspace;
let svc: ColumnsService;
before(() => {
  ws = shopWorkspace();
  svc = new ColumnsService(LineageEngine.open(ws.db), { workspaceRoot: ws.paths.root });
});
after(() => ws.dispose());

type Row = [string, string, number, string];
const rows = (d: ColumnLineageDto): Row[] =>
  d.columns.map((c) => [c.dataset, c.column, c.depth, c.transformations.map((t) => `${t.type} ${t.subtype ?? ''}`.trim()).sort().join(', ')]);
const sorted = (r: Row[]): Row[] => [...r].sort((a, b) => a[2] - b[2] || (a[0] + a[1] < b[0] + b[1] ? -1 : 1));

test('six runs end six snapshots; the failed one governs nothing', () => {
  assert.equal(svc.engine.listSnapshots().length, 6);
});

test('upstream of training.spend_total now: through the renamed total_spend, with the dataset-level JOIN, GROUP_BY and FILTER', async () => {
  const d = await columnLineage(svc, { dataset: 'shop/training', column: 'spend_total', direction: 'upstream' });
  assert.deepEqual(rows(d), sorted([
    ['shop/customer_spend', 'total_spend', 1, 'DIRECT IDENTITY'],
    ['shop/orders_clean', 'net_amount', 2, 'DIRECT AGGREGATION'],
    ['shop/orders_clean', 'customer_id', 2, 'INDIRECT GROUP_BY'],
    ['shop/customers', 'customer_id', 2, 'INDIRECT JOIN'],
    ['shop/orders', 'amount', 3, 'DIRECT TRANSFORMATION'],
    ['shop/orders', 'discount', 3, 'DIRECT TRANSFORMATION'],
    ['shop/orders', 'status', 3, 'INDIRECT FILTER'],
    ['shop/orders', 'customer_id', 3, 'DIRECT IDENTITY'],
  ]));
  assert.deepEqual(d.nodes, ['artifact:shop/training', 'artifact:shop/customer_spend', 'artifact:shop/customers', 'artifact:shop/orders_clean', 'artifact:shop/orders']);
  // Edges run as data flows, each on a shortest path.
  assert.ok(d.edges.some((e) => e.source === 'column:shop/customer_spend#total_spend' && e.target === 'column:shop/training#spend_total'));
  assert.ok(d.edges.some((e) => e.source === 'column:shop/customers#customer_id' && e.target === 'column:shop/customer_spend#total_spend' && e.datasetLevel));
  assert.equal(d.edges.length, 9, '1 + 3 + (net_amount: 3, customer_id: 2)');
});

test('--depth keeps depth ≤ N; DIRECT only follows DIRECT edges', async () => {
  const two = await columnLineage(svc, { dataset: 'shop/training', column: 'spend_total', direction: 'upstream', depth: 2 });
  assert.deepEqual(two.columns.map((c) => `${c.column}@${c.depth}`), ['total_spend@1', 'customer_id@2', 'customer_id@2', 'net_amount@2']);
  const direct = await columnLineage(svc, { dataset: 'shop/training', column: 'spend_total', direction: 'upstream', directOnly: true });
  assert.deepEqual(rows(direct), sorted([
    ['shop/customer_spend', 'total_spend', 1, 'DIRECT IDENTITY'],
    ['shop/orders_clean', 'net_amount', 2, 'DIRECT AGGREGATION'],
    ['shop/orders', 'amount', 3, 'DIRECT TRANSFORMATION'],
    ['shop/orders', 'discount', 3, 'DIRECT TRANSFORMATION'],
  ]));
});

test('upstream of training.region names the unknown dataset crm/region_codes as a leaf', async () => {
  const d = await columnLineage(svc, { dataset: 'shop/training', column: 'region', direction: 'upstream' });
  assert.deepEqual(rows(d), sorted([
    ['shop/customer_spend', 'region', 1, 'DIRECT IDENTITY'],
    ['crm/region_codes', 'code', 1, 'INDIRECT CONDITIONAL'],
    ['shop/customers', 'region', 2, 'DIRECT IDENTITY'],
    ['shop/orders_clean', 'customer_id', 2, 'INDIRECT GROUP_BY'],
    ['shop/customers', 'customer_id', 2, 'INDIRECT JOIN'],
    ['shop/orders', 'customer_id', 3, 'DIRECT IDENTITY'],
    ['shop/orders', 'status', 3, 'INDIRECT FILTER'],
  ]));
  const crm = d.columns.find((c) => c.dataset === 'crm/region_codes')!;
  assert.equal(crm.kind, null, 'never an input or output: flagged');
  assert.equal(crm.node, 'artifact:crm/region_codes');
});

test('downstream of orders.discount now and at snapshot 3, before the drop and the rename', async () => {
  const now = await columnLineage(svc, { dataset: 'shop/orders', column: 'discount', direction: 'downstream' });
  assert.deepEqual(rows(now), sorted([
    ['shop/orders_clean', 'discount', 1, 'DIRECT IDENTITY'],
    ['shop/orders_clean', 'net_amount', 1, 'DIRECT TRANSFORMATION'],
    ['shop/customer_spend', 'total_spend', 2, 'DIRECT AGGREGATION'],
    ['shop/training', 'spend_total', 3, 'DIRECT IDENTITY'],
  ]));
  const then = await columnLineage(svc, { dataset: 'shop/orders', column: 'discount', direction: 'downstream', snapshot: 3 });
  assert.deepEqual(rows(then), sorted([
    ['shop/orders_clean', 'discount', 1, 'DIRECT IDENTITY'],
    ['shop/orders_clean', 'net_amount', 1, 'DIRECT TRANSFORMATION'],
    ['shop/customer_spend', 'avg_discount', 2, 'DIRECT AGGREGATION'],
    ['shop/customer_spend', 'spend', 2, 'DIRECT AGGREGATION'],
    ['shop/training', 'x_discount', 3, 'DIRECT TRANSFORMATION'],
    ['shop/training', 'spend_total', 3, 'DIRECT IDENTITY'],
  ]));
});

test('a dataset-level FILTER reaches every column of its output, and GROUP_BY every column downstream', async () => {
  const then = await columnLineage(svc, { dataset: 'shop/orders', column: 'status', direction: 'downstream', snapshot: 3 });
  assert.deepEqual(rows(then), sorted([
    ['shop/orders_clean', 'order_id', 1, 'INDIRECT FILTER'],
    ['shop/orders_clean', 'customer_id', 1, 'INDIRECT FILTER'],
    ['shop/orders_clean', 'net_amount', 1, 'INDIRECT FILTER'],
    ['shop/orders_clean', 'discount', 1, 'INDIRECT FILTER'],
    ['shop/customer_spend', 'customer_id', 2, 'DIRECT IDENTITY, INDIRECT GROUP_BY'],
    ['shop/customer_spend', 'region', 2, 'INDIRECT GROUP_BY'],
    ['shop/customer_spend', 'spend', 2, 'DIRECT AGGREGATION, INDIRECT GROUP_BY'],
    ['shop/customer_spend', 'avg_discount', 2, 'DIRECT AGGREGATION, INDIRECT GROUP_BY'],
    ['shop/training', 'region', 3, 'DIRECT IDENTITY'],
    ['shop/training', 'spend_total', 3, 'DIRECT IDENTITY'],
    ['shop/training', 'x_discount', 3, 'DIRECT TRANSFORMATION'],
  ]));
  const now = await columnLineage(svc, { dataset: 'shop/orders', column: 'status', direction: 'downstream' });
  assert.deepEqual(rows(now), sorted([
    ['shop/orders_clean', 'order_id', 1, 'INDIRECT FILTER'],
    ['shop/orders_clean', 'customer_id', 1, 'INDIRECT FILTER'],
    ['shop/orders_clean', 'net_amount', 1, 'INDIRECT FILTER'],
    ['shop/orders_clean', 'discount', 1, 'INDIRECT FILTER'],
    ['shop/customer_spend', 'customer_id', 2, 'DIRECT IDENTITY, INDIRECT GROUP_BY'],
    ['shop/customer_spend', 'region', 2, 'INDIRECT GROUP_BY'],
    ['shop/customer_spend', 'total_spend', 2, 'DIRECT AGGREGATION, INDIRECT GROUP_BY'],
    ['shop/training', 'region', 3, 'DIRECT IDENTITY'],
    ['shop/training', 'spend_total', 3, 'DIRECT IDENTITY'],
  ]));
});

test('upstream of training.x_discount at snapshot 3; now the column is gone and the sentence says so', async () => {
  const then = await columnLineage(svc, { dataset: 'shop/training', column: 'x_discount', direction: 'upstream', snapshot: 3 });
  assert.deepEqual(rows(then), sorted([
    ['shop/customer_spend', 'avg_discount', 1, 'DIRECT TRANSFORMATION'],
    ['shop/orders_clean', 'discount', 2, 'DIRECT AGGREGATION'],
    ['shop/orders_clean', 'customer_id', 2, 'INDIRECT GROUP_BY'],
    ['shop/customers', 'customer_id', 2, 'INDIRECT JOIN'],
    ['shop/orders', 'discount', 3, 'DIRECT IDENTITY'],
    ['shop/orders', 'status', 3, 'INDIRECT FILTER'],
    ['shop/orders', 'customer_id', 3, 'DIRECT IDENTITY'],
  ]));
  await assert.rejects(columnLineage(svc, { dataset: 'shop/training', column: 'x_discount', direction: 'upstream' }),
    { code: 'NOT_FOUND', message: 'Column "x_discount" does not exist in shop/training at the latest snapshot (6).' });
  await assert.rejects(columnLineage(svc, { dataset: 'shop/customer_spend', column: 'avg_discount', direction: 'downstream', snapshot: 5 }),
    { code: 'NOT_FOUND', message: 'Column "avg_discount" does not exist in shop/customer_spend at snapshot 5.' });
  // Before its writer completed, customer_spend had no columns.
  await assert.rejects(columnLineage(svc, { dataset: 'shop/customer_spend', column: 'spend', direction: 'upstream', snapshot: 1 }),
    { code: 'NOT_FOUND', message: 'Column "spend" does not exist in shop/customer_spend at snapshot 1.' });
});

test('columns of a dataset: declared by the last completed writer, with inputs, dataset-level inputs and history', async () => {
  const now = await datasetColumns(svc, { dataset: 'shop/customer_spend' });
  assert.equal(now.source, 'declared');
  assert.equal(now.writtenBy?.run, '00000000-0000-4000-8000-000000000104', 'R4: the failed R6 does not count');
  assert.deepEqual(now.columns.map((c) => [c.name, c.type]), [['customer_id', 'string'], ['region', 'string'], ['total_spend', 'double']]);
  assert.deepEqual(now.columns[2]!.inputs.map((i) => [i.dataset, i.column]), [['shop/orders_clean', 'net_amount']]);
  assert.deepEqual(now.datasetInputs.map((i) => [i.dataset, i.column, i.transformations[0]!.subtype]), [['shop/orders_clean', 'customer_id', 'GROUP_BY'], ['shop/customers', 'customer_id', 'JOIN']]);
  assert.deepEqual(now.columns[2]!.history.map((h) => [h.change, h.snapshot, h.column, h.from ?? null]), [['appeared', 2, 'spend', null], ['renamed', 4, 'total_spend', 'spend']]);
  const then = await datasetColumns(svc, { dataset: 'shop/customer_spend', snapshot: 3 });
  assert.deepEqual(then.columns.map((c) => c.name), ['customer_id', 'region', 'spend', 'avg_discount']);
  // Searching and paging.
  const page = await datasetColumns(svc, { dataset: 'shop/customer_spend', snapshot: 3, query: 'S', limit: 1, offset: 1 });
  assert.deepEqual([page.total, page.count, page.columns.map((c) => c.name)], [3, 4, ['spend']], 'customer_id, spend and avg_discount hold an s');
  // A source: its schema from the input facet; lineage names only crm/region_codes.code.
  const orders = await datasetColumns(svc, { dataset: 'shop/orders' });
  assert.deepEqual([orders.source, orders.columns.map((c) => c.name)], ['input-schema', ['order_id', 'customer_id', 'amount', 'discount', 'status']]);
  const crm = await datasetColumns(svc, { dataset: 'crm/region_codes' });
  assert.deepEqual([crm.source, crm.kind, crm.columns.map((c) => [c.name, c.referencedOnly])], ['lineage-only', null, [['code', true]]]);
});

test('schema diff between two snapshots: a rename recognised by its inputs, a dropped column', async () => {
  const s = await datasetSchema(svc, { dataset: 'shop/customer_spend', against: 3 });
  assert.deepEqual(s.diff, {
    against: { snapshot: 3 }, added: [], dropped: [{ name: 'avg_discount', type: 'double' }],
    renamed: [{ from: 'spend', to: 'total_spend', type: 'double', by: 'lineage' }], typeChanged: [],
  });
  const fromEmpty = await datasetSchema(svc, { dataset: 'shop/training', snapshot: 3, against: 0 });
  assert.deepEqual(fromEmpty.diff?.added.map((c) => c.name), ['spend_total', 'region', 'x_discount']);
});

test('column impact: downstream columns, their datasets, nothing further without consumers', async () => {
  const imp = await columnImpact(svc, { dataset: 'shop/orders', column: 'discount', snapshot: 3 });
  assert.deepEqual(imp.datasets.map((d) => [d.dataset, d.depth, d.columns]), [
    ['shop/orders_clean', 1, ['discount', 'net_amount']],
    ['shop/customer_spend', 2, ['avg_discount', 'spend']],
    ['shop/training', 3, ['spend_total', 'x_discount']],
  ]);
  assert.deepEqual(imp.counts, { columns: 6, datasets: 3, trainingSets: 0, models: 0 });
  assert.deepEqual(imp.consumers, [], 'nothing consumed training');
});
