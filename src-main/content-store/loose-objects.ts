import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ObjectRow } from './store-index';

/**
 * Large objects live as loose, read-only files `objects/ab/cdef…` — streamed through a temp file
 * and a rename, hashed on the way, so a reader never sees half of one and a file that changed
 * since the run hashed it is never stored under the old name. Never hard links into the
 * workspace: the user's next in-place write would change the stored "old" version with it.
 */
export function loosePath(dir: string, hex: string): string {
  return path.join(dir, hex.slice(0, 2), hex.slice(2));
}

/** Copies `src` to `dest`; the size, or null when the bytes do not hash to `hex` (or the file is gone). */
export async function copyLooseVerified(src: string, hex: string, dest: string, tmpDir: string): Promise<number | null> {
  fs.mkdirSync(tmpDir, { recursive: true });
  fs.mkdirSync(path.dirname(dest), { recursive: true });
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
  } catch {
    return null;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Writes a packed object out as a loose file (a recorded workspace ships objects without an index). */
export function writeLoose(dir: string, hex: string, data: Buffer): void {
  const dest = loosePath(dir, hex);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  try {
    fs.writeFileSync(dest, data, { flag: 'wx', mode: 0o444 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

export async function sha256OfFile(p: string): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(p, { highWaterMark: 1024 * 1024 })) h.update(chunk as Buffer);
  return `sha256:${h.digest('hex')}`;
}

/** Every loose object under the store folder, with its size and modification time. */
export function* scanLoose(dir: string): IterableIterator<ObjectRow> {
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
