/**
 * Pure helpers for the table views: rows at each version from the commit history, and a diff's
 * change rows paired into "changed" rows with the cells that differ.
 */
import type { CellDto, TableCommitDto } from '../../../shared/table-dto';
import { formatVectorCell } from '../../../shared/vector-format';

/** Row count after each version (inserted − deleted, summed); updates do not change it. */
export function rowsByVersion(commits: readonly TableCommitDto[]): Map<number, number> {
  const out = new Map<number, number>();
  let n = 0;
  for (const c of [...commits].sort((a, b) => a.version - b.version)) {
    n += c.rowsInserted - c.rowsDeleted;
    out.set(c.version, n);
  }
  return out;
}

export interface DiffRow {
  readonly kind: 'added' | 'removed' | 'changed';
  readonly row: Record<string, CellDto>;
  /** Changed rows: the row before, and the columns whose values differ. */
  readonly before?: Record<string, CellDto>;
  readonly changed?: ReadonlySet<string>;
}

const META = new Set(['_change_type', '_commit_version', '_commit_timestamp']);

/**
 * Change-feed rows → what a reader wants: rows added, rows removed, rows changed with the
 * differing cells. An update_preimage is followed by its postimage (the change feed's order).
 */
export function pairChanges(changes: readonly Record<string, CellDto>[]): DiffRow[] {
  const out: DiffRow[] = [];
  const strip = (r: Record<string, CellDto>) => Object.fromEntries(Object.entries(r).filter(([k]) => !META.has(k)));
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    const t = c._change_type;
    if (t === 'insert') out.push({ kind: 'added', row: strip(c) });
    else if (t === 'delete') out.push({ kind: 'removed', row: strip(c) });
    else if (t === 'update_preimage' && changes[i + 1]?._change_type === 'update_postimage') {
      const before = strip(c);
      const after = strip(changes[i + 1]!);
      const changed = new Set(Object.keys(after).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k])));
      out.push({ kind: 'changed', row: after, before, changed });
      i++;
    } else if (t === 'update_postimage') out.push({ kind: 'changed', row: strip(c), changed: new Set() });
  }
  return out;
}

/** A cell as text: embeddings compact (dimension, first values, norm), nested values as JSON. */
export function formatCell(v: CellDto | undefined): string {
  if (v === null || v === undefined) return '∅';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  const vector = Array.isArray(v) && v.length > 4 ? formatVectorCell(v) : null;
  if (vector) return vector;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
