import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openHarness, type Harness } from '../../test/api-clients.test-support';
import { ingestExplore } from '../../test/explore-workspace.test-support';
import { createAppStore } from './app-store';

/**
 * The store without React, over the IPC transport (the real adapter and a fake pair), on a real
 * workspace ingested from the explorer fixture's log lines (seven runs; see its table).
 */
let h: Harness;
before(async () => {
  h = await openHarness('ipc-fake');
  ingestExplore(h.core.paths, h.core.db);
});
after(async () => h.close());

const ids = (store: ReturnType<typeof createAppStore>) => new Set(store.getState().graph?.nodes.map((n) => n.id));

test('load fetches status, snapshots and the newest graph', async () => {
  const store = createAppStore(h.client);
  assert.equal(store.getState().loadState, 'idle');
  const p = store.getState().load();
  assert.equal(store.getState().loadState, 'loading');
  await p;
  const s = store.getState();
  assert.equal(s.loadState, 'ready');
  assert.equal(s.snapshots.length, 7, 'seven run endings');
  assert.equal(s.status?.counts.runs, 7);
  for (const id of ['job:ns/ingest', 'job:ns/features', 'job:ns/train', 'job:ns/report', 'artifact:file/data/raw.csv', 'artifact:file/models/m.pt', 'artifact:file/data/extra.csv']) {
    assert.ok(ids(store).has(id), id);
  }
  assert.ok(!ids(store).has('artifact:file/notes/readme.txt'), 'deleted by run 6');
  assert.ok(s.view && s.view.nodes.length > 0, 'the drawn view follows the graph');
});

test('travelling to a snapshot shows that graph, counts as of then, and drops a selection that did not exist yet', async () => {
  const store = createAppStore(h.client);
  await store.getState().load();
  store.getState().select('artifact:file/models/m.pt');
  await store.getState().setSnapshot(2);
  // After ingest and features: raw.csv, readme.txt and feat.parquet; no train, no model yet.
  assert.ok(ids(store).has('artifact:file/notes/readme.txt'));
  assert.ok(ids(store).has('job:ns/features'));
  assert.ok(!ids(store).has('job:ns/train') && !ids(store).has('artifact:file/models/m.pt'));
  assert.equal(store.getState().selectedId, null);
  assert.equal(store.getState().status?.counts.runs, 2, 'header counts as of snapshot 2');
  store.getState().select('job:ns/ingest');
  await store.getState().setSnapshot(null);
  assert.ok(ids(store).has('artifact:file/models/m.pt'));
  assert.equal(store.getState().selectedId, 'job:ns/ingest', 'a node that still exists stays selected');
  assert.equal(store.getState().status?.counts.runs, 7);
});

test('an error from the API becomes an error state with its message', async () => {
  const store = createAppStore(h.client);
  await store.getState().setSnapshot(42);
  assert.equal(store.getState().loadState, 'error');
  assert.equal(store.getState().error?.code, 'NOT_FOUND');
  assert.match(store.getState().error?.message ?? '', /Snapshot 42/);
});

test('a live update reloads the live view but leaves a pinned snapshot where it is', async () => {
  const store = createAppStore(h.client);
  await store.getState().setSnapshot(1);
  const pinned = [...ids(store)].sort();
  const off = store.getState().connectLive();
  h.core.events.emit('onGraphChanged', { newRuns: 1, newArtifacts: 0, newVersions: 0, at: new Date().toISOString() });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(store.getState().liveUpdates, 1);
  assert.deepEqual([...ids(store)].sort(), pinned, 'pinned at snapshot 1');
  assert.ok(!ids(store).has('job:ns/features'));
  off();
});
