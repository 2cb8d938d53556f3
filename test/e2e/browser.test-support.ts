import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Finds a Chromium to drive: Playwright's own download if one exists, else the system's.
 * `npx playwright install` cannot download browsers on our machines; Debian's package can.
 */
export function findChromium(): string {
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

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    // No sandbox: CI runs as root. No background networking: this machine has no internet.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}
