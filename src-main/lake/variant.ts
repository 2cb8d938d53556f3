import { AppError } from '../../shared/errors';
import { daysToDate, formatDecimal, microsToIso, normalizeBigInt } from './delta-types';

/**
 * Decodes the Variant binary encoding (Parquet VariantEncoding.md, which Delta's `variantType`
 * feature uses: a `struct<value: binary, metadata: binary>` column) into the JSON value it holds.
 * Decimals become strings and timestamps ISO strings, as in the rest of Retrace's rows.
 */
function uintLE(buf: Uint8Array, at: number, size: number): number {
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + buf[at + i]!;
  return v;
}

function dictionary(metadata: Uint8Array): string[] {
  const header = metadata[0]!;
  if ((header & 0x0f) !== 1) throw new AppError('UNSUPPORTED', `Variant metadata version ${header & 0x0f} is not one Retrace reads (1).`, { feature: 'variantType' });
  const offsetSize = ((header >> 6) & 0x03) + 1;
  const size = uintLE(metadata, 1, offsetSize);
  const offsetsAt = 1 + offsetSize;
  const bytesAt = offsetsAt + (size + 1) * offsetSize;
  const decoder = new TextDecoder();
  const out: string[] = new Array(size);
  for (let i = 0; i < size; i++) {
    const s = uintLE(metadata, offsetsAt + i * offsetSize, offsetSize), e = uintLE(metadata, offsetsAt + (i + 1) * offsetSize, offsetSize);
    out[i] = decoder.decode(metadata.subarray(bytesAt + s, bytesAt + e));
  }
  return out;
}

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

function decodeAt(value: Uint8Array, at: number, dict: readonly string[]): unknown {
  const header = value[at]!;
  const basic = header & 0x03, vh = header >> 2;
  const dv = view(value);
  const text = (s: number, n: number): string => new TextDecoder().decode(value.subarray(s, s + n));
  if (basic === 1) return text(at + 1, vh);
  if (basic === 2 || basic === 3) {
    const offsetSize = (vh & 0x03) + 1;
    const idSize = basic === 2 ? ((vh >> 2) & 0x03) + 1 : 0;
    const large = basic === 2 ? (vh >> 4) & 1 : (vh >> 2) & 1;
    const n = uintLE(value, at + 1, large ? 4 : 1);
    const idsAt = at + 1 + (large ? 4 : 1);
    const offsetsAt = idsAt + n * idSize;
    const dataAt = offsetsAt + (n + 1) * offsetSize;
    if (basic === 3) return Array.from({ length: n }, (_, i) => decodeAt(value, dataAt + uintLE(value, offsetsAt + i * offsetSize, offsetSize), dict));
    const obj: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const key = dict[uintLE(value, idsAt + i * idSize, idSize)];
      if (key === undefined) throw new AppError('STORE_CORRUPT', 'A variant value names a field id its metadata does not hold.');
      obj[key] = decodeAt(value, dataAt + uintLE(value, offsetsAt + i * offsetSize, offsetSize), dict);
    }
    return obj;
  }
  const p = at + 1;
  switch (vh) {
    case 0: return null;
    case 1: return true;
    case 2: return false;
    case 3: return dv.getInt8(p);
    case 4: return dv.getInt16(p, true);
    case 5: return dv.getInt32(p, true);
    case 6: return normalizeBigInt(dv.getBigInt64(p, true));
    case 7: return dv.getFloat64(p, true);
    case 8: return formatDecimal(BigInt(dv.getInt32(p + 1, true)), value[p]!);
    case 9: return formatDecimal(dv.getBigInt64(p + 1, true), value[p]!);
    case 10: return formatDecimal(dv.getBigUint64(p + 1, true) | (dv.getBigInt64(p + 9, true) << 64n), value[p]!);
    case 11: return daysToDate(dv.getInt32(p, true));
    case 12: return microsToIso(dv.getBigInt64(p, true), true);
    case 13: return microsToIso(dv.getBigInt64(p, true), false);
    case 14: return dv.getFloat32(p, true);
    case 15: return Buffer.from(value.subarray(p + 4, p + 4 + dv.getUint32(p, true))).toString('base64');
    case 16: return text(p + 4, dv.getUint32(p, true));
    case 18: case 19: {
      const ns = dv.getBigInt64(p, true);
      return microsToIso(ns / 1000n - (ns % 1000n < 0n ? 1n : 0n), vh === 18);
    }
    case 20: {
      const hex = Buffer.from(value.subarray(p, p + 16)).toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
    default:
      throw new AppError('UNSUPPORTED', `A variant value holds primitive type ${vh}, which Retrace cannot read.`, { feature: 'variantType' });
  }
}

export function decodeVariant(metadata: Uint8Array, value: Uint8Array): unknown {
  return decodeAt(value, 0, dictionary(metadata));
}
