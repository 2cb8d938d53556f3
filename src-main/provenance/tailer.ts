/**
 * `retrace tail` / the app's live ingest: watches `.retrace/logs/` and the configured sources
 * (fs.watch, with polling as the fallback for missed or unsupported notifications) and runs a
 * pass on every change. Passes are sliced (a time budget each) so a long backlog never blocks
 * the event loop; each committed batch is announced through `onBatch` (API `onGraphChanged`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { GraphChangedDto, IngestProgressDto } from '../../shared/dto';
import { type Disposable, DisposableStore, toDisposable } from '../../shared/disposable';
import { AppError } from '../../shared/errors';
import type { WritableDb } from '../db/open-db';
import type { WorkspacePaths } from '../workspace/workspace-paths';
import { readProvenanceConfig } from './config';
import { sourcesOf } from './ingest';
import { IngestSession } from './session';

export interface TailerOptions {
  readonly paths: WorkspacePaths;
  readonly db: WritableDb;
  readonly extraPaths?: readonly string[];
  /** After each committed batch that changed something. */
  readonly onBatch: (summary: GraphChangedDto) => void;
  readonly onProgress?: (p: IngestProgressDto) => void;
  /** A pass failed (e.g. the disk is full); the tailer retries on the next change or poll. */
  readonly onError?: (err: AppError) => void;
  /** Polling fallback period; fs.watch is not reliable on every filesystem. */
  readonly pollIntervalMs?: number;
  /** Time-based commit during a pass (freshness). */
  readonly commitIntervalMs?: number;
  /** How long one slice of a pass may hold the event loop. */
  readonly sliceMs?: number;
}

export function startTailer(opts: TailerOptions): Disposable {
  const store = new DisposableStore();
  let session: IngestSession | null = null;
  let scheduled: NodeJS.Immediate | null = null;
  let disposed = false;
  let watchedDirs = new Set<string>();

  const runPass = () => {
    scheduled = null;
    if (disposed) return;
    let more = false;
    try {
      session ??= new IngestSession(opts.db, opts.paths);
      const specs = sourcesOf(opts.paths, opts.extraPaths ?? [], []);
      const totals = session.pass(specs, {
        batchEvents: 20_000,
        commitIntervalMs: opts.commitIntervalMs ?? 100,
        settleMs: 1000,
        deadline: Date.now() + (opts.sliceMs ?? 200),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        onCommit: (s) => {
          if (s.events === 0 && s.newRuns === 0 && s.newArtifacts === 0 && s.newVersions === 0) return;
          opts.onBatch({ newRuns: s.newRuns, newArtifacts: s.newArtifacts, newVersions: s.newVersions, at: new Date().toISOString() });
        },
      });
      more = totals.more;
      if (totals.conflict) session = null; // another process ingested: reopen from what is committed
      refreshWatches(specs.map((s) => path.dirname(s.path)));
    } catch (err) {
      session = null; // its caches may no longer match the DB
      const e = err instanceof AppError ? err : new AppError('IO', `Tailing the provenance logs failed: ${(err as Error).message}.`);
      opts.onError?.(e);
    }
    if (more) schedule();
  };

  const schedule = () => {
    if (!disposed && scheduled === null) scheduled = setImmediate(runPass);
  };

  const watchers = new Map<string, fs.FSWatcher>();
  const refreshWatches = (dirs: readonly string[]) => {
    const wanted = new Set<string>([opts.paths.logsDir, ...dirs, ...configDirs()]);
    if (sameSet(wanted, watchedDirs)) return;
    watchedDirs = wanted;
    for (const [dir, w] of watchers) {
      if (!wanted.has(dir)) {
        w.close();
        watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (watchers.has(dir)) continue;
      try {
        const w = fs.watch(dir, { persistent: false }, schedule);
        w.on('error', () => {
          w.close();
          watchers.delete(dir);
        });
        watchers.set(dir, w);
      } catch {
        // Missing folder or no inotify: the poll still finds its changes.
      }
    }
  };

  const configDirs = (): string[] => {
    try {
      return readProvenanceConfig(opts.paths).logSources.map((s) => {
        const abs = path.resolve(opts.paths.root, s);
        const wild = abs.search(/[*?{]/);
        return wild >= 0 ? path.dirname(abs.slice(0, wild) + 'x') : isDir(abs) ? abs : path.dirname(abs);
      });
    } catch {
      return [];
    }
  };

  fs.mkdirSync(opts.paths.logsDir, { recursive: true });
  refreshWatches([]);
  const poll = setInterval(schedule, opts.pollIntervalMs ?? 1000);
  poll.unref();
  store.add(toDisposable(() => {
    disposed = true;
    clearInterval(poll);
    if (scheduled) clearImmediate(scheduled);
    for (const w of watchers.values()) w.close();
    watchers.clear();
  }));
  schedule();
  return store;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
