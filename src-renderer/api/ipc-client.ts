import { API_METHOD_NAMES, type RetraceApi, type RetraceClient } from '../../shared/api';
import { unwrapResult } from '../../shared/errors';
import type { RetraceBridge } from '../../shared/bridge';

/**
 * RetraceClient over the Electron preload bridge. The bridge returns Result envelopes (errors
 * lose their class when crossing contextBridge), and this client turns them back into AppErrors.
 */
export function createIpcClient(bridge: RetraceBridge): RetraceClient {
  const api = Object.fromEntries(
    API_METHOD_NAMES.map((m) => [m, async (arg: unknown) => unwrapResult(await bridge[m](arg ?? {}))]),
  ) as unknown as RetraceApi;
  return { ...api, on: (event, listener) => bridge.on(event, listener as (p: unknown) => void) };
}
