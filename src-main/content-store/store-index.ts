import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { loadSqlite } from '../db/sqlite-driver';

/**
 * The content store's own small SQLite file (`.retrace/objects/index.db`), so concurrent
 * `retrace run`s (a pipeline's parallel stages) update it safely without the metadata DB,
 * which `retrace run` never opens.
 *
 * - `objects`: every stored object, its size, when it was last stored or read (the LRU key),
 *   and whether it is `packed` — held in `blobs` here rather than as a loose file. Small files
 *   are packed: 20,000 small outputs are one transaction instead of 20,000 file creations
 *   (5× faster measured on this machine), and they take their own size, not a 4 KiB block each.
 * - `not_stored`: contents recorded by hash only, and why (`too-big`, `ignored`, `evicted`),
 *   so a replay can say *why* an input cannot be restored.
 * - `pins`: the objects a pinned run needs; eviction and `retrace gc` never remove them.
 *
 * Loose files on disk are the truth for what they hold: a missing index (a copied workspace,
 * the recorded demo) is rebuilt from them, with file times standing in for the last use.
 */
export type NotStoredReason = 'too-big' | 'ignored' | 'evicted';

/** What a loose object occupies on disk: whole 4 KiB blocks (20,000 files of 80 bytes take 80 MB). */
export const diskBytes = (size: number): number => Math.ceil(size / 4096) * 4096;
const DISK = '(CASE WHEN packed THEN size ELSE ((size + 4095) / 4096) * 4096 END)';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS objects (hash TEXT PRIMARY KEY, size INTEGER NOT NULL, packed INTEGER NOT NULL DEFAULT 0, stored_at INTEGER NOT NULL, last_used INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS objects_lru ON objects(last_used);
  CREATE TABLE IF NOT EXISTS blobs (hash TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS not_stored (hash TEXT PRIMARY KEY, reason TEXT NOT NULL, size INTEGER, at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS pins (run TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (run, hash)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS pins_hash ON pins(hash);
`;

export interface ObjectRow {
  readonly hash: string;
  readonly size: number;
  readonly lastUsed: number;
  readonly packed?: boolean;
}

export class StoreIndex {
  private readonly stmts = new Map<string, BetterSqlite3.Statement>();

  private constructor(private readonly db: BetterSqlite3.Database) {}

  /** Opens (creating if needed) the index; a new index adopts the loose objects already on disk. */
  static open(file: string, scanLoose: () => Iterable<ObjectRow>): StoreIndex {
    const fresh = !fs.existsSync(file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const Database = loadSqlite();
    const db = new Database(file);
    // Evicted blobs free their pages for reuse and `retrace gc` returns them to the file system.
    if (fresh) db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 10000');
    db.exec(SCHEMA);
    const index = new StoreIndex(db);
    if (fresh) index.upsertObjects([...scanLoose()]);
    return index;
  }

  close(): void {
    this.db.close();
  }

  private stmt(sql: string): BetterSqlite3.Statement {
    let s = this.stmts.get(sql);
    if (!s) this.stmts.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  /** The object's row, if stored (loose or packed). */
  find(hash: string): { size: number; packed: boolean } | null {
    const r = this.stmt('SELECT size, packed FROM objects WHERE hash = ?').get(hash) as { size: number; packed: number } | undefined;
    return r ? { size: r.size, packed: r.packed === 1 } : null;
  }

  blob(hash: string): Buffer | null {
    return (this.stmt('SELECT data FROM blobs WHERE hash = ?').pluck().get(hash) as Buffer | undefined) ?? null;
  }

  /** Stores small objects in the index itself, one transaction for the batch. */
  putBlobs(rows: readonly { hash: string; data: Buffer }[], at: number): void {
    if (rows.length === 0) return;
    const blob = this.stmt('INSERT OR IGNORE INTO blobs (hash, data) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const r of rows) blob.run(r.hash, r.data);
      this.upsertRows(rows.map((r) => ({ hash: r.hash, size: r.data.length, lastUsed: at, packed: true })));
    })();
  }

  /** Records stored objects (or refreshes their last use); they are no longer "not stored". */
  upsertObjects(rows: readonly ObjectRow[]): void {
    if (rows.length === 0) return;
    this.db.transaction(() => this.upsertRows(rows))();
  }

  private upsertRows(rows: readonly ObjectRow[]): void {
    const put = this.stmt(
      `INSERT INTO objects (hash, size, packed, stored_at, last_used) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(hash) DO UPDATE SET last_used = max(last_used, excluded.last_used)`,
    );
    const clear = this.stmt('DELETE FROM not_stored WHERE hash = ?');
    for (const r of rows) {
      put.run(r.hash, r.size, r.packed ? 1 : 0, r.lastUsed, r.lastUsed);
      clear.run(r.hash);
    }
  }

  touch(hashes: readonly string[], at: number): void {
    if (hashes.length === 0) return;
    const up = this.stmt('UPDATE objects SET last_used = max(last_used, ?) WHERE hash = ?');
    this.db.transaction(() => {
      for (const h of hashes) up.run(at, h);
    })();
  }

  markNotStored(rows: readonly { hash: string; reason: NotStoredReason; size: number | null }[], at: number): void {
    if (rows.length === 0) return;
    const put = this.stmt(
      `INSERT INTO not_stored (hash, reason, size, at) VALUES (?, ?, ?, ?)
       ON CONFLICT(hash) DO UPDATE SET reason = excluded.reason, size = coalesce(excluded.size, size), at = excluded.at`,
    );
    this.db.transaction(() => {
      for (const r of rows) put.run(r.hash, r.reason, r.size, at);
    })();
  }

  notStoredReason(hash: string): NotStoredReason | null {
    return (this.stmt('SELECT reason FROM not_stored WHERE hash = ?').pluck().get(hash) as NotStoredReason | undefined) ?? null;
  }

  /** `bytes` on disk (what the budget counts) and `contentBytes` (the files' own sizes). */
  totals(): { bytes: number; contentBytes: number; objects: number } {
    const r = this.stmt(`SELECT total(size) AS content, total(${DISK}) AS bytes, count(*) AS objects FROM objects`).get() as { content: number; bytes: number; objects: number };
    return { bytes: r.bytes, contentBytes: r.content, objects: r.objects };
  }

  /** Unpinned objects, least recently used first (the eviction order), with what each occupies. */
  evictionCandidates(): (ObjectRow & { disk: number })[] {
    return this.stmt(
      `SELECT hash, size, packed, last_used AS lastUsed, ${DISK} AS disk FROM objects o
        WHERE NOT EXISTS (SELECT 1 FROM pins p WHERE p.hash = o.hash) ORDER BY last_used, stored_at, hash`,
    ).all() as (ObjectRow & { disk: number })[];
  }

  looseObjects(): ObjectRow[] {
    return this.stmt('SELECT hash, size, last_used AS lastUsed FROM objects WHERE packed = 0').all() as ObjectRow[];
  }

  packedHashes(): string[] {
    return this.stmt('SELECT hash FROM objects WHERE packed = 1').pluck().all() as string[];
  }

  removeObjects(hashes: readonly string[], reason: NotStoredReason | null, at: number): void {
    if (hashes.length === 0) return;
    const size = this.stmt('SELECT size FROM objects WHERE hash = ?').pluck();
    const del = this.stmt('DELETE FROM objects WHERE hash = ?');
    const delBlob = this.stmt('DELETE FROM blobs WHERE hash = ?');
    const mark = this.stmt('INSERT OR REPLACE INTO not_stored (hash, reason, size, at) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const h of hashes) {
        const s = size.get(h) as number | undefined;
        del.run(h);
        delBlob.run(h);
        if (reason) mark.run(h, reason, s ?? null, at);
      }
    })();
  }

  /** Gives the pages of removed blobs back to the file system. */
  compact(): void {
    this.db.pragma('incremental_vacuum');
  }

  pin(run: string, hashes: readonly string[]): void {
    const put = this.stmt('INSERT OR IGNORE INTO pins (run, hash) VALUES (?, ?)');
    this.db.transaction(() => {
      // A pinned run with nothing stored is still pinned: the marker row keeps it listed.
      put.run(run, '');
      for (const h of hashes) put.run(run, h);
    })();
  }

  unpin(run: string): boolean {
    return this.stmt('DELETE FROM pins WHERE run = ?').run(run).changes > 0;
  }

  pinnedRuns(): string[] {
    return this.stmt('SELECT DISTINCT run FROM pins ORDER BY run').pluck().all() as string[];
  }

  /** Bytes held because a pinned run needs them. */
  pinnedBytes(): number {
    return (this.stmt(`SELECT total(${DISK}) FROM objects WHERE hash IN (SELECT hash FROM pins)`).pluck().get() as number) ?? 0;
  }
}
