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

test('impact overlays downstream nodes; time travel clears it', async () => {
  const store = createAppStore(h.client);
  await store.getState().load();
  const train = store.getState().graph!.nodes.find((n) => n.kind === 'job' && n.label === 'train');
  assert.ok(train);
  store.getState().select(train.id);
  await until(() => store.getState().detailsState === 'ready');
  await store.getState().toggleImpact();
  const overlay = store.getState().overlay;
  assert.ok(overlay, 'an overlay was computed');
  assert.equal(overlay.of, train.id);
  assert.ok(!overlay.ids.includes(train.id), 'the selection itself is not part of its impact');
  await store.getState().toggleImpact();
  assert.equal(store.getState().overlay, null, 'toggling again hides it');
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
