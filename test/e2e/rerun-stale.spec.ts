import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { SHOTS, useDemoApp } from './demo-app.test-support';

/**
 * Issue 14's acceptance in the browser: on the demo workspace one raw delivery is corrected by
 * hand; "Re-run stale…" shows the plan (the affected stages in order, with what each will
 * overwrite and the environment it runs in); confirming runs them with live status and output
 * per stage, a verdict per output and a summary line, and the graph picks up the new runs live.
 */
const app = useDemoApp('rerun', (ws) => {
  // A corrected day-6 delivery: what it feeds is stale, and the plan re-runs it.
  const raw = path.join(ws, 'data/raw/day-06.csv');
  const lines = fs.readFileSync(raw, 'utf8').split('\n');
  lines[1] = lines[1]!.replace(/^(C\d+,6,)\d+,[\d.]+/, '$13,42.50');
  fs.writeFileSync(raw, lines.join('\n'));
});
const shots = SHOTS;
const STAGES = ['ingest', 'ingest', 'features', 'training_set', 'train', 'evaluate', 'promote'];


test('re-run stale: the plan in order, confirmed, live output per stage, a verdict per output and the summary', async () => {
  const page = await app.browser.newPage({ viewport: { width: 1500, height: 1000 }, colorScheme: 'dark' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.srv.url);
  await page.waitForFunction(() => /39\s*runs/.test(document.querySelector('[data-testid=counts]')?.textContent ?? ''), null, { timeout: 20_000 });

  await page.getByTestId('rerun-stale').click();
  const dialog = page.getByTestId('rerun-plan-dialog');
  await page.waitForFunction(() => document.querySelector('[data-testid=rerun-plan-dialog]')?.getAttribute('data-phase') === 'preflight', null, { timeout: 20_000 });
  const rows = dialog.getByTestId('rerun-stage');
  assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-stage'))), STAGES);
  assert.match(await rows.nth(1).innerText(), /data\/raw\/day-06\.csv changed since the run read it/);
  assert.match(await rows.nth(4).getByTestId('rerun-overwrites').innerText(), /Models\/churn\/5\/model\.json/);
  assert.match(await rows.nth(4).getByTestId('rerun-environment').innerText(), /python 3\.\d+/);
  assert.deepEqual(await rows.nth(1).getByTestId('rerun-argv').locator('code').allInnerTexts(), ['python3', 'pipeline/ingest.py', '5', '6']);
  await page.screenshot({ path: path.join(shots, 'rerun-stale-plan.png') });

  await dialog.getByTestId('rerun-confirm').click();
  // Live: a stage is running while later ones still wait, with its output already shown.
  await page.waitForFunction(() => document.querySelector('[data-stage=features]')?.getAttribute('data-status') === 'running', null, { timeout: 60_000 });
  assert.equal(await rows.nth(6).getAttribute('data-status'), 'queued');
  assert.match(await rows.nth(1).getByTestId('rerun-log').innerText(), /ingested \d+ rows from data\/raw\/day-06\.csv/);
  await page.screenshot({ path: path.join(shots, 'rerun-stale-running.png') });

  await dialog.getByTestId('rerun-summary').waitFor({ timeout: 120_000 });
  assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))), Array(7).fill('done'));
  for (let i = 0; i < STAGES.length; i++) {
    assert.ok((await rows.nth(i).getByTestId('rerun-log').innerText()).trim().length > 0, `${STAGES[i]} showed its output`);
    assert.ok((await rows.nth(i).getByTestId('rerun-verdicts').locator('li').count()) > 0, `${STAGES[i]} has a verdict per output`);
  }
  assert.match(await rows.nth(1).getByTestId('rerun-verdicts').innerText(), /data\/staged\/day-06\.jsonl line 1 · orders 0 → 3/);
  assert.match(await rows.nth(4).getByTestId('rerun-verdicts').innerText(), /Models\/churn\/5\/model\.json reproduced bit-for-bit/);
  assert.match(await dialog.getByTestId('rerun-summary').innerText(), /^7 stages, \d+ bit-for-bit, \d+ differ: data\/staged\/day-02\.jsonl /);
  await page.screenshot({ path: path.join(shots, 'rerun-stale-verdict.png') });

  // The new runs arrive in the graph live.
  await page.waitForFunction(() => /46\s*runs/.test(document.querySelector('[data-testid=counts]')?.textContent ?? ''), null, { timeout: 20_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByTestId('rerun-stale').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=rerun-plan-dialog]')?.getAttribute('data-phase') === 'preflight', null, { timeout: 20_000 });
  assert.match(await dialog.innerText(), /Nothing to re-run\./, 'nothing is stale any more');
  assert.deepEqual(errors, []);
  await page.close();
});
