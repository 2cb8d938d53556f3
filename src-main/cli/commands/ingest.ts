import path from 'node:path';
import type { Command } from 'commander';
import type { IngestProgressDto } from '../../../shared/dto';
import { AppError } from '../../../shared/errors';
import type { IngestReport } from '../../provenance/ingest';
import { cliOutput, printJson, resolveWorkspace } from '../cli-io';

/** `retrace ingest` (one tail pass) and `retrace tail` (keep tailing), DESIGN §8. */
export function registerIngestCommands(program: Command): void {
  program
    .command('ingest')
    .description('one tail pass over the provenance logs: counts, rejected lines')
    .argument('[paths...]', 'extra log files, folders or globs (besides .retrace/logs and config.json sources)')
    .option('-w, --workspace <dir>', 'the workspace (default: nearest folder upward holding .retrace/)')
    .option('--rebuild', 'recreate the metadata DB from the logs alone')
    .option('--json', 'print one JSON document')
    .action(async (extra: string[], opts: { workspace?: string; rebuild?: boolean; json?: boolean }) => {
      const [{ ensureWorkspace }, { guardDb, openDb, moveDamagedDbAside }, { ingestOnce }] = await Promise.all([
        import('../../workspace/workspace-paths'), import('../../db/open-db'), import('../../provenance/ingest'),
      ]);
      const paths = ensureWorkspace(resolveWorkspace(opts.workspace));
      let db;
      try {
        db = openDb(paths.dbFile);
      } catch (err) {
        // --rebuild is what the damaged-DB sentence tells the user to run: it must work then.
        if (!(opts.rebuild && err instanceof AppError && err.code === 'STORE_CORRUPT')) throw err;
        const aside = moveDamagedDbAside(paths.dbFile);
        process.stderr.write(`Moved the unusable metadata DB aside to ${aside}; rebuilding it from the logs.\n`);
        db = openDb(paths.dbFile);
      }
      const open = db;
      const bar = progressBar();
      try {
        const report = guardDb(paths.dbFile, () => ingestOnce({
          paths,
          db: open,
          extraPaths: extra.map((p) => path.resolve(process.cwd(), p)),
          rebuild: opts.rebuild === true,
          onProgress: bar.update,
        }));
        bar.clear();
        if (opts.json) printJson(report);
        else cliOutput.write(formatReport(report));
      } finally {
        bar.clear();
        db.close();
      }
    });

  program
    .command('tail')
    .description('keep tailing the provenance logs into the metadata DB')
    .option('-w, --workspace <dir>', 'the workspace (default: nearest folder upward holding .retrace/)')
    .action(async (opts: { workspace?: string }) => {
      const [{ ensureWorkspace }, { openDb }, { startTailer }] = await Promise.all([
        import('../../workspace/workspace-paths'), import('../../db/open-db'), import('../../provenance/tailer'),
      ]);
      const paths = ensureWorkspace(resolveWorkspace(opts.workspace));
      const db = openDb(paths.dbFile);
      const bar = progressBar();
      process.stderr.write(`Tailing ${paths.logsDir} (Ctrl-C to stop).\n`);
      const tailer = startTailer({
        paths,
        db,
        onProgress: bar.update,
        onBatch: (s) => {
          bar.clear();
          cliOutput.write(`${s.at}  +${s.newRuns} runs, +${s.newArtifacts} artifacts, +${s.newVersions} versions\n`);
        },
        onError: (e) => process.stderr.write(`error: ${e.message}\n`),
      });
      // The tailer's watchers and poll do not keep Node alive (the app owns its lifetime); here we do.
      const keepAlive = setInterval(() => {}, 1 << 30);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      clearInterval(keepAlive);
      tailer.dispose();
      bar.clear();
      db.close();
    });
}

function formatReport(r: IngestReport): string {
  const lines = [
    `Ingested ${r.events} events from ${r.files} file${r.files === 1 ? '' : 's'} (${r.duplicates} duplicates skipped): ${r.runs} runs, ${r.artifacts} artifacts ` +
      `(${r.newRuns} new runs, ${r.newArtifacts} new artifacts, ${r.newVersions} new versions).`,
  ];
  const warnings = Object.entries(r.warnings);
  if (warnings.length) lines.push(`Accepted deviations: ${warnings.map(([k, n]) => `${k} ${n}`).join(', ')}.`);
  for (const w of r.waiting) lines.push(`Waiting: ${w.file} ends in ${w.bytes} bytes without a newline yet.`);
  if (r.rejected.length) {
    lines.push(`${r.rejected.length} rejected lines:`);
    for (const x of r.rejected) lines.push(`  ${x.file}:${x.line}: ${x.reason}`);
  }
  return lines.join('\n') + '\n';
}

/** A one-line progress bar on stderr, only when it is a terminal and the backlog is large. */
function progressBar(): { update: (p: IngestProgressDto) => void; clear: () => void } {
  let shown = false;
  const tty = process.stderr.isTTY === true;
  return {
    update(p) {
      if (!tty || p.done || p.bytesTotal < 8 * 1024 * 1024) return;
      const frac = Math.min(1, p.bytesRead / Math.max(1, p.bytesTotal));
      const width = 30;
      const filled = Math.round(frac * width);
      const mb = (n: number) => (n / 1048576).toFixed(0);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(0)}%  ${mb(p.bytesRead)}/${mb(p.bytesTotal)} MB  ${p.events} events`);
      shown = true;
    },
    clear() {
      if (shown) process.stderr.write('\r\u001b[2K');
      shown = false;
    },
  };
}
