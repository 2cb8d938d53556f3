import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../shared/errors';
import type { RerunExecutionDto, RerunProgressDto } from '../../shared/rerun-dto';
import { captureRun } from '../../src-main/capture/capture-run';
import { ingestOnce } from '../../src-main/provenance/ingest';
import { openHarness, TRANSPORTS, type Harness } from '../api-clients.test-support';

/**
 * Re-run plans over every transport (direct, HTTP, WebSocket, IPC): a plan is confirmed only
 * with its own token and digest (a token issued for another plan, or used twice, is refused
 * and nothing runs), and a confirmed plan streams its progress as onRerunProgress events.
 */
const code = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    assert.ok(err instanceof AppError, `an AppError, not ${String(err)}`);
    return err.code;
  }
};

for (const transport of TRANSPORTS) {
  describe(`re-run plans over ${transport}`, () => {
    let h: Harness;
    const runs: Record<string, string> = {};
    before(async () => {
      h = await openHarness(transport);
      const root = h.core.paths.root;
      fs.writeFileSync(path.join(root, 'in.txt'), 'one\n');
      for (const [stage, script] of [['first', 'echo "hello from first"; cat in.txt > a.txt'], ['second', 'cat a.txt > b.txt']] as const) {
        const r = await captureRun({ argv: ['sh', '-c', script], workspaceRoot: root, cwd: root, stage, stdio: 'quiet', warn: () => undefined });
        runs[stage] = r.runId;
      }
      ingestOnce({ paths: h.core.paths, db: h.core.db });
    });
    after(async () => h.close());

    test('a token issued for another plan is refused, and so is a used token; nothing runs', async () => {
      const a = await h.client.prepareRerunPlan({ kind: 'downstream', run: runs.first! });
      const b = await h.client.prepareRerunPlan({ kind: 'run', run: runs.second! });
      assert.deepEqual(a.stages.map((s) => s.stage), ['first', 'second']);
      assert.notEqual(a.digest, b.digest);
      assert.equal(await code(h.client.startRerunPlan({ token: a.token, digest: b.digest })), 'FORBIDDEN');
      assert.equal(await code(h.client.startRerunPlan({ token: a.token, digest: a.digest })), 'NOT_FOUND', 'the refused token is spent');
      assert.equal(await code(h.client.startRerunPlan({ token: 'forged', digest: b.digest })), 'NOT_FOUND');
      assert.equal(await code(h.client.prepareRerunPlan({ kind: 'stale', run: runs.first! })), 'INVALID_ARGUMENT');
      assert.ok(!fs.existsSync(path.join(h.core.paths.logsDir, 'runs.jsonl')) || countRuns(h) === 2, 'no stage ran');
    });

    test('a confirmed plan streams stage status and output as onRerunProgress, and ends with the verdicts', async () => {
      const plan = await h.client.prepareRerunPlan({ kind: 'downstream', run: runs.first! });
      const events: RerunProgressDto[] = [];
      let finished: (r: RerunExecutionDto) => void;
      const done = new Promise<RerunExecutionDto>((resolve) => (finished = resolve));
      const off = h.client.on('onRerunProgress', (e) => {
        events.push(e);
        if (e.type === 'finished') finished(e.result);
      });
      try {
        // Over HTTP the event socket opens on the first subscription; the app subscribes at
        // start-up, long before any re-run, so give it that head start here too.
        await new Promise((r) => setTimeout(r, 300));
        const started = await h.client.startRerunPlan({ token: plan.token, digest: plan.digest });
        assert.equal(started.state, 'running');
        const result = await done;
        assert.deepEqual(result.stages.map((s) => [s.status, s.stageVerdict]), [['done', 'bit-for-bit'], ['done', 'bit-for-bit']]);
        assert.equal(result.summary, '2 stages, 2 bit-for-bit');
        const late = await h.client.getRerunExecution({ execution: started.execution });
        assert.deepEqual([late.summary, late.logs[plan.stages[0]!.id]], [result.summary, 'hello from first\n'], 'a UI that joins late gets the same');
        const first = plan.stages[0]!.id;
        assert.deepEqual(events.filter((e) => e.type === 'stage' && e.stage.id === first).map((e) => (e as { stage: { status: string } }).stage.status), ['running', 'done']);
        await new Promise((r) => setTimeout(r, 200)); // an output batch may trail its stage's end
        const out = events.filter((e) => e.type === 'output' && e.stage === first).map((e) => (e as { text: string }).text).join('');
        assert.equal(out, 'hello from first\n');
        assert.equal(await code(h.client.startRerunPlan({ token: plan.token, digest: plan.digest })), 'NOT_FOUND', 'single use');
        assert.equal((await h.client.cancelRerunPlan({ execution: started.execution })).cancelled, false, 'nothing left to cancel');
      } finally {
        off();
      }
    });

    test('a single re-run is offered with its exact command and runs once on its token, as a new captured run', async () => {
      const offer = await h.client.prepareRerun({ run: runs.second! });
      assert.deepEqual([offer.run, offer.stage, offer.argv, offer.cwd], [runs.second, 'second', ['sh', '-c', 'cat a.txt > b.txt'], h.core.paths.root]);
      assert.ok(Date.parse(offer.expiresAt) > Date.now(), 'the token has not expired yet');
      fs.rmSync(path.join(h.core.paths.root, 'b.txt'));
      const result = await h.client.confirmRerun({ token: offer.token });
      assert.deepEqual([result.rerunOf, result.exitCode, result.signal], [runs.second, 0, null]);
      assert.notEqual(result.run, runs.second, 'the re-run is a run of its own');
      assert.equal(fs.readFileSync(path.join(h.core.paths.root, 'b.txt'), 'utf8'), 'one\n', 'the command ran again');
      assert.equal(await code(h.client.confirmRerun({ token: offer.token })), 'NOT_FOUND', 'single use');
    });
  });
}

function countRuns(h: Harness): number {
  return fs.readFileSync(path.join(h.core.paths.logsDir, 'runs.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"COMPLETE"')).length;
}
