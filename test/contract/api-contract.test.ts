import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { GraphDto } from '../../shared/dto';
import { ingestOnce } from '../../src-main/provenance/ingest';
import { openHarness, TRANSPORTS, type Harness, type TransportName } from '../api-clients.test-support';
import { ingestExplore, minute, RUN } from '../explore-workspace.test-support';

/**
 * One suite, four transports: direct calls, HTTP, WebSocket and the IPC adapter over a fake
 * ipcMain/ipcRenderer pair, on the explore workspace ingested from its log lines (the history is
 * tabled in explore-workspace.test-support.ts) plus a log of two broken lines. Expected values
 * are worked out by hand from that history; every transport must return identical results and
 * identical errors.
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

const A = (p: string) => `artifact:file/${p}`;
const J = (name: string) => `job:ns/${name}`;
/** The graph's reads and writes edges as `source > target` (code and environment edges apart). */
const flows = (g: GraphDto) => g.edges.filter((e) => e.kind === 'reads' || e.kind === 'writes').map((e) => `${e.source} > ${e.target}`).sort();
const ofKind = (g: GraphDto, kind: string) => g.nodes.filter((n) => n.kind === kind);
/** Which environment (or code) node each job links to. */
const linked = (g: GraphDto, kind: 'uses_environment' | 'uses_code') => Object.fromEntries(g.edges.filter((e) => e.kind === kind).map((e) => [e.source, e.target]));

for (const transport of TRANSPORTS) {
  describe(`API contract over ${transport}`, () => {
    let h: Harness;
    const seen: unknown[] = [];
    before(async () => {
      h = await openHarness(transport);
      ingestExplore(h.core.paths, h.core.db);
      fs.writeFileSync(path.join(h.core.paths.logsDir, 'broken.jsonl'), '{"not": "an event"}\nthis is not json\n');
      ingestOnce({ paths: h.core.paths, db: h.core.db });
      results.set(transport, seen);
    });
    after(async () => h.close());

    test('ping echoes its argument', async () => {
      const r = await h.client.ping({ echo: 'hello' });
      assert.equal(r.echo, 'hello');
      assert.match(r.at, /^\d{4}-\d\d-\d\dT/);
      assert.equal((await h.client.ping({})).echo, 'pong');
      seen.push(r.echo);
    });

    test('getStatus names the workspace and counts, now and as of a snapshot', async () => {
      const s = await h.client.getStatus({});
      assert.equal(s.workspace, h.core.paths.root);
      assert.equal(s.snapshot, null);
      // Seven runs; raw, readme, feat, the model and extra (the deleted readme is still known); two bad lines.
      assert.deepEqual(s.counts, { runs: 7, artifacts: 5, rejectedLines: 2 });
      // By snapshot 1 only R1 had run: raw and the readme.
      const at1 = await h.client.getStatus({ snapshot: 1 });
      assert.deepEqual([at1.snapshot, at1.counts], [1, { runs: 1, artifacts: 2, rejectedLines: 2 }]);
      seen.push(s.counts, at1.counts);
    });

    test('listSnapshots: one per run ending, in order, labelled by stage, ordinal and how it ended', async () => {
      const snaps = await h.client.listSnapshots({});
      assert.deepEqual(snaps, [
        { seq: 1, at: minute(1), kind: 'run', label: 'ingest #1' },
        { seq: 2, at: minute(3), kind: 'run', label: 'features #1' },
        { seq: 3, at: minute(5), kind: 'run', label: 'train #1' },
        { seq: 4, at: minute(7), kind: 'run', label: 'ingest #2' },
        { seq: 5, at: minute(9), kind: 'run', label: 'report #1 (FAIL)' },
        { seq: 6, at: minute(11), kind: 'run', label: 'features #2' },
        { seq: 7, at: minute(13), kind: 'run', label: 'train #2 (FAIL)' },
      ]);
      seen.push(snaps);
    });

    test('getGraph now: jobs, the artifacts alive, who read and wrote them, the latest code and environments', async () => {
      const g = await h.client.getGraph({});
      assert.equal(g.snapshot, null);
      assert.deepEqual(ofKind(g, 'job').map((n) => [n.id, n.label, n.state]), [
        [J('ingest'), 'ingest', 'COMPLETE'], [J('features'), 'features', 'COMPLETE'], [J('train'), 'train', 'FAIL'], [J('report'), 'report', 'FAIL'],
      ], 'a job shows how its latest run ended (R4, R6, R7, R5)');
      // The readme was deleted by R6: not drawn. The model's input moved on (FEAT2): stale.
      assert.deepEqual(g.nodes.filter((n) => n.id.startsWith('artifact:')).map((n) => [n.id, n.kind, n.version, n.stale ?? false]), [
        [A('data/raw.csv'), 'dataset', 'sha256:22222222', false],
        [A('data/feat.parquet'), 'dataset', 'sha256:44444444', false],
        [A('models/m.pt'), 'model', 'sha256:55555555', true],
        [A('data/extra.csv'), 'dataset', 'sha256:66666666', false],
      ]);
      assert.deepEqual(flows(g), [
        `${A('data/feat.parquet')} > ${J('train')}`,
        `${A('data/raw.csv')} > ${J('features')}`,
        `${A('data/raw.csv')} > ${J('report')}`,
        `${J('features')} > ${A('data/feat.parquet')}`,
        `${J('ingest')} > ${A('data/extra.csv')}`,
        `${J('ingest')} > ${A('data/raw.csv')}`,
        `${J('train')} > ${A('models/m.pt')}`,
      ]);
      // Latest runs' environments: R4 (numpy 1.26.4), R6 and R5 (no packages: the same
      // environment, users are not part of it), R7 (numpy 2.1.0). Only R7 recorded code (t1).
      const env = linked(g, 'uses_environment');
      assert.deepEqual(Object.keys(env).sort(), [J('features'), J('ingest'), J('report'), J('train')]);
      assert.equal(env[J('features')], env[J('report')]);
      assert.equal(new Set(Object.values(env)).size, 3);
      assert.deepEqual(ofKind(g, 'environment').map((n) => n.label), ['python 3.12.1', 'python 3.12.1', 'python 3.12.1']);
      assert.deepEqual(ofKind(g, 'code').map((n) => n.label), ['t1']);
      assert.deepEqual(Object.keys(linked(g, 'uses_code')), [J('train')]);
      assert.equal(g.nodes.length, 12);
      assert.equal(g.edges.length, 12);
      seen.push(g);
    });

    test('getGraph at a snapshot and as of a time travel back', async () => {
      const first = await h.client.getGraph({ snapshot: 1 });
      assert.equal(first.snapshot, 1);
      assert.deepEqual(first.nodes.filter((n) => n.kind !== 'environment').map((n) => [n.id, n.version ?? null]), [
        [J('ingest'), null], [A('data/raw.csv'), 'sha256:11111111'], [A('notes/readme.txt'), 'sha256:77777777'],
      ]);
      assert.deepEqual(flows(first), [`${J('ingest')} > ${A('data/raw.csv')}`, `${J('ingest')} > ${A('notes/readme.txt')}`]);
      assert.equal(ofKind(first, 'environment').length, 1);
      // 10:05:30 is after R3 ended (snapshot 3) and before R4 did: raw, the readme, feat and the
      // model, nothing stale yet; train's latest run is R3, which completed.
      const asOf = await h.client.getGraph({ asOf: '2026-01-01T10:05:30Z' });
      assert.equal(asOf.snapshot, 3);
      assert.deepEqual(asOf.nodes.filter((n) => n.id.startsWith('artifact:')).map((n) => [n.label, n.version, n.stale ?? false]), [
        ['data/raw.csv', 'sha256:11111111', false], ['notes/readme.txt', 'sha256:77777777', false], ['data/feat.parquet', 'sha256:33333333', false], ['models/m.pt', 'sha256:55555555', false],
      ]);
      assert.equal(asOf.nodes.find((n) => n.id === J('train'))?.state, 'COMPLETE');
      assert.deepEqual(await h.client.getGraph({ asOf: String(Date.parse('2026-01-01T10:05:30Z')) }), asOf, 'epoch milliseconds mean the same time');
      assert.deepEqual(await h.client.getGraph({ asOf: minute(5) }), asOf, 'a snapshot taken exactly at the time counts');
      // An ISO time that ends in digits (a numeric offset) is a time, not epoch milliseconds.
      assert.deepEqual(await h.client.getGraph({ asOf: '2026-01-01T12:05:30+02:00' }), asOf, 'the same instant written with an offset');
      // So is a window's end: runs that started in [10:07, 10:10] are R5 and R6, both readers of raw.
      const used = await h.client.mostUsed({ since: '2026-01-01T12:07:00+02:00', until: '2026-01-01T05:10:00-05:00' });
      assert.deepEqual(used.map((u) => [u.artifact, u.readers]), [['data/raw.csv', 2]]);
      seen.push(first, asOf);
    });

    test('bad arguments are INVALID_ARGUMENT with the field named', async () => {
      const e1 = await expectError(h.client.getGraph({ snapshot: -1 } as never), 'INVALID_ARGUMENT');
      assert.match(e1.message, /snapshot/);
      const e2 = await expectError(h.client.getGraph({ bogus: 1 } as never), 'INVALID_ARGUMENT');
      const e3 = await expectError(h.client.ping({ echo: 42 } as never), 'INVALID_ARGUMENT');
      const e4 = await expectError(h.client.getGraph({ snapshot: 1, asOf: '2026-01-01' }), 'INVALID_ARGUMENT');
      assert.equal(e4.message, 'Give either snapshot or asOf, not both.');
      const e5 = await expectError(h.client.getGraph({ asOf: 'yesterday' }), 'INVALID_ARGUMENT');
      assert.equal(e5.message, 'asOf "yesterday" is neither an ISO-8601 time nor epoch milliseconds.');
      seen.push(e1, e2, e3, e4, e5);
    });

    test('missing things are NOT_FOUND with a useful sentence', async () => {
      const e1 = await expectError(h.client.getGraph({ snapshot: 99 }), 'NOT_FOUND');
      assert.equal(e1.message, 'Snapshot 99 does not exist; snapshots run from 1 to 7.');
      const e2 = await expectError(h.client.getGraph({ asOf: '2020-01-01T00:00:00Z' }), 'NOT_FOUND');
      assert.equal(e2.message, 'No snapshot exists at or before 2020-01-01T00:00:00.000Z.');
      // One millisecond before R1 ended there was no snapshot yet.
      await expectError(h.client.getGraph({ asOf: String(Date.parse(minute(1)) - 1) }), 'NOT_FOUND');
      // Every method that takes a snapshot refuses one that does not exist with the same sentence.
      const range = 'Snapshot 9 does not exist; snapshots run from 1 to 7.';
      for (const p of [h.client.getStatus({ snapshot: 9 }), h.client.diffSnapshots({ from: 9 }), h.client.diffSnapshots({ from: 1, to: 9 }), h.client.getFootprint({ run: RUN(1), snapshot: 9 })]) {
        assert.equal((await expectError(p, 'NOT_FOUND')).message, range);
      }
      assert.equal((await expectError(h.client.getGraph({ snapshot: 0 }), 'NOT_FOUND')).message, 'Snapshot 0 does not exist; snapshots run from 1 to 7.');
      seen.push(e1, e2);
    });

    test('artifacts are listed newest first and paged; search keeps to its limit', async () => {
      // First seen: raw and the readme (R1), feat (R2), the model (R3), extra (R4).
      const all = await h.client.listArtifacts({});
      assert.deepEqual(all.map((a) => [a.artifact, a.kind, a.version]), [
        ['data/extra.csv', 'dataset', 'sha256:66666666'], ['models/m.pt', 'model', 'sha256:55555555'], ['data/feat.parquet', 'dataset', 'sha256:44444444'],
        ['notes/readme.txt', 'file', 'sha256:77777777'], ['data/raw.csv', 'dataset', 'sha256:22222222'],
      ]);
      assert.deepEqual((await h.client.listArtifacts({ limit: 2, offset: 1 })).map((a) => a.artifact), ['models/m.pt', 'data/feat.parquet']);
      // "data" is a word of three paths; a limit of one keeps one of them.
      const hits = await h.client.search({ query: 'data' });
      assert.deepEqual(hits.results.map((r) => r.label).sort(), ['data/extra.csv', 'data/feat.parquet', 'data/raw.csv']);
      const one = await h.client.search({ query: 'data', limit: 1 });
      assert.equal(one.results.length, 1);
      assert.ok(['data/extra.csv', 'data/feat.parquet', 'data/raw.csv'].includes(one.results[0]!.label));
      seen.push(all, hits.results.map((r) => r.label).sort());
    });

    test('a footprint as of a snapshot: the versions read and written then; a run not started by then is NOT_FOUND', async () => {
      const fp = await h.client.getFootprint({ run: RUN(2), snapshot: 3 });
      assert.equal(fp.snapshot, 3);
      assert.deepEqual(fp.entries.map((e) => [e.artifact, e.classes.join(' '), e.version]), [['data/feat.parquet', 'OUTPUT_ADDED', 'sha256:33333333'], ['data/raw.csv', 'INPUT', 'sha256:11111111']]);
      const late = await expectError(h.client.getFootprint({ run: RUN(6), snapshot: 3 }), 'NOT_FOUND');
      assert.equal(late.message, `Run ${RUN(6)} had not started by snapshot 3.`);
      seen.push(fp.entries, late);
    });

    test('reproducibility of a run whose input is no longer on disk', async () => {
      // R2 read RAW1 of data/raw.csv, which this workspace folder does not hold; it recorded no code and no command.
      const r = await h.client.getRepro({ run: RUN(2) });
      assert.deepEqual([r.run, r.job, r.state, r.axes.code, r.axes.data, r.command], [RUN(2), 'features', 'COMPLETE', 'unknown', 'changed', null]);
      assert.deepEqual(r.warnings.map((w) => [w.code, w.message]), [['INPUT_MISSING', `data/raw.csv no longer exists (the run read sha256:11111111…).`]]);
      seen.push(r.warnings);
    });

    test('rejected log lines are listed with file, line and reason, and paged', async () => {
      const page = await h.client.listRejected({});
      assert.equal(page.total, 2);
      assert.deepEqual(page.items.map((r) => [path.basename(r.file), r.line]), [['broken.jsonl', 1], ['broken.jsonl', 2]]);
      for (const r of page.items) assert.match(r.reason, /\.$/, 'a one-sentence reason');
      const second = await h.client.listRejected({ offset: 1, limit: 1 });
      assert.deepEqual([second.total, second.items.map((r) => r.line)], [2, [2]]);
      assert.deepEqual((await h.client.listRejected({ limit: 1 })).items.map((r) => r.line), [1]);
      assert.deepEqual((await h.client.listRejected({ offset: 2 })).items, []);
      await expectError(h.client.listRejected({ limit: 0 }), 'INVALID_ARGUMENT');
      // A line appended later is listed after them (oldest first).
      fs.appendFileSync(path.join(h.core.paths.logsDir, 'broken.jsonl'), '[1, 2]\n');
      ingestOnce({ paths: h.core.paths, db: h.core.db });
      const more = await h.client.listRejected({});
      assert.deepEqual([more.total, more.items.map((r) => r.line)], [3, [1, 2, 3]]);
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

test('a workspace with no runs has no snapshots: asking for one says so', async () => {
  const h = await openHarness('direct');
  try {
    const none = 'Snapshot 1 does not exist; the workspace has no snapshots yet.';
    for (const p of [h.client.getStatus({ snapshot: 1 }), h.client.getGraph({ snapshot: 1 }), h.client.diffSnapshots({ to: 1 })]) {
      assert.equal((await expectError(p, 'NOT_FOUND')).message, none);
    }
  } finally {
    await h.close();
  }
});

test('every transport returned identical results', () => {
  const direct = results.get('direct');
  assert.ok(direct && direct.length > 10, 'the direct suite ran');
  for (const t of TRANSPORTS) assert.deepEqual(results.get(t), direct, `${t} differs from direct`);
});

/** Polls for an event to arrive; the 3 s limit only guards against a hang. */
async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}
