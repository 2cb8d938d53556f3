import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Content versions of files: streaming SHA-256, remembered by (size, mtime) in
 * `.retrace/capture-hash-cache/` so unchanged big inputs are not re-read on every run.
 * Above `fingerprintAboveBytes` a cheaper fingerprint is used — size plus three 1 MiB samples
 * (start, middle, end) — and its value is prefixed `sampled-sha256:` so no one mistakes it for a
 * full content hash.
 */
export const DEFAULT_FINGERPRINT_ABOVE_BYTES = 512 * 1024 * 1024;
const SAMPLE_BYTES = 1024 * 1024;

interface CacheEntry {
  size: number;
  mtimeMs: number;
  hash: string;
}

/**
 * Sharded by the file's folder (`<cacheDir>/<sha1 of folder>.json`), so a run pays only for the
 * folders it touched: one cache file for a whole workspace grew to megabytes after an I/O-heavy
 * run and cost every later run a second to load and save.
 */
export class HashCache {
  private readonly shards = new Map<string, { entries: Record<string, CacheEntry>; dirty: boolean }>();

  constructor(private readonly cacheDir: string | null) {}

  private shard(absPath: string): { entries: Record<string, CacheEntry>; dirty: boolean } {
    const dir = path.dirname(absPath);
    let s = this.shards.get(dir);
    if (!s) {
      s = { entries: {}, dirty: false };
      if (this.cacheDir) {
        try {
          const parsed: unknown = JSON.parse(fs.readFileSync(this.shardFile(dir), 'utf8'));
          if (parsed && typeof parsed === 'object') s.entries = parsed as Record<string, CacheEntry>;
        } catch {
          // Missing or damaged shard: start empty; it is only an optimisation.
        }
      }
      this.shards.set(dir, s);
    }
    return s;
  }

  private shardFile(dir: string): string {
    return path.join(this.cacheDir!, `${crypto.createHash('sha1').update(dir).digest('hex')}.json`);
  }

  get(absPath: string, size: number, mtimeMs: number): string | undefined {
    const e = this.shard(absPath).entries[path.basename(absPath)];
    return e && e.size === size && e.mtimeMs === mtimeMs ? e.hash : undefined;
  }

  /** The last known version of a path whatever its current size and mtime (see captureRun). */
  peek(absPath: string): CacheEntry | undefined {
    return this.shard(absPath).entries[path.basename(absPath)];
  }

  set(absPath: string, size: number, mtimeMs: number, hash: string): void {
    const s = this.shard(absPath);
    s.entries[path.basename(absPath)] = { size, mtimeMs, hash };
    s.dirty = true;
  }

  /** Writes changed shards atomically (temp + rename) so concurrent runs never read half a file. */
  save(): void {
    if (!this.cacheDir) return;
    for (const [dir, s] of this.shards) {
      if (!s.dirty) continue;
      fs.mkdirSync(this.cacheDir, { recursive: true });
      const file = this.shardFile(dir);
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(s.entries));
      fs.renameSync(tmp, file);
      s.dirty = false;
    }
  }
}

export interface FileVersion {
  hash: string;
  size: number;
  sampled: boolean;
}

/** Size and mtime of a file already stat'ed by the caller (the classifier lstat'ed every path). */
export interface KnownStat {
  size: number;
  mtimeMs: number;
}

/**
 * Hashes one regular file; null when it is missing or not a regular file. With `known` (from a
 * stat taken after the run) a cache hit costs no system call at all, and a miss on a small file
 * costs open, read and close: an I/O-heavy stage writes tens of thousands of small outputs, and
 * their hashing is on the path of every `retrace run`.
 */
export async function hashFile(absPath: string, cache: HashCache, fingerprintAboveBytes = DEFAULT_FINGERPRINT_ABOVE_BYTES, known?: KnownStat): Promise<FileVersion | null> {
  if (known) {
    const cached = cache.get(absPath, known.size, known.mtimeMs);
    if (cached) return { hash: cached, size: known.size, sampled: cached.startsWith('sampled-') };
    if (known.size <= READ_BUFFER.length) {
      const hash = readSmallSha256(absPath, known.size);
      if (hash !== null) {
        cache.set(absPath, known.size, known.mtimeMs, hash);
        return { hash, size: known.size, sampled: false };
      }
    }
  }
  let st: fs.Stats;
  try {
    st = fs.statSync(absPath);
  } catch {
    return null;
  }
  if (!st.isFile()) return null;
  const cached = cache.get(absPath, st.size, st.mtimeMs);
  if (cached) return { hash: cached, size: st.size, sampled: cached.startsWith('sampled-') };
  const sampled = st.size > fingerprintAboveBytes;
  // Small files in one read: a 1 MiB stream buffer per tiny file costs more than the hashing.
  const hash = sampled ? sampledFingerprint(absPath, st.size) : st.size <= SMALL_FILE_BYTES ? readSha256(absPath) : await streamSha256(absPath);
  if (hash === null) return null;
  cache.set(absPath, st.size, st.mtimeMs, hash);
  return { hash, size: st.size, sampled };
}

const SMALL_FILE_BYTES = 4 * 1024 * 1024;
const READ_BUFFER = Buffer.alloc(64 * 1024);

/** One read into a shared buffer; null when the file is not `size` bytes long any more. */
function readSmallSha256(absPath: string, size: number): string | null {
  let fd: number;
  try {
    fd = fs.openSync(absPath, 'r');
  } catch {
    return null;
  }
  try {
    const n = fs.readSync(fd, READ_BUFFER, 0, Math.min(size + 1, READ_BUFFER.length), 0);
    if (n !== size) return null;
    return `sha256:${crypto.createHash('sha256').update(READ_BUFFER.subarray(0, n)).digest('hex')}`;
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** The same for small files (lockfiles) where a synchronous read is cheaper than a stream. */
export function hashFileSync(absPath: string, cache: HashCache): string | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(absPath);
  } catch {
    return null;
  }
  if (!st.isFile()) return null;
  const cached = cache.get(absPath, st.size, st.mtimeMs);
  if (cached) return cached;
  const hash = readSha256(absPath);
  if (hash !== null) cache.set(absPath, st.size, st.mtimeMs, hash);
  return hash;
}

function readSha256(absPath: string): string | null {
  try {
    return sha256Text(fs.readFileSync(absPath));
  } catch {
    return null;
  }
}

async function streamSha256(absPath: string): Promise<string | null> {
  const h = crypto.createHash('sha256');
  try {
    for await (const chunk of fs.createReadStream(absPath, { highWaterMark: 1024 * 1024 })) h.update(chunk as Buffer);
  } catch {
    return null;
  }
  return `sha256:${h.digest('hex')}`;
}

function sampledFingerprint(absPath: string, size: number): string | null {
  const h = crypto.createHash('sha256');
  h.update(`size:${size};`);
  let fd: number;
  try {
    fd = fs.openSync(absPath, 'r');
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    for (const offset of [0, Math.floor(size / 2 - SAMPLE_BYTES / 2), size - SAMPLE_BYTES]) {
      const n = fs.readSync(fd, buf, 0, SAMPLE_BYTES, Math.max(0, offset));
      h.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return `sampled-sha256:${h.digest('hex')}`;
}

/** SHA-256 of a string or buffer, `sha256:`-prefixed like file hashes. */
export function sha256Text(data: string | Buffer): string {
  return `sha256:${crypto.createHash('sha256').update(data).digest('hex')}`;
}
