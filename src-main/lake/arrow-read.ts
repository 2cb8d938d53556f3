import {
  type Data, type DataType, type Field as ArrowField, type Vector, type Timestamp as ArrowTimestamp, TimeUnit, Type,
} from 'apache-arrow';
import { AppError } from '../../shared/errors';
import { type ColumnMappingMode, fieldId, physicalName } from './column-mapping';
import {
  type DeltaField, type DeltaType, daysToDate, decimalParams, formatDecimal, isDecimal, microsToIso, normalizeBigInt,
} from './delta-types';
import { decodeVariant } from './variant';

/**
 * Arrow (as read by parquet-wasm) → Retrace's JSON-safe values, driven by the Delta type, at any
 * depth: a struct becomes an object with the table's *logical* field names (children matched by
 * physical name, or by Parquet field id in column-mapping `id` mode), a list an array, a map an
 * object. The Delta type decides the value, not the file: an INT32 column of a table widened to
 * long or decimal is up-cast (type widening), a DATE read as timestamp_ntz becomes midnight.
 *
 * Each level converts a whole range of its children at once, so an embedding column is one pass
 * over one Float32Array. Typed arrays are read directly: apache-arrow's `get` loses microseconds
 * and returns word arrays for decimals. apache-arrow slices fixed-width value buffers and offset
 * buffers (index from 0) but keeps `offset` for validity bitmaps and booleans.
 */
export function vectorToValues(vec: Vector, type: DeltaType, mode: ColumnMappingMode = 'none'): unknown[] {
  const out: unknown[] = new Array(vec.length);
  let base = 0;
  for (const data of vec.data) {
    convertRange(data, type, 0, data.length, out, base, mode);
    base += data.length;
  }
  return out;
}

function isNull(data: Data, i: number): boolean {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return false;
  const idx = data.offset + i;
  return ((data.nullBitmap[idx >> 3]! >> (idx & 7)) & 1) === 0;
}

const TEN = 10n;
const pow10 = (n: number): bigint => TEN ** BigInt(n);

/** Converts rows `from..to` of `data` into `out[at..]`. */
export function convertRange(data: Data, type: DeltaType, from: number, to: number, out: unknown[], at: number, mode: ColumnMappingMode): void {
  if (to <= from) return; // empty files come back with childless nested data
  switch (data.type.typeId) {
    case Type.Int: case Type.Float: return convertNumbers(data, type, from, to, out, at);
    case Type.Bool: {
      const bits = data.values as Uint8Array;
      for (let i = from; i < to; i++) {
        if (isNull(data, i)) { out[at + i - from] = null; continue; }
        const b = data.offset + i;
        out[at + i - from] = ((bits[b >> 3]! >> (b & 7)) & 1) === 1;
      }
      return;
    }
    case Type.Utf8: case Type.LargeUtf8: case Type.Binary: case Type.LargeBinary: {
      const offsets = data.valueOffsets as ArrayLike<number | bigint>;
      const bytes = data.values as Uint8Array;
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const text = data.type.typeId === Type.Utf8 || data.type.typeId === Type.LargeUtf8;
      for (let i = from; i < to; i++) {
        if (isNull(data, i)) { out[at + i - from] = null; continue; }
        const s = Number(offsets[i]!), e = Number(offsets[i + 1]!);
        out[at + i - from] = text ? buf.toString('utf8', s, e) : buf.toString('base64', s, e);
      }
      return;
    }
    case Type.FixedSizeBinary: {
      const width = (data.type as unknown as { byteWidth: number }).byteWidth;
      const bytes = data.values as Uint8Array;
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = from; i < to; i++) out[at + i - from] = isNull(data, i) ? null : buf.toString('base64', i * width, (i + 1) * width);
      return;
    }
    case Type.Timestamp: {
      const unit = (data.type as ArrowTimestamp).unit;
      const values = data.values as unknown as BigInt64Array;
      // Delta `timestamp` is UTC and `timestamp_ntz` is not; the Delta type decides, not the file.
      const utc = type !== 'timestamp_ntz';
      for (let i = from; i < to; i++) {
        out[at + i - from] = isNull(data, i) ? null : microsToIso(toMicrosFromUnit(BigInt(values[i]!), unit), utc);
      }
      return;
    }
    case Type.Date: {
      const dayUnit = (data.type as unknown as { unit: number }).unit === 0;
      const values = data.values as unknown as ArrayLike<number | bigint>;
      for (let i = from; i < to; i++) {
        if (isNull(data, i)) { out[at + i - from] = null; continue; }
        const v = Number(values[i]!);
        const date = dayUnit ? daysToDate(v) : daysToDate(Math.floor(v / 86_400_000));
        // Type widening date → timestamp_ntz: midnight, no zone.
        out[at + i - from] = type === 'timestamp_ntz' ? `${date}T00:00:00.000` : date;
      }
      return;
    }
    case Type.Decimal: return convertDecimals(data, type, from, to, out, at);
    case Type.Struct: return convertStruct(data, type, from, to, out, at, mode);
    case Type.List: case Type.FixedSizeList: return convertList(data, type, from, to, out, at, mode);
    case Type.Map: return convertMap(data, type, from, to, out, at, mode);
    case Type.Null: for (let i = from; i < to; i++) out[at + i - from] = null; return;
    case Type.Dictionary: {
      const dict = (data as unknown as { dictionary: Vector }).dictionary;
      const values = vectorToValues(dict, type, mode);
      const idx = data.values as unknown as ArrayLike<number | bigint>;
      for (let i = from; i < to; i++) out[at + i - from] = isNull(data, i) ? null : values[Number(idx[i]!)];
      return;
    }
    default:
      throw new AppError('UNSUPPORTED', `A column holds Arrow type ${String(data.type)}, which Retrace cannot read yet.`);
  }
}

function convertNumbers(data: Data, type: DeltaType, from: number, to: number, out: unknown[], at: number): void {
  const values = data.values as unknown as ArrayLike<number | bigint>;
  const float = data.type.typeId === Type.Float;
  if (typeof type === 'string' && isDecimal(type)) {
    // Type widening integer → decimal(p, s): the integer is the value, scaled to s digits.
    const { scale } = decimalParams(type);
    const factor = pow10(scale);
    for (let i = from; i < to; i++) out[at + i - from] = isNull(data, i) ? null : formatDecimal(BigInt(values[i]!) * factor, scale);
    return;
  }
  const toNumber = float || type === 'double' || type === 'float' || type === 'integer' || type === 'short' || type === 'byte';
  for (let i = from; i < to; i++) {
    if (isNull(data, i)) { out[at + i - from] = null; continue; }
    const v = values[i]!;
    out[at + i - from] = typeof v === 'bigint' ? (toNumber ? Number(v) : normalizeBigInt(v)) : v;
  }
}

function convertDecimals(data: Data, type: DeltaType, from: number, to: number, out: unknown[], at: number): void {
  const words = data.values as unknown as Uint32Array;
  const t = data.type as unknown as { bitWidth: number; scale: number };
  const stride = t.bitWidth / 32;
  const fileScale = t.scale;
  // The table's scale wins: a decimal widened from (p, s) to (p + k, s + j) is rescaled.
  const scale = typeof type === 'string' && isDecimal(type) ? decimalParams(type).scale : fileScale;
  const factor = scale > fileScale ? pow10(scale - fileScale) : 1n;
  for (let i = from; i < to; i++) {
    if (isNull(data, i)) { out[at + i - from] = null; continue; }
    let v = 0n;
    const start = i * stride;
    for (let w = stride - 1; w >= 0; w--) v = (v << 32n) | BigInt(words[start + w]!);
    if (words[start + stride - 1]! & 0x80000000) v -= 1n << BigInt(32 * stride);
    out[at + i - from] = formatDecimal(v * factor, Math.max(scale, fileScale));
  }
}

function toMicrosFromUnit(v: bigint, unit: TimeUnit): bigint {
  switch (unit) {
    case TimeUnit.SECOND: return v * 1_000_000n;
    case TimeUnit.MILLISECOND: return v * 1000n;
    case TimeUnit.MICROSECOND: return v;
    default: return v / 1000n - (v % 1000n < 0n ? 1n : 0n);
  }
}

const arrowChildren = (t: DataType): ArrowField[] => (t as unknown as { children: ArrowField[] }).children ?? [];

/** Index of the Arrow field that stores a Delta field: by field id (mode id), else by physical name. */
export function childIndex(children: readonly ArrowField[], f: DeltaField, mode: ColumnMappingMode): number {
  if (mode === 'id') {
    const id = fieldId(f);
    if (id !== undefined) {
      const k = children.findIndex((c) => c.metadata?.get('PARQUET:field_id') === String(id));
      if (k >= 0) return k;
    }
  }
  const name = physicalName(f, mode);
  const k = children.findIndex((c) => c.name === name);
  return k >= 0 || mode === 'none' ? k : children.findIndex((c) => c.name === f.name);
}

function convertStruct(data: Data, type: DeltaType, from: number, to: number, out: unknown[], at: number, mode: ColumnMappingMode): void {
  const children = arrowChildren(data.type);
  if (type === 'variant') return convertVariant(data, children, from, to, out, at);
  // A struct the table schema does not describe (Hudi files, lenient reads): its own field names.
  const fields: readonly DeltaField[] = typeof type === 'object' && type.type === 'struct'
    ? type.fields
    : children.map((c) => ({ name: c.name, type: deltaTypeOfArrow(c.type), nullable: true }));
  const n = to - from;
  const columns = fields.map((f) => {
    const k = typeof type === 'object' && type.type === 'struct' ? childIndex(children, f, mode) : fields.indexOf(f);
    const col: unknown[] = new Array(n);
    if (k < 0) col.fill(null); // a field added after this file was written
    else convertRange(data.children[k]!, f.type, from, to, col, 0, mode);
    return col;
  });
  for (let i = 0; i < n; i++) {
    if (isNull(data, from + i)) { out[at + i] = null; continue; }
    const obj: Record<string, unknown> = {};
    for (let k = 0; k < fields.length; k++) obj[fields[k]!.name] = columns[k]![i];
    out[at + i] = obj;
  }
}

function convertVariant(data: Data, children: readonly ArrowField[], from: number, to: number, out: unknown[], at: number): void {
  if (children.some((c) => c.name === 'typed_value')) {
    throw new AppError('UNSUPPORTED', 'A variant column is shredded (it has typed_value), which Retrace cannot read yet.', { feature: 'variantShredding' });
  }
  const vi = children.findIndex((c) => c.name === 'value'), mi = children.findIndex((c) => c.name === 'metadata');
  if (vi < 0 || mi < 0) throw new AppError('STORE_CORRUPT', 'A variant column lacks its value or metadata field.');
  const raw = (child: Data): (Uint8Array | null)[] => {
    const offsets = child.valueOffsets as ArrayLike<number | bigint>;
    const bytes = child.values as Uint8Array;
    return Array.from({ length: to - from }, (_, j) => (isNull(child, from + j) ? null : bytes.subarray(Number(offsets[from + j]!), Number(offsets[from + j + 1]!))));
  };
  const values = raw(data.children[vi]!), metas = raw(data.children[mi]!);
  for (let j = 0; j < to - from; j++) {
    out[at + j] = isNull(data, from + j) || !values[j] || !metas[j] ? null : decodeVariant(metas[j]!, values[j]!);
  }
}

function convertList(data: Data, type: DeltaType, from: number, to: number, out: unknown[], at: number, mode: ColumnMappingMode): void {
  const child = data.children[0]!;
  const elementType = typeof type === 'object' && type.type === 'array' ? type.elementType : deltaTypeOfArrow(child.type);
  const fixed = data.type.typeId === Type.FixedSizeList ? (data.type as unknown as { listSize: number }).listSize : 0;
  const offsets = fixed ? null : (data.valueOffsets as ArrayLike<number | bigint>);
  const start = (i: number): number => (offsets ? Number(offsets[i]!) : i * fixed);
  const lo = start(from), hi = start(to);
  const items: unknown[] = new Array(hi - lo);
  convertRange(child, elementType, lo, hi, items, 0, mode);
  for (let i = from; i < to; i++) out[at + i - from] = isNull(data, i) ? null : items.slice(start(i) - lo, start(i + 1) - lo);
}

/** The JSON object key of a map key: a string as it is, anything else as its JSON text. */
export function mapKeyString(key: unknown): string {
  return typeof key === 'string' ? key : JSON.stringify(key);
}

function convertMap(data: Data, type: DeltaType, from: number, to: number, out: unknown[], at: number, mode: ColumnMappingMode): void {
  const entries = data.children[0]!;
  const [keyField, valueField] = arrowChildren(entries.type);
  const keyType = typeof type === 'object' && type.type === 'map' ? type.keyType : deltaTypeOfArrow(keyField!.type);
  const valueType = typeof type === 'object' && type.type === 'map' ? type.valueType : deltaTypeOfArrow(valueField!.type);
  const offsets = data.valueOffsets as ArrayLike<number | bigint>;
  const lo = Number(offsets[from]!), hi = Number(offsets[to]!);
  const keys: unknown[] = new Array(hi - lo), values: unknown[] = new Array(hi - lo);
  convertRange(entries.children[0]!, keyType, lo, hi, keys, 0, mode);
  convertRange(entries.children[1]!, valueType, lo, hi, values, 0, mode);
  for (let i = from; i < to; i++) {
    if (isNull(data, i)) { out[at + i - from] = null; continue; }
    const obj: Record<string, unknown> = {};
    for (let k = Number(offsets[i]!); k < Number(offsets[i + 1]!); k++) obj[mapKeyString(keys[k - lo])] = values[k - lo];
    out[at + i - from] = obj;
  }
}

/**
 * The Delta type that describes an Arrow type (input files, Hudi tables, structs the schema does
 * not name). Types Delta has no name for are refused by name.
 */
export function deltaTypeOfArrow(t: DataType, name = 'a column'): DeltaType {
  const x = t as unknown as { typeId: Type; bitWidth?: number; precision?: number; scale?: number; timezone?: string | null; unit?: number };
  switch (x.typeId) {
    case Type.Int: return x.bitWidth === 64 ? 'long' : x.bitWidth === 16 ? 'short' : x.bitWidth === 8 ? 'byte' : 'integer';
    case Type.Float: return x.precision === 1 ? 'float' : 'double';
    case Type.Bool: return 'boolean';
    case Type.Utf8: case Type.LargeUtf8: return 'string';
    case Type.Binary: case Type.LargeBinary: case Type.FixedSizeBinary: return 'binary';
    case Type.Date: return 'date';
    case Type.Timestamp: return x.timezone ? 'timestamp' : 'timestamp_ntz';
    case Type.Decimal: return `decimal(${x.precision},${x.scale})`;
    case Type.Dictionary: return deltaTypeOfArrow((t as unknown as { dictionary: DataType }).dictionary, name);
    case Type.List: case Type.FixedSizeList: {
      const c = arrowChildren(t)[0]!;
      return { type: 'array', elementType: deltaTypeOfArrow(c.type, name), containsNull: c.nullable };
    }
    case Type.Struct:
      return { type: 'struct', fields: arrowChildren(t).map((c) => ({ name: c.name, type: deltaTypeOfArrow(c.type, name), nullable: c.nullable, metadata: {} })) };
    case Type.Map: {
      const [k, v] = arrowChildren(arrowChildren(t)[0]!.type);
      return { type: 'map', keyType: deltaTypeOfArrow(k!.type, name), valueType: deltaTypeOfArrow(v!.type, name), valueContainsNull: v!.nullable };
    }
    default:
      throw new AppError('UNSUPPORTED', `${name} has Arrow type ${String(t)}, which Retrace cannot read yet.`);
  }
}
