import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildDemoWorkspace } from '../../src-main/demo/build-demo';
import { REPO_ROOT, retrace, startRetraceServer } from '../cli.test-support';
import { launchChromium } from './browser.test-support';

/**
 * The inspector's Columns section on the demo (issue 19): a training set's columns, a column's
 * inputs and reach as the CLI gives them, the feature table's rename in its history and in the
 * Schema tab's diff. Uses the recorded demo history; screenshots go to test-results/.
 */
const shots = path.join(REPO_ROOT, 'test-results');
let ws: string;
let browser: Browser;
let srv: Awaited<ReturnType<typeof startRetraceServer>>;

before(async () => {
  fs.mkdirSync(shots, { recursive: true });
  ws = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-e2e-columns-')), 'demo');
  await buildDemoWorkspace(ws, { forceRecorded: true });
  browser = await launchChromium();
  srv = await startRetraceServer(['serve', ws, '--port', '0', '--no-open']);
});
after(async () => {
  await srv?.stop();
  await browser?.close();
  fs.rmSync(path.dirname(ws), { recursive: true, force: true });
});

async function open(page: Page, search: string, kind: string): Promise<void> {
  await page.goto(srv.url);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=lineage-graph]')?.getAttribute('data-drawn-nodes') ?? 0) > 20, null, { timeout: 20_000 });
  await page.getByTestId('search').fill(search);
  await page.locator('.search-results button:not([disabled])', { hasText: kind }).first().click();
  await page.getByTestId('columns-section').waitFor();
}

test('a training set\'s columns: click spend_total, see its input, its reach as the CLI counts it, and what depends on it', async () => {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 }, colorScheme: 'dark' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await open(page, 'churn_td_4', 'Training set');
  await page.getByTestId('column-row-spend_total').click();
  const inspector = page.getByTestId('column-inspector');
  await inspector.getByTestId('column-inputs').waitFor();
  assert.match(await inspector.getByTestId('column-inputs').innerText(), /Churn_featurestore\.db\/customer_features_1\.spend_total\s+identity/);
  // The reach the inspector states is the CLI's walk, both ways.
  const cli = (dir: string) => JSON.parse(retrace(['columns', 'Churn_Training_Datasets/churn_td_4', 'spend_total', `--${dir}`, '--json', '-w', ws]).stdout) as { columns: { depth: number }[] };
  const up = cli('upstream');
  const down = cli('downstream');
  await page.waitForFunction(() => /Comes from/.test(document.querySelector('[data-testid=column-reach]')?.textContent ?? ''));
  const reach = await inspector.getByTestId('column-reach').innerText();
  assert.match(reach, new RegExp(`Comes from ${up.columns.length} columns \\(up to ${Math.max(...up.columns.map((c) => c.depth))} steps back\\)`));
  assert.match(reach, new RegExp(`feeds ${down.columns.length}`));
  assert.match(await inspector.getByTestId('column-impact').innerText(), /Models\/churn\/5/, 'the model trained on it');
  await page.screenshot({ path: path.join(shots, 'columns-training-set.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the feature table: support_tickets was tickets_total before day 3, and the Schema tab diffs against day 2', async () => {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 }, colorScheme: 'dark' });
  await open(page, 'customer_features_1', 'Feature table');
  await page.getByTestId('columns-search').fill('tickets');
  await page.getByTestId('column-row-support_tickets').click();
  const history = page.getByTestId('column-history');
  await history.waitFor();
  assert.match(await history.innerText(), /appeared as tickets_total · snapshot \d+.*\n.*renamed from tickets_total to support_tickets · snapshot \d+/);
  await page.getByTestId('columns-tab-schema').click();
  const day2 = JSON.parse(retrace(['snapshots', '--json', '-w', ws]).stdout).find((s: { label: string }) => s.label.startsWith('churn-daily #2')).seq as number;
  await page.getByTestId('schema-against').selectOption(String(day2));
  await page.waitForFunction(() => /renamed from tickets_total/.test(document.querySelector('[data-testid=schema-table]')?.textContent ?? ''));
  assert.match(await page.getByTestId('schema-table').innerText(), /days_active\s+long\s+dropped/);
  await page.screenshot({ path: path.join(shots, 'columns-schema-diff.png') });
  await page.close();
});
