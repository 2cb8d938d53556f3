import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { spawn } from 'node:child_process';
import type { RerunExecutionDto, RerunPlanDto } from '../shared/rerun-dto';
import { buildDemoWorkspace } from '../src-main/demo/build-demo';
import { CANCEL_REASON } from '../src-main/repro/rerun-executor';
import { fixtureWorkspace, sh } from '../src-main/repro/rerun-fixture.test-support';
import { RETRACE_BIN, retrace } from './cli.test-support';
import { waitGone } from './processes.test-support';

/**
 * The acceptance of issue 14 from the terminal: on the demo workspace, one raw delivery is
 * corrected by hand; `retrace rerun --stale --dry-run` plans exactly the affected stages in
 * order (plus the day-2 ingest, stale since its raw file was re-delivered on day 6, as the demo
 * tells); `--yes` runs them with a progress line per stage and a verdict per output; afterwards
 * nothing is stale. Uses the recorded demo history, as the browser specs do.
 */
let ws: string;
before(async () => {
  ws = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-rerun-cli-')), 'demo');
  await buildDemoWorkspace(ws, { forceRecorded: true });
  const raw = path.join(ws, 'data/raw/day-06.csv');
  const lines = fs.readFileSync(raw, 'utf8').split('\n');
  lines[1] = lines[1]!.replace(/^(C\d+,6,)\d+,[\d.]+/, '$13,42.50');
  fs.writeFileSync(raw, lines.join('\n'));
});
after(() => fs.rmSync(path.dirname(ws), { recursive: true, force: true }));

test('usage: --stale takes artifacts, not a run; a run plan takes exactly one RUN; no confirmation without a terminal', () => {
  const both = retrace(['rerun', '-w', ws, '--stale', '--downstream']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /^error: Give either --stale or --downstream/m);
  const none = retrace(['rerun', '-w', ws]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^error: Give the RUN to re-run, or --stale\.$/m);
  const jobs = retrace(['rerun', '-w', ws, '--stale', '--jobs', '0']);
  assert.equal(jobs.code, 2);
  const ask = retrace(['rerun', '-w', ws, '--stale']);
  assert.equal(ask.code, 2, ask.stderr);
  assert.match(ask.stderr, /needs a confirmation: answer the prompt in a terminal, or pass --yes/);
});

test('--stale --dry-run plans the affected stages in order, then --yes runs them with a verdict per output', () => {
  const dry = retrace(['rerun', '-w', ws, '--stale', '--dry-run', '--json']);
  assert.equal(dry.code, 0, dry.stderr);
  const plan = JSON.parse(dry.stdout) as RerunPlanDto;
  assert.deepEqual(plan.stages.map((s) => s.stage), ['ingest', 'ingest', 'features', 'training_set', 'train', 'evaluate', 'promote']);
  assert.match(plan.stages[0]!.reasons[0]!, /^data\/raw\/day-02\.csv changed since the run read it/);
  assert.match(plan.stages[1]!.reasons[0]!, /^data\/raw\/day-06\.csv changed since the run read it/);
  assert.deepEqual(plan.stages[1]!.argv, ['python3', 'pipeline/ingest.py', '5', '6']);
  assert.ok(plan.stages.every((s) => s.blocked === null && s.cwd === fs.realpathSync(ws)));
  assert.ok(plan.stages.find((s) => s.stage === 'train')!.overwrites.some((o) => o.artifact === 'Models/churn/5/model.json'));
  // The human form of the same plan.
  const text = retrace(['rerun', '-w', ws, '--stale', '--dry-run']);
  assert.match(text.stdout, /^Re-run plan for everything stale: 7 stages, in this order\.$/m);
  assert.match(text.stdout, /^ 3\. {3}features {2}\(after 1, 2\)/m);

  const run = retrace(['rerun', '-w', ws, '--stale', '--yes', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as RerunExecutionDto;
  assert.deepEqual(result.stages.map((s) => s.status), Array(7).fill('done'));
  assert.match(run.stderr, /^\[1\/7\] ingest {2}running$/m);
  assert.match(run.stderr, /^ {2}ingest │ ingested \d+ rows from data\/raw\/day-06\.csv$/m, 'the stage output streams, tagged with the stage');
  const staged = result.stages[1]!.outputs.find((o) => o.artifact === 'data/staged/day-06.jsonl');
  assert.equal(staged?.verdict, 'differs');
  assert.deepEqual(staged!.changes.slice(0, 2).map((c) => [c.key, c.before, c.after]), [['line 1 · orders', '0', '3'], ['line 1 · spend', '0', '42.5']]);
  assert.ok(result.stages.find((s) => s.id === plan.stages[4]!.id)!.outputs.every((o) => o.verdict === 'bit-for-bit'), 'train reads the pinned feature version: same model');
  // features upserts every customer's totals again: the same customers (nothing inserted or
  // deleted), some totals changed by the corrected deliveries.
  const table = result.stages[2]!.outputs.find((o) => o.artifact === 'Churn_featurestore.db/customer_features_1');
  assert.equal(table?.verdict, 'differs');
  assert.deepEqual([table!.kind, table!.rows?.inserted, table!.rows?.deleted, (table!.rows?.updated ?? 0) > 0], ['table', 0, 0, true]);
  assert.match(result.summary!, /^7 stages, \d+ bit-for-bit, \d+ differ: /);
  assert.match(run.stderr, new RegExp(`^${result.summary!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));

  const again = retrace(['rerun', '-w', ws, '--stale', '--dry-run']);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /^Nothing to re-run\.$/m, 'the re-run brought everything up to date');
});

test('Ctrl-C cancels: the running stage stops with everything it started, its run is recorded as FAIL, exit 130', async () => {
  const fx = await fixtureWorkspace({ delay: '0' }, [sh('slow', 'echo "pids $$"; sleep "$(cat delay)" & echo "bg $!"; wait')]);
  try {
    fx.write('delay', '30');
    const child = spawn(process.execPath, [RETRACE_BIN, 'rerun', '-w', fx.root, fx.runs.slow!, '--yes'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RETRACE_NO_BROWSER: '1' } });
    let out = '';
    let err = '';
    const pids: number[] = [];
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error(`no pids printed in 30 s; stderr: ${err}`)), 30_000); // hang guard
      child.stdout.on('data', (d) => {
        out += d;
        for (const m of out.matchAll(/^(?:pids|bg) (\d+)$/gm)) if (!pids.includes(Number(m[1]))) pids.push(Number(m[1]));
        if (pids.length === 2) {
          clearTimeout(guard);
          resolve();
        }
      });
    });
    child.kill('SIGINT');
    assert.equal(await exited, 130, err);
    assert.match(err, /Cancelling: stopping the running stage/);
    assert.match(out, /^\[1\/1\] slow {2}FAILED in [\d.]+ s: Cancelled by the user before it finished\./m);
    assert.deepEqual(await waitGone(pids), [], 'no orphan left');
    fx.ingest();
    const row = fx.core.db.prepare("SELECT state, error_message AS error FROM runs WHERE json_extract(facets, '$.retrace_rerun.rerunOf') = ?").get(fx.runs.slow) as { state: string; error: string };
    assert.deepEqual(row, { state: 'FAIL', error: CANCEL_REASON });
  } finally {
    fx.dispose();
  }
});
