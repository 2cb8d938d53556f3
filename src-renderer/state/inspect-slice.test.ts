import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ingestOnce } from '../../src-main/provenance/ingest';
import { openHarness, type Harness } from '../../test/api-clients.test-support';
import { createAppStore } from './app-store';

/**
 * The inspecting half of the store, without React, over the HTTP transport, on a workspace
 * that ingested real fixture logs (a Hopsworks app and a captured OpenLineage pipeline).
 */
const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures');
let h: Harness;

before(async () => {
  h = await openHarness('http');
  fs.copyFileSync(path.join(FIXTURES, 'lineage/hopsworks-footprint.jsonl'), path.join(h.core.paths.logsDir, 'hops.jsonl'));
  fs.copyFileSync(path.join(FIXTURES, 'provenance/retrace-capture.jsonl'), path.join(h.core.paths.logsDir, 'capture.jsonl'));
  // A later stage that reads the model train wrote: train's impact downstream.
  const evaluate = {
    eventType: 'COMPLETE', eventTime: '2026-01-01T11:00:00Z', producer: 'https://github.com/retrace/retrace/0.1.0',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: '0190f3a0-0000-7000-8000-0000000000e1', facets: { retrace_footprint: { _producer: 'p', _schemaURL: 's', ops: [
      { path: 'models/model.pt', op: 'READ', at: '2026-01-01T11:00:00Z' },
      { path: 'reports/eval.json', op: 'CREATE', at: '2026-01-01T11:00:00Z', hashAfter: 'sha256:' + 'e'.repeat(64), size: 10 },
    ] } } },
    job: { namespace: 'retrace://demo', name: 'evaluate' }, inputs: [], outputs: [],
  };
  fs.writeFileSync(path.join(h.core.paths.logsDir, 'evaluate.jsonl'), JSON.stringify(evaluate) + '\n');
  ingestOnce({ paths: h.core.paths, db: h.core.db });
});
after(async () => h.close());

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), 'condition reached');
};

test('selecting a stage loads its runs and the newest run footprint; picking another run switches', async () => {
  const store = createAppStore(h.client);
  await store.getState().load();
  const job = store.getState().graph!.nodes.find((n) => n.kind === 'job' && n.label === 'footprint_fixture');
  assert.ok(job, 'the Hopsworks app is a stage in the graph');
  store.getState().select(job.id);
  await until(() => store.getState().detailsState === 'ready');
  const d = store.getState().details;
  assert.equal(d?.kind, 'job');
  if (d?.kind !== 'job') return;
  assert.deepEqual(d.runs.map((r) => r.run), ['application_1767_0042']);
  assert.equal(d.footprint?.counts.ALL, 6);
  assert.equal(d.footprint?.counts.OUTPUT_TMP, 1);
});

test('the impact overlay holds what is downstream and upstream of the stage; a new selection clears it', async () => {
  const store = createAppStore(h.client);
  await store.getState().load();
  const train = store.getState().graph!.nodes.find((n) => n.kind === 'job' && n.label === 'train');
  assert.ok(train);
  store.getState().select(train.id);
  await until(() => store.getState().detailsState === 'ready');
  await store.getState().showImpact();
  const overlay = store.getState().overlay;
  assert.equal(overlay?.kind, 'impact');
  if (overlay?.kind !== 'impact') return;
  assert.equal(overlay.of, train.id);
  // evaluate read the model train wrote, and created a report: that is the impact (the run, its
  // stage, and both files; the run id is there for the runs view).
  assert.deepEqual([...overlay.down].sort(), [
    'artifact:file/models/model.pt', 'artifact:file/reports/eval.json', 'job:retrace://demo/evaluate', 'run:0190f3a0-0000-7000-8000-0000000000e1',
  ]);
  assert.ok(overlay.up.includes('artifact:file/data/train.csv'), 'what train read is upstream');
  assert.ok(!overlay.down.includes(train.id) && !overlay.up.includes(train.id), 'the selection itself is on neither side');
  store.getState().select(null);
  assert.equal(store.getState().overlay, null);
});

test('a run with no recorded command cannot be re-run, and says why', async () => {
  const store = createAppStore(h.client);
  await store.getState().offerRerun('application_1767_0042');
  const r = store.getState().rerun;
  assert.equal(r?.state, 'error');
  if (r?.state === 'error') assert.match(r.message, /recorded no command/);
  store.getState().dismissRerun();
  assert.equal(store.getState().rerun, null);
});

test('search fills results; an empty query clears them', async () => {
  const store = createAppStore(h.client);
  await store.getState().runSearch('trai');
  assert.ok(store.getState().searchResults.some((r) => r.id.startsWith('job:') && r.label === 'train'));
  await store.getState().runSearch('   ');
  assert.deepEqual(store.getState().searchResults, []);
});

test('a run found by search opens its stage with that run picked', async () => {
  const store = createAppStore(h.client);
  await store.getState().load();
  await store.getState().focusRun('0190f3a0-0000-7000-8000-000000000001');
  assert.equal(store.getState().selectedId, 'job:retrace://demo/train');
  const d = store.getState().details;
  assert.equal(d?.kind, 'job');
  if (d?.kind === 'job') assert.equal(d.run, '0190f3a0-0000-7000-8000-000000000001');
});
