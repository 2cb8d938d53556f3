import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../shared/errors';
import type { ReplayExecutionDto, ReplayProgressDto } from '../../shared/replay-dto';
import { captureRun } from '../../src-main/capture/capture-run';
import { ingestOnce } from '../../src-main/provenance/ingest';
import { openHarness, TRANSPORTS, type Harness } from '../api-clients.test-support';

/**
 * Replays and version diffs over every transport (direct, HTTP, WebSocket, IPC): a replay runs
 * only with its own token and digest and streams onReplayProgress to the verdict; a version
 * diff and the versions to pick from come back the same; bad arguments are refused alike.
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
  describe(`replays and version diffs over ${transport}`, () => {
    let h: Harness;
    let first: string;
    before(async () => {
      h = await openHarness(transport);
      const root = h.core.paths.root;
      for (const [n, text] of [['1', 'one'], ['2', 'two']] as const) {
        fs.writeFileSync(path.join(root, 'in.txt'), `${text}\n`);
        const r = await captureRun({ argv: ['sh', '-c', 'echo making; cat in.txt > out.txt'], workspaceRoot: root, cwd: root, stage: 'make', stdio: 'quiet', warn: () => undefined });
        if (n === '1') first = r.runId;
      }
      ingestOnce({ paths: h.core.paths, db: h.core.db });
    });
    after(async () => h.close());

    test('a replay runs only with its own token and digest, and streams its progress to the verdict', async () => {
      const plan = await h.client.prepareReplay({ run: first });
      assert.deepEqual(plan.inputs.map((i) => [i.artifact, i.restore]), [['in.txt', 'store']], 'the first run read "one", which the workspace no longer has');
      assert.equal(await code(h.client.startReplay({ token: plan.token, digest: 'sha256:another' })), 'FORBIDDEN');
      assert.equal(await code(h.client.startReplay({ token: plan.token, digest: plan.digest })), 'NOT_FOUND', 'the refused token is spent');
      assert.equal(await code(h.client.startReplay({ token: 'forged', digest: plan.digest, acceptMissing: 'yes' } as never)), 'INVALID_ARGUMENT');

      const again = await h.client.prepareReplay({ run: first.slice(0, 8) });
      const events: ReplayProgressDto[] = [];
      let finished: (r: ReplayExecutionDto) => void;
      const done = new Promise<ReplayExecutionDto>((resolve) => (finished = resolve));
      const off = h.client.on('onReplayProgress', (e) => {
        events.push(e);
        if (e.type === 'finished') finished(e.result);
      });
      try {
        await new Promise((r) => setTimeout(r, 300)); // the event socket opens on the first subscription
        const started = await h.client.startReplay({ token: again.token, digest: again.digest });
        assert.equal(started.state, 'running');
        const result = await done;
        assert.equal(result.verdict?.verdict, 'bit-for-bit');
        assert.equal(result.verdict?.summary, 'Reproduced bit-for-bit: its output is identical.');
        assert.equal(result.log, 'making\n');
        const late = await h.client.getReplayExecution({ execution: started.execution });
        assert.deepEqual([late.verdict?.verdict, late.newRun], [result.verdict?.verdict, result.newRun]);
        assert.ok(events.some((e) => e.type === 'status' && e.status === 'running'));
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(events.filter((e) => e.type === 'output').map((e) => (e as { text: string }).text).join(''), 'making\n');
        assert.equal((await h.client.cancelReplay({ execution: started.execution })).cancelled, false, 'nothing left to cancel');
        assert.equal(fs.readFileSync(path.join(h.core.paths.root, 'out.txt'), 'utf8'), 'two\n', 'the workspace keeps its own output');
      } finally {
        off();
      }
    });

    test('a version diff and the versions to pick from', async () => {
      const versions = await h.client.listVersions({ artifact: 'out.txt' });
      assert.equal(versions.length, 2);
      const d = await h.client.diffVersions({ a: { artifact: 'out.txt', version: versions[0]!.version! }, b: { artifact: 'out.txt', version: versions[1]!.version! } });
      assert.equal(d.summary, '1 stage differs: make (input in.txt changed)');
      assert.deepEqual(d.stages[0]!.inputs.map((i) => [i.artifact, i.file?.diff]), [['in.txt', '--- a/in.txt\n+++ b/in.txt\n@@ -1 +1 @@\n-one\n+two\n']]);
      assert.equal(await code(h.client.diffVersions({ a: { artifact: 'out.txt' } } as never)), 'INVALID_ARGUMENT');
      assert.equal(await code(h.client.diffVersions({ a: { artifact: 'nope.txt' }, b: { artifact: 'out.txt' } })), 'NOT_FOUND');
    });
  });
}
