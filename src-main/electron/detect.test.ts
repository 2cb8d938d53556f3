import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { electronBinary, hasDisplay, whyNoDesktop } from './detect';

test('without a downloaded binary, detection says why (and never requires electron)', () => {
  const r = electronBinary({});
  // On our machines the binary is never downloaded; where it is, detection must say ok.
  if (r.ok) assert.ok(fs.existsSync(r.bin));
  else assert.match(r.why, /never downloaded|not installed|not executable/);
});

test('ELECTRON_OVERRIDE_DIST_PATH points at a binary', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-el-'));
  try {
    const bin = path.join(dir, 'electron');
    fs.writeFileSync(bin, '#!/bin/sh\n', { mode: 0o755 });
    const r = electronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dir });
    assert.deepEqual(r, { ok: true, bin });
    fs.chmodSync(bin, 0o644);
    const r2 = electronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dir });
    assert.equal(r2.ok, false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('Linux needs a display; RETRACE_UI=web always picks the browser', () => {
  assert.equal(hasDisplay({}, 'linux'), false);
  assert.equal(hasDisplay({ DISPLAY: ':0' }, 'linux'), true);
  assert.equal(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux'), true);
  assert.equal(hasDisplay({}, 'darwin'), true);
  assert.match(whyNoDesktop({ RETRACE_UI: 'web' }) ?? '', /RETRACE_UI=web/);
});
