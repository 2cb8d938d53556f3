import {
  Binary, Bool, type Data, DateDay, Decimal, Field, Float32, Float64, Int16, Int32, Int64, Int8, makeData, RecordBatch,
  Schema, Struct, Table, TimestampMicrosecond, Utf8, vectorFromArray, type DataType,
} from 'apache-arrow';
import { AppError } from '../../shared/errors';
import {
  type DeltaField, type Row, dateToDays, decimalParams, isDecimal, parseDecimal, toMicros,
} from './delta-types';

/**
 * Rows (Retrace's JSON-safe values) → an apache-arrow Table with the Parquet types Delta expects
 * (timestamp = INT64 µs UTC, timestamp_ntz = µs without zone, date = DATE32, decimal = 128-bit).
 * Every column gets its own buffers: arrow-js writes a corrupt IPC stream when two columns share
 * one typed array (apache/arrow-js#315).
 */
export function arrowTypeOf(field: DeltaField): DataType {
  const t = field.type;
  switch (t) {
    case 'string': return new Utf8();
    case 'long': return new Int64();
    case 'integer': return new Int32();
    case 'short': return new Int16();
    case 'byte': return new Int8();
    case 'float': return new Float32();
    case 'double': return new Float64();
    case 'boolean': return new Bool();
    case 'binary': return new Binary();
    case 'date': return new DateDay();
    case 'timestamp': return new TimestampMicrosecond('UTC');
    case 'timestamp_ntz': return new TimestampMicrosecond();
    default:
      if (typeof t === 'string' && isDecimal(t)) {
        const { precision, scale } = decimalParams(t);
        return new Decimal(scale, precision, 128);
      }
      throw new AppError('UNSUPPORTED', `Column "${field.name}" has type ${JSON.stringify(t)}, which Retrace cannot write yet.`);
  }
}

function validity(values: readonly unknown[]): { bitmap: Uint8Array; nullCount: number } {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null || values[i] === undefined) nullCount++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return { bitmap, nullCount };
}

/** One column of values → Arrow Data. */
export function columnData(field: DeltaField, values: readonly unknown[]): Data {
  const type = arrowTypeOf(field);
  const n = values.length;
  const { bitmap, nullCount } = validity(values);
  const nullBitmap = nullCount > 0 ? bitmap : undefined;
  const t = field.type;
  const numeric = (arr: Int8Array | Int16Array | Int32Array | Float32Array | Float64Array): Data => {
    for (let i = 0; i < n; i++) { const v = values[i]; if (v !== null && v !== undefined) arr[i] = Number(v); }
    return makeData({ type: type as never, length: n, nullCount, nullBitmap, data: arr } as never);
  };
  const wide = (conv: (v: unknown) => bigint): Data => {
    const arr = new BigInt64Array(n);
    for (let i = 0; i < n; i++) { const v = values[i]; if (v !== null && v !== undefined) arr[i] = conv(v); }
    return makeData({ type: type as never, length: n, nullCount, nullBitmap, data: arr } as never);
  };
  switch (t) {
    case 'string': return utf8Data(values, nullCount, nullBitmap);
    case 'boolean': return vectorFromArray(values.map((v) => (v === null || v === undefined ? null : v === true)), new Bool()).data[0]!;
    case 'binary': return vectorFromArray(values.map((v) => (v === null || v === undefined ? null : Buffer.from(String(v), 'base64'))), new Binary()).data[0]!;
    case 'integer': return numeric(new Int32Array(n));
    case 'short': return numeric(new Int16Array(n));
    case 'byte': return numeric(new Int8Array(n));
    case 'float': return numeric(new Float32Array(n));
    case 'double': return numeric(new Float64Array(n));
    case 'long': return wide((v) => BigInt(v as string | number));
    case 'timestamp': case 'timestamp_ntz': return wide((v) => toMicros(t === 'timestamp_ntz' ? String(v).replace(/Z$/, '') : v));
    case 'date': {
      const arr = new Int32Array(n);
      for (let i = 0; i < n; i++) { const v = values[i]; if (v !== null && v !== undefined) arr[i] = dateToDays(v); }
      return makeData({ type: type as DateDay, length: n, nullCount, nullBitmap, data: arr });
    }
    default: {
      const { scale } = decimalParams(String(t));
      const words = new Uint32Array(n * 4);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) continue;
        let x = BigInt.asUintN(128, parseDecimal(v, scale));
        for (let w = 0; w < 4; w++) { words[i * 4 + w] = Number(x & 0xffffffffn); x >>= 32n; }
      }
      return makeData({ type: type as Decimal, length: n, nullCount, nullBitmap, data: words });
    }
  }
}

const encoder = new TextEncoder();

/** Utf8 column built by hand: apache-arrow's generic builder is ~10× slower on 1M strings. */
function utf8Data(values: readonly unknown[], nullCount: number, nullBitmap: Uint8Array | undefined): Data {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  let bytes = new Uint8Array(Math.max(64, n * 16));
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) {
      const str = typeof v === 'string' ? v : String(v);
      // A UTF-16 code unit needs at most 3 UTF-8 bytes.
      if (pos + str.length * 3 > bytes.length) {
        const grown = new Uint8Array(Math.max(bytes.length * 2, pos + str.length * 3));
        grown.set(bytes.subarray(0, pos));
        bytes = grown;
      }
      // Short ASCII strings are copied by hand: encodeInto's per-call cost dominates for them.
      let ascii = str.length <= 64;
      if (ascii) {
        for (let k = 0; k < str.length; k++) {
          const c = str.charCodeAt(k);
          if (c > 127) { ascii = false; break; }
          bytes[pos + k] = c;
        }
      }
      pos += ascii ? str.length : encoder.encodeInto(str, bytes.subarray(pos)).written;
    }
    offsets[i + 1] = pos;
  }
  return makeData({ type: new Utf8(), length: n, nullCount, nullBitmap, valueOffsets: offsets, data: bytes.slice(0, pos) });
}

/** Builds a Table from row objects for the given fields (in order). */
export function rowsToArrow(fields: readonly DeltaField[], rows: readonly Row[]): Table {
  const arrowFields = fields.map((f) => new Field(f.name, arrowTypeOf(f), f.nullable !== false));
  const children = fields.map((f) => columnData(f, rows.map((r) => r[f.name])));
  const schema = new Schema(arrowFields);
  const data = makeData({ type: new Struct(arrowFields), length: rows.length, nullCount: 0, children });
  return new Table([new RecordBatch(schema, data)]);
}
