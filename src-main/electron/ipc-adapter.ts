import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { API_METHOD_NAMES, ipcEventChannel, ipcMethodChannel, type RetraceApi } from '../../shared/api';
import { toDisposable, type Disposable } from '../../shared/disposable';
import { AppError, toResult } from '../../shared/errors';
import type { EventHub } from '../api/event-hub';
import { invokeApi } from '../api/validating-api';

/** The app's own origin inside Electron (see app-protocol.ts). */
export const APP_ORIGIN = 'app://bundle';

/**
 * True for URLs of our own bundle. Compared by scheme and host, because WHATWG URL gives a
 * custom scheme the origin "null" outside Electron (where it is registered as standard).
 */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'app:' && u.host === 'bundle';
  } catch {
    return false;
  }
}

/** Only our own top-level page may call the API: not an iframe, not a navigated-away page. */
export function isTrustedSender(frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined): boolean {
  if (!frame || frame.parent) return false;
  return isAppUrl(frame.url);
}

/**
 * One `ipcMain.handle` per API method (channel `api:<method>`), each checking the sender frame
 * and answering with a Result envelope. Arguments are validated by the API wrapper itself.
 */
export function exposeOverIpc(
  api: RetraceApi,
  ipc: Pick<IpcMain, 'handle' | 'removeHandler'>,
  trusted: (frame: IpcMainInvokeEvent['senderFrame']) => boolean = isTrustedSender,
): Disposable {
  for (const name of API_METHOD_NAMES) {
    ipc.handle(ipcMethodChannel(name), (event, arg: unknown) =>
      toResult(() => {
        if (!trusted(event.senderFrame)) throw new AppError('FORBIDDEN', 'This frame may not call Retrace.');
        return invokeApi(api, name, arg);
      }),
    );
  }
  return toDisposable(() => API_METHOD_NAMES.forEach((n) => ipc.removeHandler(ipcMethodChannel(n))));
}

/** Forwards every core event to one window's renderer (channel `evt:<event>`). */
export function forwardEvents(events: EventHub, target: { send(channel: string, payload: unknown): void; isDestroyed(): boolean }): Disposable {
  return events.subscribeAll((event, payload) => {
    if (!target.isDestroyed()) target.send(ipcEventChannel(event), payload);
  });
}
