import { type Data, type Vector, makeVector, Type, TimeUnit, type Timestamp as ArrowTimestamp } from 'apache-arrow';
import {
  type DeltaType, daysToDate, decimalParams, formatDecimal, isDecimal, microsToIso, normalizeBigInt,
} from './delta-types';

/**
 * Arrow (as read by parquet-wasm) → Retrace's JSON-safe values. Typed arrays are read directly:
 * apache-arrow's `get` loses microseconds for timestamps and returns word arrays for decimals.
 */
export function vectorToValues(vec: Vector, type: DeltaType): unknown[] {
  const out: unknown[] = new Array(vec.length);
  let base = 0;
  for (const data of vec.data) {
    convertData(data, type, out, base);
    base += data.length;
  }
  return out;
}

function isNull(data: Data, i: number): boolean {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return false;
  const idx = data.offset + i;
  return ((data.nullBitmap[idx >> 3]! >> (idx & 7)) & 1) === 0;
}

function convertData(data: Data, type: DeltaType, out: unknown[], base: number): void {
  const n = data.length;
  const typeId = data.type.typeId;
  const values = data.values as unknown as ArrayLike<number | bigint>;
  // apache-arrow slices the value buffer itself (subarray) but keeps `offset` for the validity
  // bitmap, so values are indexed from 0 and nulls from data.offset.
  switch (typeId) {
    case Type.Int: case Type.Float: {
      const wide = (data.type as { bitWidth?: number }).bitWidth === 64;
      for (let i = 0; i < n; i++) {
        if (isNull(data, i)) { out[base + i] = null; continue; }
        const v = values[i]!;
        out[base + i] = wide && typeof v === 'bigint' ? normalizeBigInt(v) : v;
      }
      return;
    }
    case Type.Timestamp: {
      const unit = (data.type as ArrowTimestamp).unit;
      // Delta `timestamp` is UTC and `timestamp_ntz` is not; the Delta type decides, not the file.
      const utc = type !== 'timestamp_ntz';
      for (let i = 0; i < n; i++) {
        if (isNull(data, i)) { out[base + i] = null; continue; }
        out[base + i] = microsToIso(toMicrosFromUnit(BigInt(values[i]!), unit), utc);
      }
      return;
    }
    case Type.Date: {
      const dayUnit = (data.type as unknown as { unit: number }).unit === 0;
      for (let i = 0; i < n; i++) {
        if (isNull(data, i)) { out[base + i] = null; continue; }
        const v = Number(values[i]!);
        out[base + i] = dayUnit ? daysToDate(v) : daysToDate(Math.floor(v / 86_400_000));
      }
      return;
    }
    case Type.Decimal: {
      const words = data.values as unknown as Uint32Array;
      const stride = (data.type as unknown as { bitWidth: number }).bitWidth / 32;
      const scale = typeof type === 'string' && isDecimal(type) ? decimalParams(type).scale : (data.type as unknown as { scale: number }).scale;
      for (let i = 0; i < n; i++) {
        if (isNull(data, i)) { out[base + i] = null; continue; }
        let v = 0n;
        const start = i * stride;
        for (let w = stride - 1; w >= 0; w--) v = (v << 32n) | BigInt(words[start + w]!);
        if (words[start + stride - 1]! & 0x80000000) v -= 1n << BigInt(32 * stride);
        out[base + i] = formatDecimal(v, scale);
      }
      return;
    }
    case Type.Binary: case Type.LargeBinary: case Type.FixedSizeBinary: {
      const vec = data;
      for (let i = 0; i < n; i++) {
        if (isNull(vec, i)) { out[base + i] = null; continue; }
        out[base + i] = Buffer.from(getAt(data, i) as Uint8Array).toString('base64');
      }
      return;
    }
    default:
      for (let i = 0; i < n; i++) {
        out[base + i] = isNull(data, i) ? null : plainValue(getAt(data, i), type);
      }
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

// Reaches apache-arrow's element getter for one Data chunk without building a Vector per row.
const vectorCache = new WeakMap<Data, Vector>();
function getAt(data: Data, i: number): unknown {
  let v = vectorCache.get(data);
  if (!v) { v = makeVector(data); vectorCache.set(data, v); }
  return v.get(i);
}

/** Strings, booleans and nested values (struct/list/map rows) turned into plain JSON-safe data. */
function plainValue(v: unknown, type: DeltaType): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return normalizeBigInt(v);
  if (typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  const json = (v as { toJSON?: () => unknown }).toJSON ? (v as { toJSON: () => unknown }).toJSON() : v;
  if (Array.isArray(json)) {
    const el = typeof type === 'object' && type.type === 'array' ? type.elementType : 'string';
    return json.map((x) => plainValue(x, el));
  }
  if (json instanceof Map) return Object.fromEntries([...json].map(([k, x]) => [String(k), plainValue(x, 'string')]));
  const out: Record<string, unknown> = {};
  const fields = typeof type === 'object' && type.type === 'struct' ? type.fields : [];
  for (const [k, x] of Object.entries(json as Record<string, unknown>)) {
    out[k] = plainValue(x, fields.find((f) => f.name === k)?.type ?? 'string');
  }
  return out;
}
