import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { captureRun } from '../capture/capture-run';
import { openDb } from '../db/open-db';
import { ingestOnce } from '../provenance/ingest';
import { workspacePaths } from '../workspace/workspace-paths';
import { executeRerun, planRerun, RerunConfirmations, shellQuote } from './rerun';

test('a re-run executes exactly the recorded argv in the recorded folder, and is itself captured', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-rerun-'));
  try {
    fs.mkdirSync(path.join(ws, 'stage'));
    // An argument with a space, a quote and a `;`: a shell would split or run it; we must not.
    const tricky = "it's; touch pwned";
    const first = await captureRun({ argv: ['sh', '-c', 'printf "%s" "$1" >> out.txt', 'sh', tricky], workspaceRoot: ws, cwd: path.join(ws, 'stage'), stage: 'echo', warn: () => {}, stdio: 'quiet' });
    assert.equal(first.exitCode, 0);
    const db = openDb(workspacePaths(ws).dbFile);
    ingestOnce({ paths: workspacePaths(ws), db });
    const id = (db.prepare('SELECT id FROM runs WHERE run_uuid = ?').get(first.runId) as { id: number }).id;
    const plan = planRerun(db, id, ws);
    assert.deepEqual(plan.argv, ['sh', '-c', 'printf "%s" "$1" >> out.txt', 'sh', tricky]);
    assert.equal(plan.cwd, path.join(ws, 'stage'));
    assert.equal(plan.stage, 'echo');
    assert.match(plan.display, /'it'\\''s; touch pwned'$/);

    const again = await executeRerun(plan, ws, { quiet: true });
    assert.equal(again.exitCode, 0);
    assert.notEqual(again.runId, first.runId);
    assert.equal(fs.readFileSync(path.join(ws, 'stage/out.txt'), 'utf8'), tricky + tricky);
    assert.ok(!fs.existsSync(path.join(ws, 'stage/pwned')), 'nothing ran through a shell');
    ingestOnce({ paths: workspacePaths(ws), db });
    const runs = db.prepare("SELECT count(*) AS n FROM runs r JOIN jobs j ON j.id = r.job_id WHERE j.name = 'echo'").get() as { n: number };
    assert.equal(runs.n, 2, 'the re-run is recorded under the same stage');
    db.close();
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('confirmations are single-use and expire', () => {
  let now = 1000;
  const c = new RerunConfirmations(60_000, () => now);
  const plan = { run: 'r', stage: null, pipeline: null, argv: ['true'], cwd: '/w', display: 'true' };
  const t1 = c.prepare(plan).token;
  assert.deepEqual(c.take(t1), plan);
  assert.throws(() => c.take(t1), /already used/);
  const t2 = c.prepare(plan).token;
  now += 60_001;
  assert.throws(() => c.take(t2), /expired/);
  assert.throws(() => c.take('forged'), /unknown/);
});

test('display quoting', () => {
  assert.equal(shellQuote('train.py'), 'train.py');
  assert.equal(shellQuote('--lr=0.1'), '--lr=0.1');
  assert.equal(shellQuote('a b'), "'a b'");
  assert.equal(shellQuote(''), "''");
});
