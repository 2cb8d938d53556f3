/** The browser tests drive the same Chromium the UI benchmark does. */
export { findChromium, launchChromium } from '../../src-main/bench/chromium';
