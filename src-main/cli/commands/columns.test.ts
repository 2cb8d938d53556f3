import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { shopWorkspace, type ShopWorkspace } from '../../lineage/columns/columns-scenario.test-support';
import { cliOutput } from '../cli-io';
import { runCli } from '../main';

/** `retrace columns` on the shop scenario (columns-scenario.test-support.ts): DESIGN §8 shapes, text, errors. */
let ws: ShopWorkspace;
before(() => {
  ws = shopWorkspace();
});
after(() => ws.dispose());

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const outWrite = cliOutput.write;
  const errWrite = process.stderr.write.bind(process.stderr);
  cliOutput.write = (t) => {
    stdout += t;
  };
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await runCli(['columns', ...args, '-w', ws.paths.root]);
    return { code, stdout, stderr };
  } finally {
    cliOutput.write = outWrite;
    process.stderr.write = errWrite;
  }
}

test('columns DATASET --json: the schema and each column\'s direct inputs, the dataset-level ones included', async () => {
  const r = await cli(['shop/customer_spend', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual([j.dataset, j.snapshot, j.live], ['shop/customer_spend', 6, true]);
  assert.deepEqual(j.schema, [{ name: 'customer_id', type: 'string' }, { name: 'region', type: 'string' }, { name: 'total_spend', type: 'double' }]);
  assert.deepEqual(Object.keys(j.fields), ['customer_id', 'region', 'total_spend']);
  assert.deepEqual(j.fields.total_spend.map((i: { dataset: string; column: string; transformations: { type: string; subtype: string }[] }) => [i.dataset, i.column, i.transformations.map((t) => `${t.type} ${t.subtype}`)]), [
    ['shop/orders_clean', 'net_amount', ['DIRECT AGGREGATION']],
    ['shop/orders_clean', 'customer_id', ['INDIRECT GROUP_BY']],
    ['shop/customers', 'customer_id', ['INDIRECT JOIN']],
  ]);
  const then = JSON.parse((await cli(['shop/customer_spend', '--snapshot', '3', '--json'])).stdout);
  assert.deepEqual([then.snapshot, then.live, then.schema.map((c: { name: string }) => c.name)], [3, undefined, ['customer_id', 'region', 'spend', 'avg_discount']]);
});

test('columns DATASET COLUMN --upstream / --downstream --depth --json: the walk, nearest first', async () => {
  const up = JSON.parse((await cli(['shop/training', 'spend_total', '--upstream', '--depth', '1', '--json'])).stdout);
  assert.deepEqual(up, {
    dataset: 'shop/training', column: 'spend_total', direction: 'upstream', snapshot: 6, live: true, depth: 1,
    columns: [{ dataset: 'shop/customer_spend', column: 'total_spend', depth: 1, transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] }],
  });
  // Upstream is the default; --as-of picks the snapshot a time falls in (R3 ended at 09:31).
  const byTime = JSON.parse((await cli(['shop/training', 'x_discount', '--as-of', '2026-03-01T09:35:00Z', '--json'])).stdout);
  assert.deepEqual([byTime.direction, byTime.snapshot, byTime.columns.length], ['upstream', 3, 7]);
  const down = JSON.parse((await cli(['shop/orders', 'discount', '--downstream', '--json'])).stdout);
  assert.deepEqual(down.columns.map((c: { dataset: string; column: string; depth: number }) => `${c.depth} ${c.dataset}.${c.column}`), [
    '1 shop/orders_clean.discount', '1 shop/orders_clean.net_amount', '2 shop/customer_spend.total_spend', '3 shop/training.spend_total',
  ]);
  const region = JSON.parse((await cli(['shop/training', 'region', '--depth', '1', '--json'])).stdout);
  assert.deepEqual(region.columns.map((c: { dataset: string; unknownDataset?: boolean }) => [c.dataset, c.unknownDataset ?? false]), [['crm/region_codes', true], ['shop/customer_spend', false]]);
});

test('the human form lists columns with their inputs, and a walk with depths', async () => {
  const cols = await cli(['shop/customer_spend']);
  assert.match(cols.stdout, /^shop\/customer_spend at the latest snapshot \(6\): 3 columns, as declared by run 00000000-0000-4000-8000-000000000104 \(shop\/agg\)\.$/m);
  assert.match(cols.stdout, /^ {2}total_spend {2}double {2}← shop\/orders_clean\.net_amount \(DIRECT AGGREGATION\)$/m);
  assert.match(cols.stdout, /^ {2}every column ← shop\/orders_clean\.customer_id \(INDIRECT GROUP_BY\), shop\/customers\.customer_id \(INDIRECT JOIN\)$/m);
  const walk = await cli(['shop/training', 'spend_total', '--depth', '2']);
  assert.equal(walk.stdout, [
    'shop/training.spend_total at the latest snapshot (6) comes from 4 columns within depth 2:',
    '   1  shop/customer_spend.total_spend  (DIRECT IDENTITY)',
    '   2  shop/customers.customer_id  (INDIRECT JOIN)',
    '   2  shop/orders_clean.customer_id  (INDIRECT GROUP_BY)',
    '   2  shop/orders_clean.net_amount  (DIRECT AGGREGATION)',
    '',
  ].join('\n'));
});

test('errors: one sentence, non-zero exit, for a column missing at the snapshot and for bad flags', async () => {
  const cases: [string[], number, string][] = [
    [['shop/training', 'x_discount'], 1, 'Column "x_discount" does not exist in shop/training at the latest snapshot (6).'],
    [['shop/customer_spend', 'spend', '--snapshot', '5'], 1, 'Column "spend" does not exist in shop/customer_spend at snapshot 5.'],
    [['shop/nowhere', 'x'], 1, 'No dataset matches "shop/nowhere"; give it as `retrace graph` labels it (a workspace-relative path, or namespace/name).'],
    [['shop/training', 'region', '--upstream', '--downstream'], 2, 'Give either --upstream or --downstream, not both.'],
    [['shop/training', '--depth', '2'], 2, '--depth goes with a COLUMN; give one after the dataset.'],
    [['shop/training', 'region', '--snapshot', '99'], 1, 'Snapshot 99 does not exist; snapshots run from 1 to 6.'],
  ];
  for (const [args, code, sentence] of cases) {
    const r = await cli(args);
    assert.deepEqual([r.code, r.stderr], [code, `error: ${sentence}\n`], args.join(' '));
    assert.equal(r.stdout, '');
  }
});
