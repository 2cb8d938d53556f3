import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { appProtocolResponse } from './app-protocol';
import { hardenContents, hardenSession, secureWebPreferences } from './harden';

test('web preferences keep the renderer sandboxed and isolated', () => {
  const p = secureWebPreferences('/x/preload.cjs');
  assert.equal(p.contextIsolation, true);
  assert.equal(p.sandbox, true);
  assert.equal(p.nodeIntegration, false);
  assert.equal(p.nodeIntegrationInSubFrames, false);
  assert.equal(p.webviewTag, false);
  assert.equal(p.webSecurity, true);
  assert.equal(p.allowRunningInsecureContent, false);
});

test('every permission request and check is denied', () => {
  let requestHandler: ((wc: unknown, perm: string, cb: (ok: boolean) => void) => void) | undefined;
  let checkHandler: (() => boolean) | undefined;
  hardenSession({
    setPermissionRequestHandler: (h: never) => void (requestHandler = h),
    setPermissionCheckHandler: (h: never) => void (checkHandler = h),
  } as never);
  for (const perm of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
    let answer: boolean | undefined;
    requestHandler!({}, perm, (ok) => (answer = ok));
    assert.equal(answer, false, perm);
  }
  assert.equal(checkHandler!(), false);
});

test('navigation away from the app and new windows are denied', () => {
  const handlers = new Map<string, (e: { preventDefault(): void }, url: string) => void>();
  let openHandler: (() => { action: string }) | undefined;
  hardenContents({
    on: ((name: string, h: never) => handlers.set(name, h)) as never,
    setWindowOpenHandler: ((h: never) => (openHandler = h)) as never,
  });
  const navigate = (event: string, url: string) => {
    let prevented = false;
    handlers.get(event)!({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  assert.equal(navigate('will-navigate', 'https://evil.example/'), true);
  assert.equal(navigate('will-navigate', 'file:///etc/passwd'), true);
  assert.equal(navigate('will-navigate', 'app://bundle/index.html#/runs'), false);
  assert.equal(navigate('will-redirect', 'http://127.0.0.1:1/'), true);
  assert.equal(navigate('will-attach-webview', ''), true);
  assert.deepEqual(openHandler!(), { action: 'deny' });
});

test('app:// serves the build with the CSP and refuses paths outside it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-proto-'));
  try {
    const ui = path.join(dir, 'ui');
    fs.mkdirSync(ui);
    fs.writeFileSync(path.join(ui, 'index.html'), '<title>ok</title>');
    fs.writeFileSync(path.join(dir, 'secret'), 'no');
    const ok = appProtocolResponse(ui, 'app://bundle/index.html');
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.equal(await ok.text(), '<title>ok</title>');
    for (const p of ['..%2fsecret', '%2e%2e/secret', '%2e%2e%2fsecret', encodeURIComponent(path.join(dir, 'secret'))]) {
      const r = appProtocolResponse(ui, `app://bundle/${p}`);
      assert.notEqual(await r.text(), 'no', `${p} leaked a file outside the build`);
    }
    assert.equal(appProtocolResponse(ui, 'app://bundle/missing.js').status, 404);
    assert.equal(appProtocolResponse(ui, 'app://elsewhere/index.html').status, 404);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
