import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { loadSqlite } from './sqlite-driver';
import { CORE_MIGRATIONS, type Migration } from './migrations';

/** A handle that may only be read from (queries). Branded so writers cannot be passed by mistake. */
export type ReadableDb = BetterSqlite3.Database & { readonly __readable: never };
/** A handle that may also write; writes go through `db.transaction(...)`. */
export type WritableDb = ReadableDb & { readonly __writable: never };

export interface OpenDbOptions {
  /** Extra migrations appended after the core ones (ids continue the sequence). */
  readonly migrations?: readonly Migration[];
  readonly readonly?: boolean;
}

/**
 * Opens (creating if needed) the metadata DB in WAL mode and brings its schema up to date
 * in one transaction, so a crash mid-migration leaves the previous schema intact.
 */
export function openDb(file: string, opts: OpenDbOptions = {}): WritableDb {
  const Database = loadSqlite();
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: BetterSqlite3.Database;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false });
  } catch (err) {
    throw classifySqliteError(err, file);
  }
  try {
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose
      // the last commits, and the DB is a derived index that ingest can rebuild.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!opts.readonly) migrate(db, [...CORE_MIGRATIONS, ...(opts.migrations ?? [])]);
  } catch (err) {
    db.close();
    throw classifySqliteError(err, file);
  }
  return db as WritableDb;
}

export function appliedMigrations(db: ReadableDb): { id: number; name: string }[] {
  return db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all() as { id: number; name: string }[];
}

function migrate(db: BetterSqlite3.Database, migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.id !== i + 1) throw new AppError('INTERNAL', `Migration "${m.name}" has id ${m.id} but stands at position ${i + 1}.`);
  });
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const applied = new Map(
    (db.prepare('SELECT id, name FROM schema_migrations').all() as { id: number; name: string }[]).map((r) => [r.id, r.name]),
  );
  for (const [id, name] of applied) {
    const known = migrations[id - 1];
    if (!known) {
      throw new AppError('STORE_CORRUPT', `The metadata DB has migration ${id} ("${name}") that this version of Retrace does not know; it was written by a newer Retrace. Run \`retrace ingest --rebuild\` to recreate it.`);
    }
  }
  const pending = migrations.filter((m) => !applied.has(m.id));
  if (pending.length === 0) return;
  const insert = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      insert.run(m.id, m.name, new Date().toISOString());
    }
  })();
}

/** Maps low-level SQLite failures to the closed error set, once, at the boundary. */
export function classifySqliteError(err: unknown, file: string): AppError {
  if (err instanceof AppError) return err;
  const code = (err as { code?: string }).code ?? '';
  const msg = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new AppError('STORE_CORRUPT', `The metadata DB ${file} is damaged (${msg}); run \`retrace ingest --rebuild\` to recreate it from the logs.`);
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_FULL' || code === 'SQLITE_IOERR') {
    return new AppError('IO', `Cannot use the metadata DB ${file}: ${msg}.`);
  }
  return new AppError('INTERNAL', `SQLite failed on ${file}: ${msg}.`);
}
