import fs from 'node:fs';
import avro from 'avsc';
import { AppError } from '../../shared/errors';
import { deltaTypeOfArrow, vectorToValues } from './arrow-read';
import { type Row, daysToDate, formatDecimal, microsToIso, normalizeBigInt } from './delta-types';
import { readParquetBytes } from './parquet-io';

/**
 * Hudi log files (merge-on-read): `.<fileId>_<instant>.log.<version>_<writeToken>`, a sequence of
 * blocks, each `#HUDI#`, an 8-byte length, a format version, a block type, a header (instant
 * time, the writer's Avro schema, a rollback's target), the content, a footer and the total
 * length (all big-endian). Data blocks hold whole records, Avro (a count, then length-prefixed
 * Avro datums in the header's schema) or Parquet (a complete Parquet file); delete blocks an Avro
 * HoodieDeleteRecordList; command blocks a rollback of an instant. Records come out as Rows in
 * the same value shapes as base files read through Arrow (decimals as strings, timestamps ISO).
 */
export type HudiBlock =
  | { readonly kind: 'data'; readonly instant: string; readonly rows: Row[] }
  | { readonly kind: 'delete'; readonly instant: string; readonly keys: { key: string; partition: string | null; ordering: unknown }[] }
  | { readonly kind: 'rollback'; readonly instant: string; readonly target: string };

const MAGIC = '#HUDI#';
enum BlockType { Command = 0, Delete = 1, Corrupted = 2, AvroData = 3, HfileData = 4, ParquetData = 5, CdcData = 6 }
enum HeaderKey { InstantTime = 0, TargetInstantTime = 1, Schema = 2, CommandBlockType = 3 }

// Longs as bigint: avsc's default refuses values beyond 2^53 (Hudi timestamps in ns can be).
const LongAsBigInt = (avro.types.LongType as unknown as { __with(m: object): unknown }).__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(n)); return b; },
  fromJSON: (n: unknown) => BigInt(n as number), toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint', compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

const typeCache = new Map<string, avro.Type>();
function avroType(schema: string): avro.Type {
  let t = typeCache.get(schema);
  if (!t) {
    t = avro.Type.forSchema(JSON.parse(schema) as avro.Schema, { registry: { long: LongAsBigInt as avro.Type } });
    typeCache.set(schema, t);
  }
  return t;
}

type AvroSchemaNode = string | { type: unknown; logicalType?: string; scale?: number; fields?: { name: string; type: AvroSchemaNode }[]; items?: AvroSchemaNode; values?: AvroSchemaNode } | AvroSchemaNode[];

/** Two's-complement big-endian bytes → bigint (Avro decimal). */
function bytesToBigInt(b: Buffer): bigint {
  if (b.length === 0) return 0n;
  let v = BigInt(`0x${b.toString('hex')}`);
  if (b[0]! & 0x80) v -= 1n << BigInt(b.length * 8);
  return v;
}

/** An Avro value (avsc, unions unwrapped) in Retrace's row shapes, guided by its schema node. */
function fromAvro(v: unknown, node: AvroSchemaNode): unknown {
  if (v === null || v === undefined) return null;
  if (Array.isArray(node)) {
    // A union: pick the branch the value fits (avsc unwrapped it for [null, X]).
    const branches = node.filter((b) => b !== 'null');
    return fromAvro(v, branches.length === 1 ? branches[0]! : branches.find((b) => typeof b === 'object' && !Array.isArray(b) && (b.type === 'record') === (typeof v === 'object')) ?? branches[0]!);
  }
  if (typeof node === 'object') {
    const lt = node.logicalType;
    if (lt === 'decimal') return formatDecimal(bytesToBigInt(v as Buffer), node.scale ?? 0);
    if (lt === 'date') return daysToDate(Number(v));
    if (lt === 'timestamp-micros' || lt === 'local-timestamp-micros') return microsToIso(BigInt(v as bigint), lt === 'timestamp-micros');
    if (lt === 'timestamp-millis' || lt === 'local-timestamp-millis') return microsToIso(BigInt(v as bigint) * 1000n, lt === 'timestamp-millis');
    if (node.type === 'record') {
      const out: Row = {};
      for (const f of node.fields ?? []) out[f.name] = fromAvro((v as Row)[f.name], f.type);
      return out;
    }
    if (node.type === 'array') return (v as unknown[]).map((x) => fromAvro(x, node.items!));
    if (node.type === 'map') return Object.fromEntries(Object.entries(v as Row).map(([k, x]) => [k, fromAvro(x, node.values!)]));
    return fromAvro(v, node.type as AvroSchemaNode);
  }
  if (typeof v === 'bigint') return normalizeBigInt(v);
  if (Buffer.isBuffer(v)) return v.toString('base64');
  return v;
}

function decodeAvroRecords(content: Buffer, schema: string, where: string): Row[] {
  const version = content.readInt32BE(0);
  if (version !== 3) throw new AppError('UNSUPPORTED', `Hudi log ${where} holds an Avro data block of version ${version}; Retrace reads version 3.`);
  const count = content.readInt32BE(4);
  const type = avroType(schema);
  const node = JSON.parse(schema) as AvroSchemaNode;
  const rows: Row[] = new Array(count);
  let pos = 8;
  for (let i = 0; i < count; i++) {
    const len = content.readInt32BE(pos);
    rows[i] = fromAvro(type.fromBuffer(content.subarray(pos + 4, pos + 4 + len)), node) as Row;
    pos += 4 + len;
  }
  return rows;
}

/**
 * A minimal Avro binary reader for the delete list (HoodieDeleteRecordList): its orderingVal union
 * repeats underlying types (bytes and decimal bytes, int and date, long and timestamps), which
 * avsc refuses as duplicate branches, so the few shapes it needs are read by hand.
 */
class AvroReader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  long(): bigint {
    let n = 0n, shift = 0n, b: number;
    do { b = this.buf[this.pos++]!; n |= BigInt(b & 0x7f) << shift; shift += 7n; } while (b & 0x80);
    return (n >> 1n) ^ -(n & 1n); // zigzag
  }
  int(): number { return Number(this.long()); }
  bytes(): Buffer { const n = this.int(); const out = this.buf.subarray(this.pos, this.pos + n); this.pos += n; return out; }
  string(): string { return this.bytes().toString('utf8'); }
  float(): number { const v = this.buf.readFloatLE(this.pos); this.pos += 4; return v; }
  double(): number { const v = this.buf.readDoubleLE(this.pos); this.pos += 8; return v; }
}

function orderingValue(r: AvroReader): unknown {
  switch (r.int()) {
    case 0: return null;
    case 1: case 8: case 9: return r.int();
    case 2: case 10: case 11: case 12: return normalizeBigInt(r.long());
    case 3: return r.float();
    case 4: return r.double();
    case 5: return r.bytes().toString('base64');
    case 6: return r.string();
    case 7: return formatDecimal(bytesToBigInt(r.bytes()), 15);
    default: throw new Error('unknown orderingVal branch');
  }
}

function decodeDeletes(content: Buffer, where: string): { key: string; partition: string | null; ordering: unknown }[] {
  const version = content.readInt32BE(0);
  if (version !== 3) throw new AppError('UNSUPPORTED', `Hudi log ${where} holds a delete block of version ${version}; Retrace reads version 3 (Hudi 0.x Kryo delete blocks are not read).`);
  const len = content.readInt32BE(4);
  const r = new AvroReader(content.subarray(8, 8 + len));
  const out: { key: string; partition: string | null; ordering: unknown }[] = [];
  const optString = (): string | null => (r.int() === 0 ? null : r.string());
  try {
    for (let count = r.int(); count !== 0; count = r.int()) {
      if (count < 0) { count = -count; r.long(); } // a block with its byte size
      for (let i = 0; i < count; i++) {
        const key = optString(), partition = optString(), ordering = orderingValue(r);
        out.push({ key: key ?? '', partition, ordering });
      }
    }
  } catch {
    throw new AppError('STORE_CORRUPT', `Hudi log ${where} holds a delete block that is not a valid delete list.`, { file: where });
  }
  return out;
}

async function decodeParquetRecords(content: Buffer): Promise<Row[]> {
  const table = readParquetBytes(content);
  const fields = table.schema.fields;
  const cols = fields.map((f) => vectorToValues(table.getChild(f.name)!, deltaTypeOfArrow(f.type, `Column "${f.name}"`)));
  return Array.from({ length: table.numRows }, (_, i) => Object.fromEntries(fields.map((f, k) => [f.name, cols[k]![i]])));
}

/** Every block of one log file, in file order. */
export async function readHudiLogFile(file: string): Promise<HudiBlock[]> {
  const buf = fs.readFileSync(file);
  const blocks: HudiBlock[] = [];
  let pos = 0;
  const corrupt = (why: string): AppError => new AppError('STORE_CORRUPT', `Hudi log file ${file} is damaged at byte ${pos}: ${why}.`, { file });
  while (pos < buf.length) {
    if (buf.length - pos < 6 || buf.toString('latin1', pos, pos + 6) !== MAGIC) throw corrupt('no block marker');
    const lengthAt = pos + 6;
    const blockLength = Number(buf.readBigUInt64BE(lengthAt));
    const end = lengthAt + 8 + blockLength;
    if (end > buf.length) throw corrupt('the last block is cut short');
    let p = lengthAt + 8;
    const formatVersion = buf.readInt32BE(p); p += 4;
    if (formatVersion < 1) throw corrupt(`log format version ${formatVersion} is not one Retrace reads`);
    const type = buf.readInt32BE(p) as BlockType; p += 4;
    const header = new Map<number, string>();
    const entries = buf.readInt32BE(p); p += 4;
    for (let i = 0; i < entries; i++) {
      const key = buf.readInt32BE(p), len = buf.readInt32BE(p + 4);
      header.set(key, buf.toString('utf8', p + 8, p + 8 + len));
      p += 8 + len;
    }
    const contentLength = Number(buf.readBigUInt64BE(p)); p += 8;
    const content = buf.subarray(p, p + contentLength);
    const instant = header.get(HeaderKey.InstantTime) ?? '';
    switch (type) {
      case BlockType.AvroData: blocks.push({ kind: 'data', instant, rows: decodeAvroRecords(content, header.get(HeaderKey.Schema) ?? '"null"', file) }); break;
      case BlockType.ParquetData: blocks.push({ kind: 'data', instant, rows: await decodeParquetRecords(content) }); break;
      case BlockType.Delete: blocks.push({ kind: 'delete', instant, keys: decodeDeletes(content, file) }); break;
      case BlockType.Command:
        // Command type 0 is the only one Hudi defines: roll back TARGET_INSTANT_TIME.
        if (header.get(HeaderKey.CommandBlockType) === '0' || header.has(HeaderKey.TargetInstantTime)) {
          blocks.push({ kind: 'rollback', instant, target: header.get(HeaderKey.TargetInstantTime) ?? '' });
        }
        break;
      case BlockType.Corrupted: break; // a writer that died mid-block; Hudi skips these too
      default:
        throw new AppError('UNSUPPORTED', `Hudi log file ${file} holds a ${BlockType[type] ?? `type ${type}`} block, which Retrace cannot read yet.`);
    }
    pos = end;
  }
  return blocks;
}
