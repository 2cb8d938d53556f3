import type { RetraceApi } from '../../shared/api';
import { DisposableStore, toDisposable, type Disposable } from '../../shared/disposable';
import { openDb, type WritableDb } from '../db/open-db';
import type { LineageEngine } from '../lineage/read-models/lineage-engine';
import { listRejected, provenanceCounts } from '../provenance/queries';
import { startTailer } from '../provenance/tailer';
import { ensureWorkspace, type WorkspacePaths } from '../workspace/workspace-paths';
import type { RerunService } from '../repro/rerun-service';
import type { ReplayService } from '../replay/replay-service';
import { CoreApi } from './core-api';
import { tableHistory } from '../lake/table-api';
import { openWorkspaceEngine } from './workspace-engine';
import { EventHub } from './event-hub';
import { withValidation } from './validating-api';

export interface Core extends Disposable {
  /** The validated API: what every transport exposes. */
  readonly api: RetraceApi;
  readonly events: EventHub;
  readonly paths: WorkspacePaths;
  readonly db: WritableDb;
  /** The lineage engine over the DB. */
  readonly engine: LineageEngine;
  /** Re-run plans: the CLI waits on an execution through this (the API starts it). */
  readonly reruns: RerunService;
  /** Replays: the CLI waits on one through this (the API starts it). */
  readonly replays: ReplayService;
}

export interface CreateCoreOptions {
  readonly workspaceRoot: string;
  /** Tail the provenance logs and push onGraphChanged (the app does; one-shot CLI calls don't). */
  readonly live?: boolean;
  /** Where tailer failures go (the CLI prints them; they never stop the app). */
  readonly onError?: (message: string) => void;
}

/**
 * Builds the core once per shell (CLI/server or Electron): the metadata DB, the lineage engine
 * and the API object over them, and — when live — the tailer that keeps the DB current.
 * Everything it starts is disposed with it.
 */
export function createCore(opts: CreateCoreOptions): Core {
  const store = new DisposableStore();
  const paths = ensureWorkspace(opts.workspaceRoot);
  const db = openDb(paths.dbFile);
  store.add(toDisposable(() => db.close()));
  const events = new EventHub();
  const engine = openWorkspaceEngine(db, paths, tableHistory);
  // The index is saved for the next cold start: on close, and at most every 30 s while live.
  let lastSave = Date.now();
  const saveIndex = (force: boolean) => {
    if (engine.dirty && (force || Date.now() - lastSave > 30_000)) {
      engine.save();
      lastSave = Date.now();
    }
  };
  store.add(toDisposable(() => saveIndex(true)));
  const impl = new CoreApi({
    workspaceRoot: paths.root,
    db,
    engine,
    counts: () => provenanceCounts(db),
    rejected: (page) => listRejected(db, page),
    emitRerunProgress: (e) => events.emit('onRerunProgress', e),
    emitReplayProgress: (e) => events.emit('onReplayProgress', e),
  });
  // Closing the core cancels a running re-run plan: its stages stop with their process groups.
  store.add(toDisposable(() => void impl.plans.dispose()));
  store.add(toDisposable(() => void impl.replays.dispose()));
  const api = withValidation(impl);
  if (opts.live) {
    store.add(
      startTailer({
        paths,
        db,
        onBatch: (summary) => {
          engine.refresh();
          engine.invalidateSnapshots(); // a batch may carry new table versions too
          saveIndex(false);
          events.emit('onGraphChanged', summary);
        },
        onProgress: (p) => events.emit('onIngestProgress', p),
        onError: (err) => opts.onError?.(err.message),
      }),
    );
  }
  return { api, events, paths, db, engine, reruns: impl.plans, replays: impl.replays, dispose: () => store.dispose() };
}
