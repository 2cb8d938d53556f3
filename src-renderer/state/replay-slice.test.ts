import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { captureRun } from '../../src-main/capture/capture-run';
import { ContentStore } from '../../src-main/content-store/content-store';
import { DEFAULT_STORE_CONFIG } from '../../src-main/content-store/store-config';
import { ingestOnce } from '../../src-main/provenance/ingest';
import { openHarness, type Harness } from '../../test/api-clients.test-support';
import { createAppStore } from './app-store';

/**
 * The replay panel's and the version diff view's state without React, over the IPC transport,
 * on a workspace where one stage ran twice on different inputs (in.txt "one", then "two").
 */
let h: Harness;
const runs: string[] = [];
const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), what);
};

before(async () => {
  h = await openHarness('ipc-fake');
  const root = h.core.paths.root;
  for (const text of ['one', 'two']) {
    fs.writeFileSync(path.join(root, 'in.txt'), `${text}\n`);
    const r = await captureRun({ argv: ['sh', '-c', 'echo copying; cat in.txt > out.txt'], workspaceRoot: root, cwd: root, stage: 'copy', stdio: 'quiet', warn: () => undefined });
    runs.push(r.runId);
  }
  ingestOnce({ paths: h.core.paths, db: h.core.db });
});
after(async () => h.close());

test('replay: pre-flight, confirm, live log, and the verdict in the panel', async () => {
  const store = createAppStore(h.client);
  await store.getState().openReplay(runs[0]!);
  let v = store.getState().replayView!;
  assert.equal(v.phase, 'preflight', v.error ?? '');
  assert.deepEqual(v.plan!.inputs.map((i) => [i.artifact, i.restore]), [['in.txt', 'store']]);
  await store.getState().confirmReplay();
  assert.notEqual(store.getState().replayView!.phase, 'preflight');
  store.getState().closeReplay();
  assert.ok(store.getState().replayView, 'a running replay is not dismissed; it must be cancelled first');
  await until(() => store.getState().replayView?.phase === 'finished', 'the replay finishes');
  v = store.getState().replayView!;
  assert.equal(v.log, 'copying\n');
  assert.equal(v.result?.verdict?.verdict, 'bit-for-bit');
  assert.equal(v.result?.verdict?.environment.summary, 'the same environment');
  store.getState().closeReplay();
  assert.equal(store.getState().replayView, null);
});

test('replay: with an input evicted, nothing starts until the user decides to go on without it', async () => {
  const store = new ContentStore(h.core.paths.dotDir, { ...DEFAULT_STORE_CONFIG, budgetBytes: 0 });
  store.collectGarbage();
  store.dispose();
  const app = createAppStore(h.client);
  await app.getState().openReplay(runs[0]!);
  const plan = app.getState().replayView!.plan!;
  assert.equal(plan.missing, 1);
  await app.getState().confirmReplay();
  assert.equal(app.getState().replayView!.phase, 'preflight', 'not confirmed without the decision');
  app.getState().setReplayAcceptMissing(true);
  await app.getState().confirmReplay();
  await until(() => app.getState().replayView?.phase === 'finished', 'the replay finishes');
  assert.equal(app.getState().replayView!.result?.verdict?.verdict, 'differs', 'it read "two" instead');
});

test('version diff: the versions to pick, then the diff of two', async () => {
  const app = createAppStore(h.client);
  await app.getState().openVersionPicker('out.txt');
  const v = app.getState().versionDiff!;
  assert.equal(v.phase, 'picking');
  assert.equal(v.choices?.length, 2);
  await app.getState().openVersionDiff({ artifact: 'out.txt', version: v.choices![0]!.version! }, { artifact: 'out.txt', version: v.choices![1]!.version! });
  const d = app.getState().versionDiff!;
  assert.equal(d.phase, 'ready', d.error ?? '');
  assert.equal(d.diff?.summary, '1 stage differs: copy (input in.txt changed)');
  assert.ok(d.diff!.chains.a.includes(`run:${runs[0]}`) && d.diff!.chains.b.includes(`run:${runs[1]}`));
  app.getState().closeVersionDiff();
  assert.equal(app.getState().versionDiff, null);
});
