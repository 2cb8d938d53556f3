import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openHarness, type Harness } from '../../test/api-clients.test-support';
import { fixtureLineage } from '../../test/fixture-lineage.test-support';
import { createAppStore } from './app-store';

/** The store is tested without React, over the IPC transport (the real adapter + a fake pair). */
let h: Harness;
before(async () => (h = await openHarness('ipc-fake', () => fixtureLineage())));
after(async () => h.close());

test('load fetches status, snapshots and the newest graph', async () => {
  const store = createAppStore(h.client);
  assert.equal(store.getState().loadState, 'idle');
  const p = store.getState().load();
  assert.equal(store.getState().loadState, 'loading');
  await p;
  const s = store.getState();
  assert.equal(s.loadState, 'ready');
  assert.equal(s.graph?.nodes.length, 7);
  assert.equal(s.snapshots.length, 3);
  assert.equal(s.status?.counts.runs, 2);
});

test('travelling to a snapshot shows that graph and drops a selection that no longer exists', async () => {
  const store = createAppStore(h.client);
  await store.getState().load();
  store.getState().select('artifact:file/models/model.pkl');
  await store.getState().setSnapshot(1);
  assert.equal(store.getState().graph?.nodes.length, 3);
  assert.equal(store.getState().selectedId, null);
  store.getState().select('run:r1');
  await store.getState().setSnapshot(null);
  assert.equal(store.getState().graph?.nodes.length, 7);
  assert.equal(store.getState().selectedId, 'run:r1', 'a node that still exists stays selected');
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
  const off = store.getState().connectLive();
  h.core.events.emit('onGraphChanged', { newRuns: 1, newArtifacts: 0, newVersions: 0, at: new Date().toISOString() });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(store.getState().liveUpdates, 1);
  assert.equal(store.getState().graph?.nodes.length, 3, 'pinned at snapshot 1');
  await store.getState().setSnapshot(null);
  off();
});
