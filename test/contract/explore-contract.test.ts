import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../shared/errors';
import { registerLineageCommands } from '../../src-main/cli/commands/lineage';
import { openHarness, TRANSPORTS, type Harness, type TransportName } from '../api-clients.test-support';
import { cliInProcess, ingestExplore, minute, RUN } from '../explore-workspace.test-support';

/**
 * The explorer's API methods (issue 13) over every transport, on the explore fixture ingested
 * from real log lines (see explore-workspace.test-support.ts for the history). Expected values
 * are worked out by hand from that history; every transport must return identical answers, and
 * the CLI the same as the API.
 */
const results = new Map<TransportName, unknown[]>();

for (const transport of TRANSPORTS) {
  describe(`explorer API over ${transport}`, () => {
    let h: Harness;
    const seen: unknown[] = [];
    before(async () => {
      h = await openHarness(transport);
      ingestExplore(h.core.paths, h.core.db);
      results.set(transport, seen);
    });
    after(async () => h.close());

    test('insights: most used by distinct reading runs, by window, kind and snapshot', async () => {
      const pairs = (rows: { artifact: string; readers: number }[]) => rows.map((r) => [r.artifact, r.readers]);
      // data/raw.csv is read by R2, R5 and R6; data/feat.parquet by R3.
      const now = await h.client.mostUsed({});
      assert.deepEqual(pairs(now), [['data/raw.csv', 3], ['data/feat.parquet', 1]]);
      assert.deepEqual(now[0], { artifact: 'data/raw.csv', id: 'artifact:file/data/raw.csv', kind: 'dataset', readers: 3 });
      // As of snapshot 3: R2 read raw, R3 read feat (a tie keeps creation order).
      assert.deepEqual(pairs(await h.client.mostUsed({ snapshot: 3 })), [['data/raw.csv', 1], ['data/feat.parquet', 1]]);
      // Runs that started in [10:07, 10:10]: R5 (10:08) and R6 (10:10), both read raw.
      assert.deepEqual(pairs(await h.client.mostUsed({ since: minute(7), until: String(Date.parse(minute(10))) })), [['data/raw.csv', 2]]);
      assert.deepEqual(await h.client.mostUsed({ kind: 'model' }), [], 'nobody read the model');
      assert.deepEqual(pairs(await h.client.mostUsed({ kind: 'dataset', limit: 1 })), [['data/raw.csv', 3]]);
      seen.push(now);
    });

    test('insights: latest pipeline using a dataset and who ran a pipeline, now and as of a snapshot', async () => {
      const latest = await h.client.latestPipelineUsing({ dataset: 'data/raw.csv' });
      assert.deepEqual(latest, { pipeline: 'ns/features', pipelineId: 'job:ns/features', run: RUN(6), consumerRun: RUN(6), consumerJob: 'ns/features', at: minute(11) });
      const before5 = await h.client.latestPipelineUsing({ dataset: 'data/raw.csv', snapshot: 5 });
      assert.deepEqual([before5.consumerRun, before5.consumerJob, before5.at], [RUN(5), 'ns/report', minute(9)]);
      // train's latest code is R7's (train.py changed); R7 failed, so nobody ran it successfully.
      assert.deepEqual(await h.client.whoRan({ pipeline: 'train' }), []);
      assert.deepEqual(await h.client.whoRan({ pipeline: 'ns/train', snapshot: 6 }), [{ user: 'alice', run: RUN(3), at: minute(5), code: 't1' }]);
      assert.deepEqual((await h.client.whoRan({ pipeline: 'features' })).map((w) => [w.user, w.run, w.at]), [['bob', RUN(6), minute(11)], ['bob', RUN(2), minute(3)]]);
      seen.push(latest, before5);
    });

    test('insights: bad windows and kinds are refused with one sentence', async () => {
      for (const [req, code] of [
        [{ since: 'yesterday' }, 'INVALID_ARGUMENT'],
        [{ kind: 'table' }, 'INVALID_ARGUMENT'],
        [{ since: minute(5), until: minute(1) }, 'INVALID_ARGUMENT'],
        [{ snapshot: 99 }, 'NOT_FOUND'],
      ] as const) {
        await assert.rejects(h.client.mostUsed(req as never), (err) => err instanceof AppError && err.code === code && /\.$/.test(err.message));
      }
    });
  });
}

test('every transport returned identical explorer answers', () => {
  const direct = results.get('direct');
  assert.ok(direct && direct.length > 0);
  for (const t of TRANSPORTS) assert.deepEqual(results.get(t), direct, `${t} differs from direct`);
});

test('`retrace insights` with --snapshot, --since, --until and --kind answers as the API does', async () => {
  const h = await openHarness('direct');
  try {
    ingestExplore(h.core.paths, h.core.db);
    const w = ['-w', h.core.paths.root, '--json'];
    const cli = async (...args: string[]) => JSON.parse(await cliInProcess(registerLineageCommands, ['insights', ...args, ...w])) as unknown;
    assert.deepEqual(await cli('most-used', '--since', minute(7), '--until', minute(10)), await h.client.mostUsed({ since: minute(7), until: minute(10) }));
    assert.deepEqual(await cli('most-used', '--kind', 'dataset', '--snapshot', '3', '--limit', '1'), await h.client.mostUsed({ kind: 'dataset', snapshot: 3, limit: 1 }));
    assert.deepEqual(await cli('latest-pipeline-using', 'data/raw.csv', '--snapshot', '5'), await h.client.latestPipelineUsing({ dataset: 'data/raw.csv', snapshot: 5 }));
    assert.deepEqual(await cli('who-ran', 'train', '--snapshot', '6'), await h.client.whoRan({ pipeline: 'train', snapshot: 6 }));
    await assert.rejects(cli('most-used', '--kind', 'table'), { code: 'INVALID_ARGUMENT', message: /^--kind takes one of dataset, / });
  } finally {
    await h.close();
  }
});
