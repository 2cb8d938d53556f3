import { AppError } from '../../shared/errors';

/**
 * Delta schema types (PROTOCOL.md §Schema Serialization Format) and the JS value shapes Retrace
 * uses for them. Values are JSON-safe so rows cross IPC/HTTP unchanged:
 * - byte/short/integer/float/double: number; long: number when safe, else a decimal string;
 * - decimal(p,s): string such as "12.30"; date: "YYYY-MM-DD";
 * - timestamp: ISO-8601 UTC ("…Z", microseconds shown only when non-zero); timestamp_ntz: same without "Z";
 * - binary: base64 string; struct: object; array: array; map: object keyed by the string form of keys
 *   (a string key as it is, any other key as its JSON text); variant: the JSON value it encodes.
 */
export type DeltaType = string | DeltaStructType | DeltaArrayType | DeltaMapType;
export interface DeltaStructType { readonly type: 'struct'; readonly fields: readonly DeltaField[] }
export interface DeltaArrayType { readonly type: 'array'; readonly elementType: DeltaType; readonly containsNull?: boolean }
export interface DeltaMapType { readonly type: 'map'; readonly keyType: DeltaType; readonly valueType: DeltaType; readonly valueContainsNull?: boolean }
export interface DeltaField { readonly name: string; readonly type: DeltaType; readonly nullable: boolean; readonly metadata?: Record<string, unknown> }

export type Row = Record<string, unknown>;

export const PRIMITIVE_TYPES = ['string', 'long', 'integer', 'short', 'byte', 'float', 'double', 'boolean', 'binary', 'date', 'timestamp', 'timestamp_ntz', 'variant'];

export function parseSchemaString(schemaString: string, where: string): DeltaStructType {
  try {
    const parsed = JSON.parse(schemaString) as DeltaStructType;
    if (parsed?.type !== 'struct' || !Array.isArray(parsed.fields)) throw new Error('not a struct');
    return parsed;
  } catch {
    throw new AppError('STORE_CORRUPT', `The schemaString in ${where} is not a valid Delta struct schema.`);
  }
}

export function isDecimal(t: DeltaType): boolean {
  return typeof t === 'string' && t.startsWith('decimal');
}

export function decimalParams(t: string): { precision: number; scale: number } {
  const m = /^decimal\((\d+),\s*(\d+)\)$/.exec(t);
  return m ? { precision: Number(m[1]), scale: Number(m[2]) } : { precision: 10, scale: 0 };
}

/** Turns a bigint into a number when exact, else its decimal string (keeps 64-bit ids lossless). */
export function normalizeBigInt(v: bigint): number | string {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v.toString();
}

/** Formats an unscaled integer as a decimal string with `scale` fraction digits. */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const body = scale > 0 ? `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}` : digits;
  return neg ? `-${body}` : body;
}

export function parseDecimal(value: unknown, scale: number): bigint {
  const s = String(value).trim();
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m) throw new AppError('INVALID_ARGUMENT', `"${s}" is not a decimal number.`);
  const frac = (m[3] ?? '').padEnd(scale, '0').slice(0, scale);
  const v = BigInt((m[2] || '0') + frac);
  return m[1] ? -v : v;
}

const DAY_MS = 86_400_000;

export function daysToDate(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

export function dateToDays(value: unknown): number {
  const ms = Date.parse(`${String(value).slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new AppError('INVALID_ARGUMENT', `"${String(value)}" is not a date (YYYY-MM-DD).`);
  return Math.floor(ms / DAY_MS);
}

/** Microseconds since the epoch → ISO string; `utc` adds the trailing Z (timestamp vs timestamp_ntz). */
export function microsToIso(micros: bigint, utc: boolean): string {
  const n = Number(micros);
  if (Number.isSafeInteger(n)) {
    // Number arithmetic is exact below 2^53 µs (year ~2255) and much faster than bigint.
    const msPart = Math.floor(n / 1000), sub = n - msPart * 1000;
    const iso = new Date(msPart).toISOString();
    const out = sub === 0 ? iso : `${iso.slice(0, -1)}${String(sub).padStart(3, '0')}Z`;
    return utc ? out : out.slice(0, -1);
  }
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const subMicros = Number(micros - ms * 1000n);
  const base = new Date(Number(ms)).toISOString(); // "…ss.mmmZ"
  const withMicros = subMicros === 0 ? base : `${base.slice(0, -1)}${String(subMicros).padStart(3, '0')}Z`;
  return utc ? withMicros : withMicros.slice(0, -1);
}

const digitsAt = (s: string, from: number, n: number): number => {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
};

/** "YYYY-MM-DDTHH:MM:SS.sssZ" → epoch ms without Date.parse (bulk writes parse millions). */
function parseCanonicalIsoMs(s: string): number {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const mo = digitsAt(s, 5, 2), d = digitsAt(s, 8, 2), h = digitsAt(s, 11, 2), mi = digitsAt(s, 14, 2), sec = digitsAt(s, 17, 2);
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && sec <= 59)) return NaN;
  return Date.UTC(digitsAt(s, 0, 4), mo - 1, d, h, mi, sec, digitsAt(s, 20, 3));
}

/** ISO string (with or without zone; up to microseconds), epoch ms number or bigint µs → µs. */
export function toMicros(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.round(value * 1000));
  if (value instanceof Date) return BigInt(value.getTime()) * 1000n;
  const s = String(value).trim();
  // Fast path for the canonical millisecond form "YYYY-MM-DDTHH:MM:SS.sssZ" (what we emit).
  if (s.length === 24 && s.charCodeAt(23) === 90 && s.charCodeAt(19) === 46) {
    const ms = parseCanonicalIsoMs(s);
    if (!Number.isNaN(ms)) return BigInt(ms * 1000);
  }
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)?$/.exec(s.replace(' ', 'T'));
  if (!m) {
    const ms = Date.parse(s);
    if (Number.isNaN(ms)) throw new AppError('INVALID_ARGUMENT', `"${s}" is not a timestamp.`);
    return BigInt(ms) * 1000n;
  }
  const ms = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  if (Number.isNaN(ms)) throw new AppError('INVALID_ARGUMENT', `"${s}" is not a timestamp.`);
  const frac = BigInt((m[2] ?? '').padEnd(6, '0').slice(0, 6));
  return BigInt(ms) * 1000n + frac;
}

/**
 * Partition values are strings in the log (PROTOCOL.md §Partition Value Serialization); an empty
 * string or a missing value means null.
 */
export function parsePartitionValue(raw: string | null | undefined, type: DeltaType): unknown {
  if (raw === null || raw === undefined || raw === '') return null;
  switch (type) {
    case 'string': return raw;
    case 'long': return normalizeBigInt(BigInt(raw));
    case 'integer': case 'short': case 'byte': case 'float': case 'double': return Number(raw);
    case 'boolean': return raw === 'true';
    case 'date': return raw.slice(0, 10);
    case 'timestamp': return microsToIso(toMicros(raw), true);
    case 'timestamp_ntz': return microsToIso(toMicros(raw.replace(/Z$/, '')), false);
    case 'binary': return Buffer.from(raw, 'latin1').toString('base64');
    default:
      if (typeof type === "string" && isDecimal(type)) return formatDecimal(parseDecimal(raw, decimalParams(type).scale), decimalParams(type).scale);
      return raw;
  }
}

/** The partition-value string a writer stores for a JS value (inverse of parsePartitionValue). */
export function serializePartitionValue(value: unknown, type: DeltaType): string | null {
  if (value === null || value === undefined) return null;
  if (type === 'timestamp') return microsToIso(toMicros(value), true);
  if (type === 'binary') return Buffer.from(String(value), 'base64').toString('latin1');
  return String(value);
}

/** Canonical string for comparing keys of any primitive type (used for upsert/delete matching). */
export function keyString(value: unknown): string {
  return value === null || value === undefined ? '\u0000null' : String(value);
}

/** Compares two values of one Delta primitive type; used for stats and key-range pruning. */
export function compareValues(a: unknown, b: unknown, type: DeltaType): number {
  if (type === 'long' || type === 'integer' || type === 'short' || type === 'byte') {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    const x = BigInt(a as string | number), y = BigInt(b as string | number);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (type === 'float' || type === 'double') return Number(a) - Number(b);
  if (type === 'timestamp' || type === 'timestamp_ntz') {
    const x = toMicros(a), y = toMicros(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (isDecimal(type)) {
    const s = decimalParams(type as string).scale;
    const x = parseDecimal(a, s), y = parseDecimal(b, s);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (type === 'boolean') return Number(a === true) - Number(b === true);
  const x = String(a), y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Coerces a value from user input (CSV strings, JSON) into the JS shape of `type`. */
export function coerceValue(value: unknown, type: DeltaType, column: string): unknown {
  if (value === null || value === undefined) return null;
  // An empty string is a value for strings and binary (empty bytes); for other types it means null.
  if (value === '' && type !== 'string' && type !== 'binary') return null;
  // Fast paths: values already in their canonical shape (the common case for bulk writes).
  switch (type) {
    case 'string': if (typeof value === 'string') return value; break;
    case 'long': if (typeof value === 'number' && Number.isSafeInteger(value)) return value; break;
    case 'integer': case 'short': case 'byte': if (typeof value === 'number' && Number.isInteger(value)) return value; break;
    case 'double': case 'float': if (typeof value === 'number') return value; break;
    case 'boolean': if (typeof value === 'boolean') return value; break;
    // Shape check only: the digits are validated when the column is encoded (toMicros throws).
    case 'timestamp': if (typeof value === 'string' && value.length === 24 && value.charCodeAt(23) === 90 && value.charCodeAt(19) === 46 && value.charCodeAt(10) === 84) return value; break;
    default: break;
  }
  try {
    switch (type) {
      case 'string': return typeof value === 'string' ? value : JSON.stringify(value);
      case 'long': return normalizeBigInt(BigInt(typeof value === 'number' ? Math.trunc(value) : String(value)));
      case 'integer': case 'short': case 'byte': {
        const n = Number(value);
        if (!Number.isInteger(n)) throw new Error('not an integer');
        return n;
      }
      case 'float': case 'double': {
        const n = Number(value);
        if (Number.isNaN(n) && String(value) !== 'NaN') throw new Error('not a number');
        return n;
      }
      case 'boolean': {
        if (typeof value === 'boolean') return value;
        const s = String(value).toLowerCase();
        if (s !== 'true' && s !== 'false') throw new Error('not a boolean');
        return s === 'true';
      }
      case 'date': return daysToDate(dateToDays(value));
      case 'timestamp': return microsToIso(toMicros(value), true);
      case 'timestamp_ntz': return microsToIso(toMicros(String(value).replace(/Z$/, '')), false);
      case 'binary': return typeof value === 'string' ? value : Buffer.from(value as Uint8Array).toString('base64');
      default:
        if (typeof type === 'string' && isDecimal(type)) {
          const { scale } = decimalParams(type);
          return formatDecimal(parseDecimal(value, scale), scale);
        }
        return value;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('INVALID_ARGUMENT', `Value ${JSON.stringify(String(value))} of column "${column}" is not a valid ${String(type)}.`);
  }
}
