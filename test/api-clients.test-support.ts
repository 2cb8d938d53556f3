import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { RetraceClient } from '../shared/api';
import { DisposableStore, toDisposable } from '../shared/disposable';
import { createHttpClient } from '../shared/http-client';
import { createCore, type Core } from '../src-main/api/create-core';
import { exposeOverIpc, forwardEvents } from '../src-main/electron/ipc-adapter';
import { buildBridge } from '../src-main/electron/preload-bridge';
import type { LineageReader } from '../src-main/lineage/read-models/lineage-reader';
import { startServer, type RunningServer } from '../src-main/server/http-server';
import { createIpcClient } from '../src-renderer/api/ipc-client';
import { createFakeIpcPair } from './fake-ipc.test-support';

export type TransportName = 'direct' | 'http' | 'ws' | 'ipc-fake';
export const TRANSPORTS: readonly TransportName[] = ['direct', 'http', 'ws', 'ipc-fake'];

export interface Harness {
  readonly core: Core;
  readonly client: RetraceClient;
  readonly server?: RunningServer;
  close(): Promise<void>;
}

/** A core over a temp workspace, reached through one transport exactly as a UI would. */
export async function openHarness(transport: TransportName, lineage?: () => LineageReader): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-contract-'));
  const owned = new DisposableStore();
  const core = owned.add(createCore({ workspaceRoot: dir, ...(lineage ? { lineage: () => lineage() } : {}) }));
  owned.add(toDisposable(() => fs.rmSync(dir, { recursive: true, force: true })));
  let client: RetraceClient;
  let server: RunningServer | undefined;
  if (transport === 'direct') {
    const on: RetraceClient['on'] = (event, listener) => {
      const d = core.events.on(event, listener);
      return () => d.dispose();
    };
    client = Object.assign(bindAll(core.api), { on }) as unknown as RetraceClient;
  } else if (transport === 'ipc-fake') {
    const pair = createFakeIpcPair();
    owned.add(exposeOverIpc(core.api, pair.ipcMain));
    owned.add(forwardEvents(core.events, pair.webContents));
    client = createIpcClient(buildBridge(pair.ipcRenderer));
  } else {
    server = await startServer({ api: core.api, events: core.events, staticDir: null });
    const auth = { Authorization: `Bearer ${server.token}` };
    const c = createHttpClient({
      baseUrl: server.origin,
      headers: auth,
      fetch,
      callsOverSocket: transport === 'ws',
      openSocket: (url) => new WebSocket(url, { headers: auth }) as never,
    });
    owned.add(toDisposable(() => c.close()));
    client = c;
  }
  return {
    core,
    client,
    ...(server ? { server } : {}),
    async close() {
      await server?.close();
      owned.dispose();
    },
  };
}

function bindAll(api: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(api)) out[k] = typeof v === 'function' ? v.bind(api) : v;
  return out;
}
