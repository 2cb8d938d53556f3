import os from 'node:os';
import path from 'node:path';
import { buildDemoWorkspace } from './build-demo';

/**
 * Where `npm start` keeps the demo workspace: `RETRACE_DEMO_DIR`, else a folder in the user's
 * home, so it survives reinstalls and is never inside the source tree.
 */
export function demoWorkspaceDir(): string {
  return process.env.RETRACE_DEMO_DIR ? path.resolve(process.env.RETRACE_DEMO_DIR) : path.join(os.homedir(), '.retrace-demo');
}

/**
 * Builds the demo workspace on first start (the example pipeline run through `retrace run`, or
 * the recorded copy where python3 or strace is missing); later starts reuse it.
 */
export async function ensureDemoWorkspace(dir: string, log: (m: string) => void = (m) => process.stderr.write(m + '\n')): Promise<void> {
  await buildDemoWorkspace(dir, { onProgress: (m) => log(`demo: ${m}`) });
}
