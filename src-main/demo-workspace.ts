import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureWorkspace } from './workspace';

/**
 * Where `npm start` keeps the demo workspace: `RETRACE_DEMO_DIR`, else a folder in the user's
 * home, so it survives reinstalls and is never inside the source tree.
 */
export function demoWorkspaceDir(): string {
  return process.env.RETRACE_DEMO_DIR ? path.resolve(process.env.RETRACE_DEMO_DIR) : path.join(os.homedir(), '.retrace-demo');
}

/**
 * Builds the demo workspace on first start. The demo pipeline comes with the capture work;
 * until then the workspace is created empty and the app shows its empty state.
 */
export async function ensureDemoWorkspace(dir: string, log: (m: string) => void = (m) => process.stderr.write(m + '\n')): Promise<void> {
  if (fs.existsSync(path.join(dir, '.retrace', 'demo-built'))) return;
  log(`Preparing the demo workspace in ${dir} …`);
  ensureWorkspace(dir);
}
