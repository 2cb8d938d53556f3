import { AppError } from '../../shared/errors';
import { type DeltaField, type DeltaType, type Row, coerceValue } from './delta-types';

/**
 * Checks input values against the table's schema before anything is written, at every depth.
 * A value that does not fit is refused with the row, the column (a path for nested values) and
 * both types: an embedding given as the string "[0.1,0.2]" where the table holds array<float>
 * is an error, never a string. Values already in their canonical shape are returned as they are
 * (same reference), so bulk writes of well-formed rows copy nothing; typed arrays (Float32Array
 * embeddings) are accepted as arrays of float or double without a per-element check.
 */
export function describeType(t: DeltaType): string {
  if (typeof t === 'string') return t;
  if (t.type === 'array') return `array<${describeType(t.elementType)}>`;
  if (t.type === 'map') return `map<${describeType(t.keyType)},${describeType(t.valueType)}>`;
  return `struct<${t.fields.map((f) => `${f.name}:${describeType(f.type)}`).join(',')}>`;
}

export function describeValue(v: unknown): string {
  const short = (s: string): string => (s.length > 40 ? `${s.slice(0, 37)}...` : s);
  if (typeof v === 'string') return `a string (${short(JSON.stringify(v))})`;
  if (typeof v === 'number' || typeof v === 'bigint') return `a number (${String(v)})`;
  if (typeof v === 'boolean') return `a boolean (${String(v)})`;
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return `an array (${short(JSON.stringify(Array.from(v as ArrayLike<unknown>)))})`;
  return `an object (${short(JSON.stringify(v))})`;
}

class Mismatch extends Error {
  constructor(readonly path: string, readonly type: DeltaType, readonly value: unknown, readonly reason?: string) { super('mismatch'); }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
const isList = (v: unknown): v is ArrayLike<unknown> => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));

function conform(value: unknown, type: DeltaType, path: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof type === 'string') {
    if (type === 'variant') return value; // any JSON value
    // An array or object where the table holds a primitive is a type error, never a string.
    if (typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array && type === 'binary')) throw new Mismatch(path, type, value);
    try {
      return coerceValue(value, type, path);
    } catch (err) {
      throw new Mismatch(path, type, value, err instanceof AppError ? undefined : (err as Error).message);
    }
  }
  if (type.type === 'array') {
    if (!isList(value)) throw new Mismatch(path, type, value);
    const el = type.elementType;
    if (ArrayBuffer.isView(value)) {
      const exact = (value instanceof Float32Array || value instanceof Float64Array) ? el === 'float' || el === 'double'
        : (value instanceof Int32Array && el === 'integer') || (value instanceof Int16Array && el === 'short')
          || (value instanceof Int8Array && el === 'byte') || (value instanceof BigInt64Array && el === 'long');
      if (exact) return value;
      return Array.from(value as ArrayLike<unknown>, (x, i) => conform(typeof x === 'bigint' ? x.toString() : x, el, `${path}[${i}]`));
    }
    const arr = value as unknown[];
    let out: unknown[] | null = null;
    for (let i = 0; i < arr.length; i++) {
      const x = conform(arr[i], el, `${path}[${i}]`);
      if (x !== arr[i] && !(x === null && arr[i] === undefined)) { out ??= arr.slice(0, i); }
      if (out) out.push(x);
    }
    return out ?? arr;
  }
  if (type.type === 'struct') {
    if (!isPlainObject(value)) throw new Mismatch(path, type, value);
    const names = new Set(type.fields.map((f) => f.name));
    for (const k of Object.keys(value)) if (!names.has(k)) throw new Mismatch(`${path}.${k}`, type, value, `field "${k}" is not in the table's struct`);
    let out: Row | null = null;
    for (const f of type.fields) {
      const x = conform(value[f.name], f.type, `${path}.${f.name}`);
      if (x !== value[f.name] && !(x === null && value[f.name] === undefined)) out ??= { ...value };
      if (out) out[f.name] = x;
    }
    return out ?? value;
  }
  // map: a JSON object (keys are strings), a Map, or a list of [key, value] pairs.
  const entries: [unknown, unknown][] = value instanceof Map ? [...value.entries()]
    : isPlainObject(value) ? Object.entries(value)
      : Array.isArray(value) && value.every((e) => Array.isArray(e) && e.length === 2) ? (value as [unknown, unknown][])
        : (() => { throw new Mismatch(path, type, value); })();
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    const key = conform(typeof k === 'string' && typeof type.keyType !== 'string' ? parseJsonKey(k, path) : k, type.keyType, `${path} key`);
    if (key === null) throw new Mismatch(`${path} key`, type.keyType, k, 'map keys cannot be null');
    out[typeof key === 'string' ? key : JSON.stringify(key)] = conform(v, type.valueType, `${path}[${JSON.stringify(k)}]`);
  }
  return out;
}

function parseJsonKey(k: string, path: string): unknown {
  try { return JSON.parse(k) as unknown; } catch { throw new Mismatch(`${path} key`, 'string', k, 'a key of a nested type must be its JSON text'); }
}

/** The value in the table's shape, or an INVALID_ARGUMENT naming the row, the column and both types. */
export function conformValue(value: unknown, field: DeltaField, rowNumber: number): unknown {
  try {
    return conform(value, field.type, field.name);
  } catch (err) {
    if (!(err instanceof Mismatch)) throw err;
    const what = err.reason ? `: ${err.reason}` : '';
    throw new AppError('INVALID_ARGUMENT', `Row ${rowNumber} of the input, column "${err.path}": the table holds ${describeType(err.type)} but the value is ${describeValue(err.value)}${what}.`, { row: rowNumber, column: err.path, expected: describeType(err.type) });
  }
}
