import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import { parseIntArg, resolveWorkspace } from '../cli-io';
import { serveWorkspace } from './serve';

/**
 * `retrace open`: the desktop app where Electron and a display exist; otherwise one line saying
 * why, then the same UI served to the system browser. If Electron dies within a few seconds of
 * starting (missing libraries, no X server), fall back to the browser too.
 */
export function registerOpenCommand(program: Command): void {
  program
    .command('open [dir]')
    .description('open the desktop app (falls back to the browser UI, and says why)')
    .option('--demo', 'open the built-in demo workspace')
    .option('--port <n>', 'port for the browser fallback (0: any free port)', '0')
    .option('--no-open', 'in the browser fallback, do not open a browser')
    .action(async (dir: string | undefined, o: { demo?: boolean; port: string; open: boolean }) => {
      const [{ demoWorkspaceDir, ensureDemoWorkspace }, { electronBinary, whyNoDesktop }] = await Promise.all([
        import('../../demo/demo-workspace'), import('../../electron/detect'),
      ]);
      const workspace = o.demo ? demoWorkspaceDir() : resolveWorkspace(dir);
      if (o.demo) await ensureDemoWorkspace(workspace);
      const why = whyNoDesktop();
      if (why === null && process.env.RETRACE_UI !== 'web') {
        const bin = electronBinary();
        if (!bin.ok) throw new AppError('INTERNAL', bin.why);
        const failed = await launchElectron(bin.bin, workspace);
        if (!failed) return;
        if (process.env.RETRACE_UI === 'electron') throw new AppError('IO', `The desktop app failed to start: ${failed}.`);
        process.stderr.write(`The desktop app failed to start (${failed}); opening the browser UI instead.\n`);
      } else {
        if (process.env.RETRACE_UI === 'electron') throw new AppError('UNSUPPORTED', `The desktop app cannot start: ${why}.`);
        process.stderr.write(`Opening the browser UI instead of the desktop app: ${why}.\n`);
      }
      await serveWorkspace({ workspace, port: parseIntArg(o.port, '--port'), host: '127.0.0.1', open: o.open });
    });
}

/** Resolves to null when Electron ran and exited normally, or to the reason it failed early. */
async function launchElectron(bin: string, workspace: string): Promise<string | null> {
  const { spawn } = await import('node:child_process');
  const here = path.dirname(fileURLToPath(import.meta.url));
  const main = path.join(here, 'entry-electron.js');
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(bin, [main, workspace], { stdio: 'inherit', env: { ...process.env, RETRACE_WORKSPACE: workspace } });
    child.on('error', (err) => resolve(err.message));
    child.on('exit', (code, signal) => {
      if (code === 0) return resolve(null);
      const early = Date.now() - started < 5000;
      resolve(early ? `exit ${code ?? signal} within ${Date.now() - started} ms` : null);
    });
  });
}
