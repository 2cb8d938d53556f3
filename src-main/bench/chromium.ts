import fs from 'node:fs';
import type { Browser } from 'playwright-core';

/**
 * Finds a Chromium to drive: Playwright's own download if one exists, else the system's.
 * `npx playwright install` cannot download browsers on our machines; Debian's package can.
 * playwright-core is a development dependency: the browser tests and `retrace bench ui` use it.
 */
export async function findChromium(): Promise<string> {
  const { chromium } = await import('playwright-core');
  const candidates: string[] = [];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // playwright-core has no browser of its own here
  }
  candidates.push('/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable');
  const found = candidates.find((p) => p && fs.existsSync(p));
  if (!found) {
    throw new Error('No Chromium found for the browser tests: install one with `sudo apt-get install -y chromium` (Debian/Ubuntu) or `npx playwright install chromium` where downloads work.');
  }
  return found;
}

/** Headless Chromium with CPU raster (no GPU), as on CI and our machines. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: await findChromium(),
    headless: true,
    // No sandbox: CI runs as root. No background networking: this machine has no internet.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}
