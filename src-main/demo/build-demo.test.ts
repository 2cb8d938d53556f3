import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openDb } from '../db/open-db';
import { buildDemoWorkspace } from './build-demo';
import { footprintClasses, type FootprintOp } from '../capture/footprint';
import { detectStrace } from '../capture/tracer';
import { spawnSync } from 'node:child_process';
import { openWorkspaceEngine } from '../api/workspace-engine';
import { openColumnsService } from '../api/columns-wiring';
import { tableHistory } from '../lake/table-api';
import { columnLineage, datasetColumns, datasetSchema } from '../lineage/columns/column-answers';
import { workspacePaths } from '../workspace/workspace-paths';

/** The demo builds (live where python3 and strace exist, as CI has) and has every story in it. */
const canBuildLive = detectStrace().available && spawnSync('python3', ['--version']).status === 0;

// Parsed event lines are checked field by field; typing every facet here would only restate them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function events(ws: string): Record<string, any>[] {
  return fs.readFileSync(path.join(ws, '.retrace/logs/runs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

function checkStories(ws: string): void {
  const all = events(ws);
  // The stages' own RUNNING events (their declared column lineage) come between START and the end.
  const finals = all.filter((e) => e.eventType === 'COMPLETE' || e.eventType === 'FAIL');
  assert.equal(all.length, finals.length * 2 + all.filter((e) => e.eventType === 'RUNNING').length);
  assert.equal(all.filter((e) => e.eventType === 'START').length, finals.length, 'every run has START and an end');
  const stages = finals.filter((e) => e.job.facets.jobType.jobType === 'STAGE');
  const pipelines = finals.filter((e) => e.job.facets.jobType.jobType === 'PIPELINE');
  assert.equal(pipelines.length, 6);
  assert.ok(stages.every((e) => pipelines.some((p) => p.run.runId === e.run.facets.parent.run.runId)), 'every stage links to a pipeline run');
  assert.equal(finals.filter((e) => e.eventType === 'FAIL').length, 2, 'the failed ingest and its pipeline run');
  const ops = (name: string): FootprintOp[] => stages.filter((e) => e.job.name === name).flatMap((e) => e.run.facets.retrace_footprint.ops);
  // Overwritten and deleted inputs, a code change, and a package appearing.
  assert.ok(footprintClasses(ops('redeliver')).OUTPUT_MODIFIED.includes('data/raw/day-02.csv'));
  assert.deepEqual(footprintClasses(ops('cleanup')).OUTPUT_REMOVED, ['data/staged/day-01.jsonl']);
  const trainHashes = new Set(stages.filter((e) => e.job.name === 'train').map((e) => e.job.facets.retrace_code.files.find((f: { path: string }) => f.path === 'pipeline/train.py').hash));
  assert.equal(trainHashes.size, 2, 'train.py changed once');
  const hasFastmath = stages.map((e) => e.run.facets.retrace_environment.packages.some((p: { name: string }) => p.name === 'fastmath'));
  assert.ok(hasFastmath.includes(true) && hasFastmath.includes(false), 'fastmath appears on day 4');
  // Every artifact kind's naming convention is present.
  const paths = new Set(stages.flatMap((e) => e.run.facets.retrace_footprint.ops.map((o: FootprintOp) => o.path)));
  for (const prefix of ['Churn_featurestore.db/customer_features_1', 'Churn_Training_Datasets/churn_td_', 'Models/churn/', 'Experiments/application_', 'pipeline/', 'data/raw/', 'Models/production.json']) {
    assert.ok([...paths].some((p) => p.startsWith(prefix)), prefix);
  }
}

/**
 * The column stories: spend_total of the newest training set traced back to the raw deliveries,
 * tickets_total renamed support_tickets on day 3 and days_active dropped on day 6 — in the
 * feature table's history and in a schema diff against day 2.
 */
async function checkColumns(ws: string): Promise<void> {
  const paths = workspacePaths(ws);
  const db = openDb(paths.dbFile, { readonly: true });
  try {
    const svc = openColumnsService(openWorkspaceEngine(db, paths, tableHistory), ws);
    const tds = (db.prepare("SELECT name FROM artifacts WHERE name GLOB 'Churn_Training_Datasets/churn_td_[0-9]*' AND rollup_id IS NULL").pluck().all() as string[])
      .sort((a, b) => Number(a.split('_').pop()) - Number(b.split('_').pop()));
    const up = await columnLineage(svc, { dataset: tds.at(-1)!, column: 'spend_total', direction: 'upstream' });
    const at = (d: number) => up.columns.filter((c) => c.depth === d).map((c) => `${c.dataset}.${c.column}`);
    assert.deepEqual(at(1), ['Churn_featurestore.db/customer_features_1.spend_total']);
    assert.ok(at(2).includes('data/staged/day-06.jsonl.spend') && at(2).includes('data/staged/day-06.jsonl.customer_id'), at(2).join());
    assert.ok(at(3).includes('data/raw/day-06.csv.spend'), at(3).join());
    assert.ok(at(4).includes('data/corrections/day-02.csv.spend'), 'redelivered raw files come from the corrections');
    const table = 'Churn_featurestore.db/customer_features_1';
    const cols = await datasetColumns(svc, { dataset: table });
    assert.equal(cols.source, 'table');
    assert.deepEqual(cols.columns.filter((c) => !c.referencedOnly).map((c) => c.name), ['customer_id', 'orders_total', 'spend_total', 'support_tickets', 'churned']);
    const life = cols.columns.find((c) => c.name === 'support_tickets')!.history;
    assert.deepEqual(life.map((e) => [e.change, e.column, e.from ?? null]), [['appeared', 'tickets_total', null], ['renamed', 'support_tickets', 'tickets_total']]);
    const day2 = svc.engine.listSnapshots().filter((s) => s.label.startsWith('churn-daily #2'))[0]!.seq;
    const diff = (await datasetSchema(svc, { dataset: table, against: day2 })).diff!;
    assert.deepEqual([diff.renamed.map((r) => `${r.from}→${r.to}`), diff.dropped.map((c) => c.name), diff.added], [['tickets_total→support_tickets'], ['days_active'], []]);
    // As of day 2 the old name is the one that exists.
    assert.equal((await columnLineage(svc, { dataset: table, column: 'tickets_total', direction: 'upstream', snapshot: day2 })).columns.length > 0, true);
  } finally {
    db.close();
  }
}

/** The demo leaves its logs ingested: every event line is in the metadata DB, nothing rejected. */
function checkIngested(ws: string): void {
  const db = openDb(path.join(ws, '.retrace', 'retrace.db'), { readonly: true });
  try {
    assert.equal(db.prepare('SELECT count(*) FROM events').pluck().get(), events(ws).length);
    assert.equal(db.prepare('SELECT count(*) FROM prov_rejected').pluck().get(), 0);
  } finally {
    db.close();
  }
}

test('retrace demo builds the churn pipeline history live', { timeout: 180_000 }, async (t) => {
  if (!canBuildLive) return t.skip('strace not installed');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-demo-'));
  try {
    const ws = path.join(dir, 'demo');
    const { recorded } = await buildDemoWorkspace(ws);
    assert.equal(recorded, false);
    checkStories(ws);
    checkIngested(ws);
    await checkColumns(ws);
    // A second call finds the built workspace and leaves it alone.
    assert.deepEqual(await buildDemoWorkspace(ws), { recorded: false });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the recorded copy serves machines without python3 or strace', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-demo-rec-'));
  try {
    const ws = path.join(dir, 'demo');
    assert.deepEqual(await buildDemoWorkspace(ws, { forceRecorded: true }), { recorded: true });
    checkStories(ws);
    checkIngested(ws);
    await checkColumns(ws);
    fs.writeFileSync(path.join(dir, 'occupied.txt'), 'x');
    await assert.rejects(buildDemoWorkspace(dir), /not empty/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
