import type { IpcMain, IpcMainInvokeEvent, IpcRenderer, IpcRendererEvent } from 'electron';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;
type Listener = (event: IpcRendererEvent, ...args: unknown[]) => void;

/**
 * An in-memory ipcMain/ipcRenderer pair with Electron's semantics where they matter here:
 * one handler per channel, arguments and results structured-cloned across the boundary, and a
 * sender frame on every invoke event. Electron itself cannot run on our machines.
 */
export function createFakeIpcPair(senderFrame: { url: string; parent: unknown } = { url: 'app://bundle/index.html', parent: null }) {
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, Set<Listener>>();
  const ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'> = {
    handle(channel: string, h: Handler) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, h);
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
  } as Pick<IpcMain, 'handle' | 'removeHandler'>;
  const ipcRenderer = {
    async invoke(channel: string, ...args: unknown[]) {
      const h = handlers.get(channel);
      if (!h) throw new Error(`No handler registered for '${channel}'`);
      const event = { senderFrame, sender: {} } as unknown as IpcMainInvokeEvent;
      return structuredClone(await h(event, ...args.map((a) => structuredClone(a))));
    },
    on(channel: string, l: Listener) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(l);
      return ipcRenderer;
    },
    removeListener(channel: string, l: Listener) {
      listeners.get(channel)?.delete(l);
      return ipcRenderer;
    },
  } as unknown as Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;
  /** What webContents.send does: deliver to the renderer's listeners. */
  const webContents = {
    send(channel: string, payload: unknown) {
      for (const l of listeners.get(channel) ?? []) l({} as IpcRendererEvent, structuredClone(payload));
    },
    isDestroyed: () => false,
  };
  return { ipcMain, ipcRenderer, webContents, handlers, listeners };
}
