/** Composition root of the Electron shell (only Electron runs this file; see src-main/electron/). */
import { startElectronApp } from './electron/main-process';

startElectronApp();
