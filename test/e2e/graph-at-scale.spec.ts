import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { writeUiWorkspace } from '../../src-main/bench/ui-workspace';
import { buildDemoWorkspace } from '../../src-main/demo/build-demo';
import { REPO_ROOT, retrace, startRetraceServer } from '../cli.test-support';
import { launchChromium } from './browser.test-support';

/**
 * The graph at scale (issue 12), read through the app's automation handle
 * (`window.__retrace`): positions stay put through time travel, reloads and opening groups;
 * a big workspace opens grouped; labels are readable on the demo; the keyboard alone gets
 * around; a copied URL restores the view.
 */
interface Drawn {
  zoom: number;
  labelFontPx: number;
  elements: { id: string; kind: string; x: number; y: number; visible: boolean; classes: string[] }[];
}
declare const window: { __retrace: { graph(): Drawn; idle(): Promise<void>; state(): Record<string, unknown> } };

const shots = path.join(REPO_ROOT, 'test-results');
const VIEWPORT = { width: 1440, height: 900 };
let browser: Browser;
let tmp: string;

before(async () => {
  fs.mkdirSync(shots, { recursive: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-e2e-scale-'));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const idle = (page: Page) => page.evaluate(() => window.__retrace.idle());
const drawn = (page: Page) => page.evaluate(() => window.__retrace.graph());
const state = (page: Page) => page.evaluate(() => window.__retrace.state());
async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => (window.__retrace?.state().lastDrawAt as number) > 0, null, { timeout: 60_000 });
  await idle(page);
}

/** Nodes drawn in both, whose rendered position moved by more than 1 px. */
function moved(a: Drawn, b: Drawn): string[] {
  const before = new Map(a.elements.map((e) => [e.id, e]));
  return b.elements.filter((e) => {
    const p = before.get(e.id);
    return p && (Math.abs(p.x - e.x) > 1 || Math.abs(p.y - e.y) > 1);
  }).map((e) => `${e.id} (${before.get(e.id)!.x},${before.get(e.id)!.y} → ${e.x},${e.y})`);
}

async function stepSlider(page: Page, key: 'ArrowLeft' | 'ArrowRight', times: number): Promise<void> {
  await page.locator('#as-of').focus();
  for (let i = 0; i < times; i++) {
    const before = (await state(page)).lastDrawAt as number;
    await page.keyboard.press(key);
    await page.waitForFunction((b) => (window.__retrace.state().lastDrawAt as number) > b, before);
  }
  await idle(page);
}

describe('the demo', () => {
  let srv: Awaited<ReturnType<typeof startRetraceServer>>;
  before(async () => {
    const ws = path.join(tmp, 'demo');
    await buildDemoWorkspace(ws, { forceRecorded: true });
    srv = await startRetraceServer(['serve', ws, '--port', '0', '--no-open']);
  });
  after(async () => srv?.stop());

  test('labels are at least 11 px at the default zoom, and the whole graph is in view', async () => {
    const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'dark' });
    await open(page, srv.url);
    const g = await drawn(page);
    assert.ok(g.labelFontPx * g.zoom >= 11, `labels are ${(g.labelFontPx * g.zoom).toFixed(1)} px`);
    const off = g.elements.filter((e) => !e.visible).map((e) => e.id);
    assert.deepEqual(off, [], 'every node is on screen');
    await page.screenshot({ path: path.join(shots, 'graph-demo.png') });
    await page.close();
  });

  test('stepping the slider back and forth, and reloading, moves no node that stays drawn', async () => {
    const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'dark' });
    await open(page, srv.url);
    const live = await drawn(page);
    await stepSlider(page, 'ArrowLeft', 6);
    const past = await drawn(page);
    assert.ok(past.elements.length < live.elements.length, 'the past has fewer nodes');
    assert.deepEqual(moved(live, past), []);
    await stepSlider(page, 'ArrowRight', 6);
    const back = await drawn(page);
    assert.equal(back.elements.length, live.elements.length);
    assert.deepEqual(moved(live, back), []);
    await page.waitForTimeout(900); // positions and viewport are written to storage in batches
    await page.reload();
    await page.waitForFunction(() => (window.__retrace?.state().lastDrawAt as number) > 0);
    await idle(page);
    assert.deepEqual(moved(live, await drawn(page)), []);
    await page.close();
  });

  test('keyboard only: Ctrl+K, type, ↓, Enter selects and centres; arrows walk to a neighbour', async () => {
    const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'dark' });
    await open(page, srv.url);
    await page.keyboard.press('Control+K');
    await page.getByTestId('palette-input').waitFor();
    await page.keyboard.type('staged');
    await page.waitForSelector('.palette-row');
    const rows = await page.locator('.palette-row .search-label').allInnerTexts();
    assert.ok(rows.length >= 2, 'several staged files match');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.__retrace.state().selectedId !== null);
    await page.waitForTimeout(450); // the centring animation
    await idle(page);
    const sel = (await state(page)).selectedId as string;
    const label = await page.getByTestId('details-panel').locator('.panel-title').innerText();
    assert.equal(label, rows[1], 'the second hit is selected');
    const box = (await page.locator('[data-testid=lineage-graph]').boundingBox())!;
    const node = (await drawn(page)).elements.find((e) => e.id === sel)!;
    assert.ok(Math.abs(node.x - box.width / 2) < 4 && Math.abs(node.y - box.height / 2) < 4, `centred (${node.x}, ${node.y})`);

    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((s) => window.__retrace.state().selectedId !== s, sel);
    await idle(page);
    const next = (await drawn(page)).elements.find((e) => e.id === sel)!;
    // The node we came from is connected to the new selection: it lights up as its lineage.
    assert.ok(next.classes.includes('is-up') || next.classes.includes('is-down'), `came from a neighbour: ${next.classes.join(' ')}`);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => window.__retrace.state().selectedId === null);
    await page.close();
  });

  test('a URL copied after selecting, focusing and stepping back restores the same view', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'dark' });
    const page = await context.newPage();
    await open(page, srv.url);
    await stepSlider(page, 'ArrowLeft', 3);
    const job = (await drawn(page)).elements.find((e) => e.kind === 'job' && e.visible)!;
    const box = (await page.locator('[data-testid=lineage-graph]').boundingBox())!;
    await page.mouse.click(box.x + job.x, box.y + job.y);
    await page.waitForFunction((id) => window.__retrace.state().selectedId === id, job.id);
    await page.getByTestId('depth-up-2').click();
    await page.getByTestId('focus').click();
    await page.waitForFunction(() => window.__retrace.state().focus !== null);
    await idle(page);
    await page.waitForTimeout(200); // the address bar follows in a batch
    const url = page.url();
    assert.ok(!/token/.test(url), 'no token in a shareable link');
    const want = await state(page);
    const wantIds = (await drawn(page)).elements.map((e) => e.id).sort();

    // A new tab of the same browser (the session cookie authenticates it; the link has no token).
    const other = await context.newPage();
    await open(other, url);
    const got = await state(other);
    for (const k of ['selectedId', 'focus', 'depth', 'snapshot']) assert.deepEqual(got[k], want[k], k);
    assert.deepEqual((await drawn(other)).elements.map((e) => e.id).sort(), wantIds);
    await other.close();

    // Back goes to the view before the focus.
    await page.goBack();
    await page.waitForFunction(() => window.__retrace.state().focus === null);
    await context.close();
  });
});

describe('generated workspaces', () => {
  test('20,000 nodes open grouped within the element budget; opening a group moves nothing else', async () => {
    const ws = path.join(tmp, 'ws20k');
    writeUiWorkspace(ws, { nodes: 20_000 });
    assert.equal(retrace(['ingest', '-w', ws]).code, 0);
    const srv = await startRetraceServer(['serve', ws, '--port', '0', '--no-open']);
    try {
      const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'dark' });
      await open(page, srv.url);
      const s = (await state(page)).summary as { drawnNodes: number; drawnEdges: number; totalNodes: number; message: string };
      assert.equal(s.totalNodes, 20_000);
      assert.ok(s.drawnNodes + s.drawnEdges <= 5000, `${s.drawnNodes + s.drawnEdges} elements drawn`);
      assert.match(await page.getByTestId('group-message').innerText(), /^20,000 nodes grouped into \d+ groups — expand a group or focus a node$/);
      const before = await drawn(page);
      const group = before.elements.filter((e) => e.kind === 'group' && e.visible).sort((a, b) => a.y - b.y || a.x - b.x)[0]!;
      const box = (await page.locator('[data-testid=lineage-graph]').boundingBox())!;
      await page.mouse.click(box.x + group.x, box.y + group.y);
      await page.waitForFunction((id) => window.__retrace.state().selectedId === id, group.id);
      await page.keyboard.press('Enter');
      await page.waitForFunction((n) => window.__retrace.graph().elements.length > n, before.elements.length);
      await idle(page);
      const after = await drawn(page);
      assert.ok(!after.elements.some((e) => e.id === group.id), 'the group gave way to its members');
      assert.deepEqual(moved(before, after), []);
      await page.screenshot({ path: path.join(shots, 'graph-20k-opened.png') });
      await page.close();
    } finally {
      await srv.stop();
    }
  });

  test('a 5,000-node workspace (screenshot)', async () => {
    const ws = path.join(tmp, 'ws5k');
    writeUiWorkspace(ws, { nodes: 5000 });
    assert.equal(retrace(['ingest', '-w', ws]).code, 0);
    const srv = await startRetraceServer(['serve', ws, '--port', '0', '--no-open']);
    try {
      const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'dark' });
      await open(page, srv.url);
      const s = (await state(page)).summary as { drawnNodes: number; drawnEdges: number };
      assert.ok(s.drawnNodes + s.drawnEdges <= 5000);
      await page.screenshot({ path: path.join(shots, 'graph-5k.png') });
      await page.close();
    } finally {
      await srv.stop();
    }
  });
});
