import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildDemoWorkspace } from '../../src-main/demo/build-demo';
import { REPO_ROOT, startRetraceServer } from '../cli.test-support';
import { launchChromium } from './browser.test-support';

/** Where browser specs leave their screenshots. */
export const SHOTS = path.join(REPO_ROOT, 'test-results');

export interface DemoApp {
  /** The demo workspace, built from the recorded copy in a temp folder of its own. */
  readonly ws: string;
  readonly browser: Browser;
  /** `retrace serve` on the workspace: its URL (with the token) and how to stop it. */
  readonly srv: Awaited<ReturnType<typeof startRetraceServer>>;
}

/**
 * The setup most browser specs share, as the file's `before`/`after` hooks: the recorded demo in
 * a temp folder (`prepare` may change it before the server starts), Chromium, and `retrace
 * serve` on it — all removed afterwards. Read the fields inside tests (they exist after `before`).
 */
export function useDemoApp(name: string, prepare?: (ws: string) => void): DemoApp {
  const app = {} as { ws: string; browser: Browser; srv: DemoApp['srv'] };
  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    app.ws = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `retrace-e2e-${name}-`)), 'demo');
    await buildDemoWorkspace(app.ws, { forceRecorded: true });
    prepare?.(app.ws);
    app.browser = await launchChromium();
    app.srv = await startRetraceServer(['serve', app.ws, '--port', '0', '--no-open']);
  });
  after(async () => {
    await app.srv?.stop();
    await app.browser?.close();
    if (app.ws) fs.rmSync(path.dirname(app.ws), { recursive: true, force: true });
  });
  return app;
}

/** What browser specs read through the automation handle (src-renderer/graph/automation.ts). */
export interface RetraceHandle {
  graph(): { zoom: number; elements: { id: string; kind: string; x: number; y: number; visible: boolean; classes: string[] }[] } | null;
  idle(): Promise<void>;
  state(): Record<string, unknown>;
}
declare const window: { __retrace: RetraceHandle };

/** A page on the served app, once the graph is drawn and the layout settled. */
export async function openApp(app: DemoApp, viewport = { width: 1440, height: 900 }): Promise<Page> {
  const page = await app.browser.newPage({ viewport, colorScheme: 'dark', acceptDownloads: true });
  await page.goto(app.srv.url);
  await page.waitForFunction(() => (window.__retrace?.state().lastDrawAt as number) > 0);
  await page.evaluate(() => window.__retrace.idle());
  return page;
}

/** Selects the first search result of a kind ("Stage", "Dataset"…) for a query, as a user would. */
export async function selectBySearch(page: Page, query: string, kind: string): Promise<void> {
  await page.getByTestId('search').fill(query);
  await page.locator('.search-results button:not([disabled])', { hasText: kind }).first().click();
  await page.evaluate(() => window.__retrace.idle());
}
