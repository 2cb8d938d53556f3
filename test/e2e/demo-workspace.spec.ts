import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { SHOTS, useDemoApp } from './demo-app.test-support';
import type { Page } from 'playwright-core';

/**
 * The demo workspace as a user meets it (`npm start`): every node kind in the graph, a stage's
 * reproducibility verdict and footprint, its impact drawn on the graph, time travel, and a
 * re-run confirmed in the dialog that executes the recorded command and shows up live.
 * Uses the recorded demo history, so the spec does not depend on the live pipeline build.
 */
const app = useDemoApp('demo');
const shots = SHOTS;

const drawn = (page: Page) => page.evaluate(() => Number(document.querySelector('[data-testid=lineage-graph]')?.getAttribute('data-drawn-nodes') ?? 0));


test('the demo graph shows every kind of node, and the legend toggles them', async () => {
  const page = await app.browser.newPage({ viewport: { width: 1500, height: 900 }, colorScheme: 'dark' });
  await page.goto(app.srv.url);
  await page.waitForFunction(() => /39\s*runs/.test(document.querySelector('[data-testid=counts]')?.textContent ?? ''), null, { timeout: 20_000 });
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=lineage-graph]')?.getAttribute('data-drawn-nodes') ?? 0) > 20);
  const withoutCode = await drawn(page);
  await page.getByTestId('legend-code').click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=lineage-graph]')?.getAttribute('data-drawn-nodes') ?? 0) > n, withoutCode);
  const legend = await page.getByTestId('details-panel').innerText();
  for (const kind of ['Dataset', 'Feature table', 'Training set', 'Model', 'Experiment', 'Code', 'Environment', 'Stage']) {
    const m = new RegExp(`${kind}\\s+(\\d+)`).exec(legend);
    assert.ok(m && Number(m[1]) > 0, `the demo graph has ${kind} nodes`);
  }
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(shots, 'demo-graph.png') });
  await page.close();
});

test('a stage shows its verdict and footprint, its impact lights up downstream, and a confirmed re-run lands live', async () => {
  const page = await app.browser.newPage({ viewport: { width: 1500, height: 900 }, colorScheme: 'dark' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.srv.url);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=lineage-graph]')?.getAttribute('data-drawn-nodes') ?? 0) > 20);
  await page.getByTestId('search').fill('train');
  await page.locator('.search-results button:not([disabled])', { hasText: 'Stage' }).first().click();
  const repro = page.getByTestId('repro');
  await repro.waitFor();
  assert.match(await repro.innerText(), /Code/);
  // The newest train run read its training set and two code files (files and artifacts alike).
  assert.equal(await page.getByTestId('fp-files-INPUT').innerText(), '3');
  assert.equal(await page.getByTestId('fp-artifacts-INPUT').innerText(), '3');

  // The first train run predates a code change and a new package: both warnings show.
  const runs = page.getByTestId('runs').locator('.run-row');
  await runs.last().click();
  await page.waitForFunction(() => /code changed/i.test(document.querySelector('[data-testid=repro]')?.textContent ?? ''));
  assert.match(await repro.innerText(), /environment changed[\s\S]*fastmath added \(1\.4\.0\)/i);

  await page.getByTestId('impact-toggle').click();
  await page.getByTestId('impact-summary').waitFor();
  assert.match(await page.getByTestId('impact-summary').innerText(), /Downstream: \d+ runs? touching \d+ artifacts?/);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=lineage-graph]')?.getAttribute('data-overlay') ?? 0) > 0);
  await page.screenshot({ path: path.join(shots, 'demo-impact.png') });

  // Re-run the newest train run: the dialog shows the exact argv; confirming runs it.
  await runs.first().click();
  await page.waitForFunction(() => document.querySelector('[data-testid=runs] .run-row')?.classList.contains('current'));
  await page.getByTestId('rerun-button').click();
  const dialog = page.getByTestId('rerun-plan-dialog');
  await page.waitForFunction(() => document.querySelector('[data-testid=rerun-plan-dialog]')?.getAttribute('data-phase') === 'preflight');
  assert.equal(await dialog.getByTestId('rerun-cwd').innerText(), app.ws);
  const argv = await dialog.getByTestId('rerun-argv').locator('code').allInnerTexts();
  assert.equal(argv[1], 'pipeline/train.py');
  await page.screenshot({ path: path.join(shots, 'demo-rerun-dialog.png') });
  await dialog.getByRole('button', { name: 'Run exactly this' }).click();
  await dialog.getByTestId('rerun-summary').waitFor({ timeout: 60_000 });
  assert.equal(await dialog.getByTestId('rerun-summary').innerText(), '1 stage, 1 bit-for-bit', 'the newest train run reproduces its model exactly');
  await page.waitForFunction(() => /40\s*runs/.test(document.querySelector('[data-testid=counts]')?.textContent ?? ''), null, { timeout: 15_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a feature table shows its commits, rows at a version and what that commit changed', async () => {
  const page = await app.browser.newPage({ viewport: { width: 1500, height: 900 }, colorScheme: 'dark' });
  await page.goto(app.srv.url);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=lineage-graph]')?.getAttribute('data-drawn-nodes') ?? 0) > 20);
  await page.getByTestId('search').fill('customer_features_1');
  await page.locator('.search-results button:not([disabled])', { hasText: 'Feature table' }).first().click();
  const history = page.getByTestId('table-history');
  await history.waitFor();
  assert.match(await history.innerText(), /MERGE/);
  assert.match(await history.innerText(), /CREATE TABLE/);
  assert.match(await page.getByTestId('table-title').innerText(), /^Delta table · version \d+ · [\d,]+ rows · \d+ commits$/);
  // What version 1 changed: an upsert adds and updates rows, deletes none.
  await page.getByTestId('commit-diff-1').click();
  await page.getByTestId('diff-counts').waitFor();
  assert.match(await page.getByTestId('diff-counts').innerText(), /^\+\d+ added · −0 removed · ~\d+ changed/);
  await page.getByTestId('table-tab-rows').click();
  await page.getByTestId('rows-version').selectOption('1');
  await page.getByTestId('row-grid').locator('tbody tr td').nth(1).waitFor();
  assert.match(await page.getByTestId('row-grid').innerText(), /customer_id/);
  await page.screenshot({ path: path.join(shots, 'demo-feature-table.png') });
  await page.close();
});

test('runs as nodes, and a travelled-to snapshot marks what it brought', async () => {
  const page = await app.browser.newPage({ viewport: { width: 1500, height: 900 } });
  await page.goto(app.srv.url);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=lineage-graph]')?.getAttribute('data-drawn-nodes') ?? 0) > 20);
  await page.getByRole('button', { name: 'Runs' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=details-panel]')?.textContent?.match(/Run\s*(\d+)/)?.[1] !== '0');
  await page.getByRole('button', { name: 'Stages' }).click();
  await page.locator('#as-of').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.getByTestId('snapshot-diff').waitFor();
  assert.match(await page.getByTestId('snapshot-diff').innerText(), /^\+\d+ new · \d+ changed$/);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=lineage-graph]')?.getAttribute('data-marked') ?? 0) > 0);
  await page.close();
});

test('time travel: the first snapshot shows only the first stage', async () => {
  const page = await app.browser.newPage({ viewport: { width: 1500, height: 900 } });
  await page.goto(app.srv.url);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=lineage-graph]')?.getAttribute('data-drawn-nodes') ?? 0) > 20);
  const now = await drawn(page);
  await page.locator('#as-of').focus();
  await page.keyboard.press('Home');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=lineage-graph]')?.getAttribute('data-drawn-nodes') ?? 0) < n, now);
  assert.match(await page.getByTestId('time-slider').innerText(), /#1 · .* · ingest #1/);
  assert.ok((await drawn(page)) <= 6, 'one stage with its inputs and outputs');
  await page.screenshot({ path: path.join(shots, 'demo-first-snapshot.png') });
  await page.close();
});
