import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../shared/errors';
import { impactCsv } from '../../shared/impact-csv';
import { registerLineageCommands } from '../../src-main/cli/commands/lineage';
import { openHarness, TRANSPORTS, type Harness, type TransportName } from '../api-clients.test-support';
import { cliInProcess } from '../../src-main/cli/cli-in-process.test-support';
import { C1, C2, H, ingestExplore, minute, RUN } from '../explore-workspace.test-support';

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

    test('snapshot compare 3 → 6: nodes added, removed and changed, and the list of what changed', async () => {
      const d = await h.client.diffSnapshots({ from: 3, to: 6 });
      assert.deepEqual([d.from, d.to], [3, 6]);
      // R4 created extra.csv, R5 is the first report run, R6 deleted the readme.
      assert.deepEqual(d.nodes.added, ['artifact:file/data/extra.csv', 'job:ns/report']);
      assert.deepEqual(d.nodes.removed, ['artifact:file/notes/readme.txt']);
      // raw and feat have new versions; the model became stale (feat moved on under it).
      assert.deepEqual(d.nodes.changed.map((c) => [c.id, c.before.stale ?? false, c.after.stale ?? false]),
        [['artifact:file/data/feat.parquet', false, false], ['artifact:file/data/raw.csv', false, false], ['artifact:file/models/m.pt', false, true]]);
      assert.deepEqual(d.changes, {
        runs: [
          { run: RUN(4), id: `run:${RUN(4)}`, job: 'ns/ingest', jobId: 'job:ns/ingest', state: 'COMPLETE', at: minute(7), user: 'alice', snapshot: 4 },
          { run: RUN(5), id: `run:${RUN(5)}`, job: 'ns/report', jobId: 'job:ns/report', state: 'FAIL', at: minute(9), user: 'carol', snapshot: 5 },
          { run: RUN(6), id: `run:${RUN(6)}`, job: 'ns/features', jobId: 'job:ns/features', state: 'COMPLETE', at: minute(11), user: 'bob', snapshot: 6 },
        ],
        versions: [
          { artifact: 'data/feat.parquet', id: 'artifact:file/data/feat.parquet', kind: 'dataset', before: H.FEAT1, after: H.FEAT2, beforeShort: 'sha256:33333333…', afterShort: 'sha256:44444444…' },
          { artifact: 'data/raw.csv', id: 'artifact:file/data/raw.csv', kind: 'dataset', before: H.RAW1, after: H.RAW2, beforeShort: 'sha256:11111111…', afterShort: 'sha256:22222222…' },
        ],
        appeared: [{ artifact: 'data/extra.csv', id: 'artifact:file/data/extra.csv', kind: 'dataset', version: H.X1 }],
        disappeared: [{ artifact: 'notes/readme.txt', id: 'artifact:file/notes/readme.txt', kind: 'file', version: H.README }],
        commits: [],
      });
      const runs = await h.client.diffSnapshots({ from: 3, to: 6, granularity: 'run' });
      assert.deepEqual(runs.nodes.added.filter((id) => id.startsWith('run:')), [`run:${RUN(4)}`, `run:${RUN(5)}`, `run:${RUN(6)}`]);
      seen.push(d, runs);
    });

    test('snapshot compare from the empty workspace to now, and counts as of a snapshot', async () => {
      const all = await h.client.diffSnapshots({});
      assert.deepEqual([all.from, all.to], [0, null]);
      assert.deepEqual(all.changes!.runs.map((r) => r.run), [1, 2, 3, 4, 5, 6, 7].map(RUN));
      assert.deepEqual(all.changes!.appeared.map((a) => a.artifact), ['data/extra.csv', 'data/feat.parquet', 'data/raw.csv', 'models/m.pt']);
      assert.deepEqual([all.changes!.versions, all.changes!.disappeared], [[], []]);
      await assert.rejects(h.client.diffSnapshots({ from: 6, to: 3 }), { code: 'INVALID_ARGUMENT', message: 'Compare from the earlier snapshot: 6 comes after 3.' });
      const at3 = await h.client.getStatus({ snapshot: 3 });
      // By snapshot 3: R1–R3; raw, readme, feat and the model.
      assert.deepEqual([at3.snapshot, at3.counts], [3, { runs: 3, artifacts: 4, rejectedLines: 0 }]);
      const now = await h.client.getStatus({});
      assert.deepEqual([now.snapshot, now.counts], [null, { runs: 7, artifacts: 5, rejectedLines: 0 }]);
      await assert.rejects(h.client.getStatus({ snapshot: 8 }), { code: 'NOT_FOUND' });
      seen.push(all, at3.counts);
    });

    test('impact downstream and upstream, version-aware, with counts per class and kind', async () => {
      // R1 wrote RAW1 (read by R2, whose FEAT1 R3 read) and the readme (read by nobody).
      const down = await h.client.getImpact({ run: RUN(1) });
      assert.equal(down.direction, 'downstream');
      assert.deepEqual(down.runDetails, [
        { run: RUN(2), job: 'ns/features', depth: 1, state: 'COMPLETE' },
        { run: RUN(3), job: 'ns/train', depth: 2, state: 'COMPLETE' },
      ]);
      assert.deepEqual(down.entries, [
        { artifact: 'data/feat.parquet', kind: 'dataset', classes: ['INPUT', 'OUTPUT_ADDED'], node: 'artifact:file/data/feat.parquet' },
        { artifact: 'data/raw.csv', kind: 'dataset', classes: ['INPUT'], node: 'artifact:file/data/raw.csv' },
        { artifact: 'models/m.pt', kind: 'model', classes: ['OUTPUT_ADDED'], node: 'artifact:file/models/m.pt' },
      ]);
      assert.deepEqual(down.byKind, { dataset: 2, model: 1 });
      // Upstream of the model: R3 made it from FEAT1, R2 made FEAT1 from RAW1, R1 made RAW1.
      // R6 (FEAT2) and R4 (RAW2) made newer versions nobody on this chain read: not upstream.
      const up = await h.client.getImpact({ artifact: 'models/m.pt', direction: 'upstream' });
      assert.deepEqual([up.of, up.direction, up.runs, up.runDetails.map((r) => r.depth)], [`models/m.pt@${H.M1}`, 'upstream', [RUN(3), RUN(2), RUN(1)], [1, 2, 3]]);
      assert.deepEqual(up.entries.map((e) => [e.artifact, e.classes.join(' ')]), [
        ['data/feat.parquet', 'INPUT OUTPUT_ADDED'], ['data/raw.csv', 'INPUT OUTPUT_ADDED'], ['models/m.pt', 'OUTPUT_ADDED'], ['notes/readme.txt', 'OUTPUT_ADDED'],
      ]);
      assert.deepEqual([up.counts, up.byKind], [{ ALL: 4, INPUT: 2, OUTPUT_MODIFIED: 0, OUTPUT_ADDED: 4, OUTPUT_REMOVED: 0, OUTPUT_TMP: 0 }, { dataset: 2, model: 1, file: 1 }]);
      // The failed report read RAW2: only R4 is upstream of it, not R1 (which wrote RAW1).
      assert.deepEqual((await h.client.getImpact({ run: RUN(5), direction: 'upstream' })).runs, [RUN(4)]);
      assert.deepEqual((await h.client.getImpact({ artifact: 'models/m.pt', direction: 'upstream', depth: 1 })).runs, [RUN(3)]);
      seen.push(down, up);
    });

    test('catalogue of artifacts: columns, server-side sort, filter and paging, as of a snapshot', async () => {
      const page = await h.client.listCatalog({ what: 'artifacts' });
      assert.equal(page.what, 'artifacts');
      assert.deepEqual([page.total, page.all, page.offset, page.snapshot], [4, 4, 0, null]);
      const rows = page.what === 'artifacts' ? page.rows : [];
      const w = (r: number, job: string, m: number) => ({ run: RUN(r), job, at: minute(m) });
      assert.deepEqual(rows.slice(0, 3), [
        { id: 'artifact:file/data/extra.csv', artifact: 'data/extra.csv', kind: 'dataset', format: 'file', version: H.X1, versionShort: 'sha256:66666666…',
          lastWriter: w(4, 'ns/ingest', 7), lastReader: null, stale: false, staleReason: null },
        { id: 'artifact:file/data/feat.parquet', artifact: 'data/feat.parquet', kind: 'dataset', format: 'file', version: H.FEAT2, versionShort: 'sha256:44444444…',
          lastWriter: w(6, 'ns/features', 11), lastReader: w(3, 'ns/train', 5), stale: false, staleReason: null },
        { id: 'artifact:file/data/raw.csv', artifact: 'data/raw.csv', kind: 'dataset', format: 'file', version: H.RAW2, versionShort: 'sha256:22222222…',
          lastWriter: w(4, 'ns/ingest', 7), lastReader: w(6, 'ns/features', 11), stale: false, staleReason: null },
      ]);
      const model = rows[3]!;
      assert.deepEqual([model.artifact, model.kind, model.lastWriter, model.lastReader, model.stale], ['models/m.pt', 'model', w(3, 'ns/train', 5), null, true]);
      assert.match(model.staleReason ?? '', /^data\/feat\.parquet has a newer version /, 'the first reason: the input moved on');
      const names = async (req: Omit<Parameters<typeof h.client.listCatalog>[0], 'what'>) =>
        ((await h.client.listCatalog({ what: 'artifacts', ...req })).rows as { artifact: string }[]).map((r) => r.artifact);
      // Ties keep the order artifacts were first seen in (raw before extra); rows without a value go last.
      assert.deepEqual(await names({ sort: 'lastWrite', desc: true }), ['data/feat.parquet', 'data/raw.csv', 'data/extra.csv', 'models/m.pt']);
      assert.deepEqual(await names({ sort: 'lastRead' }), ['data/feat.parquet', 'data/raw.csv', 'models/m.pt', 'data/extra.csv']);
      assert.deepEqual(await names({ sort: 'lastRead', desc: true }), ['data/raw.csv', 'data/feat.parquet', 'models/m.pt', 'data/extra.csv']);
      assert.deepEqual(await names({ filter: 'MODEL' }), ['models/m.pt'], 'the filter searches the kind too, ignoring case');
      assert.deepEqual(await names({ filter: 'raw' }), ['data/raw.csv']);
      assert.deepEqual(await names({ kind: 'dataset', offset: 1, limit: 1 }), ['data/feat.parquet']);
      assert.deepEqual(await names({ stale: true }), ['models/m.pt']);
      const paged = await h.client.listCatalog({ what: 'artifacts', kind: 'dataset', offset: 1, limit: 1 });
      assert.deepEqual([paged.total, paged.all, paged.offset], [3, 4, 1]);
      // At snapshot 3 the readme still existed and nothing was stale yet.
      const at3 = await h.client.listCatalog({ what: 'artifacts', snapshot: 3 });
      assert.deepEqual((at3.rows as { artifact: string; version: string; stale: boolean }[]).map((r) => [r.artifact, r.version, r.stale]),
        [['data/feat.parquet', H.FEAT1, false], ['data/raw.csv', H.RAW1, false], ['models/m.pt', H.M1, false], ['notes/readme.txt', H.README, false]]);
      seen.push(page, at3);
    });

    test('catalogue of runs: duration, exit code, state as of a snapshot, reproducibility for the page only', async () => {
      const page = await h.client.listCatalog({ what: 'runs', repro: false });
      const rows = page.what === 'runs' ? page.rows : [];
      assert.deepEqual(rows.map((r) => r.run), [7, 6, 5, 4, 3, 2, 1].map(RUN), 'newest first by default');
      assert.deepEqual(rows[2], {
        run: RUN(5), id: 'job:ns/report', runId: `run:${RUN(5)}`, job: 'ns/report', state: 'FAIL', user: 'carol',
        startedAt: minute(8), endedAt: minute(9), durationMs: 60_000, exitCode: 2, repro: null,
      });
      const ids = async (req: Omit<Parameters<typeof h.client.listCatalog>[0], 'what'>) =>
        ((await h.client.listCatalog({ what: 'runs', repro: false, ...req })).rows as { run: string }[]).map((r) => r.run);
      assert.deepEqual(await ids({ sort: 'exitCode' }), [1, 5, 2, 3, 4, 6, 7].map(RUN), 'exit 0, exit 2, then runs that recorded none');
      assert.deepEqual(await ids({ state: 'FAIL' }), [RUN(7), RUN(5)]);
      assert.deepEqual(await ids({ filter: 'CAROL' }), [RUN(5)]);
      assert.deepEqual(await ids({ sort: 'job', limit: 2 }), [RUN(2), RUN(6)], 'features before ingest; ties in run order');
      assert.deepEqual(await ids({ snapshot: 4 }), [4, 3, 2, 1].map(RUN));
      // R2 read RAW1, a file that is not on disk in this workspace: its data axis says changed; it recorded no code.
      const withRepro = await h.client.listCatalog({ what: 'runs', filter: RUN(2) });
      const r2 = (withRepro.rows as { repro: { code: string; data: string } | null }[])[0]!;
      assert.deepEqual([r2.repro?.code, r2.repro?.data], ['unknown', 'changed']);
      seen.push(page);
    });

    test('catalogue arguments are checked: sorts and filters belong to artifacts or to runs', async () => {
      for (const req of [{ what: 'runs', sort: 'stale' }, { what: 'runs', kind: 'model' }, { what: 'artifacts', state: 'FAIL' }, { what: 'artifacts', limit: 5000 }, { what: 'files' }]) {
        await assert.rejects(h.client.listCatalog(req as never), { code: 'INVALID_ARGUMENT' });
      }
      await assert.rejects(h.client.listCatalog({ what: 'runs', snapshot: 42 }), { code: 'NOT_FOUND' });
    });

    test('inspector truth: a code change under the same git commit names the file, never two equal short hashes', async () => {
      const [model] = await h.client.getStaleness({ artifact: 'models/m.pt' });
      assert.deepEqual(model!.reasons.map((r) => r.code), ['INPUT_NEWER', 'CODE_CHANGED', 'ENVIRONMENT_CHANGED']);
      const [newer, code, env] = model!.reasons;
      assert.equal(newer!.message, 'data/feat.parquet has a newer version sha256:44444444… (the producing run read sha256:33333333…).');
      // R3 and R7 both ran git commit t1; only train.py differs (C1 and C2 agree on their first 19 characters).
      assert.equal(code!.message, 'The code of ns/train changed in run 00000000: train.py modified.');
      assert.equal(code!.run, RUN(7));
      assert.notEqual(code!.readVersion, code!.currentVersion);
      assert.notEqual(code!.readShort, code!.currentShort);
      assert.deepEqual((code!.details as { files: unknown }).files, [{ path: 'train.py', change: 'modified', from: C1, to: C2 }]);
      assert.equal(env!.message, 'The environment of ns/train changed in run 00000000: numpy added (2.1.0).');
      assert.deepEqual((env!.details as { packages: unknown }).packages, [{ name: 'numpy', from: null, to: '2.1.0' }]);
      for (const r of model!.reasons) assert.doesNotMatch(r.message, /\(run|undefined/);
      seen.push(model);
    });

    test('run rows carry duration and exit code', async () => {
      const rows = await h.client.listRuns({ filterBy: ['JOB:report'] });
      assert.deepEqual(rows.map((r) => [r.run, r.state, r.durationMs, r.exitCode]), [[RUN(5), 'FAIL', 60_000, 2]]);
      const first = await h.client.listRuns({ filterBy: [`RUN_ID:${RUN(2)}`] });
      assert.deepEqual([first[0]!.durationMs, first[0]!.exitCode], [60_000, null], 'no retrace_command facet, no exit code');
      seen.push(rows);
    });

    test('footprint entries name the graph node that draws them', async () => {
      const fp = await h.client.getFootprint({ run: RUN(6) });
      assert.deepEqual(fp.entries.map((e) => [e.artifact, e.node, e.classes.join(' ')]), [
        ['data/feat.parquet', 'artifact:file/data/feat.parquet', 'OUTPUT_MODIFIED'],
        ['data/raw.csv', 'artifact:file/data/raw.csv', 'INPUT'],
        ['notes/readme.txt', 'artifact:file/notes/readme.txt', 'OUTPUT_REMOVED'],
      ]);
    });

    test('runs view: run nodes carry their stage and their start and end times', async () => {
      const g = await h.client.getGraph({ granularity: 'run' });
      const r5 = g.nodes.find((n) => n.id === `run:${RUN(5)}`)!;
      assert.deepEqual([r5.label, r5.state, r5.job, r5.startedAt, r5.endedAt], ['report #1', 'FAIL', 'ns/report', minute(8), minute(9)]);
      const ingest = g.nodes.filter((n) => n.kind === 'run' && n.job === 'ns/ingest').map((n) => [n.label, n.startedAt]);
      assert.deepEqual(ingest, [['ingest #1', minute(0)], ['ingest #2', minute(6)]]);
      seen.push(r5);
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

test('the impact CSV the app builds from the API equals `retrace impact … --format csv` byte for byte', async () => {
  const h = await openHarness('http');
  try {
    ingestExplore(h.core.paths, h.core.db);
    const w = ['-w', h.core.paths.root];
    const both = impactCsv(await h.client.getImpact({ artifact: 'models/m.pt' }), await h.client.getImpact({ artifact: 'models/m.pt', direction: 'upstream' }));
    assert.equal(await cliInProcess(registerLineageCommands, ['impact', 'models/m.pt', '--direction', 'both', '--format', 'csv', ...w]), both);
    const one = impactCsv(await h.client.getImpact({ run: RUN(1), snapshot: 3 }));
    assert.equal(await cliInProcess(registerLineageCommands, ['impact', RUN(1), '--snapshot', '3', '--format', 'csv', ...w]), one);
    // Hand-checked: header, three artifacts, two runs, CRLF after every record.
    assert.equal(one, [
      'record,direction,name,node_id,kind,classes,job,depth,state',
      'artifact,downstream,data/feat.parquet,artifact:file/data/feat.parquet,dataset,INPUT OUTPUT_ADDED,,,',
      'artifact,downstream,data/raw.csv,artifact:file/data/raw.csv,dataset,INPUT,,,',
      'artifact,downstream,models/m.pt,artifact:file/models/m.pt,model,OUTPUT_ADDED,,,',
      `run,downstream,${RUN(2)},run:${RUN(2)},run,,ns/features,1,COMPLETE`,
      `run,downstream,${RUN(3)},run:${RUN(3)},run,,ns/train,2,COMPLETE`,
      '',
    ].join('\r\n'));
    assert.ok(both.includes('\r\nartifact,upstream,notes/readme.txt,artifact:file/notes/readme.txt,file,OUTPUT_ADDED,,,\r\n'));
  } finally {
    await h.close();
  }
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
