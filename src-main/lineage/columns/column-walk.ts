/**
 * Transitive upstream / downstream of one column at a snapshot (issue 19 rules): breadth first,
 * so a column's depth is the number of edges on the shortest path from the queried one (1 = a
 * direct input or consumer); DIRECT and INDIRECT edges are both followed unless `directOnly`;
 * each reached column carries the transformations of the edges that reach it from the columns
 * one step closer. Every column is visited once, so cycles terminate.
 *
 * Kept allocation-light (it answers the inspector on every click, p95 ≤ 10 ms on 10,000 × 100
 * columns): columns are numbered as they are reached, edges keyed by those numbers, and a
 * transformation list is shared with the lineage text until a second, different one joins it.
 */
import type { TransformationDto } from '../../../shared/columns-dto';
import type { ColumnView, Neighbour } from './column-view';

export interface WalkResult {
  /** Reached columns in visiting order (index 0 is the start): dataset key, column, depth, transformations. */
  readonly keys: readonly number[];
  readonly columns: readonly string[];
  readonly depths: readonly number[];
  readonly transformations: readonly (readonly TransformationDto[])[];
  /** Edges on shortest paths: indexes into the arrays above, `near` one step closer to the start. */
  readonly edges: readonly { readonly near: number; readonly far: number; transformations: readonly TransformationDto[]; readonly datasetLevel: boolean }[];
  readonly maxDepthReached: number;
}

export function walkColumns(view: ColumnView, start: { key: number; column: string }, direction: 'upstream' | 'downstream',
  opts: { depth?: number | null; directOnly?: boolean } = {}): WalkResult {
  const limit = opts.depth ?? Number.MAX_SAFE_INTEGER;
  const index = new Map<string, number>([[start.key + '\u0000' + start.column, 0]]);
  const keys = [start.key];
  const columns = [start.column];
  const depths = [0];
  const transformations: (readonly TransformationDto[])[] = [[]];
  const edges: WalkResult['edges'][number][] = [];
  const edgeAt = new Map<number, number>();
  let frontier = [0];
  let depth = 0;
  let maxDepthReached = 0;
  const scratch: Neighbour[] = [];
  while (frontier.length > 0 && depth < limit) {
    depth++;
    const next: number[] = [];
    for (const from of frontier) {
      scratch.length = 0;
      if (direction === 'upstream') view.inputs(keys[from]!, columns[from]!, scratch);
      else view.consumers(keys[from]!, columns[from]!, scratch);
      for (const n of scratch) {
        if (opts.directOnly && !n.direct) continue;
        const id = n.key + '\u0000' + n.column;
        let to = index.get(id);
        if (to === undefined) {
          to = keys.length;
          index.set(id, to);
          keys.push(n.key);
          columns.push(n.column);
          depths.push(depth);
          transformations.push(n.transformations);
          next.push(to);
          maxDepthReached = depth;
        } else if (depths[to] === depth) transformations[to] = merge(transformations[to]!, n.transformations);
        // Only edges from one step closer lie on a shortest path (the start has depth 0).
        if (depths[to] !== depth) continue;
        const ek = from * 4_194_304 + to;
        const at = edgeAt.get(ek);
        if (at === undefined) {
          edgeAt.set(ek, edges.length);
          edges.push({ near: from, far: to, transformations: n.transformations, datasetLevel: n.datasetLevel });
        } else edges[at]!.transformations = merge(edges[at]!.transformations, n.transformations);
      }
    }
    frontier = next;
  }
  return { keys, columns, depths, transformations, edges, maxDepthReached };
}

/** One entry per {type, subtype}; the first one met keeps its description. Shares `a` when `b` adds nothing. */
function merge(a: readonly TransformationDto[], b: readonly TransformationDto[]): readonly TransformationDto[] {
  if (a === b) return a;
  let out: TransformationDto[] | null = null;
  for (const t of b) {
    if ((out ?? a).some((x) => x.type === t.type && x.subtype === t.subtype)) continue;
    (out ??= [...a]).push(t);
  }
  return out ?? a;
}
