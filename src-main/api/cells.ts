import type { CellDto } from '../../shared/table-dto';

/** Rows from the lake may hold bigints and Dates; the API carries JSON only. */
export function toCells(row: Record<string, unknown>): Record<string, CellDto> {
  const out: Record<string, CellDto> = {};
  for (const [k, v] of Object.entries(row)) out[k] = toCell(v);
  return out;
}

export function toCell(v: unknown): CellDto {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(toCell);
  if (typeof v === 'object') return toCells(v as Record<string, unknown>);
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v as string | number | boolean;
}
