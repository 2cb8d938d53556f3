/**
 * Compact text for a vector cell (an embedding column: an array of numbers), so a row grid shows
 * `[128] 0.12, -0.03, 0.91 … ‖v‖ 1.00` instead of 128 numbers. Pure: the renderer and the CLI can
 * both use it.
 */
export interface VectorSummary {
  readonly dimension: number;
  readonly first: readonly number[];
  /** Euclidean norm; NaN when an element is null or not finite. */
  readonly norm: number;
}

/** True for a non-empty array whose elements are all numbers or nulls (at least one number). */
export function isVectorCell(value: unknown): value is readonly (number | null)[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  let numbers = 0;
  for (const x of value) {
    if (typeof x === 'number') numbers++;
    else if (x !== null) return false;
  }
  return numbers > 0;
}

export function summarizeVector(values: readonly (number | null)[], first = 3): VectorSummary {
  let sum = 0;
  for (const x of values) sum += x === null || !Number.isFinite(x) ? NaN : x * x;
  return { dimension: values.length, first: values.slice(0, first).map((x) => (x === null ? NaN : x)), norm: Math.sqrt(sum) };
}

const num = (x: number, digits: number): string => (Number.isNaN(x) ? 'null' : Number.isInteger(x) && Math.abs(x) < 1e6 ? String(x) : x.toFixed(digits));

/** `[dim] v0, v1, v2 … ‖v‖ n`, or null when the value is not a vector (show it as it is). */
export function formatVectorCell(value: unknown, opts: { first?: number; digits?: number } = {}): string | null {
  if (!isVectorCell(value)) return null;
  const digits = opts.digits ?? 2;
  const s = summarizeVector(value, opts.first ?? 3);
  const head = s.first.map((x) => num(x, digits)).join(', ');
  const more = s.dimension > s.first.length ? ' …' : '';
  const norm = Number.isNaN(s.norm) ? 'n/a' : s.norm.toFixed(digits);
  return `[${s.dimension}] ${head}${more} ‖v‖ ${norm}`;
}
