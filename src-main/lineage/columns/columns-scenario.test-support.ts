/**
 * Test-only: a small shop pipeline whose column lineage is written as real OpenLineage lines
 * (schema facets on inputs, schema + columnLineage on outputs, 1-2-0 and legacy forms mixed),
 * ingested with the real ingest. Runs end in order, so run Rn ends snapshot n:
 *
 *   R1 clean     orders                      → orders_clean    order_id, customer_id ← IDENTITY;
 *                                                              net_amount ← amount, discount (TRANSFORMATION);
 *                                                              discount ← discount (IDENTITY);
 *                                                              dataset-level: orders.status (INDIRECT FILTER)
 *   R2 agg       orders_clean, customers      → customer_spend  customer_id ← IDENTITY; region ← customers.region;
 *                                                              spend ← net_amount (AGGREGATION);
 *                                                              avg_discount ← discount (AGGREGATION);
 *                                                              dataset-level: orders_clean.customer_id (GROUP_BY),
 *                                                                             customers.customer_id (JOIN)
 *   R3 features  customer_spend               → training        spend_total ← spend (legacy IDENTITY);
 *                                                              region ← region (IDENTITY) and crm/region_codes.code
 *                                                              (INDIRECT CONDITIONAL; crm/region_codes appears nowhere else);
 *                                                              x_discount ← avg_discount (TRANSFORMATION)
 *   R4 agg       (again)                      → customer_spend  `spend` renamed `total_spend`, `avg_discount` dropped
 *   R5 features  (again)                      → training        spend_total ← total_spend; region as before; x_discount dropped
 *   R6 agg       FAIL, declaring a column `junk` — a failed run governs nothing
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, type WritableDb } from '../../db/open-db';
import { ingestOnce } from '../../provenance/ingest';
import { ensureWorkspace, type WorkspacePaths } from '../../workspace/workspace-paths';

export const SHOP_RUN = (i: number): string => `00000000-0000-4000-8000-${String(100 + i).padStart(12, '0')}`;
const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
const at = (m: number) => new Date(T0 + m * 60_000).toISOString();

type Tr = { type: string; subtype?: string; description?: string; masking?: boolean };
const I = (dataset: string, field: string, ...transformations: Tr[]) => ({ namespace: 'shop', name: dataset, field, ...(transformations.length ? { transformations } : {}) });
const D = (subtype: string): Tr => ({ type: 'DIRECT', subtype, description: '', masking: false });
const X = (subtype: string): Tr => ({ type: 'INDIRECT', subtype });
const schema = (...fields: [string, string][]) => ({ schema: { _producer: 'p', _schemaURL: 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json', fields: fields.map(([name, type]) => ({ name, type })) } });
const lineage = (fields: Record<string, unknown>, dataset?: unknown[]) => ({
  columnLineage: { _producer: 'p', _schemaURL: 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json', fields, ...(dataset ? { dataset } : {}) },
});

const ORDERS = schema(['order_id', 'string'], ['customer_id', 'string'], ['amount', 'double'], ['discount', 'double'], ['status', 'string']);
const CUSTOMERS = schema(['customer_id', 'string'], ['region', 'string'], ['signup_date', 'date']);

const CLEAN = {
  ...schema(['order_id', 'string'], ['customer_id', 'string'], ['net_amount', 'double'], ['discount', 'double']),
  ...lineage({
    order_id: { inputFields: [I('orders', 'order_id', D('IDENTITY'))] },
    customer_id: { inputFields: [I('orders', 'customer_id', D('IDENTITY'))] },
    net_amount: { inputFields: [I('orders', 'amount', D('TRANSFORMATION')), I('orders', 'discount', D('TRANSFORMATION'))] },
    discount: { inputFields: [I('orders', 'discount', D('IDENTITY'))] },
  }, [I('orders', 'status', X('FILTER'))]),
};

const SPEND_DATASET_LEVEL = [I('orders_clean', 'customer_id', X('GROUP_BY')), { ...I('customers', 'customer_id', X('JOIN')), transformations: [{ type: 'INDIRECT', subtype: 'JOIN', description: 'ON orders_clean.customer_id = customers.customer_id' }] }];
const SPEND_V1 = {
  ...schema(['customer_id', 'string'], ['region', 'string'], ['spend', 'double'], ['avg_discount', 'double']),
  ...lineage({
    customer_id: { inputFields: [I('orders_clean', 'customer_id', D('IDENTITY'))] },
    region: { inputFields: [I('customers', 'region', D('IDENTITY'))] },
    spend: { inputFields: [I('orders_clean', 'net_amount', D('AGGREGATION'))] },
    avg_discount: { inputFields: [I('orders_clean', 'discount', D('AGGREGATION'))] },
  }, SPEND_DATASET_LEVEL),
};
const SPEND_V2 = {
  ...schema(['customer_id', 'string'], ['region', 'string'], ['total_spend', 'double']),
  ...lineage({
    customer_id: { inputFields: [I('orders_clean', 'customer_id', D('IDENTITY'))] },
    region: { inputFields: [I('customers', 'region', D('IDENTITY'))] },
    total_spend: { inputFields: [I('orders_clean', 'net_amount', D('AGGREGATION'))] },
  }, SPEND_DATASET_LEVEL),
};
const REGION = { inputFields: [I('customer_spend', 'region', D('IDENTITY')), { namespace: 'crm', name: 'region_codes', field: 'code', transformations: [X('CONDITIONAL')] }] };
const TRAINING_V1 = {
  ...schema(['spend_total', 'double'], ['region', 'string'], ['x_discount', 'double']),
  ...lineage({
    // The 1-0-1 form: no transformations, the output column's legacy type.
    spend_total: { inputFields: [I('customer_spend', 'spend')], transformationType: 'IDENTITY', transformationDescription: '' },
    region: REGION,
    x_discount: { inputFields: [I('customer_spend', 'avg_discount', D('TRANSFORMATION'))] },
  }),
};
const TRAINING_V2 = {
  ...schema(['spend_total', 'double'], ['region', 'string']),
  ...lineage({ spend_total: { inputFields: [I('customer_spend', 'total_spend', D('IDENTITY'))] }, region: REGION }),
};
const JUNK = { ...schema(['customer_id', 'string'], ['junk', 'string']), ...lineage({ junk: { inputFields: [I('orders_clean', 'order_id', D('IDENTITY'))] } }) };

interface Step { run: number; job: string; inputs: [string, object][]; output: [string, object]; state?: 'COMPLETE' | 'FAIL' }
const STEPS: Step[] = [
  { run: 1, job: 'clean', inputs: [['orders', ORDERS]], output: ['orders_clean', CLEAN] },
  { run: 2, job: 'agg', inputs: [['orders_clean', {}], ['customers', CUSTOMERS]], output: ['customer_spend', SPEND_V1] },
  { run: 3, job: 'features', inputs: [['customer_spend', {}]], output: ['training', TRAINING_V1] },
  { run: 4, job: 'agg', inputs: [['orders_clean', {}], ['customers', CUSTOMERS]], output: ['customer_spend', SPEND_V2] },
  { run: 5, job: 'features', inputs: [['customer_spend', {}]], output: ['training', TRAINING_V2] },
  { run: 6, job: 'agg', inputs: [['orders_clean', {}]], output: ['customer_spend', JUNK], state: 'FAIL' },
];

/** The scenario's log lines: each run a START (inputs with their schema) and an ending that repeats the output facets, as Spark does. */
export function shopLines(): string[] {
  const base = { producer: 'https://example.com/shop', schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent' };
  const lines: string[] = [];
  for (const s of STEPS) {
    const m = s.run * 10;
    const inputs = s.inputs.map(([name, facets]) => ({ namespace: 'shop', name, facets }));
    const outputs = [{ namespace: 'shop', name: s.output[0], facets: s.output[1] }];
    lines.push(JSON.stringify({ ...base, eventType: 'START', eventTime: at(m), run: { runId: SHOP_RUN(s.run) }, job: { namespace: 'shop', name: s.job }, inputs, outputs }));
    lines.push(JSON.stringify({ ...base, eventType: s.state ?? 'COMPLETE', eventTime: at(m + 1), run: { runId: SHOP_RUN(s.run) }, job: { namespace: 'shop', name: s.job }, inputs, outputs }));
  }
  return lines;
}

export interface ShopWorkspace {
  readonly paths: WorkspacePaths;
  readonly db: WritableDb;
  dispose(): void;
}

/** A temporary workspace holding the scenario's log, ingested. */
export function shopWorkspace(): ShopWorkspace {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-columns-'));
  const paths = ensureWorkspace(root);
  fs.writeFileSync(path.join(paths.logsDir, 'shop.jsonl'), shopLines().join('\n') + '\n');
  const db = openDb(paths.dbFile);
  ingestOnce({ paths, db });
  return { paths, db, dispose: () => { db.close(); fs.rmSync(root, { recursive: true, force: true }); } };
}
