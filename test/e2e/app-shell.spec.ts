import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createCore, type Core } from '../../src-main/api/create-core';
import { rendererDir } from '../../src-main/cli/commands/serve';
import { startServer, type RunningServer } from '../../src-main/server/http-server';
import { REPO_ROOT, startRetraceServer } from '../cli.test-support';
import { ingestExplore } from '../explore-workspace.test-support';
import { launchChromium } from './browser.test-support';

/** The automation handle's drawn graph (window.__retrace), as far as these specs read it. */
interface DrawnHandle { __retrace: { graph(): { elements: { id: string; visible: boolean }[] } | null } }

/**
 * The served app in a real Chromium: `retrace serve` as a user runs it (empty workspace), and the
 * same UI over the explore workspace ingested from its log lines (time travel, themes).
 * Screenshots go to test-results/.
 */
const shots = path.join(REPO_ROOT, 'test-results');

/** Waits until Cytoscape holds `n` nodes (the graph view mirrors its counts on the container). */
function drawnNodes(page: Page, n: number): Promise<unknown> {
  return page.waitForFunction((want) => document.querySelector('[data-testid=lineage-graph]')?.getAttribute('data-drawn-nodes') === String(want), n);
}
let browser: Browser;

before(async () => {
  fs.mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
});
after(async () => browser?.close());

describe('retrace serve on an empty workspace', () => {
  let ws: string;
  let srv: Awaited<ReturnType<typeof startRetraceServer>>;
  before(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-e2e-'));
    srv = await startRetraceServer(['serve', ws, '--port', '0', '--no-open']);
  });
  after(async () => {
    await srv?.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  test('the printed URL opens the app, which explains the empty workspace', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(srv.url);
    assert.ok(!page.url().includes('token='), 'the token is dropped from the address bar');
    await page.getByTestId('empty-state').waitFor();
    assert.match(await page.getByTestId('empty-state').innerText(), /No provenance yet/);
    // The status (which names the workspace) is asked after the graph and may come a moment later.
    await page.waitForFunction((name) => document.querySelector('.workspace')?.textContent?.includes(name) ?? false, path.basename(ws), { timeout: 10_000 });
    // Cytoscape mounts its canvases once the (empty) graph arrives, which may trail the status under load.
    await page.locator('[data-testid=lineage-graph] canvas').first().waitFor({ state: 'attached', timeout: 10_000 });
    await page.screenshot({ path: path.join(shots, 'empty-workspace.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('an event appended to a tailed log appears without a reload; a bad line is listed', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(srv.url);
    await page.getByTestId('empty-state').waitFor();
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    const event = {
      eventType: 'COMPLETE',
      eventTime: new Date().toISOString(),
      producer: 'https://example.com/e2e',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent',
      run: { runId: '0190b1f2-0000-7000-8000-00000000e2e1' },
      job: { namespace: 'e2e', name: 'train' },
      inputs: [{ namespace: 'file', name: path.join(ws, 'data/train.csv') }],
      outputs: [{ namespace: 'file', name: path.join(ws, 'models/model.pkl') }],
    };
    fs.appendFileSync(path.join(ws, '.retrace/logs/e2e.jsonl'), JSON.stringify(event) + '\n{"truncated": \n');
    await page.waitForFunction(() => /\b1\s*run(?!s)/.test(document.querySelector('[data-testid=counts]')?.textContent ?? ''), null, { timeout: 10_000 });
    assert.deepEqual(navigations, [], 'no reload');
    // The first nodes of an empty workspace are fitted into view, not left where the empty view was.
    // null until the first graph is drawn
    const nodes = () => (window as unknown as DrawnHandle).__retrace.graph()?.elements ?? [];
    // Predicates as functions, not strings: the page's CSP forbids eval, which string predicates need
    // once Playwright polls them in the page.
    await page.waitForFunction(() => ((window as unknown as DrawnHandle).__retrace.graph()?.elements ?? []).length > 0, null, { timeout: 10_000 });
    // A fit may animate: give it a moment to settle before the verdict.
    await page.waitForFunction(() => ((window as unknown as DrawnHandle).__retrace.graph()?.elements ?? []).every((e) => e.visible), null, { timeout: 5_000 })
      .catch(() => undefined);
    assert.deepEqual((await page.evaluate(nodes)).filter((e) => !e.visible).map((e) => e.id), [], 'every node is on screen');
    await page.getByRole('button', { name: /1 rejected line/ }).click();
    const panel = page.getByTestId('rejected-panel');
    await panel.getByText('e2e.jsonl:2').waitFor();
    await page.screenshot({ path: path.join(shots, 'rejected-lines.png') });
    await page.close();
  });

  test('without the token the page and the API are refused', async () => {
    const origin = new URL(srv.url).origin;
    const page = await browser.newPage();
    const res = await page.goto(origin + '/');
    assert.equal(res?.status(), 401);
    const api = await page.evaluate(async () => (await fetch('/api/ping', { method: 'POST', headers: { 'x-retrace-request': '1' } })).status);
    assert.equal(api, 401);
    await page.close();
  });
});

describe('the app over the explore workspace', () => {
  let dir: string;
  let core: Core;
  let server: RunningServer;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-e2e-fx-'));
    core = createCore({ workspaceRoot: dir });
    ingestExplore(core.paths, core.db);
    const ui = rendererDir();
    assert.ok(ui, 'the renderer is built (npm test builds it first)');
    server = await startServer({ api: core.api, events: core.events, staticDir: ui });
  });
  after(async () => {
    await server?.close();
    core?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('draws the graph, travels back in time, switches theme', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 }, colorScheme: 'dark' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    const graph = page.getByTestId('lineage-graph');
    // Now: 4 stages, 4 live artifacts (R6 deleted the readme) and the 3 environments of the
    // stages' latest runs; code is hidden at start. 7 reads/writes edges + 4 environment edges.
    await drawnNodes(page, 11);
    assert.equal(await graph.getAttribute('data-drawn-edges'), '11');
    assert.match(await page.getByTestId('counts').innerText(), /7\s*runs\s*5\s*artifacts/);
    assert.match(await page.getByTestId('details-panel').innerText(), /Model\s*1/);
    assert.match(await page.getByTestId('details-panel').innerText(), /Stale\s*1/, 'the model: its input moved on');
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, 'app-shell-dark.png') });

    // Time travel: the slider's first position is snapshot 1 (R1 ended): the ingest stage, the
    // raw file and the readme it wrote, and its environment.
    const slider = page.locator('#as-of');
    await slider.focus();
    await page.keyboard.press('Home');
    await drawnNodes(page, 4);
    assert.equal(await graph.getAttribute('data-drawn-edges'), '3');
    assert.match(await page.getByTestId('time-slider').innerText(), /#1\b.*ingest #1/s);
    await page.getByRole('button', { name: 'Live' }).click();
    await drawnNodes(page, 11);

    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, 'app-shell-light.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a live event updates the open app without a reload', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await drawnNodes(page, 11);
    await page.waitForTimeout(200); // the event socket connects after the first load
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    core.events.emit('onGraphChanged', { newRuns: 1, newArtifacts: 0, newVersions: 0, at: new Date().toISOString() });
    await page.waitForFunction(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/api/getGraph')).length >= 2);
    assert.deepEqual(navigations, [], 'no reload');
    await page.close();
  });
});
