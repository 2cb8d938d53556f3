import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Disposable } from '../../shared/disposable';
import { copyLooseVerified, loosePath, scanLoose, sha256OfFile, writeLoose } from './loose-objects';
import { DEFAULT_STORE_CONFIG, type StoreConfig } from './store-config';
import { StoreIndex, type NotStoredReason, type ObjectRow } from './store-index';

/**
 * The content-addressed store under `.retrace/objects/` (issue 15): a copy of every input and
 * output file a captured run hashed, named by its SHA-256, so a file the workspace has since
 * overwritten can be restored for a replay and two versions of a code file can be diffed. The
 * same content is stored once however many runs or paths had it.
 *
 * Small files (up to 128 KiB) are packed into the index database, large ones are loose files
 * (loose-objects.ts). Every copy is verified: the bytes kept must hash to what the run recorded,
 * and they are checked again when read or restored (a crash mid-write cannot pass as a version).
 */
export const OBJECTS_DIR = 'objects';
const PACK_UP_TO_BYTES = 128 * 1024;
/** Packed objects are written in batches of about this much, so memory stays small. */
const BATCH_BYTES = 32 * 1024 * 1024;
const HASH = /^sha256:([0-9a-f]{64})$/;

export interface KeepFile {
  /** Absolute path of the file as it is on disk now. */
  readonly absPath: string;
  /** The content hash the run recorded for it (`sha256:…`). */
  readonly hash: string;
  readonly size?: number;
  /** Recorded by hash only (store ignore rules matched). */
  readonly ignored?: boolean;
}

export interface KeepReport {
  /** Newly copied, already present (deduplicated), recorded by hash only, and changed on disk since it was hashed. */
  stored: number;
  present: number;
  hashOnly: number;
  changed: number;
  bytesStored: number;
  evicted: number;
}

export type MissingReason = NotStoredReason | 'never-stored' | 'not-a-content-hash';

export class ContentStore implements Disposable {
  private index: StoreIndex | null = null;
  readonly dir: string;

  constructor(dotDir: string, readonly config: StoreConfig = DEFAULT_STORE_CONFIG, private readonly clock: () => number = Date.now) {
    this.dir = path.join(dotDir, OBJECTS_DIR);
  }

  private get ix(): StoreIndex {
    this.index ??= StoreIndex.open(path.join(this.dir, 'index.db'), () => scanLoose(this.dir));
    return this.index;
  }

  dispose(): void {
    this.index?.close();
    this.index = null;
  }

  /** Where a loose object for a content hash lives (whether or not it is stored loose); null for a hash that is not a full SHA-256. */
  objectPath(hash: string): string | null {
    const m = HASH.exec(hash);
    return m ? loosePath(this.dir, m[1]!) : null;
  }

  has(hash: string): boolean {
    const p = this.objectPath(hash);
    if (!p) return false;
    const row = this.ix.find(hash);
    return row !== null && (row.packed || fs.existsSync(p));
  }

  /** Why a content hash has no object: evicted, above the size limit, ignored, or never seen. */
  whyMissing(hash: string): MissingReason {
    if (!HASH.test(hash)) return 'not-a-content-hash';
    return this.ix.notStoredReason(hash) ?? 'never-stored';
  }

  /** The stored bytes (and counts as a use of the object); null when not stored or damaged. */
  read(hash: string): Buffer | null {
    const p = this.objectPath(hash);
    const row = p ? this.ix.find(hash) : null;
    if (!p || !row) return null;
    let buf: Buffer | null;
    try {
      buf = row.packed ? this.ix.blob(hash) : fs.readFileSync(p);
    } catch {
      return null;
    }
    if (!buf || `sha256:${crypto.createHash('sha256').update(buf).digest('hex')}` !== hash) return this.dropDamaged(hash);
    this.ix.touch([hash], this.clock());
    return buf;
  }

  /**
   * Copies an object to `dest` (writable, parents created) and checks the copy against its
   * hash; false when it is not stored or was damaged.
   */
  async restoreTo(hash: string, dest: string): Promise<boolean> {
    const p = this.objectPath(hash);
    const row = p ? this.ix.find(hash) : null;
    if (!p || !row) return false;
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if (row.packed) {
      const data = this.read(hash);
      if (!data) return false;
      fs.writeFileSync(dest, data);
      return true;
    }
    if (!fs.existsSync(p)) return false;
    // FICLONE: a copy-on-write clone where the file system has them (btrfs, XFS), else a copy.
    fs.copyFileSync(p, dest, fs.constants.COPYFILE_FICLONE);
    fs.chmodSync(dest, 0o644);
    if ((await sha256OfFile(dest)) !== hash) {
      fs.rmSync(dest, { force: true });
      this.dropDamaged(hash);
      return false;
    }
    this.ix.touch([hash], this.clock());
    return true;
  }

  private dropDamaged(hash: string): null {
    const p = this.objectPath(hash);
    if (p) fs.rmSync(p, { force: true });
    this.ix.removeObjects([hash], 'evicted', this.clock());
    return null;
  }

  /**
   * Keeps a copy of each file whose content is not stored yet, then holds the store to its
   * budget. Files above the size limit or matching the ignore rules are recorded by hash only.
   */
  async keep(files: readonly KeepFile[]): Promise<KeepReport> {
    const report: KeepReport = { stored: 0, present: 0, hashOnly: 0, changed: 0, bytesStored: 0, evicted: 0 };
    const now = this.clock();
    const seen = new Set<string>();
    const loose: ObjectRow[] = [];
    const present: string[] = [];
    const notStored: { hash: string; reason: NotStoredReason; size: number | null }[] = [];
    let batch: { hash: string; data: Buffer }[] = [];
    let batchBytes = 0;
    const flush = () => {
      this.ix.putBlobs(batch, now);
      batch = [];
      batchBytes = 0;
    };
    for (const f of files) {
      const m = HASH.exec(f.hash);
      if (!m || seen.has(f.hash)) continue;
      seen.add(f.hash);
      const row = this.ix.find(f.hash);
      const size = f.size ?? row?.size ?? sizeOf(f.absPath);
      if (f.ignored || (size !== null && size > this.config.maxFileBytes)) {
        if (row) present.push(f.hash);
        else notStored.push({ hash: f.hash, reason: f.ignored ? 'ignored' : 'too-big', size });
        report.hashOnly++;
        continue;
      }
      if (row && (row.packed || fs.existsSync(loosePath(this.dir, m[1]!)))) {
        present.push(f.hash);
        report.present++;
        continue;
      }
      let bytes: number | null = null;
      if (size !== null && size <= PACK_UP_TO_BYTES) {
        // One read, hashed in memory: for small files the syscalls cost more than the bytes.
        const data = readIfHashes(f.absPath, m[1]!);
        if (data) {
          batch.push({ hash: f.hash, data });
          batchBytes += data.length;
          bytes = data.length;
          if (batchBytes >= BATCH_BYTES) flush();
        }
      } else {
        bytes = await copyLooseVerified(f.absPath, m[1]!, loosePath(this.dir, m[1]!), path.join(this.dir, 'tmp'));
        if (bytes !== null) loose.push({ hash: f.hash, size: bytes, lastUsed: now });
      }
      if (bytes === null) {
        report.changed++;
        continue;
      }
      report.stored++;
      report.bytesStored += bytes;
    }
    if (report.stored + present.length + notStored.length === 0) return report;
    flush();
    this.ix.upsertObjects(loose);
    this.ix.touch(present, now);
    this.ix.markNotStored(notStored, now);
    report.evicted = this.enforceBudget().evicted;
    return report;
  }

  /** Evicts least recently used objects no pinned run needs until the store fits its budget. */
  enforceBudget(budgetBytes = this.config.budgetBytes): { evicted: number; freedBytes: number; overBudgetBytes: number } {
    let { bytes } = this.ix.totals();
    if (bytes <= budgetBytes) return { evicted: 0, freedBytes: 0, overBudgetBytes: 0 };
    const gone: string[] = [];
    let freed = 0;
    for (const o of this.ix.evictionCandidates()) {
      if (bytes <= budgetBytes) break;
      if (!o.packed) fs.rmSync(this.objectPath(o.hash)!, { force: true });
      gone.push(o.hash);
      bytes -= o.disk;
      freed += o.disk;
    }
    this.ix.removeObjects(gone, 'evicted', this.clock());
    return { evicted: gone.length, freedBytes: freed, overBudgetBytes: Math.max(0, bytes - budgetBytes) };
  }

  /**
   * `retrace gc`: forgets loose objects deleted behind the store's back, adopts loose objects
   * the index does not know, removes temp files of interrupted copies, holds the budget and
   * returns freed pages to the file system.
   */
  collectGarbage(): { evicted: number; freedBytes: number; overBudgetBytes: number; repaired: number } {
    const known = new Set<string>();
    const lost: string[] = [];
    for (const o of this.ix.looseObjects()) {
      if (fs.existsSync(this.objectPath(o.hash)!)) known.add(o.hash);
      else lost.push(o.hash);
    }
    this.ix.removeObjects(lost, 'evicted', this.clock());
    for (const h of this.ix.packedHashes()) known.add(h);
    const adopted = [...scanLoose(this.dir)].filter((o) => !known.has(o.hash));
    this.ix.upsertObjects(adopted);
    fs.rmSync(path.join(this.dir, 'tmp'), { recursive: true, force: true });
    const r = this.enforceBudget();
    this.ix.compact();
    return { ...r, repaired: lost.length + adopted.length };
  }

  /** Writes every packed object out as a loose file: a copy of the store that needs no index (the recorded demo). */
  exportLoose(): number {
    const hashes = this.ix.packedHashes();
    for (const h of hashes) {
      const data = this.ix.blob(h);
      if (data) writeLoose(this.dir, h.slice('sha256:'.length), data);
    }
    return hashes.length;
  }

  pin(run: string, hashes: readonly string[]): void {
    this.ix.pin(run, hashes.filter((h) => HASH.test(h)));
  }

  unpin(run: string): boolean {
    return this.ix.unpin(run);
  }

  pinnedRuns(): string[] {
    return this.ix.pinnedRuns();
  }

  stats(): { bytes: number; contentBytes: number; objects: number; pinnedBytes: number } {
    return { ...this.ix.totals(), pinnedBytes: this.ix.pinnedBytes() };
  }
}

function sizeOf(p: string): number | null {
  try {
    return fs.statSync(p).size;
  } catch {
    return null;
  }
}

function readIfHashes(p: string, hex: string): Buffer | null {
  try {
    const buf = fs.readFileSync(p);
    return crypto.createHash('sha256').update(buf).digest('hex') === hex ? buf : null;
  } catch {
    return null;
  }
}
