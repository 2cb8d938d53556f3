/**
 * What changed between two states of a dataset's schema, and the life of each column across a
 * sequence of states. A rename is recognised, in this order, by:
 *  1. Delta column mapping: the physical name stayed while the name changed;
 *  2. lineage: a dropped and an added column whose DIRECT inputs mostly coincide (Jaccard ≥ ½,
 *     best pairs first, each column paired once) — OpenLineage has no rename event, and a
 *     stage that renames a column keeps feeding it from the same inputs.
 * Anything else is a drop plus an addition.
 */
import type { ColumnHistoryEventDto, SchemaColumnDto, SchemaDiffDto } from '../../../shared/columns-dto';

export interface SchemaState {
  readonly names: readonly string[];
  readonly types: ReadonlyMap<string, string | null>;
  readonly physical: ReadonlyMap<string, string>;
  /** Per column: its DIRECT inputs as `dataset-key \0 field` (empty when unknown). */
  readonly inputs: ReadonlyMap<string, ReadonlySet<string>>;
}

export const EMPTY_STATE: SchemaState = { names: [], types: new Map(), physical: new Map(), inputs: new Map() };

/**
 * `known`: renames already recognised step by step between the two states (their history), so a
 * column renamed long ago is still reported as renamed though its inputs have moved on since.
 */
export function diffSchemas(a: SchemaState, b: SchemaState, known: ReadonlyMap<string, { to: string; by: 'column-mapping' | 'lineage' }> = new Map()): SchemaDiffDto {
  const inB = new Set(b.names);
  const inA = new Set(a.names);
  const dropped = a.names.filter((n) => !inB.has(n));
  const added = b.names.filter((n) => !inA.has(n));
  const renamed: { from: string; to: string; type: string | null; by: 'column-mapping' | 'lineage' }[] = [];
  const taken = new Set<string>();
  for (const x of dropped) {
    const k = known.get(x);
    if (k && added.includes(k.to) && !taken.has(k.to)) {
      renamed.push({ from: x, to: k.to, type: b.types.get(k.to) ?? null, by: k.by });
      taken.add(x);
      taken.add(k.to);
    }
  }
  for (const x of dropped) {
    if (taken.has(x)) continue;
    const px = a.physical.get(x);
    const y = px === undefined ? undefined : added.find((n) => !taken.has(n) && b.physical.get(n) === px);
    if (y !== undefined) {
      renamed.push({ from: x, to: y, type: b.types.get(y) ?? null, by: 'column-mapping' });
      taken.add(x);
      taken.add(y);
    }
  }
  const pairs: { x: string; y: string; score: number }[] = [];
  for (const x of dropped) {
    if (taken.has(x)) continue;
    const ix = a.inputs.get(x);
    if (!ix?.size) continue;
    for (const y of added) {
      if (taken.has(y)) continue;
      const iy = b.inputs.get(y);
      if (!iy?.size) continue;
      let common = 0;
      for (const k of ix) if (iy.has(k)) common++;
      const score = common / (ix.size + iy.size - common);
      if (score >= 0.5) pairs.push({ x, y, score });
    }
  }
  pairs.sort((p, q) => q.score - p.score || a.names.indexOf(p.x) - a.names.indexOf(q.x));
  for (const p of pairs) {
    if (taken.has(p.x) || taken.has(p.y)) continue;
    renamed.push({ from: p.x, to: p.y, type: b.types.get(p.y) ?? null, by: 'lineage' });
    taken.add(p.x);
    taken.add(p.y);
  }
  const col = (s: SchemaState, n: string): SchemaColumnDto => ({ name: n, type: s.types.get(n) ?? null, ...(s.physical.has(n) && s.physical.get(n) !== n ? { physicalName: s.physical.get(n)! } : {}) });
  const typeChanged: { column: string; from: string; to: string }[] = [];
  for (const n of b.names) {
    const from = a.types.get(n);
    const to = b.types.get(n);
    if (inA.has(n) && from && to && from !== to) typeChanged.push({ column: n, from, to });
  }
  for (const r of renamed) {
    const from = a.types.get(r.from);
    if (from && r.type && from !== r.type) typeChanged.push({ column: r.to, from, to: r.type });
  }
  return {
    added: added.filter((n) => !taken.has(n)).map((n) => col(b, n)),
    dropped: dropped.filter((n) => !taken.has(n)).map((n) => col(a, n)),
    renamed,
    typeChanged,
  };
}

/** A state of the dataset at a snapshot where it may have changed. */
export interface StatePoint {
  readonly snapshot: number;
  readonly at: string;
  readonly tableVersion?: number;
  readonly state: SchemaState;
}

/**
 * Each column's life across the states (oldest first), keyed by its name in the last state;
 * columns dropped before the end are returned under `dropped`, by their last name.
 */
export function columnHistories(points: readonly StatePoint[]): { current: Map<string, ColumnHistoryEventDto[]>; dropped: Map<string, ColumnHistoryEventDto[]> } {
  let identity = new Map<string, ColumnHistoryEventDto[]>();
  const dropped = new Map<string, ColumnHistoryEventDto[]>();
  let prev = EMPTY_STATE;
  for (const p of points) {
    const d = diffSchemas(prev, p.state);
    const base = { snapshot: p.snapshot, at: p.at, ...(p.tableVersion !== undefined ? { tableVersion: p.tableVersion } : {}) };
    const next = new Map<string, ColumnHistoryEventDto[]>();
    const renamedFrom = new Map(d.renamed.map((r) => [r.to, r]));
    const goneByRename = new Set(d.renamed.map((r) => r.from));
    for (const n of p.state.names) {
      const r = renamedFrom.get(n);
      const events = r ? identity.get(r.from)! : identity.get(n) ?? [];
      if (r) events.push({ change: 'renamed', ...base, column: n, from: r.from, by: r.by });
      else if (!identity.has(n)) events.push({ change: 'appeared', ...base, column: n });
      const tc = d.typeChanged.find((t) => t.column === n);
      if (tc) events.push({ change: 'type_changed', ...base, column: n, from: tc.from, to: tc.to });
      next.set(n, events);
    }
    for (const [n, events] of identity) {
      if (next.has(n) || goneByRename.has(n)) continue;
      events.push({ change: 'dropped', ...base, column: n });
      dropped.set(n, events);
    }
    identity = next;
    prev = p.state;
  }
  return { current: identity, dropped };
}

/**
 * Renames between snapshot `from` and snapshot `to` (from < to) as the step-by-step history of
 * the states recognises them: old name → { new name, how the last step was recognised }.
 */
export function renamesAcross(points: readonly StatePoint[], from: number, to: number): Map<string, { to: string; by: 'column-mapping' | 'lineage' }> {
  let ids = new Map<string, number>();
  let next = 1;
  let atFrom = new Map<number, string>();
  let atTo = new Map<number, string>();
  const how = new Map<number, 'column-mapping' | 'lineage'>();
  let prev = EMPTY_STATE;
  for (const p of points) {
    if (p.snapshot > to) break;
    const d = diffSchemas(prev, p.state);
    const renamedFrom = new Map(d.renamed.map((r) => [r.to, r]));
    const now = new Map<string, number>();
    for (const n of p.state.names) {
      const r = renamedFrom.get(n);
      const id = r ? ids.get(r.from)! : ids.get(n) ?? next++;
      if (r) how.set(id, r.by);
      now.set(n, id);
    }
    ids = now;
    const byId = new Map([...ids].map(([n, id]) => [id, n]));
    if (p.snapshot <= from) atFrom = byId;
    atTo = byId;
    prev = p.state;
  }
  const out = new Map<string, { to: string; by: 'column-mapping' | 'lineage' }>();
  for (const [id, old] of atFrom) {
    const cur = atTo.get(id);
    if (cur !== undefined && cur !== old) out.set(old, { to: cur, by: how.get(id) ?? 'lineage' });
  }
  return out;
}
