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

/** The demo builds (live where python3 and strace exist, as CI has) and has every story in it. */
const canBuildLive = detectStrace().available && spawnSync('python3', ['--version']).status === 0;

// Parsed event lines are checked field by field; typing every facet here would only restate them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function events(ws: string): Record<string, any>[] {
  return fs.readFileSync(path.join(ws, '.retrace/logs/runs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

function checkStories(ws: string): void {
  const all = events(ws);
  const finals = all.filter((e) => e.eventType !== 'START');
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
    fs.writeFileSync(path.join(dir, 'occupied.txt'), 'x');
    await assert.rejects(buildDemoWorkspace(dir), /not empty/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
