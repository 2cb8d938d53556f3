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
    // Not enforced: the DB is derived and written only by the ingest's writers, which assign
    // every id themselves; checking each reference cost a quarter of the runs' and versions'
    // insert time. The REFERENCES clauses stay in the schema as documentation.
    db.pragma('foreign_keys = OFF');
    db.pragma('busy_timeout = 5000');
    const migrations = [...CORE_MIGRATIONS, ...(opts.migrations ?? [])];
    // Read-only: nothing can be migrated, but a damaged, foreign or newer file is still refused
    // here, with its name, instead of failing on the first query.
    if (opts.readonly) checkApplied(db, migrations, file);
    else migrate(db, migrations);
  } catch (err) {
    db.close();
    throw classifySqliteError(err, file);
  }
  return db as WritableDb;
}

export function appliedMigrations(db: ReadableDb): { id: number; name: string }[] {
  return db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all() as { id: number; name: string }[];
}

function checkApplied(db: BetterSqlite3.Database, migrations: readonly Migration[], file: string): void {
  const hasTable = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").pluck().get() === 1;
  if (!hasTable) {
    throw new AppError('STORE_CORRUPT', `${file} is not a Retrace metadata DB (it has no schema_migrations table); run \`retrace ingest --rebuild\` to recreate it from the logs.`);
  }
  const applied = db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all() as { id: number; name: string }[];
  const unknown = applied.find((m) => !migrations[m.id - 1]);
  if (unknown) throw newerSchema(file, unknown);
  if (applied.length < migrations.length) {
    throw new AppError('UNSUPPORTED', `The metadata DB ${file} was written by an older Retrace and cannot be upgraded read-only; run \`retrace ingest\` there once with write access.`);
  }
}

function newerSchema(file: string, m: { id: number; name: string }): AppError {
  return new AppError('STORE_CORRUPT', `The metadata DB ${file} has migration ${m.id} ("${m.name}"), which this version of Retrace does not know: a newer Retrace wrote it; run \`retrace ingest --rebuild\` to recreate it from the logs (or use that newer Retrace).`);
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
    if (!migrations[id - 1]) throw newerSchema(db.name, { id, name });
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

/**
 * Maps low-level SQLite failures to the closed error set, once, at the boundary: one sentence
 * naming the file and what to do.
 */
export function classifySqliteError(err: unknown, file: string): AppError {
  if (err instanceof AppError) return err;
  const code = String((err as { code?: unknown }).code ?? '');
  const msg = err instanceof Error ? err.message.split('\n')[0]!.replace(/\.$/, '') : String(err);
  if (code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_') || code === 'SQLITE_NOTADB') {
    return new AppError('STORE_CORRUPT', `The metadata DB ${file} is damaged (${msg}); run \`retrace ingest --rebuild\` to recreate it from the logs.`);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AppError('CONFLICT', `The metadata DB ${file} is locked by another process writing to it (a \`retrace tail\`, \`serve\` or \`ingest\`); wait for it to finish or stop it, then run this again.`);
  }
  if (code === 'SQLITE_READONLY_DIRECTORY') {
    return new AppError('IO', `The metadata DB ${file} cannot be read here: its folder is read-only, and SQLite must create ${path.basename(file)}-shm beside it; make ${path.dirname(file)} writable, then run this again.`);
  }
  if (code.startsWith('SQLITE_READONLY') || (code === 'SQLITE_CANTOPEN' && isReadOnly(file))) {
    return new AppError('IO', `The metadata DB ${file} is read-only for this user; make it and its folder writable (or run Retrace as their owner), then run this again.`);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new AppError('IO', `Cannot open the metadata DB ${file} (${msg}); check that its folder exists and can be written, then run this again.`);
  }
  if (code === 'SQLITE_FULL') {
    return new AppError('IO', `The disk holding the metadata DB ${file} is full; free some space, then run this again.`);
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new AppError('IO', `Reading or writing the metadata DB ${file} failed (${msg}); check the disk, then run this again.`);
  }
  return new AppError('INTERNAL', `SQLite failed on the metadata DB ${file} (${msg}); if this persists, run \`retrace ingest --rebuild\` to recreate it from the logs.`);
}

/**
 * Renames a damaged (or newer-schema) DB and its WAL files to `<file>.damaged…`, replacing an
 * earlier one, so `ingest --rebuild` can start a fresh DB without deleting what the user may
 * want to inspect. Returns the new name of the DB file.
 */
export function moveDamagedDbAside(file: string): string {
  const aside = `${file}.damaged`;
  for (const suffix of ['', '-wal', '-shm']) {
    fs.rmSync(aside + suffix, { force: true });
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
  }
  return aside;
}

/** Runs `fn`, turning a SQLite failure into the sentence for `file` (a query can fail long after the open). */
export function guardDb<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw isSqliteError(err) ? classifySqliteError(err, file) : err;
  }
}

export function isSqliteError(err: unknown): boolean {
  return typeof (err as { code?: unknown })?.code === 'string' && (err as { code: string }).code.startsWith('SQLITE_');
}

/** True when this process may not write `file` (or, when it does not exist, create it in its folder). */
export function isReadOnly(file: string): boolean {
  try {
    fs.accessSync(fs.existsSync(file) ? file : path.dirname(file), fs.constants.W_OK);
    return false;
  } catch {
    return true;
  }
}
