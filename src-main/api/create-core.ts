import type { RetraceApi } from '../../shared/api';
import { DisposableStore, toDisposable, type Disposable } from '../../shared/disposable';
import { openDb, type WritableDb } from '../db/open-db';
import { EMPTY_LINEAGE, type LineageReader } from '../lineage/lineage-reader';
import { listRejected, provenanceCounts, startTailer } from '../provenance';
import { ensureWorkspace, type WorkspacePaths } from '../workspace';
import { CoreApi } from './core-api';
import { EventHub } from './event-hub';
import { withValidation } from './validating-api';

export interface Core extends Disposable {
  /** The validated API: what every transport exposes. */
  readonly api: RetraceApi;
  readonly events: EventHub;
  readonly paths: WorkspacePaths;
  readonly db: WritableDb;
}

export interface CreateCoreOptions {
  readonly workspaceRoot: string;
  /** Tail the provenance logs and push onGraphChanged (the app does; one-shot CLI calls don't). */
  readonly live?: boolean;
  /** Replaces the lineage reader built over the DB (tests of transports and UI use fixtures). */
  readonly lineage?: (db: WritableDb) => LineageReader;
  /** Where tailer failures go (the CLI prints them; they never stop the app). */
  readonly onError?: (message: string) => void;
}

/**
 * Builds the core once per shell (CLI/server or Electron): the metadata DB, the lineage reader
 * and the API object over them, and — when live — the tailer that keeps the DB current.
 * Everything it starts is disposed with it.
 */
export function createCore(opts: CreateCoreOptions): Core {
  const store = new DisposableStore();
  const paths = ensureWorkspace(opts.workspaceRoot);
  const db = openDb(paths.dbFile);
  store.add(toDisposable(() => db.close()));
  const events = new EventHub();
  const lineage: LineageReader = opts.lineage ? opts.lineage(db) : EMPTY_LINEAGE;
  const impl = new CoreApi({
    workspaceRoot: paths.root,
    lineage,
    counts: opts.lineage ? () => lineage.counts() : () => provenanceCounts(db),
    rejected: (page) => listRejected(db, page),
  });
  const api = withValidation(impl);
  if (opts.live) {
    store.add(
      startTailer({
        paths,
        db,
        onBatch: (summary) => events.emit('onGraphChanged', summary),
        onProgress: (p) => events.emit('onIngestProgress', p),
        onError: (err) => opts.onError?.(err.message),
      }),
    );
  }
  return { api, events, paths, db, dispose: () => store.dispose() };
}
