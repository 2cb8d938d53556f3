// Sandboxed preload (bundled to CommonJS by scripts/build.mjs): exposes the bridge, nothing more.
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL } from '../../shared/bridge';
import { buildBridge } from './preload-bridge';

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, buildBridge(ipcRenderer));
