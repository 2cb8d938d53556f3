import type { ApiEvent, ApiMethod } from './api';
import type { Result } from './errors';

/**
 * What the Electron preload exposes on `window.retraceBridge`: one function per API method
 * returning the Result envelope, plus `on`. Nothing else (no ipcRenderer, no generic invoke).
 */
export type RetraceBridge = { readonly [M in ApiMethod]: (arg: unknown) => Promise<Result<unknown>> } & {
  readonly on: (event: ApiEvent, listener: (payload: unknown) => void) => () => void;
};

/** The global name the preload uses. */
export const BRIDGE_GLOBAL = 'retraceBridge';
