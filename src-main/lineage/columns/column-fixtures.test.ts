import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { ColumnLineageDto } from '../../../shared/columns-dto';
import { openDb } from '../../db/open-db';
import { ingestOnce } from '../../provenance/ingest';
import { ensureWorkspace } from '../../workspace/workspace-paths';
import { LineageEngine } from '../read-models/lineage-engine';
import { columnLineage, datasetColumns } from './column-answers';
import { ColumnsService } from './columns-service';

/**
 * Real events with column lineage (../shared/testdata/openlineage/, see its README), ingested as
 * they are; every expected answer is read off the event JSON by hand.
 */
const OL = path.resolve(import.meta.dirname, '../../../../shared/testdata/openlineage');

async function withEvents(files: readonly string[], fn: (svc: ColumnsService) => Promise<void>): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-col-fixtures-'));
  const paths = ensureWorkspace(root);
  // A last line without its newline would wait for it (a log still being written): end each copy with one.
  files.forEach((f, i) => {
    const text = fs.readFileSync(path.join(OL, f), 'utf8');
    fs.writeFileSync(path.join(paths.logsDir, `${String(i).padStart(2, '0')}-${path.basename(f)}`), text.endsWith('\n') ? text : `${text}\n`);
  });
  const db = openDb(paths.dbFile);
  try {
    const report = ingestOnce({ paths, db });
    assert.deepEqual(report.rejected, []);
    await fn(new ColumnsService(LineageEngine.open(db), { workspaceRoot: root }));
  } finally {
    db.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const rows = (d: ColumnLineageDto) => d.columns.map((c) => [c.dataset, c.column, c.depth, c.transformations.map((t) => `${t.type} ${t.subtype ?? ''}`.trim()).join(', ')]);

test('Marquez two-hop fixture: dataset_c.col_c ← dataset_b.col_b ← dataset_a.col_a, legacy COPY kept as the subtype', async () => {
  await withEvents(['marquez/docker/column-lineage.jsonl'], async (svc) => {
    const up = await columnLineage(svc, { dataset: 'namespace/dataset_c', column: 'col_c', direction: 'upstream' });
    assert.deepEqual(rows(up), [['namespace/dataset_b', 'col_b', 1, 'DIRECT COPY'], ['namespace/dataset_a', 'col_a', 2, 'DIRECT COPY']]);
    assert.equal(up.columns[0]!.transformations[0]!.description, 'col_c = col_b');
    const down = await columnLineage(svc, { dataset: 'namespace/dataset_a', column: 'col_a', direction: 'downstream' });
    assert.deepEqual(rows(down), [['namespace/dataset_b', 'col_b', 1, 'DIRECT COPY'], ['namespace/dataset_c', 'col_c', 2, 'DIRECT COPY']]);
    // dataset_a is never written: its schema comes from its schema facet as an input.
    const a = await datasetColumns(svc, { dataset: 'namespace/dataset_a' });
    assert.deepEqual([a.source, a.columns.map((c) => [c.name, c.type])], ['input-schema', [['col_a', 'string']]]);
    // As of snapshot 1 job2 has not run: dataset_c has no columns yet.
    await assert.rejects(columnLineage(svc, { dataset: 'namespace/dataset_c', column: 'col_c', direction: 'upstream', snapshot: 1 }), /does not exist in namespace\/dataset_c at snapshot 1/);
  });
});

test('OpenLineage compatibility CLL (Spark 1.19): transformations per input field, DIRECT and INDIRECT', async () => {
  await withEvents(['compatibility-tests/consumer/scenarios/CLL/events.jsonl'], async (svc) => {
    const up = await columnLineage(svc, { dataset: '/tmp/cll_test/tbl1', column: 'agg', direction: 'upstream' });
    assert.deepEqual(rows(up).sort(), [
      ['/tmp/cll_test/cll_source1', 'a', 1, 'INDIRECT GROUP_BY, INDIRECT JOIN, INDIRECT FILTER'],
      ['/tmp/cll_test/cll_source1', 'b', 1, 'INDIRECT GROUP_BY'],
      ['/tmp/cll_test/cll_source2', 'a', 1, 'INDIRECT JOIN, INDIRECT FILTER'],
      ['/tmp/cll_test/cll_source2', 'c', 1, 'DIRECT AGGREGATION'],
    ]);
    const down = await columnLineage(svc, { dataset: '/tmp/cll_test/cll_source1', column: 'b', direction: 'downstream' });
    assert.deepEqual(rows(down), [
      ['/tmp/cll_test/tbl1', 'agg', 1, 'INDIRECT GROUP_BY'],
      ['/tmp/cll_test/tbl1', 'ident', 1, 'INDIRECT GROUP_BY'],
      ['/tmp/cll_test/tbl1', 'trans', 1, 'DIRECT TRANSFORMATION, INDIRECT GROUP_BY'],
    ]);
    const cols = await datasetColumns(svc, { dataset: '/tmp/cll_test/tbl1' });
    assert.deepEqual(cols.columns.map((c) => [c.name, c.type]), [['ident', 'integer'], ['trans', 'string'], ['agg', 'long']]);
    const direct = await columnLineage(svc, { dataset: '/tmp/cll_test/tbl1', column: 'ident', direction: 'upstream', directOnly: true });
    assert.deepEqual(rows(direct), [['/tmp/cll_test/cll_source1', 'a', 1, 'DIRECT IDENTITY, INDIRECT GROUP_BY, INDIRECT JOIN, INDIRECT FILTER']]);
  });
});

test('data-rentgen Hive and Spark: the dataset-level JOIN, and a COMPLETE that re-emits the facet without it replaces it', async () => {
  await withEvents(['data-rentgen/tests/resources/events_hive.jsonl', 'data-rentgen/tests/resources/events_spark.jsonl'], async (svc) => {
    const hive = await columnLineage(svc, { dataset: 'hive://test-hadoop:9083/mydatabase.target_table', column: 'total_spent', direction: 'upstream' });
    assert.deepEqual(rows(hive).sort(), [
      ['hive://test-hadoop:9083/mydatabase.source_table', 'customer_id', 1, 'INDIRECT JOIN'],
      ['hive://test-hadoop:9083/mydatabase.source_table', 'total_spent', 1, 'DIRECT IDENTITY'],
    ]);
    const cols = await datasetColumns(svc, { dataset: 'hive://test-hadoop:9083/mydatabase.target_table' });
    assert.deepEqual(cols.datasetInputs.map((i) => [i.column, i.transformations[0]!.subtype]), [['customer_id', 'JOIN']]);
    // Spark sent the JOIN on RUNNING and the facet again without it on COMPLETE.
    const spark = await columnLineage(svc, { dataset: 'clickhouse://localhost:8123/mydb.myschema.mytable', column: 'total_spent', direction: 'upstream' });
    assert.deepEqual(rows(spark), [['hdfs://test-hadoop:9820/user/hive/warehouse/mydatabase.db/source_table', 'total_spent', 1, 'DIRECT IDENTITY']]);
  });
});

test('Airflow and dbt: empty transformation lists read as DIRECT (with the legacy type), dataset: [] says nothing', async () => {
  await withEvents(['compatibility-tests/consumer/scenarios/airflow/events.jsonl', 'data-rentgen/tests/resources/events_dbt.jsonl', 'data-rentgen/tests/resources/events_airflow.jsonl'], async (svc) => {
    const up = await columnLineage(svc, { dataset: 'gs://mock-bucket/result.csv', column: 'a', direction: 'upstream' });
    assert.deepEqual(rows(up), [
      ['bigquery/mock-project.test.upload_cp', 'a', 1, 'DIRECT IDENTITY'],
      ['bigquery/mock-project.test.upload', 'a', 2, 'DIRECT IDENTITY'],
      ['gs://mock-bucket/copied.csv', 'a', 3, 'DIRECT IDENTITY'],
      ['gs://mock-bucket/test.csv', 'a', 3, 'DIRECT IDENTITY'],
    ]);
    const dbt = await columnLineage(svc, { dataset: 'spark://localhost:10000/demo_schema.target_table', column: 'day', direction: 'upstream' });
    assert.deepEqual(rows(dbt), [['spark://localhost:10000/demo_schema.source_table', 'id', 1, 'DIRECT']]);
    assert.deepEqual((await datasetColumns(svc, { dataset: 'spark://localhost:10000/demo_schema.target_table' })).datasetInputs, []);
    // Airflow 2.3.0: empty legacy strings, no _producer on the facet.
    const pg = await columnLineage(svc, { dataset: 'postgres://postgres:5432/food_delivery.public.popular_orders_day_of_week', column: 'order_day_of_week', direction: 'upstream' });
    assert.deepEqual(rows(pg), [['postgres://postgres:5432/food_delivery.public.top_delivery_times', 'order_placed_on', 1, 'DIRECT']]);
  });
});

test('Marquez demo seed: lineage only on START events, and an input field naming a dataset that is no dataset stays as a flagged leaf', async () => {
  await withEvents(['marquez/docker/metadata.jsonl'], async (svc) => {
    const up = await columnLineage(svc, { dataset: 'food_delivery/public.delivery_7_days', column: 'category_id', direction: 'upstream' });
    assert.deepEqual(rows(up), [['food_delivery/public.menu_item_id', 'category_id', 1, 'DIRECT']]);
    assert.equal(up.columns[0]!.kind, null);
    const leaf = await datasetColumns(svc, { dataset: 'food_delivery/public.menu_item_id' });
    assert.deepEqual([leaf.source, leaf.kind, leaf.columns.map((c) => c.name)], ['lineage-only', null, ['category_id']]);
    // Three hops from orders to the day-of-week report.
    const down = await columnLineage(svc, { dataset: 'food_delivery/public.orders', column: 'placed_on', direction: 'downstream' });
    assert.deepEqual(rows(down).map((r) => r.slice(0, 3)), [
      ['food_delivery/public.orders_7_days', 'placed_on', 1],
      ['food_delivery/public.delivery_7_days', 'order_placed_on', 2],
      ['food_delivery/public.discounts', 'amount_off', 3],
      ['food_delivery/public.top_delivery_times', 'order_delivery_time', 3],
      ['food_delivery/public.top_delivery_times', 'order_placed_on', 3],
      ['food_delivery/public.popular_orders_day_of_week', 'order_day_of_week', 4],
      ['food_delivery/public.popular_orders_day_of_week', 'order_placed_on', 4],
    ]);
  });
});

test('DataHub Databricks MERGE INTO, a START with no ending: its column lineage governs nothing, the input schema stands', async () => {
  await withEvents(['datahub/metadata-integration/java/acryl-spark-lineage/src/test/resources/ol_events/databricks_mergeinto_start_event.json'], async (svc) => {
    // The table is both input and output of a run that never completed: a source, as far as we know.
    const cols = await datasetColumns(svc, { dataset: 'dbfs//demo-warehouse/document' });
    assert.equal(cols.source, 'input-schema');
    assert.equal(cols.columns.length, 13);
    assert.ok(cols.columns.every((c) => c.inputs.length === 0));
    const up = await columnLineage(svc, { dataset: 'dbfs//demo-warehouse/document', column: 'DocName', direction: 'upstream' });
    assert.deepEqual(up.columns, []);
  });
});

test('retrace export carries each event\'s schema and column lineage: the export ingests into the same column answers', async () => {
  const { shopWorkspace } = await import('./columns-scenario.test-support');
  const { exportOpenLineage } = await import('../read-models/export');
  const ws = shopWorkspace();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-col-export-'));
  try {
    const engine = LineageEngine.open(ws.db);
    const lines = exportOpenLineage(engine);
    const paths = ensureWorkspace(root);
    fs.writeFileSync(path.join(paths.logsDir, 'export.jsonl'), lines.join('\n') + '\n');
    const db = openDb(paths.dbFile);
    try {
      assert.deepEqual(ingestOnce({ paths, db }).rejected, []);
      const texts = (d: typeof db) => d.prepare('SELECT body FROM column_texts ORDER BY body').pluck().all();
      assert.deepEqual(texts(db), texts(ws.db), 'the same distinct bodies');
      const again = new ColumnsService(LineageEngine.open(db), { workspaceRoot: root });
      const before = new ColumnsService(engine, { workspaceRoot: ws.paths.root });
      for (const [snapshot, dataset, column] of [[undefined, 'shop/training', 'spend_total'], [3, 'shop/training', 'x_discount']] as const) {
        const q = { dataset, column, direction: 'upstream' as const, ...(snapshot ? { snapshot } : {}) };
        assert.deepEqual(rows(await columnLineage(again, q)), rows(await columnLineage(before, q)), `${dataset}.${column} at ${snapshot ?? 'now'}`);
      }
    } finally {
      db.close();
    }
  } finally {
    ws.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
