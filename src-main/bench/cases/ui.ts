import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../chromium';
import { percentile, type BenchCase, type BenchMetric } from '../bench-case';
import { writeUiWorkspace } from '../ui-workspace';

/**
 * The explorer in headless Chromium with CPU raster, on generated workspaces of growing size:
 * first paint, first interaction, pan frame times over a 2 s drag, time-slider steps, the
 * impact overlay, expanding a 1,000-column node, worker layout time and how many elements are drawn. Each workspace is served
 * by a real `retrace serve` process; the page is measured through its automation handle.
 */
const SIZES = [500, 2000, 5000, 20_000, 50_000];
const QUICK_SIZES = [500, 2000];
const VIEWPORT = { width: 1500, height: 900 };

interface Handle {
  graph(): { zoom: number; elements: { id: string; kind: string; x: number; y: number; visible: boolean }[] } | null;
  idle(): Promise<void>;
  state(): { lastDrawAt: number; selectedId: string | null; layout: { last: { ms: number } | null } | null; summary: { drawnNodes: number; drawnEdges: number; totalNodes: number } | null };
}
declare const window: { __retrace: Handle; __keyAt?: number; addEventListener(type: string, l: () => void, capture: boolean): void };
declare const document: { querySelector(s: string): { getAttribute(n: string): string | null } | null };
declare function requestAnimationFrame(cb: (t: number) => void): number;
declare function addEventListener(type: string, l: () => void, opts: { capture: boolean; once: boolean }): void;
declare class MutationObserver {
  constructor(cb: () => void);
  observe(target: unknown, opts: { childList: boolean; subtree: boolean }): void;
  disconnect(): void;
}

const ui: BenchCase = {
  name: 'ui',
  description: 'the explorer in Chromium (CPU raster) on generated workspaces: paint, pan, slider, overlay, layout',
  async run(ctx) {
    const metrics: BenchMetric[] = [];
    const browser = await launchChromium();
    try {
      for (const size of ctx.quick ? QUICK_SIZES : SIZES) {
        ctx.log(`ui: generating and ingesting a ${size.toLocaleString('en-US')}-node workspace…`);
        const ws = path.join(ctx.tmpDir, `ws-${size}`);
        const gen = writeUiWorkspace(ws, { nodes: size, wideColumns: 1000 });
        await runCli(['ingest', '-w', ws]);
        const server = await serve(ws);
        try {
          const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'dark' });
          metrics.push(...(await measure(page, server.url, size)));
          if (gen.wideDataset) metrics.push(...(await expandWideNode(page, size, gen.wideDataset)));
          await page.close();
        } finally {
          await server.stop();
        }
      }
    } finally {
      await browser.close();
    }
    return metrics;
  },
};
export default ui;

async function measure(page: Page, url: string, size: number): Promise<BenchMetric[]> {
  const n = size.toLocaleString('en-US');
  const out: BenchMetric[] = [];
  await page.goto(url);
  // First paint: navigation start → the first drawing applied and painted (two frames later).
  await page.waitForFunction(() => window.__retrace?.state().lastDrawAt > 0, null, { timeout: 120_000 });
  const firstPaint = await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now())))));
  const goal = size === 2000 ? 1000 : size === 5000 || size === 50_000 ? 2500 : undefined;
  out.push({ name: `${n} nodes: first paint`, value: round(firstPaint), unit: 'ms', ...(goal ? { goal: `≤ ${goal} ms`, met: firstPaint <= goal } : {}) });

  // First interaction: a key press right after the first paint, until the selection shows.
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => window.__retrace.state().selectedId !== null, null, { timeout: 60_000 });
  const firstInteraction = await page.evaluate(() => performance.now());
  out.push({ name: `${n} nodes: first interaction`, value: round(firstInteraction), unit: 'ms' });
  await page.keyboard.press('Escape');
  await page.evaluate(() => window.__retrace.idle());

  const st = await page.evaluate(() => window.__retrace.state());
  const drawn = (st.summary?.drawnNodes ?? 0) + (st.summary?.drawnEdges ?? 0);
  out.push({ name: `${n} nodes: elements drawn`, value: drawn, unit: 'elements', goal: '≤ 5,000', met: drawn <= 5000, note: `${st.summary?.drawnNodes ?? 0} nodes, ${st.summary?.drawnEdges ?? 0} edges` });
  if (st.layout?.last) out.push({ name: `${n} nodes: layout in the worker`, value: round(st.layout.last.ms), unit: 'ms', note: `${st.summary?.drawnNodes ?? 0} nodes laid out` });

  // Pan: a 2 s drag on empty canvas, frame intervals from requestAnimationFrame.
  const pan = await dragFrames(page);
  const big = drawn >= 4000;
  out.push({ name: `${n} nodes: pan frame p50`, value: round(percentile(pan, 50)), unit: 'ms', ...(big ? { goal: '≤ 16.7 ms', met: percentile(pan, 50) <= 16.7 } : {}), note: `${pan.length} frames, ${drawn} elements` });
  out.push({ name: `${n} nodes: pan frame p95`, value: round(percentile(pan, 95)), unit: 'ms', ...(big ? { goal: '≤ 33 ms', met: percentile(pan, 95) <= 33 } : {}) });

  // Time slider: ten steps back, each from the key press to the new drawing painted.
  const steps = await sliderSteps(page, 10);
  if (steps.length) {
    const p95 = percentile(steps, 95);
    out.push({ name: `${n} nodes: slider step p95`, value: round(p95), unit: 'ms', ...(size === 2000 ? { goal: '≤ 50 ms', met: p95 <= 50 } : {}), note: `p50 ${round(percentile(steps, 50))} ms over ${steps.length} steps` });
  }

  // Impact overlay: select a stage, click "Show impact", until the overlay is drawn.
  const overlay = await overlayToggle(page);
  if (overlay !== null) out.push({ name: `${n} nodes: impact overlay`, value: round(overlay), unit: 'ms' });
  return out;
}

async function dragFrames(page: Page): Promise<number[]> {
  const canvas = await page.locator('[data-testid=lineage-graph]').boundingBox();
  if (!canvas) return [];
  // An empty spot to grab (dragging a node would move the node, not the view).
  const g = await page.evaluate(() => window.__retrace.graph());
  const free = findFreeSpot(canvas.width, canvas.height, g?.elements ?? []);
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __framing: boolean };
    w.__frames = [];
    w.__framing = true;
    let last = performance.now();
    const tick = (t: number) => {
      w.__frames.push(t - last);
      last = t;
      if (w.__framing) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.mouse.move(canvas.x + free.x, canvas.y + free.y);
  await page.mouse.down();
  const t0 = Date.now();
  for (let i = 1; Date.now() - t0 < 2000; i++) {
    await page.mouse.move(canvas.x + free.x + Math.sin(i / 6) * 220, canvas.y + free.y + Math.cos(i / 9) * 120, { steps: 1 });
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __framing: boolean };
    w.__framing = false;
    return w.__frames.slice(2);
  });
  await page.evaluate(() => window.__retrace.idle());
  return frames;
}

function findFreeSpot(w: number, h: number, els: readonly { x: number; y: number }[]): { x: number; y: number } {
  for (let y = 120; y < h - 60; y += 37) {
    for (let x = 60; x < w - 260; x += 41) {
      if (els.every((e) => Math.abs(e.x - x) > 90 || Math.abs(e.y - y) > 40)) return { x, y };
    }
  }
  return { x: 40, y: h - 40 };
}

async function sliderSteps(page: Page, count: number): Promise<number[]> {
  const slider = page.locator('#as-of');
  if ((await slider.count()) === 0) return [];
  await slider.focus();
  await page.evaluate(() => window.addEventListener('keydown', () => (window.__keyAt = performance.now()), true));
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const before = await page.evaluate(() => window.__retrace.state().lastDrawAt);
    await page.keyboard.press('ArrowLeft');
    const ok = await page.waitForFunction((b) => window.__retrace.state().lastDrawAt > b, before, { timeout: 30_000 }).then(() => true, () => false);
    if (!ok) break;
    const ms = await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(window.__retrace.state().lastDrawAt - (window.__keyAt ?? 0)))));
    out.push(ms);
  }
  return out;
}

async function overlayToggle(page: Page): Promise<number | null> {
  const g = await page.evaluate(() => window.__retrace.graph());
  const job = g?.elements.find((e) => e.kind === 'job' && e.visible);
  if (!job) return null;
  const canvas = await page.locator('[data-testid=lineage-graph]').boundingBox();
  await page.mouse.click(canvas!.x + job.x, canvas!.y + job.y);
  const button = page.getByTestId('impact-toggle');
  if (!(await button.waitFor({ timeout: 20_000 }).then(() => true, () => false))) return null;
  await page.evaluate(() => window.addEventListener('click', () => (window.__keyAt = performance.now()), true));
  await button.click();
  const ok = await page.waitForFunction(() => Number(document.querySelector('[data-testid=lineage-graph]')?.getAttribute('data-overlay') ?? 0) > 0, null, { timeout: 30_000 }).then(() => true, () => false);
  if (!ok) return null;
  return page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now() - (window.__keyAt ?? 0)))));
}

/**
 * Expanding a 1,000-column dataset node on the canvas (issue 19): select it by search, click its
 * "Columns" button, and time from the click to the frame that paints the card's first rows
 * (a MutationObserver sees the rows, the next animation frame is the paint), three times.
 */
async function expandWideNode(page: Page, size: number, dataset: string): Promise<BenchMetric[]> {
  const n = size.toLocaleString('en-US');
  await page.getByTestId('search').fill(dataset.slice(dataset.lastIndexOf('/') + 1));
  const hit = page.locator('.search-results button:not([disabled])').first();
  if (!(await hit.waitFor({ timeout: 20_000 }).then(() => true, () => false))) return [];
  await hit.click();
  await page.evaluate(() => window.__retrace.idle());
  const times: number[] = [];
  let count: number | null = null;
  for (let i = 0; i < 3; i++) {
    const button = page.getByTestId('expand-columns');
    if (!(await button.waitFor({ timeout: 20_000 }).then(() => true, () => false))) break;
    await page.evaluate(() => {
      const w = window as unknown as { __keyAt: number; __painted: number };
      const doc = (globalThis as unknown as { document: { body: unknown; querySelectorAll(s: string): { length: number } } }).document;
      w.__painted = 0;
      addEventListener('click', () => (w.__keyAt = performance.now()), { capture: true, once: true });
      const mo = new MutationObserver(() => {
        if (doc.querySelectorAll('[data-testid=canvas-columns] .cc-row').length === 0) return;
        mo.disconnect();
        requestAnimationFrame(() => (w.__painted = performance.now()));
      });
      mo.observe(doc.body, { childList: true, subtree: true });
    });
    await button.click();
    const ok = await page.waitForFunction(() => (window as unknown as { __painted: number }).__painted > 0, null, { timeout: 30_000 }).then(() => true, () => false);
    if (!ok) break;
    times.push(await page.evaluate(() => { const w = window as unknown as { __keyAt: number; __painted: number }; return w.__painted - w.__keyAt; }));
    count = await page.evaluate(() => (window.__retrace as unknown as { columns(): { expanded: { count: number | null }[] } }).columns().expanded[0]?.count ?? null);
    await page.getByTestId('collapse-columns').click();
  }
  if (!times.length) return [];
  const med = percentile(times, 50);
  return [{ name: `${n} nodes: expand a 1,000-column node`, value: round(med), unit: 'ms', goal: '≤ 200 ms', met: med <= 200, note: `click to first paint of its first rows, median of ${times.length}; ${count ?? '?'} columns` }];
}

const round = (v: number) => Math.round(v * 10) / 10;

function retraceBin(): string {
  return process.argv[1] && /retrace(\.mjs)?$/.test(process.argv[1]) ? process.argv[1] : path.resolve('bin/retrace.mjs');
}

function runCli(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [retraceBin(), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`retrace ${args.join(' ')} failed: ${err.trim()}`))));
  });
}

function serve(ws: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [retraceBin(), 'serve', ws, '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RETRACE_NO_BROWSER: '1' } });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`retrace serve printed no READY line in 60 s: ${err}`)), 60_000);
    child.on('exit', (code) => reject(new Error(`retrace serve exited ${code}: ${err}`)));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^READY (\S+)$/m.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1]!,
        stop: () => new Promise<void>((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
      });
    });
  });
}
