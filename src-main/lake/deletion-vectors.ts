import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';

/**
 * Deletion vectors (PROTOCOL.md §Deletion Vector Format): a Z85-named `.bin` file holding, at an
 * offset, `int32 BE size | magic | 64-bit portable RoaringBitmap | CRC-32`, or the same bitmap
 * inline in the log. We only need "which row indexes are deleted", so the decoder returns a Set.
 */
export interface DeletionVectorDescriptor {
  readonly storageType: 'u' | 'i' | 'p';
  readonly pathOrInlineDv: string;
  readonly offset?: number | null;
  readonly sizeInBytes: number;
  readonly cardinality: number;
}

const Z85_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';
const Z85_INDEX = new Map([...Z85_ALPHABET].map((c, i) => [c, i]));
const DV_MAGIC = 1681511377;

export function z85Decode(text: string): Buffer {
  if (text.length % 5 !== 0) throw new AppError('STORE_CORRUPT', `Deletion vector id "${text}" is not valid Z85.`);
  const out = Buffer.alloc((text.length / 5) * 4);
  for (let i = 0, o = 0; i < text.length; i += 5, o += 4) {
    let v = 0;
    for (let k = 0; k < 5; k++) {
      const d = Z85_INDEX.get(text[i + k]!);
      if (d === undefined) throw new AppError('STORE_CORRUPT', `Deletion vector id "${text}" is not valid Z85.`);
      v = v * 85 + d;
    }
    out.writeUInt32BE(v >>> 0, o);
  }
  return out;
}

/** Stable identity of a DV for log reconciliation (`(path, dvId)` is the logical file key). */
export function deletionVectorId(dv: DeletionVectorDescriptor | null | undefined): string {
  if (!dv) return '';
  return `${dv.storageType}${dv.pathOrInlineDv}${dv.offset != null ? `@${dv.offset}` : ''}`;
}

/** The file holding a stored (non-inline) deletion vector. */
export function dvFilePath(tableDir: string, dv: DeletionVectorDescriptor): string {
  if (dv.storageType === 'p') return dv.pathOrInlineDv.startsWith('file:') ? new URL(dv.pathOrInlineDv).pathname : dv.pathOrInlineDv;
  const encoded = dv.pathOrInlineDv;
  const prefix = encoded.slice(0, encoded.length - 20);
  const hex = z85Decode(encoded.slice(-20)).toString('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const standard = path.join(tableDir, prefix, `deletion_vector_${uuid}.bin`);
  if (fs.existsSync(standard)) return standard;
  // Spark's own test tables add a file-name prefix (e.g. "test%dv%prefix-") that the log does
  // not record; accept any file in that folder that ends with the standard name.
  const folder = path.dirname(standard);
  const suffix = `deletion_vector_${uuid}.bin`;
  const match = fs.existsSync(folder) ? fs.readdirSync(folder).find((n) => n.endsWith(suffix)) : undefined;
  return match ? path.join(folder, match) : standard;
}

/** Loads the set of deleted row indexes of one data file. */
export function loadDeletionVector(tableDir: string, dv: DeletionVectorDescriptor): Set<number> {
  let bitmap: Buffer;
  if (dv.storageType === 'i') {
    bitmap = z85Decode(dv.pathOrInlineDv).subarray(0, dv.sizeInBytes);
  } else {
    const file = dvFilePath(tableDir, dv);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      throw new AppError('NOT_FOUND', `Deletion vector file ${file} is missing.`);
    }
    try {
      const header = Buffer.alloc(4);
      const offset = dv.offset ?? 1;
      fs.readSync(fd, header, 0, 4, offset);
      const size = header.readInt32BE(0);
      bitmap = Buffer.alloc(size);
      fs.readSync(fd, bitmap, 0, size, offset + 4);
    } finally {
      fs.closeSync(fd);
    }
  }
  const rows = decodeDeletionBitmap(bitmap);
  if (rows.size !== dv.cardinality) {
    throw new AppError('STORE_CORRUPT', `Deletion vector ${dv.pathOrInlineDv} holds ${rows.size} rows but the log says ${dv.cardinality}.`);
  }
  return rows;
}

/** Decodes `magic | RoaringTreemap (portable)` into row indexes. */
export function decodeDeletionBitmap(buf: Buffer): Set<number> {
  if (buf.readInt32LE(0) !== DV_MAGIC) throw new AppError('STORE_CORRUPT', 'A deletion vector has the wrong magic number.');
  const rows = new Set<number>();
  let pos = 4;
  const buckets = Number(buf.readBigUInt64LE(pos));
  pos += 8;
  for (let b = 0; b < buckets; b++) {
    const high = buf.readUInt32LE(pos);
    pos += 4;
    pos = decodeRoaring32(buf, pos, high * 2 ** 32, rows);
  }
  return rows;
}

const SERIAL_COOKIE_NO_RUN = 12346;
const SERIAL_COOKIE = 12347;

function decodeRoaring32(buf: Buffer, start: number, highBase: number, rows: Set<number>): number {
  let pos = start;
  const cookie = buf.readUInt32LE(pos);
  pos += 4;
  let size: number;
  let runFlags: Buffer | null = null;
  if ((cookie & 0xffff) === SERIAL_COOKIE) {
    size = (cookie >>> 16) + 1;
    runFlags = buf.subarray(pos, pos + Math.ceil(size / 8));
    pos += Math.ceil(size / 8);
  } else if (cookie === SERIAL_COOKIE_NO_RUN) {
    size = buf.readUInt32LE(pos);
    pos += 4;
  } else {
    throw new AppError('STORE_CORRUPT', 'A deletion vector holds an unknown Roaring bitmap format.');
  }
  const keys: number[] = [];
  const cards: number[] = [];
  for (let i = 0; i < size; i++) {
    keys.push(buf.readUInt16LE(pos));
    cards.push(buf.readUInt16LE(pos + 2) + 1);
    pos += 4;
  }
  // The offset header exists unless the run format is used with fewer than 4 containers.
  if (!runFlags || size >= 4) pos += 4 * size;
  for (let i = 0; i < size; i++) {
    const base = highBase + keys[i]! * 65536;
    const isRun = runFlags ? ((runFlags[i >> 3]! >> (i & 7)) & 1) === 1 : false;
    if (isRun) {
      const nRuns = buf.readUInt16LE(pos);
      pos += 2;
      for (let r = 0; r < nRuns; r++) {
        const s = buf.readUInt16LE(pos), len = buf.readUInt16LE(pos + 2);
        pos += 4;
        for (let v = s; v <= s + len; v++) rows.add(base + v);
      }
    } else if (cards[i]! > 4096) {
      for (let w = 0; w < 2048; w++) {
        const word = buf.readUInt32LE(pos + w * 4);
        if (word === 0) continue;
        for (let bit = 0; bit < 32; bit++) if ((word >>> bit) & 1) rows.add(base + w * 32 + bit);
      }
      pos += 8192;
    } else {
      for (let k = 0; k < cards[i]!; k++) rows.add(base + buf.readUInt16LE(pos + 2 * k));
      pos += 2 * cards[i]!;
    }
  }
  return pos;
}
