import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import { DisposableStore } from '../../shared/disposable';
import { createCore } from '../api/create-core';
import { appProtocolResponse } from './app-protocol';
import { hardenContents, hardenSession, secureWebPreferences } from './harden';
import { APP_ORIGIN, exposeOverIpc, forwardEvents } from './ipc-adapter';

/**
 * The Electron shell: one hardened window over the same core the CLI and server use. The
 * workspace comes from `RETRACE_WORKSPACE` (set by `retrace open`) or the first argument.
 */
export function startElectronApp(): void {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const rendererDir = path.resolve(here, '../renderer');
  const preload = path.join(here, 'preload.cjs');
  const workspace = process.env.RETRACE_WORKSPACE ?? process.argv.slice(app.isPackaged ? 1 : 2).find((a) => !a.startsWith('-')) ?? process.cwd();

  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  app.on('web-contents-created', (_e, contents) => hardenContents(contents));

  void app.whenReady().then(() => {
    const owned = new DisposableStore();
    hardenSession(session.defaultSession);
    protocol.handle('app', (req) => appProtocolResponse(rendererDir, req.url));
    const core = owned.add(createCore({ workspaceRoot: workspace, live: true }));
    owned.add(exposeOverIpc(core.api, ipcMain));

    const win = new BrowserWindow({
      width: 1400,
      height: 900,
      title: 'Retrace',
      backgroundColor: '#0f1115',
      webPreferences: secureWebPreferences(preload),
    });
    owned.add(forwardEvents(core.events, win.webContents));
    void win.loadURL(`${APP_ORIGIN}/index.html`);
    app.on('window-all-closed', () => {
      owned.dispose();
      app.quit();
    });
  });
}
