import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { ReplayExecutionDto } from '../shared/replay-dto';
import type { VersionDiffDto } from '../shared/version-diff-dto';
import { buildDemoWorkspace } from '../src-main/demo/build-demo';
import type { StoreReport } from '../src-main/replay/replayability';
import { retrace } from './cli.test-support';

/**
 * Issue 15 from the terminal, on the recorded demo history: `retrace diff` prints the same
 * summary the app shows; `retrace store` reports the store and what each run can replay;
 * `retrace gc` with a budget of nothing keeps only what a pinned run needs, so the pinned run
 * still replays bit-for-bit while an unpinned one whose input is gone is refused (naming the
 * file) and goes on only with --allow-missing.
 */
const hasPython = spawnSync('python3', ['--version']).status === 0;
let ws: string;
let runs: { ingestDay2: string; featuresDay3: string };

before(async () => {
  ws = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-replay-cli-')), 'demo');
  await buildDemoWorkspace(ws, { forceRecorded: true });
  const events = fs.readFileSync(path.join(ws, '.retrace/logs/runs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { eventType: string; eventTime: string; job: { name: string }; run: { runId: string } });
  const runOf = (job: string, day: string) => events.find((e) => e.eventType === 'COMPLETE' && e.job.name === job && e.eventTime.startsWith(day))!.run.runId;
  runs = { ingestDay2: runOf('ingest', '2026-01-06'), featuresDay3: runOf('features', '2026-01-07') };
});
after(() => fs.rmSync(path.dirname(ws), { recursive: true, force: true }));

test('retrace diff: the summary on top, each stage below; --json; a clear sentence for an unknown artifact', () => {
  const text = retrace(['diff', '-w', ws, 'Models/churn/3', 'Models/churn/5']);
  assert.equal(text.code, 0, text.stderr);
  const [head, summary] = text.stdout.split('\n');
  assert.equal(head, 'Models/churn/3 → Models/churn/5');
  assert.match(summary!, /^4 stages differ: features .*evaluate \(code: pipeline\/evaluate\.py \+1 −1\); every stage: fastmath added \(1\.4\.0\); only in Models\/churn\/5: redeliver$/);
  assert.match(text.stdout, /^\s+-metrics = /m, 'the unified diff of evaluate.py');
  const json = retrace(['diff', '-w', ws, 'Models/churn/3', 'Models/churn/5', '--json']);
  assert.equal((JSON.parse(json.stdout) as VersionDiffDto).summary, summary);
  const bad = retrace(['diff', '-w', ws, 'Models/churn/9', 'Models/churn/5']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^error: .*Models\/churn\/9.*\n$/);
});

test('retrace store reports the objects and every run replayable; gc keeps what a pinned run needs', { skip: !hasPython && 'python3 is not installed' }, () => {
  const report = JSON.parse(retrace(['store', '-w', ws, '--json']).stdout) as StoreReport;
  assert.ok(report.objects > 0 && report.bytes > 0);
  assert.ok(report.runs.length > 30 && report.runs.every((r) => r.replayable), 'the recorded demo keeps a copy of every file its runs hashed');

  assert.equal(retrace(['store', '-w', ws, 'pin', runs.ingestDay2.slice(0, 8)]).code, 0);
  fs.writeFileSync(path.join(ws, '.retrace/config.json'), JSON.stringify({ store: { budgetBytes: 0 } }));
  const gc = retrace(['gc', '-w', ws]);
  assert.equal(gc.code, 0, gc.stderr);
  assert.match(gc.stdout, /^Removed \d+ objects/);
  const after = JSON.parse(retrace(['store', '-w', ws, '--json']).stdout) as StoreReport;
  assert.deepEqual(after.pinnedRuns, [runs.ingestDay2]);
  assert.equal(after.runs.find((r) => r.run === runs.ingestDay2)?.replayable, true, 'the pinned run is still replayable');
  // Day 3's features run read a staged file since cleaned up, and ran a features.py changed since (day 6 dropped a feature).
  assert.deepEqual(after.runs.find((r) => r.run === runs.featuresDay3)?.missing, [{ artifact: 'data/staged/day-01.jsonl', code: 'EVICTED' }, { artifact: 'pipeline/features.py', code: 'EVICTED' }]);

  // The pinned run: its raw delivery was overwritten on day 6, yet it replays bit-for-bit.
  const pinned = retrace(['replay', '-w', ws, runs.ingestDay2, '--yes', '--json']);
  assert.equal(pinned.code, 0, pinned.stderr);
  const r = JSON.parse(pinned.stdout) as ReplayExecutionDto;
  assert.equal(r.verdict?.verdict, 'bit-for-bit');

  // The unpinned one read a staged file that was cleaned up and is now evicted too.
  const refused = retrace(['replay', '-w', ws, runs.featuresDay3, '--yes']);
  assert.equal(refused.code, 1);
  assert.match(refused.stdout, /✗ data\/staged\/day-01\.jsonl \([0-9a-f]{8}, the version the run read\) was evicted from the content store; the replay would run without it/);
  assert.match(refused.stderr, /^error: Not replayed: 2 inputs cannot be restored as the run read them: data\/staged\/day-01\.jsonl, pipeline\/features\.py\. Pass --allow-missing to replay without them\.$/m);
  const told = retrace(['replay', '-w', ws, runs.featuresDay3, '--yes', '--allow-missing', '--json']);
  const went = JSON.parse(told.stdout) as ReplayExecutionDto;
  assert.equal(went.status, 'done', told.stderr);
  assert.equal(went.verdict?.verdict, 'differs', 'without day 1 the features come out different');
  assert.deepEqual(went.verdict?.missingInputs, ['data/staged/day-01.jsonl', 'pipeline/features.py']);
  assert.equal(told.code, 1, 'it ran, and did not reproduce');
});
