import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Disposable } from '../../shared/disposable';
import { DEFAULT_STORE_CONFIG, type StoreConfig } from './store-config';
import { diskBytes, StoreIndex, type NotStoredReason, type ObjectRow } from './store-index';

/**
 * The content-addressed store under `.retrace/objects/` (issue 15): a copy of every input and
 * output file a captured run hashed, named by its SHA-256 (`objects/ab/cdef…`), so a file the
 * workspace has since overwritten can be restored for a replay and two versions of a code file
 * can be diffed. The same content is stored once however many runs or paths had it.
 *
 * Copies are verified: the bytes written are hashed on the way and must equal the hash the run
 * recorded, so a file that changed after it was hashed is never stored under the wrong name.
 * Objects are plain read-only files written by temp file + rename: readers never see half an
 * object and concurrent writers of the same content agree. No hard links into the workspace —
 * the user's next in-place write would change the stored "old" version with it.
 */
export const OBJECTS_DIR = 'objects';
const SMALL_FILE_BYTES = 4 * 1024 * 1024;
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

  /** The index opens on first use: `has` and `objectPath` need only the file system. */
  private get ix(): StoreIndex {
    this.index ??= StoreIndex.open(path.join(this.dir, 'index.db'), () => scanObjects(this.dir));
    return this.index;
  }

  dispose(): void {
    this.index?.close();
    this.index = null;
  }

  /** Shard folders known to exist in this process: storing a file costs no mkdir after the first in its shard. */
  private readonly shards = new Set<string>();

  private ensureShard(objectFile: string): void {
    const dir = path.dirname(objectFile);
    if (this.shards.has(dir)) return;
    fs.mkdirSync(dir, { recursive: true });
    this.shards.add(dir);
  }

  /** Where the object for a content hash lives; null when the hash is not a full SHA-256. */
  objectPath(hash: string): string | null {
    const m = HASH.exec(hash);
    return m ? path.join(this.dir, m[1]!.slice(0, 2), m[1]!.slice(2)) : null;
  }

  has(hash: string): boolean {
    const p = this.objectPath(hash);
    return p !== null && fs.existsSync(p);
  }

  /** Why a content hash has no object: evicted, above the size limit, ignored, or never seen. */
  whyMissing(hash: string): MissingReason {
    if (!HASH.test(hash)) return 'not-a-content-hash';
    return this.ix.notStoredReason(hash) ?? 'never-stored';
  }

  /** The stored bytes (and counts as a use of the object); null when not stored or damaged. */
  read(hash: string): Buffer | null {
    const p = this.objectPath(hash);
    if (!p) return null;
    let buf: Buffer;
    try {
      buf = fs.readFileSync(p);
    } catch {
      return null;
    }
    if (`sha256:${crypto.createHash('sha256').update(buf).digest('hex')}` !== hash) return this.dropDamaged(hash, p);
    this.ix.touch([hash], this.clock());
    return buf;
  }

  /**
   * Copies an object to `dest` (writable, parents created) and checks the copy against its
   * hash; false when it is not stored or was damaged (a crash while it was written).
   */
  async restoreTo(hash: string, dest: string): Promise<boolean> {
    const p = this.objectPath(hash);
    if (!p || !fs.existsSync(p)) return false;
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    // FICLONE: a copy-on-write clone where the file system has them (btrfs, XFS), else a copy.
    fs.copyFileSync(p, dest, fs.constants.COPYFILE_FICLONE);
    fs.chmodSync(dest, 0o644);
    if ((await sha256OfFile(dest)) !== hash) {
      fs.rmSync(dest, { force: true });
      this.dropDamaged(hash, p);
      return false;
    }
    this.ix.touch([hash], this.clock());
    return true;
  }

  private dropDamaged(hash: string, objectFile: string): null {
    fs.rmSync(objectFile, { force: true });
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
    const stored: ObjectRow[] = [];
    const present: string[] = [];
    const notStored: { hash: string; reason: NotStoredReason; size: number | null }[] = [];
    for (const f of files) {
      const obj = this.objectPath(f.hash);
      if (!obj || seen.has(f.hash)) continue;
      seen.add(f.hash);
      const size = f.size ?? sizeOf(f.absPath);
      if (f.ignored || (size !== null && size > this.config.maxFileBytes)) {
        if (fs.existsSync(obj)) present.push(f.hash);
        else notStored.push({ hash: f.hash, reason: f.ignored ? 'ignored' : 'too-big', size });
        report.hashOnly++;
        continue;
      }
      if (fs.existsSync(obj)) {
        present.push(f.hash);
        report.present++;
        continue;
      }
      this.ensureShard(obj);
      const bytes = await copyVerified(f.absPath, f.hash, obj, size, path.join(this.dir, 'tmp'));
      if (bytes === null) {
        report.changed++;
        continue;
      }
      stored.push({ hash: f.hash, size: bytes, lastUsed: now });
      report.stored++;
      report.bytesStored += bytes;
    }
    if (stored.length + present.length + notStored.length === 0) return report;
    this.ix.upsertObjects(stored);
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
      const p = this.objectPath(o.hash);
      if (p) fs.rmSync(p, { force: true });
      gone.push(o.hash);
      bytes -= diskBytes(o.size);
      freed += diskBytes(o.size);
    }
    this.ix.removeObjects(gone, 'evicted', this.clock());
    return { evicted: gone.length, freedBytes: freed, overBudgetBytes: Math.max(0, bytes - budgetBytes) };
  }

  /**
   * `retrace gc`: forgets objects deleted behind the store's back, removes temp files of
   * interrupted copies and objects the index does not know, then holds the budget.
   */
  collectGarbage(): { evicted: number; freedBytes: number; overBudgetBytes: number; repaired: number } {
    let repaired = 0;
    const known = new Set<string>();
    const lost: string[] = [];
    for (const o of this.ix.allObjects()) {
      if (this.has(o.hash)) known.add(o.hash);
      else lost.push(o.hash);
    }
    this.ix.removeObjects(lost, 'evicted', this.clock());
    repaired += lost.length;
    // Objects on disk the index lost (a crash between rename and index write) are adopted.
    const adopted = [...scanObjects(this.dir)].filter((o) => !known.has(o.hash));
    this.ix.upsertObjects(adopted);
    repaired += adopted.length;
    fs.rmSync(path.join(this.dir, 'tmp'), { recursive: true, force: true });
    return { ...this.enforceBudget(), repaired };
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

async function sha256OfFile(p: string): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(p, { highWaterMark: 1024 * 1024 })) h.update(chunk as Buffer);
  return `sha256:${h.digest('hex')}`;
}

function sizeOf(p: string): number | null {
  try {
    return fs.statSync(p).size;
  } catch {
    return null;
  }
}

/**
 * Copies `src` to the object `dest`, hashing the bytes on the way; null when they do not match
 * `hash` (the file changed after the run hashed it) or the file is gone. Small files are read
 * once and written with O_EXCL straight to their place — a handful of syscalls per file, which
 * is what 20,000 small outputs cost; a concurrent writer of the same object wins harmlessly.
 * Large files stream through a temp file and a rename, so a reader never sees half of one.
 */
async function copyVerified(src: string, hash: string, dest: string, size: number | null, tmpDir: string): Promise<number | null> {
  const hex = hash.slice('sha256:'.length);
  try {
    if (size !== null && size <= SMALL_FILE_BYTES) {
      const buf = fs.readFileSync(src);
      if (crypto.createHash('sha256').update(buf).digest('hex') !== hex) return null;
      try {
        fs.writeFileSync(dest, buf, { flag: 'wx', mode: 0o444 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      return buf.length;
    }
    return await streamCopyVerified(src, hex, dest, tmpDir);
  } catch {
    return null;
  }
}

async function streamCopyVerified(src: string, hex: string, dest: string, tmpDir: string): Promise<number | null> {
  fs.mkdirSync(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `${path.basename(dest)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`);
  try {
    const h = crypto.createHash('sha256');
    let size = 0;
    const out = fs.createWriteStream(tmp, { mode: 0o444 });
    const closed = new Promise<void>((resolve, reject) => {
      out.once('close', resolve);
      out.once('error', reject);
    });
    for await (const chunk of fs.createReadStream(src, { highWaterMark: 1024 * 1024 })) {
      h.update(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    out.end();
    await closed;
    if (h.digest('hex') !== hex) return null;
    fs.renameSync(tmp, dest);
    return size;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Every object file under the store folder, with its size and modification time. */
function* scanObjects(dir: string): IterableIterator<ObjectRow> {
  let shards: fs.Dirent[];
  try {
    shards = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const s of shards) {
    if (!s.isDirectory() || !/^[0-9a-f]{2}$/.test(s.name)) continue;
    for (const name of fs.readdirSync(path.join(dir, s.name))) {
      if (!/^[0-9a-f]{62}$/.test(name)) continue;
      const st = fs.statSync(path.join(dir, s.name, name));
      yield { hash: `sha256:${s.name}${name}`, size: st.size, lastUsed: Math.floor(st.mtimeMs) };
    }
  }
}
