import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../shared/errors';
import { ingestOnce } from '../../src-main/provenance/ingest';
import { openHarness, TRANSPORTS, type Harness, type TransportName } from '../api-clients.test-support';

/**
 * The lineage, search and insight methods over every transport, on a real workspace: fixture
 * logs (a Hopsworks app with the footprint fixture, and a captured OpenLineage pipeline) are
 * ingested into the workspace DB; each transport must return the same answers.
 */
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const results = new Map<TransportName, unknown[]>();

for (const transport of TRANSPORTS) {
  describe(`lineage API over ${transport}`, () => {
    let h: Harness;
    const seen: unknown[] = [];
    before(async () => {
      h = await openHarness(transport);
      fs.copyFileSync(path.join(FIXTURES, 'lineage/hopsworks-footprint.jsonl'), path.join(h.core.paths.logsDir, 'hops.jsonl'));
      fs.copyFileSync(path.join(FIXTURES, 'provenance/retrace-capture.jsonl'), path.join(h.core.paths.logsDir, 'capture.jsonl'));
      ingestOnce({ paths: h.core.paths, db: h.core.db });
      results.set(transport, seen);
    });
    after(async () => h.close());

    test('footprint of the Hopsworks fixture app: ALL 6, INPUT 1, OUTPUT_ADDED 2, OUTPUT_TMP 1', async () => {
      const fp = await h.client.getFootprint({ run: 'application_1767_0042' });
      assert.equal(fp.counts.ALL, 6);
      assert.equal(fp.counts.INPUT, 1);
      assert.equal(fp.counts.OUTPUT_ADDED, 2);
      assert.equal(fp.counts.OUTPUT_TMP, 1);
      seen.push(fp);
    });

    test('graph, snapshots, diff and search answer from the ingested history', async () => {
      const snaps = await h.client.listSnapshots({});
      assert.ok(snaps.length >= 2, 'run endings are snapshots');
      const first = await h.client.getGraph({ snapshot: snaps[0]!.seq });
      const now = await h.client.getGraph({});
      assert.ok(now.nodes.length >= first.nodes.length);
      const runs = await h.client.getGraph({ granularity: 'run' });
      assert.ok(runs.nodes.some((n) => n.kind === 'run'));
      const diff = await h.client.diffSnapshots({ from: snaps[0]!.seq });
      assert.ok(diff.nodes.added.length > 0, 'later history added nodes');
      const hits = await h.client.search({ query: 'trai' });
      assert.ok(hits.results.some((r) => r.label.includes('train')), 'prefix search finds train');
      seen.push(snaps, first, now, diff, hits);
    });

    test('impact, upstream, staleness, runs, artifacts and insights', async () => {
      const runs = await h.client.listRuns({ filterBy: ['USER:alice'] });
      assert.deepEqual(runs.map((r) => r.run), ['application_1767_0042']);
      const arts = await h.client.listArtifacts({ filterBy: ['KIND:model'] });
      const impact = await h.client.getImpact({ run: '0190f3a0-0000-7000-8000-000000000001' });
      const stale = await h.client.getStaleness({});
      const used = await h.client.mostUsed({ limit: 5 });
      seen.push(runs, arts, impact, stale, used);
    });

    test('errors name what is wrong, the same on every transport', async () => {
      const errs: unknown[] = [];
      for (const [p, code] of [
        [h.client.getFootprint({ run: 'nope' }), 'NOT_FOUND'],
        [h.client.getImpact({} as never), 'INVALID_ARGUMENT'],
        [h.client.getImpact({ run: 'x', artifact: 'y' }), 'INVALID_ARGUMENT'],
        [h.client.getUpstream({ artifact: 'no/such/thing' }), 'NOT_FOUND'],
        [h.client.diffSnapshots({ from: 999 }), 'NOT_FOUND'],
        [h.client.prepareRerun({ run: 'application_1767_0042' }), 'UNSUPPORTED'],
        [h.client.confirmRerun({ token: 'forged' }), 'NOT_FOUND'],
      ] as const) {
        try {
          await p;
          assert.fail(`expected ${code}`);
        } catch (err) {
          assert.ok(err instanceof AppError, String(err));
          assert.equal(err.code, code, err.message);
          errs.push({ code: err.code, message: err.message });
        }
      }
      seen.push(errs);
    });
  });
}

test('every transport returned identical lineage answers', () => {
  const direct = results.get('direct');
  assert.ok(direct && direct.length >= 10);
  for (const t of TRANSPORTS) assert.deepEqual(results.get(t), direct, `${t} differs from direct`);
});
