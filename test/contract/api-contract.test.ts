import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { ingestOnce } from '../../src-main/provenance/ingest';
import { fixtureLineage } from '../fixture-lineage.test-support';
import { openHarness, TRANSPORTS, type Harness, type TransportName } from '../api-clients.test-support';

/**
 * One suite, four transports: direct calls, HTTP, WebSocket and the IPC adapter over a fake
 * ipcMain/ipcRenderer pair. Every transport must return identical results and identical errors.
 */
const results = new Map<TransportName, unknown[]>();

async function expectError(p: Promise<unknown>, code: string): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return { code: err.code, message: err.message };
  }
  assert.fail(`expected a ${code} error`);
}

for (const transport of TRANSPORTS) {
  describe(`API contract over ${transport}`, () => {
    let h: Harness;
    const seen: unknown[] = [];
    before(async () => {
      h = await openHarness(transport, () => fixtureLineage());
      results.set(transport, seen);
    });
    after(async () => h.close());

    test('ping echoes its argument', async () => {
      const r = await h.client.ping({ echo: 'hello' });
      assert.equal(r.echo, 'hello');
      assert.match(r.at, /^\d{4}-\d\d-\d\dT/);
      seen.push(r.echo);
    });

    test('getStatus names the workspace and counts', async () => {
      const s = await h.client.getStatus({});
      assert.equal(s.workspace, h.core.paths.root);
      assert.deepEqual(s.counts, { runs: 2, artifacts: 3, rejectedLines: 1 });
      // Travelling: at snapshot 1 the fixture graph holds one run and one artifact.
      const at1 = await h.client.getStatus({ snapshot: 1 });
      assert.deepEqual([at1.snapshot, at1.counts], [1, { runs: 1, artifacts: 1, rejectedLines: 1 }]);
      seen.push(s.counts, at1.counts);
    });

    test('getGraph returns the newest graph, a given snapshot, and as-of a time', async () => {
      const newest = await h.client.getGraph({});
      assert.equal(newest.nodes.length, 7);
      assert.equal(newest.snapshot, null);
      const first = await h.client.getGraph({ snapshot: 1 });
      assert.equal(first.nodes.length, 3);
      const asOf = await h.client.getGraph({ asOf: '2026-01-05T09:10:00Z' });
      assert.equal(asOf.nodes.length, 3, 'as of 09:10 the newest snapshot is #2, whose graph is snapshot 1');
      seen.push(newest, first, asOf);
    });

    test('listSnapshots lists them in order', async () => {
      const snaps = await h.client.listSnapshots({});
      assert.deepEqual(snaps.map((s) => s.seq), [1, 2, 3]);
      seen.push(snaps);
    });

    test('bad arguments are INVALID_ARGUMENT with the field named', async () => {
      const e1 = await expectError(h.client.getGraph({ snapshot: -1 } as never), 'INVALID_ARGUMENT');
      assert.match(e1.message, /snapshot/);
      const e2 = await expectError(h.client.getGraph({ bogus: 1 } as never), 'INVALID_ARGUMENT');
      const e3 = await expectError(h.client.ping({ echo: 42 } as never), 'INVALID_ARGUMENT');
      const e4 = await expectError(h.client.getGraph({ snapshot: 1, asOf: '2026-01-01' }), 'INVALID_ARGUMENT');
      seen.push(e1, e2, e3, e4);
    });

    test('missing things are NOT_FOUND with a useful sentence', async () => {
      const e1 = await expectError(h.client.getGraph({ snapshot: 99 }), 'NOT_FOUND');
      assert.match(e1.message, /snapshots run from 1 to 3/);
      const e2 = await expectError(h.client.getGraph({ asOf: '2020-01-01T00:00:00Z' }), 'NOT_FOUND');
      seen.push(e1, e2);
    });

    test('rejected log lines are listed with file, line and reason', async () => {
      const log = path.join(h.core.paths.logsDir, 'broken.jsonl');
      fs.writeFileSync(log, '{"not": "an event"}\nthis is not json\n');
      ingestOnce({ paths: h.core.paths, db: h.core.db });
      const page = await h.client.listRejected({});
      assert.equal(page.total, 2);
      assert.deepEqual(page.items.map((r) => [path.basename(r.file), r.line]), [['broken.jsonl', 1], ['broken.jsonl', 2]]);
      for (const r of page.items) assert.match(r.reason, /\.$/, 'a one-sentence reason');
      const second = await h.client.listRejected({ offset: 1, limit: 1 });
      assert.deepEqual(second.items.map((r) => r.line), [2]);
      await expectError(h.client.listRejected({ limit: 0 }), 'INVALID_ARGUMENT');
      seen.push(page.items.map((r) => ({ ...r, file: path.basename(r.file) })), second.total);
    });

    test('events reach the client and unsubscribe stops them', async () => {
      const got: unknown[] = [];
      const off = h.client.on('onGraphChanged', (p) => got.push(p));
      // Subscriptions over a socket need the connection up before the first event.
      await h.client.ping({});
      await new Promise((r) => setTimeout(r, transport === 'http' || transport === 'ws' ? 150 : 0));
      const payload = { newRuns: 1, newArtifacts: 2, newVersions: 3, at: '2026-01-05T10:00:00.000Z' };
      h.core.events.emit('onGraphChanged', payload);
      await waitFor(() => got.length === 1);
      assert.deepEqual(got[0], payload);
      off();
      h.core.events.emit('onGraphChanged', payload);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(got.length, 1, 'no event after unsubscribe');
      seen.push(got[0]);
    });
  });
}

test('every transport returned identical results', () => {
  const direct = results.get('direct');
  assert.ok(direct && direct.length > 10, 'the direct suite ran');
  for (const t of TRANSPORTS) assert.deepEqual(results.get(t), direct, `${t} differs from direct`);
});

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}
