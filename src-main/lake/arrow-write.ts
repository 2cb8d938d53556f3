import {
  Binary, Bool, type Data, DateDay, Decimal, Field, Float32, Float64, Int16, Int32, Int64, Int8, List, makeData, Map_, RecordBatch,
  Schema, Struct, Table, TimestampMicrosecond, Utf8, vectorFromArray, type DataType,
} from 'apache-arrow';
import { AppError } from '../../shared/errors';
import { type ColumnMappingMode, fieldId, physicalName } from './column-mapping';
import {
  type DeltaField, type DeltaType, type Row, dateToDays, decimalParams, isDecimal, parseDecimal, toMicros,
} from './delta-types';

/**
 * Rows (Retrace's JSON-safe values, already conformed to the schema) → an apache-arrow Table with
 * the Parquet types Delta expects (timestamp = INT64 µs UTC, timestamp_ntz = µs without zone,
 * date = DATE32, decimal = 128-bit) and the standard nested layouts other engines read: a list's
 * element is named `element`, a map's entries `key_value` with `key` and `value` (Parquet's
 * LogicalTypes.md). Under column mapping every field, nested ones included, is written under its
 * physical name with its id as the Parquet field id.
 * Every column gets its own buffers: arrow-js writes a corrupt IPC stream when two columns share
 * one typed array (apache/arrow-js#315).
 */
export interface ArrowWriteOptions { readonly mode?: ColumnMappingMode }

function arrowField(f: DeltaField, mode: ColumnMappingMode): Field {
  const id = mode === 'none' ? undefined : fieldId(f);
  const metadata = id === undefined ? undefined : new Map([['PARQUET:field_id', String(id)]]);
  return new Field(physicalName(f, mode), arrowType(f.type, mode, f.name), f.nullable !== false, metadata);
}

export function arrowType(t: DeltaType, mode: ColumnMappingMode = 'none', column = 'a column'): DataType {
  if (typeof t === 'object') {
    if (t.type === 'array') return new List(new Field('element', arrowType(t.elementType, mode, column), t.containsNull !== false));
    if (t.type === 'struct') return new Struct(t.fields.map((f) => arrowField(f, mode)));
    const entries = new Struct([new Field('key', arrowType(t.keyType, mode, column), false), new Field('value', arrowType(t.valueType, mode, column), t.valueContainsNull !== false)]);
    const map = new Map_(new Field('key_value', entries, false));
    // apache-arrow renames the entries field to Arrow's "entries"; Parquet's standard name is "key_value".
    (map.children[0] as unknown as { name: string }).name = 'key_value';
    return map;
  }
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
      if (isDecimal(t)) {
        const { precision, scale } = decimalParams(t);
        return new Decimal(scale, precision, 128);
      }
      throw new AppError('UNSUPPORTED', `Column "${column}" has type ${JSON.stringify(t)}, which Retrace cannot write yet.`);
  }
}

function validity(values: readonly unknown[]): { nullBitmap: Uint8Array | undefined; nullCount: number } {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null || values[i] === undefined) nullCount++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return { nullBitmap: nullCount > 0 ? bitmap : undefined, nullCount };
}

/** One column of values → Arrow Data of `type` (its Arrow form from `arrowType`). */
export function columnData(t: DeltaType, values: readonly unknown[], mode: ColumnMappingMode = 'none', arrow: DataType = arrowType(t, mode)): Data {
  const n = values.length;
  const { nullBitmap, nullCount } = validity(values);
  if (typeof t === 'object') {
    if (t.type === 'array') return listData(t.elementType, values, nullBitmap, nullCount, mode, arrow as List);
    if (t.type === 'struct') {
      const st = arrow as Struct;
      const children = t.fields.map((f, k) => columnData(f.type, values.map((v) => (v === null || v === undefined ? null : (v as Row)[f.name])), mode, st.children[k]!.type));
      return makeData({ type: st, length: n, nullCount, nullBitmap, children });
    }
    return mapData(t.keyType, t.valueType, values, nullBitmap, nullCount, mode, arrow as Map_);
  }
  const numeric = (arr: Int8Array | Int16Array | Int32Array | Float32Array | Float64Array): Data => {
    for (let i = 0; i < n; i++) { const v = values[i]; if (v !== null && v !== undefined) arr[i] = Number(v); }
    return makeData({ type: arrow as never, length: n, nullCount, nullBitmap, data: arr } as never);
  };
  const wide = (conv: (v: unknown) => bigint): Data => {
    const arr = new BigInt64Array(n);
    for (let i = 0; i < n; i++) { const v = values[i]; if (v !== null && v !== undefined) arr[i] = conv(v); }
    return makeData({ type: arrow as never, length: n, nullCount, nullBitmap, data: arr } as never);
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
      return makeData({ type: arrow as DateDay, length: n, nullCount, nullBitmap, data: arr });
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
      return makeData({ type: arrow as Decimal, length: n, nullCount, nullBitmap, data: words });
    }
  }
}

function listData(el: DeltaType, values: readonly unknown[], nullBitmap: Uint8Array | undefined, nullCount: number, mode: ColumnMappingMode, arrow: List): Data {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = values[i] as ArrayLike<unknown> | null | undefined;
    offsets[i + 1] = offsets[i]! + (v ? v.length : 0);
  }
  const total = offsets[n]!;
  const childType = arrow.children[0]!.type;
  let child: Data;
  if ((el === 'float' || el === 'double') && values.every((v) => v === null || v === undefined || ArrayBuffer.isView(v) || (v as unknown[]).every((x) => typeof x === 'number'))) {
    // Embeddings: copy each row's numbers straight into one typed array (no per-value boxing).
    const flat = el === 'float' ? new Float32Array(total) : new Float64Array(total);
    for (let i = 0; i < n; i++) {
      const v = values[i] as ArrayLike<number> | null | undefined;
      if (!v) continue;
      if (ArrayBuffer.isView(v)) flat.set(v as unknown as ArrayLike<number>, offsets[i]!);
      else for (let k = 0; k < v.length; k++) flat[offsets[i]! + k] = v[k]!;
    }
    child = makeData({ type: childType as never, length: total, nullCount: 0, data: flat } as never);
  } else {
    const flat: unknown[] = new Array(total);
    for (let i = 0; i < n; i++) {
      const v = values[i] as ArrayLike<unknown> | null | undefined;
      if (v) for (let k = 0; k < v.length; k++) flat[offsets[i]! + k] = typeof v[k] === 'bigint' ? String(v[k]) : v[k];
    }
    child = columnData(el, flat, mode, childType);
  }
  return makeData({ type: arrow, length: n, nullCount, nullBitmap, valueOffsets: offsets, child });
}

function mapData(keyType: DeltaType, valueType: DeltaType, values: readonly unknown[], nullBitmap: Uint8Array | undefined, nullCount: number, mode: ColumnMappingMode, arrow: Map_): Data {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  const keys: unknown[] = [], vals: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i] as Record<string, unknown> | null | undefined;
    if (v) {
      for (const [k, x] of Object.entries(v)) {
        // Keys are the JSON object's strings; a key of a nested type is its JSON text.
        keys.push(typeof keyType === 'string' ? k : JSON.parse(k));
        vals.push(x);
      }
    }
    offsets[i + 1] = keys.length;
  }
  const entries = arrow.children[0]!.type as Struct;
  const entryData = makeData({
    type: entries, length: keys.length, nullCount: 0,
    children: [columnData(keyType, keys, mode, entries.children[0]!.type), columnData(valueType, vals, mode, entries.children[1]!.type)],
  });
  return makeData({ type: arrow, length: n, nullCount, nullBitmap, valueOffsets: offsets, child: entryData });
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

/** Builds a Table from row objects for the given fields (in order), named as column mapping says. */
export function rowsToArrow(fields: readonly DeltaField[], rows: readonly Row[], opts: ArrowWriteOptions = {}): Table {
  const mode = opts.mode ?? 'none';
  const arrowFields = fields.map((f) => arrowField(f, mode));
  const children = fields.map((f, k) => columnData(f.type, rows.map((r) => r[f.name]), mode, arrowFields[k]!.type));
  const schema = new Schema(arrowFields);
  const data = makeData({ type: new Struct(arrowFields), length: rows.length, nullCount: 0, children });
  return new Table([new RecordBatch(schema, data)]);
}
