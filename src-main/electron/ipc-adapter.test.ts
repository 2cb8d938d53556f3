import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ipcMethodChannel } from '../../shared/api';
import { createFakeIpcPair } from '../../test/fake-ipc.test-support';
import { createCore } from '../api/create-core';
import { exposeOverIpc, isTrustedSender } from './ipc-adapter';
import { buildBridge } from './preload-bridge';

function withCore<T>(fn: (core: ReturnType<typeof createCore>) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-ipc-'));
  const core = createCore({ workspaceRoot: dir });
  return fn(core).finally(() => {
    core.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

test('only our own top-level app:// frame is a trusted sender', () => {
  assert.equal(isTrustedSender({ url: 'app://bundle/index.html', parent: null }), true);
  assert.equal(isTrustedSender({ url: 'app://bundle/index.html', parent: {} as never }), false, 'an iframe');
  assert.equal(isTrustedSender({ url: 'https://evil.example/', parent: null }), false, 'navigated away');
  assert.equal(isTrustedSender({ url: 'file:///etc/passwd', parent: null }), false);
  assert.equal(isTrustedSender({ url: 'app://other/index.html', parent: null }), false);
  assert.equal(isTrustedSender(null), false);
});

test('an untrusted sender gets FORBIDDEN and the API is never called', async () => {
  await withCore(async (core) => {
    let called = 0;
    const api = { ...core.api, ping: async () => ((called += 1), { echo: 'x', at: '' }) };
    const pair = createFakeIpcPair({ url: 'https://evil.example/', parent: null });
    exposeOverIpc(api, pair.ipcMain);
    const r = (await pair.ipcRenderer.invoke(ipcMethodChannel('ping'), {})) as { ok: boolean; error: { code: string } };
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'FORBIDDEN');
    assert.equal(called, 0);
  });
});

test('arguments are validated before the method runs', async () => {
  await withCore(async (core) => {
    const pair = createFakeIpcPair();
    exposeOverIpc(core.api, pair.ipcMain);
    for (const bad of [{ snapshot: 'x' }, { snapshot: 1.5 }, 'a string', [1, 2], { extra: true }]) {
      const r = (await pair.ipcRenderer.invoke(ipcMethodChannel('getGraph'), bad)) as { ok: boolean; error: { code: string } };
      assert.equal(r.ok, false, JSON.stringify(bad));
      assert.equal(r.error.code, 'INVALID_ARGUMENT');
    }
  });
});

test('the bridge strips the Electron event and `on` returns a working remover', () => {
  const pair = createFakeIpcPair();
  const bridge = buildBridge(pair.ipcRenderer);
  const got: unknown[] = [];
  const off = bridge.on('onGraphChanged', (...args: unknown[]) => got.push(args));
  pair.webContents.send('evt:onGraphChanged', { newRuns: 1 });
  off();
  pair.webContents.send('evt:onGraphChanged', { newRuns: 2 });
  assert.deepEqual(got, [[{ newRuns: 1 }]]);
  assert.throws(() => bridge.on('onNothing' as never, () => undefined), /Unknown event/);
  assert.ok(Object.isFrozen(bridge), 'the page cannot add or replace bridge functions');
});
