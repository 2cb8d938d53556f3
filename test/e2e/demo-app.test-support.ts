import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
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
