import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { cliInProcess } from '../cli-in-process.test-support';
import { registerLineageCommands } from './lineage';
import { RUN, lineageWorkspace, minute, stageLines } from '../../lineage/lineage-workspace.test-support';

const C = (p: string) => ({ path: p, op: 'CREATE' as const });
const R = (p: string) => ({ path: p, op: 'READ' as const });
const STAGES = [
  ...stageLines({ run: RUN(1), job: 'ingest', at: 0, user: 'alice', gitSha: 'a1', ops: [C('data/raw.csv'), C('tmp/s'), { path: 'tmp/s', op: 'DELETE' }] }),
  ...stageLines({ run: RUN(2), job: 'features', at: 2, user: 'bob', ops: [R('data/raw.csv'), C('data/feat.parquet')] }),
  ...stageLines({ run: RUN(3), job: 'train', at: 4, user: 'alice', gitSha: 't1', ops: [R('data/feat.parquet'), C('models/m.pt')] }),
  ...stageLines({ run: RUN(4), job: 'report', at: 6, user: 'carol', state: 'FAIL', ops: [R('data/raw.csv')] }),
];

/** Runs one `retrace <args>` in this process; returns stdout. */
const cli = (args: string[]) => cliInProcess(registerLineageCommands, args);

test('CLI --json shapes of DESIGN §8 on a hand-worked fixture', async () => {
  const ws = lineageWorkspace(STAGES);
  const w = ['-w', ws.paths.root];
  try {
    assert.deepEqual(JSON.parse(await cli(['snapshots', ...w, '--json'])), [
      { seq: 1, at: minute(1), kind: 'run', label: 'ingest #1' },
      { seq: 2, at: minute(3), kind: 'run', label: 'features #1' },
      { seq: 3, at: minute(5), kind: 'run', label: 'train #1' },
      { seq: 4, at: minute(7), kind: 'run', label: 'report #1 (FAIL)' },
    ]);

    const g = JSON.parse(await cli(['graph', ...w, '--snapshot', '2', '--json']));
    assert.equal(g.snapshot, 2);
    assert.deepEqual(g.nodes.filter((n: { kind: string }) => n.kind !== 'code' && n.kind !== 'environment').map((n: { id: string; kind: string; label: string }) => [n.id, n.kind, n.label]).sort(), [
      ['artifact:file/data/feat.parquet', 'dataset', 'data/feat.parquet'],
      ['artifact:file/data/raw.csv', 'dataset', 'data/raw.csv'],
      ['job:ns/features', 'job', 'features'],
      ['job:ns/ingest', 'job', 'ingest'],
    ]);
    assert.deepEqual(g.edges.filter((e: { kind: string }) => e.kind === 'reads' || e.kind === 'writes').map((e: { source: string; target: string; kind: string }) => [e.source, e.target, e.kind]).sort(), [
      ['artifact:file/data/raw.csv', 'job:ns/features', 'reads'],
      ['job:ns/features', 'artifact:file/data/feat.parquet', 'writes'],
      ['job:ns/ingest', 'artifact:file/data/raw.csv', 'writes'],
    ]);
    const asOf = JSON.parse(await cli(['graph', ...w, '--as-of', minute(3.5), '--json']));
    assert.equal(asOf.snapshot, 2);
    const now = JSON.parse(await cli(['graph', ...w, '--json', '--granularity', 'run']));
    assert.deepEqual([now.snapshot, now.live], [4, true]);
    assert.ok(now.nodes.some((n: { id: string }) => n.id === `run:${RUN(4)}`));

    const fp = JSON.parse(await cli(['footprint', RUN(1), ...w, '--json']));
    assert.equal(fp.run, RUN(1));
    assert.deepEqual(fp.classes, { INPUT: [], OUTPUT_MODIFIED: [], OUTPUT_ADDED: ['data/raw.csv'], OUTPUT_REMOVED: [], OUTPUT_TMP: ['tmp/s'] });

    const imp = JSON.parse(await cli(['impact', RUN(1), ...w, '--json']));
    assert.equal(imp.of, RUN(1));
    assert.deepEqual(imp.runs, [RUN(2), RUN(4), RUN(3)]);
    assert.deepEqual(imp.artifacts, ['data/feat.parquet', 'data/raw.csv', 'models/m.pt']);
    assert.deepEqual(imp.classes, { INPUT: ['data/feat.parquet', 'data/raw.csv'], OUTPUT_MODIFIED: [], OUTPUT_ADDED: ['data/feat.parquet', 'models/m.pt'], OUTPUT_REMOVED: [], OUTPUT_TMP: [] });
    assert.deepEqual(JSON.parse(await cli(['impact', RUN(1), ...w, '--depth', '1', '--json'])).runs, [RUN(2), RUN(4)]);
    assert.deepEqual(JSON.parse(await cli(['impact', 'data/feat.parquet', ...w, '--json'])).runs, [RUN(3)]);
    assert.deepEqual(JSON.parse(await cli(['impact', RUN(1), ...w, '--snapshot', '2', '--json'])).runs, [RUN(2)]);
    const csv = await cli(['impact', 'data/feat.parquet', ...w, '--format', 'csv']);
    assert.deepEqual(csv.split('\r\n'), [
      'record,direction,name,node_id,kind,classes,job,depth,state',
      'artifact,downstream,data/feat.parquet,artifact:file/data/feat.parquet,dataset,INPUT,,,',
      'artifact,downstream,models/m.pt,artifact:file/models/m.pt,model,OUTPUT_ADDED,,,',
      `run,downstream,${RUN(3)},run:${RUN(3)},run,,ns/train,1,COMPLETE`, '',
    ]);
    assert.equal(await cli(['impact', 'data/feat.parquet', ...w, '--csv']), csv, '--csv is --format csv');
    // Upstream of train #1: features #1 produced the feat it read (depth 1), ingest #1 the raw features read (depth 2).
    const up = JSON.parse(await cli(['impact', RUN(3), ...w, '--direction', 'upstream', '--json']));
    assert.deepEqual([up.direction, up.runs, up.runDetails.map((r: { depth: number }) => r.depth)], ['upstream', [RUN(2), RUN(1)], [1, 2]]);
    assert.deepEqual(up.classes, { INPUT: ['data/raw.csv'], OUTPUT_MODIFIED: [], OUTPUT_ADDED: ['data/feat.parquet', 'data/raw.csv'], OUTPUT_REMOVED: [], OUTPUT_TMP: ['tmp/s'] });
    const both = JSON.parse(await cli(['impact', RUN(2), ...w, '--direction', 'both', '--json']));
    assert.deepEqual([both.downstream.runs, both.upstream.runs], [[RUN(3)], [RUN(1)]]);
    await assert.rejects(cli(['impact', RUN(2), ...w, '--format', 'xml']), { message: '--format takes csv, not "xml".' });

    // "feat" names data/feat.parquet exactly (file name without extension), so it leads; the
    // features job follows as a prefix match.
    const s = JSON.parse(await cli(['search', 'feat', ...w, '--json']));
    assert.deepEqual(s.results.slice(0, 2).map((r: { id: string }) => r.id), ['artifact:file/data/feat.parquet', 'job:ns/features']);
    const t = JSON.parse(await cli(['search', 'train', ...w, '--json']));
    assert.deepEqual(t.results[0], { kind: 'job', id: 'job:ns/train', label: 'train', score: t.results[0].score });
    for (const r of s.results) assert.deepEqual(Object.keys(r).sort(), ['id', 'kind', 'label', 'score']);

    assert.deepEqual(JSON.parse(await cli(['insights', 'most-used', ...w, '--json'])).map((r: { artifact: string; readers: number }) => [r.artifact, r.readers]),
      [['data/raw.csv', 2], ['data/feat.parquet', 1]]);
    const latest = JSON.parse(await cli(['insights', 'latest-pipeline-using', 'data/raw.csv', ...w, '--json']));
    assert.deepEqual([latest.pipeline, latest.run, latest.at], ['ns/report', RUN(4), minute(7)]);
    assert.deepEqual(JSON.parse(await cli(['insights', 'who-ran', 'train', ...w, '--json'])), [{ user: 'alice', run: RUN(3), at: minute(5), code: 't1' }]);

    const ol = (await cli(['export', '--format', 'openlineage', RUN(2), ...w])).trim().split('\n');
    assert.deepEqual(ol.map((l) => JSON.parse(l).run.runId), [RUN(2), RUN(2)]);
    const prov = JSON.parse(await cli(['export', '--format', 'prov-json', ...w]));
    assert.equal(Object.keys(prov.activity).length, 4);
    // The CLI left an index for the next cold start.
    assert.ok(fs.existsSync(path.join(ws.paths.dotDir, 'lineage-index.bin')));
  } finally {
    ws.dispose();
  }
});

test('CLI errors are one sentence: unknown run, bad question, no DB, both --snapshot and --as-of', async () => {
  const ws = lineageWorkspace(STAGES);
  const w = ['-w', ws.paths.root];
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-empty-'));
  try {
    await assert.rejects(cli(['footprint', 'zzz', ...w]), { code: 'NOT_FOUND', message: `No run matches "zzz"; runs look like ${RUN(4)}.` });
    await assert.rejects(cli(['insights', 'best', ...w]), { code: 'INVALID_ARGUMENT', message: /^Unknown question "best"/ });
    await assert.rejects(cli(['insights', 'who-ran', ...w]), { message: 'insights who-ran needs a PIPELINE.' });
    await assert.rejects(cli(['graph', '--snapshot', '1', '--as-of', '0', ...w]), { message: 'Give either --snapshot or --as-of, not both.' });
    await assert.rejects(cli(['graph', '--snapshot', '9', ...w]), { code: 'NOT_FOUND', message: 'Snapshot 9 does not exist; snapshots run from 1 to 4.' });
    fs.mkdirSync(path.join(empty, '.retrace'));
    await assert.rejects(cli(['snapshots', '-w', empty]), { code: 'NOT_FOUND', message: /has no metadata DB yet; run `retrace ingest` there first\.$/ });
    const help = new Command('retrace');
    registerLineageCommands(help);
    assert.match(help.commands.find((c) => c.name() === 'impact')!.helpInformation() + '', /RUN|run-or-artifact/);
  } finally {
    ws.dispose();
    fs.rmSync(empty, { recursive: true, force: true });
  }
});
