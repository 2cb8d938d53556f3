import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import { parseIntArg, resolveWorkspace } from '../cli-io';

export interface ServeOptions {
  readonly workspace: string;
  readonly port: number;
  readonly host: string;
  readonly open: boolean;
}

/** The renderer build next to the bundled main code (dist/main → dist/renderer). */
export function rendererDir(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, '../renderer'), path.resolve(here, '../../../dist/renderer')]) {
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

/**
 * Runs the local web shell until SIGINT/SIGTERM: prints `READY <url>` (the machine-readable
 * line harnesses wait for) and opens the system browser when asked.
 */
export async function serveWorkspace(opts: ServeOptions): Promise<void> {
  const ui = rendererDir();
  if (!ui) throw new AppError('NOT_FOUND', 'The UI is not built; run `npm run build` first.');
  if (opts.host !== '127.0.0.1' && opts.host !== 'localhost' && opts.host !== '::1') {
    process.stderr.write(`warning: listening on ${opts.host}: anyone who can reach this address and has the token can read this workspace's lineage.\n`);
  }
  const [{ createCore }, { startServer }, { lineageIntakeRoute }, { openInBrowser }] = await Promise.all([
    import('../../api/create-core'), import('../../server/http-server'), import('../../server/lineage-intake-route'), import('../../server/open-browser'),
  ]);
  const core = createCore({ workspaceRoot: opts.workspace, live: true, onError: (m) => process.stderr.write(`warning: ${m}\n`) });
  const server = await startServer({
    api: core.api,
    events: core.events,
    staticDir: ui,
    host: opts.host,
    port: opts.port,
    routes: [lineageIntakeRoute(core.paths)],
  });
  process.stdout.write(`READY ${server.url}\n`);
  process.stderr.write(`Retrace is serving ${core.paths.root}. Press Ctrl-C to stop.\n`);
  if (opts.open) openInBrowser(server.url);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  core.dispose();
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve [dir]')
    .description('serve the app to a browser on 127.0.0.1 (prints "READY <url with token>")')
    .option('--port <n>', 'port to listen on (0: any free port)', '0')
    .option('--host <addr>', 'address to bind (default 127.0.0.1; anything else is reachable from other machines)', '127.0.0.1')
    .option('--no-open', 'do not open a browser')
    .option('--demo', 'serve the built-in demo workspace')
    .action(async (dir: string | undefined, o: { port: string; host: string; open: boolean; demo?: boolean }) => {
      const { demoWorkspaceDir, ensureDemoWorkspace } = await import('../../demo/demo-workspace');
      const workspace = o.demo ? demoWorkspaceDir() : resolveWorkspace(dir);
      if (o.demo) await ensureDemoWorkspace(workspace);
      await serveWorkspace({ workspace, port: parseIntArg(o.port, '--port'), host: o.host, open: o.open });
    });
}
