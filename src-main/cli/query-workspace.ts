/**
 * How the query commands (graph, snapshots, footprint, impact, search, insights, export,
 * repro, rerun) open a workspace: its logs are read first when they hold lines the DB has not
 * seen, so an answer never lags behind a `retrace run` that just finished; then the lineage
 * engine opens over the DB. Every SQLite failure becomes one sentence naming the DB file.
 */
import fs from 'node:fs';
import { AppError } from '../../shared/errors';
import { openWorkspaceEngineOnce } from '../api/workspace-engine';
import { type WritableDb, classifySqliteError, guardDb, isReadOnly, isSqliteError, openDb } from '../db/open-db';
import type { LineageEngine } from '../lineage/read-models/lineage-engine';
import { ingestOnce } from '../provenance/ingest';
import { pendingLogs } from '../provenance/pending-logs';
import { type WorkspacePaths, workspacePaths } from '../workspace/workspace-paths';

export interface QueriedWorkspace {
  readonly paths: WorkspacePaths;
  readonly db: WritableDb;
  readonly engine: LineageEngine;
  /** Runs `fn`, naming the DB file in any SQLite failure. */
  guard<T>(fn: () => T): T;
  close(): void;
}

export async function openForQuery(root: string, note: (line: string) => void): Promise<QueriedWorkspace> {
  const paths = workspacePaths(root);
  if (!fs.existsSync(paths.dotDir)) {
    throw new AppError('NOT_FOUND', `${paths.root} is not a Retrace workspace yet (it has no .retrace/ folder); record a run there with \`retrace run -- CMD\`, or ingest logs with \`retrace ingest\`.`);
  }
  const hasDb = fs.existsSync(paths.dbFile);
  let db = hasDb ? openWritableOrNot(paths.dbFile) : null;
  const pending = guardDb(paths.dbFile, () => pendingLogs(db?.db ?? null, paths));
  if (!hasDb && pending.files.length === 0) {
    throw new AppError('NOT_FOUND', `${paths.root} has no provenance yet (no metadata DB and no logs in .retrace/logs); record a run with \`retrace run -- CMD\` first.`);
  }
  if (pending.files.length > 0) {
    if (db?.readonly) {
      note(`warning: ${pending.files.length} log file(s) have lines the metadata DB ${paths.dbFile} has not read, and it is read-only here; this answer leaves them out.`);
    } else {
      db ??= { db: guardDb(paths.dbFile, () => openDb(paths.dbFile)), readonly: false };
      const open = db.db;
      try {
        const r = guardDb(paths.dbFile, () => ingestOnce({ paths, db: open }));
        if (r.events > 0 || r.rejected.length > 0) {
          note(`Read ${r.events} new event${r.events === 1 ? '' : 's'} from the logs first${r.rejected.length ? ` (${r.rejected.length} line(s) rejected; \`retrace ingest\` lists them)` : ''}.`);
        }
      } catch (err) {
        // Another process is writing the DB (a tail, the app): it reads those lines; answer from what is committed.
        if (!(err instanceof AppError && err.code === 'CONFLICT' && hasDb)) throw err;
        note(`warning: another process is writing the metadata DB ${paths.dbFile}, so this answer may miss the newest log lines.`);
      }
    }
  }
  const handle = db!.db;
  try {
    const engine = await guardDbAsync(paths.dbFile, () => openWorkspaceEngineOnce(handle, paths));
    return {
      paths,
      db: handle,
      engine,
      guard: (fn) => guardDb(paths.dbFile, fn),
      close: () => handle.close(),
    };
  } catch (err) {
    handle.close();
    throw err;
  }
}

/** Read-write where possible (to read new log lines); read-only where the DB or its folder is. */
function openWritableOrNot(file: string): { db: WritableDb; readonly: boolean } {
  // SQLite opens a write-protected file read-write without a word and fails at the first write.
  if (isReadOnly(file)) return { db: openDb(file, { readonly: true }), readonly: true };
  try {
    return { db: openDb(file), readonly: false };
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'IO' && /read-only/.test(err.message))) throw err;
    return { db: openDb(file, { readonly: true }), readonly: true };
  }
}

async function guardDbAsync<T>(file: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw isSqliteError(err) ? classifySqliteError(err, file) : err;
  }
}
