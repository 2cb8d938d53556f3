import fs from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import type { StoreReport } from '../../replay/replayability';
import { workspacePaths, type WorkspacePaths } from '../../workspace/workspace-paths';
import { printJson, resolveWorkspace } from '../cli-io';

const WS_HELP = 'the workspace (default: nearest folder upward holding .retrace/)';

/**
 * `retrace store [pin|unpin RUN...]` and `retrace gc` (DESIGN §8, issue 15): the content store
 * `retrace run` fills under .retrace/objects. `store` reports its size and what each captured
 * run can still replay; `pin` keeps everything a run needs out of reach of eviction and gc;
 * `gc` holds the store to its budget (least recently used first) and repairs its index.
 */
export function registerStoreCommands(program: Command): void {
  program
    .command('store [action] [runs...]')
    .description('the content store: size, objects, and what each run can still replay; "pin RUN…" / "unpin RUN…" protect a run\'s files from eviction and gc')
    .option('-w, --workspace <dir>', WS_HELP)
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExamples:\n  retrace store\n  retrace store pin 3f2a\n  retrace store unpin 3f2a')
    .action(async (action: string | undefined, runs: string[], o: { workspace?: string; json?: boolean }) => {
      if (action !== undefined && action !== 'pin' && action !== 'unpin') {
        throw new AppError('INVALID_ARGUMENT', `Unknown store action "${action}"; use "retrace store", "retrace store pin RUN…" or "retrace store unpin RUN…".`);
      }
      if (action && runs.length === 0) throw new AppError('INVALID_ARGUMENT', `Give the run(s) to ${action}.`);
      const paths = openable(o.workspace);
      const [{ openWorkspaceEngine }, { openDb }, { ingestOnce }, { liveState }, { hashesOfRun, storeReport }] = await Promise.all([
        import('../../api/workspace-engine'), import('../../db/open-db'), import('../../provenance/ingest'), import('../../repro/current-state'), import('../../replay/replayability'),
      ]);
      const { ContentStore, readStoreConfig } = await contentStore();
      const db = openDb(paths.dbFile);
      const store = new ContentStore(paths.dotDir, readStoreConfig(paths.configFile));
      try {
        ingestOnce({ paths, db });
        if (action) {
          const engine = openWorkspaceEngine(db, paths, null);
          const done: { run: string; action: string; objects: number }[] = [];
          for (const ref of runs) {
            const id = engine.catalog.resolveRun(ref);
            const uuid = engine.catalog.run(id).uuid;
            if (action === 'pin') {
              const hashes = hashesOfRun(db, id);
              store.pin(uuid, hashes);
              done.push({ run: uuid, action, objects: hashes.filter((h) => store.has(h)).length });
            } else done.push({ run: uuid, action: store.unpin(uuid) ? 'unpin' : 'not pinned', objects: 0 });
          }
          if (o.json) printJson(done);
          else for (const d of done) process.stdout.write(d.action === 'pin' ? `Pinned run ${d.run}: its ${d.objects} stored ${d.objects === 1 ? 'file is' : 'files are'} never evicted or collected.\n` : d.action === 'unpin' ? `Unpinned run ${d.run}.\n` : `Run ${d.run} was not pinned.\n`);
          return;
        }
        const report = await storeReport({ db, workspaceRoot: paths.root, store, now: liveState(paths.root) });
        if (o.json) printJson(report);
        else process.stdout.write(formatStore(report));
      } finally {
        store.dispose();
        db.close();
      }
    });

  program
    .command('gc')
    .description('hold the content store to its budget (least recently used first, never what a pinned run needs) and repair its index')
    .option('-w, --workspace <dir>', WS_HELP)
    .option('--json', 'print one JSON document')
    .action(async (o: { workspace?: string; json?: boolean }) => {
      const paths = openable(o.workspace);
      const { ContentStore, readStoreConfig } = await contentStore();
      const store = new ContentStore(paths.dotDir, readStoreConfig(paths.configFile));
      try {
        const r = store.collectGarbage();
        const after = store.stats();
        const out = { ...r, bytes: after.bytes, objects: after.objects, budgetBytes: store.config.budgetBytes };
        if (o.json) printJson(out);
        else {
          const lines = [`Removed ${r.evicted} ${r.evicted === 1 ? 'object' : 'objects'} (${mb(r.freedBytes)}); the store holds ${after.objects} objects in ${mb(after.bytes)} of its ${mb(store.config.budgetBytes)} budget.`];
          if (r.repaired) lines.push(`Repaired ${r.repaired} index ${r.repaired === 1 ? 'entry' : 'entries'}.`);
          if (r.overBudgetBytes) lines.push(`Still ${mb(r.overBudgetBytes)} over budget: that much is needed by pinned runs (retrace store unpin RUN releases it).`);
          process.stdout.write(lines.join('\n') + '\n');
        }
      } finally {
        store.dispose();
      }
    });
}

async function contentStore() {
  const [{ ContentStore }, { readStoreConfig }] = await Promise.all([import('../../content-store/content-store'), import('../../content-store/store-config')]);
  return { ContentStore, readStoreConfig };
}

function openable(dir: string | undefined): WorkspacePaths {
  const paths = workspacePaths(resolveWorkspace(dir));
  if (!fs.existsSync(paths.dotDir)) throw new AppError('NOT_FOUND', `${paths.root} is not a Retrace workspace (it has no .retrace folder).`);
  return paths;
}

function formatStore(r: StoreReport): string {
  const ok = r.runs.filter((x) => x.replayable).length;
  const lines = [
    `Content store: ${r.objects} ${r.objects === 1 ? 'object' : 'objects'}, ${mb(r.bytes)} on disk (${mb(r.contentBytes)} of content) of a ${mb(r.budgetBytes)} budget; files above ${mb(r.maxFileBytes)} are kept by hash only.`,
    r.pinnedRuns.length ? `Pinned: ${r.pinnedRuns.length} ${r.pinnedRuns.length === 1 ? 'run' : 'runs'} (${mb(r.pinnedBytes)} never evicted).` : 'Pinned: none (retrace store pin RUN keeps a run replayable).',
    `Runs: ${ok} of ${r.runs.length} can be replayed as they ran${r.runs.length - ok ? `; ${r.runs.length - ok} cannot` : ''}.`,
  ];
  for (const x of r.runs) {
    const head = `  ${x.run.slice(0, 8)}  ${(x.stage ?? '?').padEnd(14)} ${x.at ? x.at.replace('T', ' ').slice(0, 16) : '                '}${x.pinned ? '  pinned' : ''}`;
    lines.push(x.replayable ? `${head}  replayable (${x.inputs} ${x.inputs === 1 ? 'input' : 'inputs'})` : `${head}  ${x.missing.length} of ${x.inputs} inputs missing: ${x.missing.map((m) => `${m.artifact} (${m.code.toLowerCase().replace(/_/g, ' ')})`).join(', ')}`);
  }
  return lines.join('\n') + '\n';
}

function mb(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}
