import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { API_EVENT_NAMES, API_METHOD_NAMES, API_REQUEST_HEADER, ipcMethodChannel } from '../../shared/api';
import { API_ARG_SCHEMAS } from '../../shared/api-schema';
import { exposeOverIpc } from '../../src-main/electron/ipc-adapter';
import { buildBridge } from '../../src-main/electron/preload-bridge';
import { openHarness } from '../api-clients.test-support';
import { createFakeIpcPair } from '../fake-ipc.test-support';

/**
 * Pins the API surface (STYLE §24): the method list, the preload's keys, the HTTP routes and
 * the IPC handlers are one set, and that set is the reviewed snapshot in test/fixtures.
 */
const snapshotFile = path.join(import.meta.dirname, '../fixtures/api-surface.json');

test('the method and event lists match the reviewed snapshot', () => {
  const pinned = JSON.parse(fs.readFileSync(snapshotFile, 'utf8')) as { methods: string[]; events: string[] };
  assert.deepEqual([...API_METHOD_NAMES].sort(), pinned.methods, 'API methods changed: update test/fixtures/api-surface.json in the same review');
  assert.deepEqual([...API_EVENT_NAMES].sort(), pinned.events, 'API events changed: update test/fixtures/api-surface.json in the same review');
  assert.deepEqual(Object.keys(API_ARG_SCHEMAS).sort(), pinned.methods, 'every method has an argument schema');
});

test('method list == preload keys == IPC handlers == HTTP routes', async () => {
  const methods = [...API_METHOD_NAMES].sort();
  const pair = createFakeIpcPair();
  const bridge = buildBridge(pair.ipcRenderer);
  assert.deepEqual(Object.keys(bridge).sort(), [...methods, 'on'].sort(), 'the preload exposes exactly the contract');

  const h = await openHarness('direct');
  try {
    const d = exposeOverIpc(h.core.api, pair.ipcMain);
    assert.deepEqual([...pair.handlers.keys()].sort(), methods.map(ipcMethodChannel).sort(), 'one IPC handler per method');
    d.dispose();
    assert.equal(pair.handlers.size, 0, 'disposing removes every handler');

    const { startServer } = await import('../../src-main/server/http-server');
    const server = await startServer({ api: h.core.api, events: h.core.events, staticDir: null });
    try {
      const routed: string[] = [];
      for (const name of [...methods, 'notAMethod', 'constructor', '__proto__']) {
        const res = await fetch(`${server.origin}/api/${name}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${server.token}`, [API_REQUEST_HEADER]: '1', 'Content-Type': 'application/json' },
          body: '{}',
        });
        const body = (await res.json()) as { ok: boolean; error?: { message: string } };
        if (!(res.status === 404 && /no API method/.test(body.error?.message ?? ''))) routed.push(name);
      }
      assert.deepEqual(routed.sort(), methods, 'the HTTP server routes exactly the API methods');
    } finally {
      await server.close();
    }
  } finally {
    await h.close();
  }
});
