import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { loadSqlite } from '../db/sqlite-driver';

/**
 * The content store's bookkeeping, in its own small SQLite file (`.retrace/objects/index.db`)
 * so concurrent `retrace run`s (a pipeline's parallel stages) update it safely without the
 * metadata DB, which `retrace run` never opens. The objects on disk are the truth: a missing
 * index (a copied workspace, a deleted file) is rebuilt from them, with file times standing in
 * for the last use.
 *
 * - `objects`: every stored object, its size and when it was last stored or read (the LRU key).
 * - `not_stored`: contents recorded by hash only, and why (`too-big`, `ignored`, `evicted`),
 *   so a replay can say *why* an input cannot be restored.
 * - `pins`: the objects a pinned run needs; eviction and `retrace gc` never remove them.
 */
export type NotStoredReason = 'too-big' | 'ignored' | 'evicted';

/**
 * What an object occupies on disk: whole 4 KiB blocks. The budget is about disk space, and
 * 20,000 small files of 80 bytes take 80 MB of blocks, not 1.6 MB.
 */
export const diskBytes = (size: number): number => Math.ceil(size / 4096) * 4096;
const DISK = '(((size + 4095) / 4096) * 4096)';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS objects (hash TEXT PRIMARY KEY, size INTEGER NOT NULL, stored_at INTEGER NOT NULL, last_used INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS objects_lru ON objects(last_used);
  CREATE TABLE IF NOT EXISTS not_stored (hash TEXT PRIMARY KEY, reason TEXT NOT NULL, size INTEGER, at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS pins (run TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (run, hash)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS pins_hash ON pins(hash);
`;

export interface ObjectRow {
  readonly hash: string;
  readonly size: number;
  readonly lastUsed: number;
}

export class StoreIndex {
  private constructor(private readonly db: BetterSqlite3.Database) {}

  /** Opens (creating if needed) the index; a new index is filled from the objects already on disk. */
  static open(file: string, scan: () => Iterable<ObjectRow>): StoreIndex {
    const fresh = !fs.existsSync(file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const Database = loadSqlite();
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 10000');
    db.exec(SCHEMA);
    const index = new StoreIndex(db);
    if (fresh) index.upsertObjects([...scan()]);
    return index;
  }

  close(): void {
    this.db.close();
  }

  /** Records stored objects (or refreshes their last use); they are no longer "not stored". */
  upsertObjects(rows: readonly ObjectRow[]): void {
    if (rows.length === 0) return;
    const put = this.db.prepare(
      `INSERT INTO objects (hash, size, stored_at, last_used) VALUES (?, ?, ?, ?)
       ON CONFLICT(hash) DO UPDATE SET last_used = max(last_used, excluded.last_used), size = excluded.size`,
    );
    const clear = this.db.prepare('DELETE FROM not_stored WHERE hash = ?');
    this.db.transaction(() => {
      for (const r of rows) {
        put.run(r.hash, r.size, r.lastUsed, r.lastUsed);
        clear.run(r.hash);
      }
    })();
  }

  touch(hashes: readonly string[], at: number): void {
    if (hashes.length === 0) return;
    const up = this.db.prepare('UPDATE objects SET last_used = max(last_used, ?) WHERE hash = ?');
    this.db.transaction(() => {
      for (const h of hashes) up.run(at, h);
    })();
  }

  markNotStored(rows: readonly { hash: string; reason: NotStoredReason; size: number | null }[], at: number): void {
    if (rows.length === 0) return;
    const put = this.db.prepare(
      `INSERT INTO not_stored (hash, reason, size, at) VALUES (?, ?, ?, ?)
       ON CONFLICT(hash) DO UPDATE SET reason = excluded.reason, size = coalesce(excluded.size, size), at = excluded.at`,
    );
    this.db.transaction(() => {
      for (const r of rows) put.run(r.hash, r.reason, r.size, at);
    })();
  }

  notStoredReason(hash: string): NotStoredReason | null {
    const row = this.db.prepare('SELECT reason FROM not_stored WHERE hash = ?').get(hash) as { reason: NotStoredReason } | undefined;
    return row?.reason ?? null;
  }

  /** `bytes` on disk (what the budget counts) and `contentBytes` (the files' own sizes). */
  totals(): { bytes: number; contentBytes: number; objects: number } {
    const r = this.db.prepare(`SELECT total(size) AS content, total(${DISK}) AS bytes, count(*) AS objects FROM objects`).get() as { content: number; bytes: number; objects: number };
    return { bytes: r.bytes, contentBytes: r.content, objects: r.objects };
  }

  /** Unpinned objects, least recently used first: the eviction order. */
  *evictionCandidates(): IterableIterator<ObjectRow> {
    const rows = this.db
      .prepare('SELECT hash, size, last_used AS lastUsed FROM objects o WHERE NOT EXISTS (SELECT 1 FROM pins p WHERE p.hash = o.hash) ORDER BY last_used, stored_at, hash')
      .all() as ObjectRow[];
    yield* rows;
  }

  allObjects(): ObjectRow[] {
    return this.db.prepare('SELECT hash, size, last_used AS lastUsed FROM objects').all() as ObjectRow[];
  }

  removeObjects(hashes: readonly string[], reason: NotStoredReason | null, at: number): void {
    const del = this.db.prepare('DELETE FROM objects WHERE hash = ?');
    const size = this.db.prepare('SELECT size FROM objects WHERE hash = ?').pluck();
    const mark = this.db.prepare('INSERT OR REPLACE INTO not_stored (hash, reason, size, at) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const h of hashes) {
        const s = size.get(h) as number | undefined;
        del.run(h);
        if (reason) mark.run(h, reason, s ?? null, at);
      }
    })();
  }

  pin(run: string, hashes: readonly string[]): void {
    const put = this.db.prepare('INSERT OR IGNORE INTO pins (run, hash) VALUES (?, ?)');
    this.db.transaction(() => {
      // A pinned run with nothing stored is still pinned: the marker row keeps it listed.
      put.run(run, '');
      for (const h of hashes) put.run(run, h);
    })();
  }

  unpin(run: string): boolean {
    return this.db.prepare('DELETE FROM pins WHERE run = ?').run(run).changes > 0;
  }

  pinnedRuns(): string[] {
    return this.db.prepare('SELECT DISTINCT run FROM pins ORDER BY run').pluck().all() as string[];
  }

  /** Bytes held only because a pinned run needs them. */
  pinnedBytes(): number {
    return (this.db.prepare(`SELECT total(${DISK}) FROM objects WHERE hash IN (SELECT hash FROM pins)`).pluck().get() as number) ?? 0;
  }
}
