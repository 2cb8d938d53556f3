import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ingestOnce } from './ingest';
import { discoverSources } from './sources';
import { OPENLINEAGE_TESTDATA, count, tempWorkspace } from './temp-workspace.test-support';

/**
 * Every event file of ../shared/testdata/openlineage (README: 191 real events, 126 upstream
 * files + 9 derived .jsonl), ingested alone: [events accepted, runs, datasets, rejected lines].
 * Runs fold by runId (e.g. airflow: 3 DAG runs + 13 task runs = 16 from 32 events); the
 * template's placeholder eventTimes, the run without runId and the broken JSON are the only
 * rejections; JobEvents/DatasetEvents are accepted without a run.
 */
const EXPECTED: readonly [string, readonly [number, number, number, number]][] = [
  ["compatibility-tests/consumer/scenarios/CLL/events.jsonl", [9, 4, 3, 0]],
  ["compatibility-tests/consumer/scenarios/CLL/events/1.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/CLL/events/2.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/CLL/events/3.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/CLL/events/4.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/CLL/events/5.json", [1, 1, 3, 0]],
  ["compatibility-tests/consumer/scenarios/CLL/events/6.json", [1, 1, 3, 0]],
  ["compatibility-tests/consumer/scenarios/CLL/events/7.json", [1, 1, 3, 0]],
  ["compatibility-tests/consumer/scenarios/CLL/events/8.json", [1, 1, 3, 0]],
  ["compatibility-tests/consumer/scenarios/CLL/events/9.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events.jsonl", [32, 16, 13, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_01.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_02.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_03.json", [1, 1, 3, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_04.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_05.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_06.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_07.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_08.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_09.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_10.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_11.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_12.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_13.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_14.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_15.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_16.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_17.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_18.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_19.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_20.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_21.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_22.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_23.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_24.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_25.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_26.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_27.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_28.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_29.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_30.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_31.json", [1, 1, 5, 0]],
  ["compatibility-tests/consumer/scenarios/airflow/events/line_32.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/simple_run_event/events/simple_run_event.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_bigquery_shakespare/events.jsonl", [12, 3, 2, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_bigquery_shakespare/events/1729097588979.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_bigquery_shakespare/events/1729097613451.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_bigquery_shakespare/events/1729097615509.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_bigquery_shakespare/events/1729097623495.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_bigquery_shakespare/events/1729097624017.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_bigquery_shakespare/events/1729097626748.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_bigquery_shakespare/events/1729097627366.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_bigquery_shakespare/events/1729097627541.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_bigquery_shakespare/events/1729097627979.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_bigquery_shakespare/events/1729097628444.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_bigquery_shakespare/events/1729097631761.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_bigquery_shakespare/events/1729097631884.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test/events.jsonl", [4, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test/events/1.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test/events/2.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test/events/3.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test/events/4.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events.jsonl", [16, 7, 2, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events/1.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events/10.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events/11.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events/12.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events/13.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events/14.json", [1, 1, 2, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events/15.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events/16.json", [1, 1, 0, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events/2.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events/3.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events/4.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events/5.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events/6.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events/7.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events/8.json", [1, 1, 1, 0]],
  ["compatibility-tests/consumer/scenarios/spark_dataproc_simple_producer_test_complete/events/9.json", [1, 1, 1, 0]],
  ["data-rentgen/tests/resources/events_airflow.jsonl", [4, 2, 2, 0]],
  ["data-rentgen/tests/resources/events_dbt.jsonl", [4, 2, 2, 0]],
  ["data-rentgen/tests/resources/events_flink.jsonl", [3, 1, 2, 0]],
  ["data-rentgen/tests/resources/events_hive.jsonl", [1, 1, 2, 0]],
  ["data-rentgen/tests/resources/events_spark.jsonl", [5, 2, 2, 0]],
  ["data-rentgen/tests/resources/events_unknown.jsonl", [3, 1, 2, 0]],
  ["datahub/metadata-integration/java/acryl-spark-lineage/src/test/resources/ol_events/databricks_mergeinto_start_event.json", [1, 1, 1, 0]],
  ["datahub/metadata-integration/java/acryl-spark-lineage/src/test/resources/ol_events/debezium_event.json", [1, 1, 1, 0]],
  ["datahub/metadata-integration/java/acryl-spark-lineage/src/test/resources/ol_events/flink_job_test.json", [0, 0, 0, 1]],
  ["datahub/metadata-integration/java/acryl-spark-lineage/src/test/resources/ol_events/sample_airflow_dag_description.json", [1, 1, 0, 0]],
  ["datahub/metadata-integration/java/acryl-spark-lineage/src/test/resources/ol_events/sample_failed_spark.json", [1, 1, 2, 0]],
  ["datahub/metadata-integration/java/acryl-spark-lineage/src/test/resources/ol_events/sample_glue.json", [1, 1, 2, 0]],
  ["marquez/api/src/test/resources/apples.jsonl", [8, 8, 9, 0]],
  ["marquez/api/src/test/resources/apples/1_pick_apples.json", [1, 1, 2, 0]],
  ["marquez/api/src/test/resources/apples/2_apple_filling.json", [1, 1, 3, 0]],
  ["marquez/api/src/test/resources/apples/3_apple_cider.json", [1, 1, 3, 0]],
  ["marquez/api/src/test/resources/apples/5_apple_vinegar.json", [1, 1, 2, 0]],
  ["marquez/api/src/test/resources/apples/6_apple_pie.json", [1, 1, 2, 0]],
  ["marquez/api/src/test/resources/apples/7_pick_different_apples.json", [1, 1, 2, 0]],
  ["marquez/api/src/test/resources/apples/8_apple_filling.json", [1, 1, 4, 0]],
  ["marquez/api/src/test/resources/apples/9_apple_pie.json", [1, 1, 2, 0]],
  ["marquez/api/src/test/resources/open_lineage/event_additional_facet.json", [1, 1, 1, 0]],
  ["marquez/api/src/test/resources/open_lineage/event_dataset_event.json", [1, 0, 1, 0]],
  ["marquez/api/src/test/resources/open_lineage/event_full.json", [1, 1, 1, 0]],
  ["marquez/api/src/test/resources/open_lineage/event_job_event.json", [1, 0, 2, 0]],
  ["marquez/api/src/test/resources/open_lineage/event_large.json", [1, 1, 1, 0]],
  ["marquez/api/src/test/resources/open_lineage/event_namespace_naming.json", [1, 1, 2, 0]],
  ["marquez/api/src/test/resources/open_lineage/event_required_nanoseconds.json", [1, 1, 0, 0]],
  ["marquez/api/src/test/resources/open_lineage/event_required_no_timezone.json", [1, 1, 0, 0]],
  ["marquez/api/src/test/resources/open_lineage/event_required_only.json", [1, 1, 0, 0]],
  ["marquez/api/src/test/resources/open_lineage/event_simple.json", [1, 1, 3, 0]],
  ["marquez/api/src/test/resources/open_lineage/event_unicode.json", [1, 1, 3, 0]],
  ["marquez/api/src/test/resources/open_lineage/event_without_schema_url.json", [1, 1, 3, 0]],
  ["marquez/api/src/test/resources/open_lineage/listener/1.json", [1, 1, 3, 0]],
  ["marquez/api/src/test/resources/open_lineage/listener/2.json", [1, 1, 2, 0]],
  ["marquez/api/src/test/resources/open_lineage/null_nominal_end_time.json", [1, 1, 2, 0]],
  ["marquez/docker/column-lineage.json", [2, 2, 3, 0]],
  ["marquez/docker/column-lineage.jsonl", [2, 2, 3, 0]],
  ["marquez/docker/metadata.json", [26, 13, 13, 0]],
  ["marquez/docker/metadata.jsonl", [26, 13, 13, 0]],
  ["marquez/docker/metadata.template.json", [0, 0, 0, 26]],
  ["marquez/docker/metadata.template.jsonl", [0, 0, 0, 26]],
  ["openlineage/client/python/tests/example_full_event.json", [1, 1, 1, 0]],
  ["openlineage/client/python/tests/serde_example_dataset_event.json", [1, 0, 1, 0]],
  ["openlineage/client/python/tests/serde_example_job_event.json", [1, 0, 2, 0]],
  ["openlineage/client/python/tests/serde_example_run_event.json", [1, 1, 0, 0]],
  ["openlineage/proxy/fluentd/docker/test-complete.json", [1, 1, 2, 0]],
  ["openlineage/proxy/fluentd/docker/test-start.json", [1, 1, 2, 0]],
  ["openlineage/proxy/fluentd/events/event_full.json", [1, 1, 1, 0]],
  ["openlineage/proxy/fluentd/events/event_invalid_dataset_facet.json", [1, 1, 1, 0]],
  ["openlineage/proxy/fluentd/events/event_invalid_input_dataset_facet.json", [1, 1, 1, 0]],
  ["openlineage/proxy/fluentd/events/event_invalid_job_facet.json", [1, 1, 0, 0]],
  ["openlineage/proxy/fluentd/events/event_invalid_output_dataset_facet.json", [1, 1, 1, 0]],
  ["openlineage/proxy/fluentd/events/event_invalid_run_facet.json", [1, 1, 0, 0]],
  ["openlineage/proxy/fluentd/events/event_no_run_id.json", [0, 0, 0, 1]],
  ["openlineage/proxy/fluentd/events/event_simple.json", [1, 1, 3, 0]],
  ["openlineage/spec/tests/example_full_event.json", [1, 1, 0, 0]],
];

/** The README's derived files: re-serialised copies of upstream events, not counted twice. */
const DERIVED = new Set([
  'marquez/docker/metadata.jsonl',
  'marquez/docker/metadata.template.jsonl',
  'marquez/docker/column-lineage.jsonl',
  'marquez/api/src/test/resources/apples.jsonl',
  ...['CLL', 'airflow', 'spark_dataproc_bigquery_shakespare', 'spark_dataproc_simple_producer_test', 'spark_dataproc_simple_producer_test_complete']
    .map((s) => `compatibility-tests/consumer/scenarios/${s}/events.jsonl`),
]);

function ingestAlone(file: string) {
  const ws = tempWorkspace({ memory: true });
  try {
    const r = ingestOnce({ paths: ws.paths, db: ws.db, extraPaths: [file] });
    return { r, datasets: count(ws.db, 'artifacts'), runs: count(ws.db, 'runs') };
  } finally {
    ws.dispose();
  }
}

test('every real OpenLineage event file gives the stated runs, datasets and rejections', () => {
  const all = discoverSources([OPENLINEAGE_TESTDATA], '/').map((s) => path.relative(OPENLINEAGE_TESTDATA, s.path));
  const eventFiles = all.filter((f) => !f.startsWith('openlineage/spec/') && !f.startsWith('openlineage/website/')).concat('openlineage/spec/tests/example_full_event.json');
  assert.deepEqual([...eventFiles].sort(), EXPECTED.map(([f]) => f).sort(), 'the list of event files changed');
  let accepted = 0;
  let rejected = 0;
  for (const [file, [events, runs, datasets, rejections]] of EXPECTED) {
    const { r, datasets: ds, runs: rs } = ingestAlone(path.join(OPENLINEAGE_TESTDATA, file));
    assert.deepEqual([r.events, rs, ds, r.rejected.length], [events, runs, datasets, rejections], file);
    assert.equal(r.runs, rs);
    if (!DERIVED.has(file)) {
      accepted += r.events;
      rejected += r.rejected.length;
    }
  }
  // Upstream event objects: 164 accepted + 26 template placeholders + 1 without runId; plus the
  // one file that is not JSON. (The README's 190 leaves out spec/tests/example_full_event.json.)
  assert.equal(accepted, 164);
  assert.equal(rejected, 28);
});

test('schema files and other JSON that is not an event are rejected, one line each, without a crash', () => {
  const schemaFiles = discoverSources([path.join(OPENLINEAGE_TESTDATA, 'openlineage/spec'), path.join(OPENLINEAGE_TESTDATA, 'openlineage/website')], '/')
    .filter((s) => !s.path.endsWith('example_full_event.json'));
  assert.ok(schemaFiles.length > 100);
  const ws = tempWorkspace({ memory: true });
  try {
    const r = ingestOnce({ paths: ws.paths, db: ws.db, extraPaths: schemaFiles.map((s) => s.path) });
    assert.equal(r.events, 0);
    assert.equal(r.rejected.length, schemaFiles.length);
    assert.ok(r.rejected.every((x) => x.line === 1 && /none of "run", "job" or "dataset"/.test(x.reason)));
  } finally {
    ws.dispose();
  }
});

test('the whole folder: rejected lines are exact, deviations are counted as warnings', () => {
  const ws = tempWorkspace({ memory: true });
  try {
    const r = ingestOnce({ paths: ws.paths, db: ws.db, extraPaths: [OPENLINEAGE_TESTDATA] });
    const noRunId = r.rejected.filter((x) => x.file.endsWith('event_no_run_id.json'));
    assert.deepEqual(noRunId.map((x) => [x.line, x.reason]), [[1, 'Field "run.runId" is missing, so the event cannot be placed in a run.']]);
    const template = r.rejected.filter((x) => x.file.endsWith('metadata.template.jsonl'));
    assert.deepEqual(template.map((x) => x.line), Array.from({ length: 26 }, (_, i) => i + 1));
    assert.match(template[0]!.reason, /^Field "eventTime" is "\{\{RUN_START_TIME\}\}", which is not an ISO-8601 date-time\.$/);
    const broken = r.rejected.filter((x) => x.file.endsWith('flink_job_test.json'));
    assert.equal(broken.length, 1);
    assert.match(broken[0]!.reason, /^The file is not valid JSON/);
    for (const kind of ['missing_schema_url', 'time_without_zone', 'complete_without_start', 'job_event', 'dataset_event',
      'dataset_both_input_and_output', 'out_of_event_time_order', 'unresolvable_schema_url', 'missing_event_type', 'non_uuid_run_id']) {
      assert.ok((r.warnings[kind] ?? 0) > 0, `warning ${kind} counted`);
    }
    // Events of one run spread over files (listener/1 + listener/2) fold into one run whose datasets accumulate.
    const run = ws.db.prepare("SELECT id, state FROM runs WHERE run_uuid = '5e58a95c-1c71-4231-8984-ac172d5566cf'").get() as { id: number; state: string };
    assert.equal(run.state, 'COMPLETE');
    const n = ws.db.prepare('SELECT count(DISTINCT artifact_id) FROM accesses WHERE run_id = ?').pluck().get(run.id) as number;
    assert.equal(n, 5);
  } finally {
    ws.dispose();
  }
});
