import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { captureRun } from '../../src-main/capture/capture-run';
import { ingestOnce } from '../../src-main/provenance/ingest';
import { openHarness, type Harness } from '../../test/api-clients.test-support';
import { createAppStore } from './app-store';

/**
 * The re-run dialog's state without React, over the IPC transport, on a workspace of two
 * captured stages (first: in.txt → a.txt, printing a line; second: a.txt → b.txt).
 */
let h: Harness;
const runs: Record<string, string> = {};
const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), what);
};

before(async () => {
  h = await openHarness('ipc-fake');
  const root = h.core.paths.root;
  fs.writeFileSync(path.join(root, 'in.txt'), 'one\n');
  for (const [stage, script] of [['first', 'echo "first says hi"; cat in.txt > a.txt'], ['second', 'cat a.txt > b.txt'], ['first', 'echo "a later first"; cat in.txt > a.txt']] as const) {
    const r = await captureRun({ argv: ['sh', '-c', script], workspaceRoot: root, cwd: root, stage, stdio: 'quiet', warn: () => undefined });
    runs[`${stage}${runs[stage] ? '2' : ''}`] = r.runId;
  }
  ingestOnce({ paths: h.core.paths, db: h.core.db });
});
after(async () => h.close());

test('a stale plan: pre-flight, confirm, live status and log per stage, verdicts and the summary', async () => {
  fs.writeFileSync(path.join(h.core.paths.root, 'in.txt'), 'two\n');
  const store = createAppStore(h.client);
  await store.getState().openRerunPlan({ kind: 'stale' });
  let v = store.getState().rerunView!;
  assert.equal(v.phase, 'preflight', v.error ?? '');
  assert.deepEqual(v.plan!.stages.map((s) => s.stage), ['first', 'second']);
  assert.equal(v.plan!.stages[0]!.run, runs.first2, 'the newest run of the first stage');
  await store.getState().confirmRerunPlan();
  assert.equal(store.getState().rerunView!.phase, 'running');
  store.getState().closeRerunPlan();
  assert.ok(store.getState().rerunView, 'a running plan is not dismissed; it must be cancelled first');
  await until(() => store.getState().rerunView?.phase === 'finished', 'the plan finishes');
  v = store.getState().rerunView!;
  const [a, b] = v.plan!.stages;
  assert.deepEqual([v.runs[a!.id]!.status, v.runs[b!.id]!.status], ['done', 'done']);
  assert.equal(v.logs[a!.id], 'a later first\n');
  assert.deepEqual(v.runs[a!.id]!.outputs.map((o) => [o.artifact, o.verdict]), [['a.txt', 'differs']]);
  assert.equal(v.summary, '2 stages, 2 differ: a.txt differs; b.txt differs');
  store.getState().closeRerunPlan();
  assert.equal(store.getState().rerunView, null);
});

test('picking another past run plans again with that run; a refused start shows the reason', async () => {
  const store = createAppStore(h.client);
  await store.getState().openRerunPlan({ kind: 'run', run: runs.first2! });
  const plan = store.getState().rerunView!.plan!;
  const stage = plan.stages[0]!;
  assert.ok(stage.alternatives.some((x) => x.run === runs.first), 'the earlier run of the stage is offered');
  await store.getState().pickRerunRun(stage.id, runs.first!);
  const picked = store.getState().rerunView!;
  assert.equal(picked.plan!.stages[0]!.run, runs.first);
  assert.deepEqual(picked.picks, [{ stage: stage.id, run: runs.first }]);
  assert.notEqual(picked.plan!.token, plan.token);
  // Picking made a new plan: the old plan's token does not confirm it.
  await assert.rejects(h.client.startRerunPlan({ token: plan.token, digest: picked.plan!.digest }), /different plan/);
  await store.getState().confirmRerunPlan();
  await until(() => store.getState().rerunView?.phase === 'finished', 'the picked run is repeated');
  assert.equal(store.getState().rerunView!.logs[stage.id], 'first says hi\n');
});
