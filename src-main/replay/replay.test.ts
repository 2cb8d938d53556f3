import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../shared/errors';
import type { ReplayExecutionDto } from '../../shared/replay-dto';
import { createCore, type Core } from '../api/create-core';
import { captureRun } from '../capture/capture-run';
import { retraceInstallRoot } from '../capture/install-paths';
import { ContentStore } from '../content-store/content-store';
import { DEFAULT_STORE_CONFIG } from '../content-store/store-config';
import { rawDeliveryCsv } from '../demo/raw-deliveries';
import { ingestOnce } from '../provenance/ingest';

/**
 * Issue 15's replay tests on a stage of the demo pipeline (examples/churn-pipeline's ingest.py):
 * the raw delivery it read is overwritten by a corrected re-delivery, as on the demo's day 6.
 * A replay restores the delivery as it was read, writes the staged file bit-for-bit as the run
 * did, and leaves the workspace as it was; with the stored copy evicted it refuses, naming the
 * file, and goes on only when told to.
 */
const hasPython = spawnSync('python3', ['--version']).status === 0;
const sha = (b: Buffer | string) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

/** Every file of the workspace outside .retrace, with its content hash. */
function treeHash(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const p = path.join(rel, e.name);
      if (e.name === '.retrace') continue;
      if (e.isDirectory()) walk(p);
      else out[p] = sha(fs.readFileSync(path.join(root, p)));
    }
  };
  walk('');
  return out;
}

function finished(core: Core, execution: string): Promise<ReplayExecutionDto> {
  return core.replays.finished(execution);
}

describe('replay of a demo stage', { skip: !hasPython && 'python3 is not installed' }, () => {
  let ws: string;
  let core: Core;
  let runId: string;
  let stagedThen: string;
  before(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-replay-'));
    fs.cpSync(path.join(retraceInstallRoot()!, 'examples/churn-pipeline/pipeline'), path.join(ws, 'pipeline'), { recursive: true });
    fs.mkdirSync(path.join(ws, 'data/raw'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'data/raw/day-02.csv'), rawDeliveryCsv(2));
    const r = await captureRun({ argv: ['python3', 'pipeline/ingest.py', '2'], workspaceRoot: ws, cwd: ws, stage: 'ingest', stdio: 'quiet', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }, warn: () => undefined });
    assert.equal(r.exitCode, 0);
    runId = r.runId;
    stagedThen = sha(fs.readFileSync(path.join(ws, 'data/staged/day-02.jsonl')));
    // Day 6 of the demo: a corrected re-delivery overwrites the raw file the run read.
    fs.writeFileSync(path.join(ws, 'data/raw/day-02.csv'), rawDeliveryCsv(2, { corrected: true }));
    core = createCore({ workspaceRoot: ws });
    ingestOnce({ paths: core.paths, db: core.db });
  });
  after(() => {
    core?.dispose();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  test('restores the overwritten input, reproduces the output bit-for-bit, and leaves the workspace unchanged', async () => {
    // The control: the input as it is now makes a different staged file, so a bit-for-bit
    // verdict below can only come from the restored delivery.
    const control = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-replay-control-'));
    fs.cpSync(ws, control, { recursive: true, filter: (s) => !s.includes('.retrace') });
    assert.equal(spawnSync('python3', ['pipeline/ingest.py', '2'], { cwd: control, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }).status, 0);
    assert.notEqual(sha(fs.readFileSync(path.join(control, 'data/staged/day-02.jsonl'))), stagedThen);
    fs.rmSync(control, { recursive: true, force: true });

    const before = treeHash(ws);
    const plan = await core.api.prepareReplay({ run: runId.slice(0, 8) });
    assert.equal(plan.blocked, null);
    assert.equal(plan.missing, 0);
    assert.deepEqual(plan.argv, ['python3', 'pipeline/ingest.py', '2']);
    const raw = plan.inputs.find((i) => i.artifact === 'data/raw/day-02.csv');
    assert.deepEqual([raw?.restore, raw?.version], ['store', sha(rawDeliveryCsv(2)).slice(7, 15)], 'the delivery as read, from the store');
    assert.equal(plan.inputs.find((i) => i.artifact === 'pipeline/ingest.py')?.kind, 'code');

    const started = await core.api.startReplay({ token: plan.token, digest: plan.digest });
    const result = await finished(core, started.execution);
    assert.equal(result.status, 'done', result.reason ?? '');
    assert.equal(result.verdict?.verdict, 'bit-for-bit');
    const out = result.verdict!.outputs.find((o) => o.artifact === 'data/staged/day-02.jsonl')!;
    assert.deepEqual([out.verdict, out.after], ['bit-for-bit', stagedThen.slice(7, 15)]);
    assert.match(result.log, /ingested \d+ rows from data\/raw\/day-02\.csv/);
    assert.equal(result.verdict!.environment.same, true);
    assert.deepEqual(treeHash(ws), before, 'the workspace is exactly as it was');

    // Recorded as a run linked to the original, with no versions of workspace artifacts.
    ingestOnce({ paths: core.paths, db: core.db });
    const row = core.db.prepare(`SELECT id, json_extract(facets, '$.retrace_replay.replayOf') AS of, json_extract(facets, '$.retrace_replay.verdict') AS verdict FROM runs WHERE run_uuid = ?`).get(result.newRun) as { id: number; of: string; verdict: string };
    assert.deepEqual([row.of, row.verdict], [runId, 'bit-for-bit']);
    assert.equal(core.db.prepare('SELECT count(*) FROM accesses WHERE run_id = ?').pluck().get(row.id), 0);
    assert.equal(core.db.prepare(`SELECT count(*) FROM artifact_versions v JOIN artifacts a ON a.id = v.artifact_id WHERE a.path = 'data/staged/day-02.jsonl'`).pluck().get(), 1);
  });

  test('refuses, naming the file, when the stored copy of an input was evicted; goes on only when told', async () => {
    const store = new ContentStore(core.paths.dotDir, { ...DEFAULT_STORE_CONFIG, budgetBytes: 0 });
    store.collectGarbage();
    store.dispose();
    const runsBefore = core.db.prepare('SELECT count(*) FROM runs').pluck().get();
    const plan = await core.api.prepareReplay({ run: runId });
    const raw = plan.inputs.find((i) => i.artifact === 'data/raw/day-02.csv')!;
    assert.equal(raw.problem?.code, 'EVICTED');
    assert.equal(raw.restore, 'current', 'the replay would read the corrected delivery instead');
    assert.match(raw.problem!.message, /^data\/raw\/day-02\.csv \([0-9a-f]{8}, the version the run read\) was evicted from the content store/);
    // Code files are evicted too, but the workspace still holds them unchanged.
    assert.equal(plan.inputs.find((i) => i.artifact === 'pipeline/ingest.py')?.restore, 'workspace');

    await assert.rejects(core.api.startReplay({ token: plan.token, digest: plan.digest }), (err: unknown) => {
      assert.ok(err instanceof AppError);
      assert.equal(err.code, 'CONFLICT');
      assert.match(err.message, /cannot be restored as the run read it: data\/raw\/day-02\.csv \(evicted\)/);
      return true;
    });
    ingestOnce({ paths: core.paths, db: core.db });
    assert.equal(core.db.prepare('SELECT count(*) FROM runs').pluck().get(), runsBefore, 'nothing ran');

    const started = await core.api.startReplay({ token: plan.token, digest: plan.digest, acceptMissing: true });
    const result = await finished(core, started.execution);
    assert.equal(result.status, 'done');
    assert.equal(result.verdict?.verdict, 'differs', 'the corrected delivery makes a different staged file');
    assert.deepEqual(result.verdict?.missingInputs, ['data/raw/day-02.csv']);
    assert.match(result.verdict!.summary, /^Does not reproduce: data\/staged\/day-02\.jsonl line \d+ · \w+ .* \(1 input could not be restored as read\)\.$/);
  });

  test('a plan is confirmed only with its own token and digest, once', async () => {
    const a = await core.api.prepareReplay({ run: runId });
    const b = await core.api.prepareReplay({ run: runId });
    assert.equal(a.digest, b.digest, 'the same plan');
    await assert.rejects(core.api.startReplay({ token: a.token, digest: 'sha256:other', acceptMissing: true }), /different replay/);
    await assert.rejects(core.api.startReplay({ token: a.token, digest: a.digest, acceptMissing: true }), /unknown or was already used/);
  });
});
