import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

/**
 * Finds the Electron binary without `require('electron')` (which, since Electron 42, tries to
 * download it synchronously and throws offline; notes/electron.md §3.1). Plain Node only.
 */
export function electronBinary(env: NodeJS.ProcessEnv = process.env, from: string = import.meta.url): { ok: true; bin: string } | { ok: false; why: string } {
  const require = createRequire(from);
  let dir: string;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { ok: false, why: 'the electron package is not installed' };
  }
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  let rel: string | null = null;
  try {
    rel = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
  } catch {
    rel = null;
  }
  if (!rel && !override) return { ok: false, why: 'the Electron binary was never downloaded (node_modules/electron/path.txt is missing)' };
  const bin = override ? path.join(override, rel || 'electron') : path.join(dir, 'dist', rel!);
  try {
    fs.accessSync(bin, fs.constants.X_OK);
  } catch {
    return { ok: false, why: `the Electron binary ${bin} is missing or not executable` };
  }
  return { ok: true, bin };
}

/** Electron needs a display server on Linux and the BSDs. */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  return !['linux', 'freebsd', 'openbsd'].includes(platform) || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Why the desktop shell cannot start here, or null when it can. */
export function whyNoDesktop(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  if (env.RETRACE_UI === 'web') return 'RETRACE_UI=web asks for the browser UI';
  const bin = electronBinary(env);
  if (!bin.ok) return bin.why;
  if (!hasDisplay(env, platform)) return 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)';
  return null;
}
