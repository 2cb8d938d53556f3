/**
 * Sorting, filtering and paging for the catalogue, fast enough to re-sort 100,000 rows on a
 * click. Each column is ranked once per model (one comparator sort); a query then sorts packed
 * `rank · 2^21 + row` numbers with the typed-array sort, which needs no comparator. Sorted and
 * filtered views are kept (16 per model: every column both ways), so scrolling through pages only slices.
 */

/** A column: numbers (NaN = no value) or text (null = no value). Text compares ignoring case. */
export type SortColumn = { readonly num: Float64Array } | { readonly text: readonly (string | null)[] };

const ROW_BITS = 2 ** 21;
export const MAX_CATALOG_ROWS = ROW_BITS - 1;

export class SortableRows {
  private readonly ranks = new Map<string, Int32Array>();
  private haystack: string[] | null = null;
  private readonly views = new Map<string, Int32Array>();

  constructor(
    readonly n: number,
    private readonly columns: Readonly<Record<string, SortColumn>>,
    /** The text a filter searches, per row (lower-cased once, on the first filtered query). */
    private readonly text: (row: number) => string,
  ) {}

  /**
   * Rows passing `keep` and containing `filter` (ignoring case), sorted by `sort` (ties in row
   * order; rows without a value last), as row numbers. `key` names the query for the view cache.
   */
  view(key: string, sort: string, desc: boolean, filter: string, keep: ((row: number) => boolean) | null): Int32Array {
    const hit = this.views.get(key);
    if (hit) {
      this.views.delete(key);
      this.views.set(key, hit);
      return hit;
    }
    const needle = filter.trim().toLowerCase();
    if (needle && !this.haystack) this.haystack = Array.from({ length: this.n }, (_, i) => this.text(i).toLowerCase());
    const rank = this.rank(sort);
    const nullRank = this.n + 1;
    const packed = new Float64Array(this.n);
    let m = 0;
    for (let i = 0; i < this.n; i++) {
      if (keep && !keep(i)) continue;
      if (needle && !this.haystack![i]!.includes(needle)) continue;
      const r = rank[i]!;
      packed[m++] = (r === nullRank ? nullRank : desc ? this.n - r : r) * ROW_BITS + i;
    }
    const sorted = packed.subarray(0, m).sort();
    const out = new Int32Array(m);
    for (let k = 0; k < m; k++) out[k] = sorted[k]! % ROW_BITS;
    this.views.set(key, out);
    if (this.views.size > 16) this.views.delete(this.views.keys().next().value!);
    return out;
  }

  /** Per row: its position when sorted ascending by the column (equal values share one; no value = n + 1). */
  private rank(name: string): Int32Array {
    let r = this.ranks.get(name);
    if (r) return r;
    const col = this.columns[name];
    if (!col) throw new Error(`no catalogue column ${name}`);
    const idx = Array.from({ length: this.n }, (_, i) => i);
    r = new Int32Array(this.n).fill(this.n + 1);
    if ('num' in col) {
      const v = col.num;
      const present = idx.filter((i) => !Number.isNaN(v[i]!)).sort((a, b) => v[a]! - v[b]!);
      let k = 0;
      present.forEach((i, j) => { if (j > 0 && v[i] !== v[present[j - 1]!]) k = j; r![i] = k; });
    } else {
      const lower = col.text.map((t) => (t === null ? null : t.toLowerCase()));
      const present = idx.filter((i) => lower[i] !== null).sort((a, b) => (lower[a]! < lower[b]! ? -1 : lower[a]! > lower[b]! ? 1 : 0));
      let k = 0;
      present.forEach((i, j) => { if (j > 0 && lower[i] !== lower[present[j - 1]!]) k = j; r![i] = k; });
    }
    this.ranks.set(name, r);
    return r;
  }
}
