/**
 * The lineage index on disk (`.retrace/lineage-index.bin`): a JSON header (format, meta,
 * column layout) and every column's values as raw little-endian arrays, 8-byte aligned.
 * Saved atomically; loaded lazily, one column at a time, as queries need them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { ReadableDb } from '../../db/open-db';
import type { Column, ColumnArray } from './columns';
import { LineageIndex, type Meta } from './lineage-index';

const FORMAT = 'retrace-lineage-index/3';

/** Writes the index to `file` atomically (temp file + rename), so a reader never sees half of it. */
export function saveIndex(ix: LineageIndex, file: string): void {
  const cols = ix.columns();
  const parts: Buffer[] = [];
  const layout: { name: string; bytes: number }[] = [];
  for (const [name, col, n] of cols) {
    col.ensure(n);
    const view = col.data.subarray(0, n);
    const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
    layout.push({ name, bytes: bytes.length });
    parts.push(bytes);
    const pad = (8 - (bytes.length % 8)) % 8;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  let header = Buffer.from(JSON.stringify({ format: FORMAT, meta: ix.meta, layout }));
  const headerPad = (8 - ((header.length + 4) % 8)) % 8;
  header = Buffer.concat([header, Buffer.alloc(headerPad, 0x20)]);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.concat([len, header, ...parts]));
  fs.renameSync(tmp, file);
}

/**
 * Loads a saved index when it still describes a prefix of this DB (same rows at its last
 * ids), else returns null and the caller rebuilds. Only the header is read here: each column
 * is read from the file when a query first uses it (through a descriptor kept open, so a
 * newer file saved meanwhile cannot mix in), and the check against the DB peeks at single
 * values. A cold footprint thus reads about a third of the file.
 */
export function loadIndex(file: string, db: ReadableDb): LineageIndex | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  const open = new OpenIndexFile(fd);
  let keep = false;
  try {
    const lenBuf = Buffer.alloc(4);
    if (fs.readSync(fd, lenBuf, 0, 4, 0) !== 4) return null;
    const headerLen = lenBuf.readUInt32LE(0);
    const size = fs.fstatSync(fd).size;
    if (4 + headerLen > size) return null;
    const headerBuf = Buffer.alloc(headerLen);
    readFully(fd, headerBuf, 4, file);
    const header = JSON.parse(headerBuf.toString('utf8')) as { format: string; meta: Meta; layout: { name: string; bytes: number }[] };
    if (header.format !== FORMAT) return null;
    const ix = new LineageIndex();
    ix.meta = { ...header.meta };
    let off = 4 + headerLen;
    const byName = new Map(ix.columns().map(([n, c]) => [n, c]));
    const deferred = new Set<Column<ColumnArray>>();
    for (const { name, bytes } of header.layout) {
      const col = byName.get(name);
      const width = col?.bytesPerElement ?? 1;
      if (!col || bytes % width !== 0 || off + bytes > size) return null;
      const at = off;
      deferred.add(col);
      col.deferTo(bytes / width, (into) => {
        readFully(fd, new Uint8Array(into.buffer, into.byteOffset, bytes), at, file);
        deferred.delete(col);
        if (keep && deferred.size === 0) open.close();
      }, (i) => {
        if (i < 0 || (i + 1) * width > bytes) return 0;
        const one = Buffer.alloc(8);
        readFully(fd, one.subarray(0, width), at + i * width, file);
        return width === 1 ? one[0]! : width === 4 ? one.readInt32LE(0) : one.readDoubleLE(0);
      });
      off += bytes + ((8 - (bytes % 8)) % 8);
    }
    ix.restoreRenames();
    if (!ix.matches(db)) return null;
    keep = deferred.size > 0;
    if (keep) CLOSE_WHEN_COLLECTED.register(ix, open);
    return ix;
  } catch {
    return null;
  } finally {
    if (!keep) open.close();
  }
}

/** The descriptor a loaded index reads its deferred columns through; closed once all are read. */
class OpenIndexFile {
  private open = true;
  constructor(private readonly fd: number) {}
  close(): void {
    if (!this.open) return;
    this.open = false;
    try { fs.closeSync(this.fd); } catch { /* already closed */ }
  }
}

/** An index dropped before reading all its columns still releases its file descriptor. */
const CLOSE_WHEN_COLLECTED = new FinalizationRegistry<OpenIndexFile>((f) => f.close());

function readFully(fd: number, into: Uint8Array, position: number, file: string): void {
  for (let done = 0; done < into.length; ) {
    const n = fs.readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) throw new AppError('STORE_CORRUPT', `The lineage index ${file} ended early; delete it and it is rebuilt from the metadata DB.`);
    done += n;
  }
}
