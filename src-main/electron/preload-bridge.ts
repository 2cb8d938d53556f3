import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { API_METHOD_NAMES, ipcEventChannel, ipcMethodChannel, isApiEvent, type ApiEvent } from '../../shared/api';
import type { RetraceBridge } from '../../shared/bridge';
import type { Result } from '../../shared/errors';

/**
 * Builds exactly the contract for the preload to expose: named functions and `on`. The
 * Electron event object is stripped before listeners see a payload, and `on` returns a remover.
 */
export function buildBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): RetraceBridge {
  const methods = Object.fromEntries(
    API_METHOD_NAMES.map((m) => [m, (arg: unknown) => ipc.invoke(ipcMethodChannel(m), arg) as Promise<Result<unknown>>]),
  );
  const on = (event: ApiEvent, listener: (payload: unknown) => void): (() => void) => {
    if (!isApiEvent(event)) throw new Error(`Unknown event "${String(event)}".`);
    const sub = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipc.on(ipcEventChannel(event), sub);
    return () => void ipc.removeListener(ipcEventChannel(event), sub);
  };
  return Object.freeze({ ...methods, on }) as RetraceBridge;
}
