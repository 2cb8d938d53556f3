import type { RetraceClient } from '../../shared/api';
import { BRIDGE_GLOBAL, type RetraceBridge } from '../../shared/bridge';
import { createHttpClient } from '../../shared/http-client';
import { createIpcClient } from './ipc-client';

/** Electron's preload bridge when present, else the local server this page came from. */
export function pickClient(): RetraceClient {
  const bridge = (globalThis as unknown as Record<string, RetraceBridge | undefined>)[BRIDGE_GLOBAL];
  if (bridge) return createIpcClient(bridge);
  return createHttpClient({
    baseUrl: location.origin,
    fetch: (url, init) => fetch(url, init),
    openSocket: (url) => new WebSocket(url),
  });
}
