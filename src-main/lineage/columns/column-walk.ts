/**
 * Transitive upstream / downstream of one column at a snapshot (issue 19 rules): breadth first,
 * so a column's depth is the number of edges on the shortest path from the queried one (1 = a
 * direct input or consumer); DIRECT and INDIRECT edges are both followed unless `directOnly`;
 * each reached column carries the transformations of the edges that reach it from the columns
 * one step closer. Every column is visited once, so cycles terminate.
 */
import type { TransformationDto } from '../../../shared/columns-dto';
import type { ColumnView, Neighbour } from './column-view';

export interface WalkedColumn {
  readonly key: number;
  readonly column: string;
  readonly depth: number;
  readonly transformations: Map<string, TransformationDto>;
}

export interface WalkedEdge {
  /** Closer to the queried column. */
  readonly near: string;
  readonly far: string;
  readonly transformations: Map<string, TransformationDto>;
  readonly datasetLevel: boolean;
}

export interface WalkResult {
  /** By node key (`key \0 column`), in visiting order; the start is not included. */
  readonly columns: Map<string, WalkedColumn>;
  readonly edges: Map<string, WalkedEdge>;
  readonly maxDepthReached: number;
}

export const nodeKey = (key: number, column: string): string => key + '\u0000' + column;

export function walkColumns(view: ColumnView, start: { key: number; column: string }, direction: 'upstream' | 'downstream',
  opts: { depth?: number | null; directOnly?: boolean } = {}): WalkResult {
  const limit = opts.depth ?? Number.MAX_SAFE_INTEGER;
  const startKey = nodeKey(start.key, start.column);
  const columns = new Map<string, WalkedColumn>();
  const edges = new Map<string, WalkedEdge>();
  const seen = new Set<string>([startKey]);
  let frontier: { key: number; column: string; id: string }[] = [{ ...start, id: startKey }];
  let depth = 0;
  let maxDepthReached = 0;
  const scratch: Neighbour[] = [];
  while (frontier.length > 0 && depth < limit) {
    depth++;
    const next: typeof frontier = [];
    for (const from of frontier) {
      scratch.length = 0;
      if (direction === 'upstream') view.inputs(from.key, from.column, scratch);
      else view.consumers(from.key, from.column, scratch);
      for (const n of scratch) {
        if (opts.directOnly && !n.direct) continue;
        const id = nodeKey(n.key, n.column);
        let c = columns.get(id);
        if (!seen.has(id)) {
          seen.add(id);
          c = { key: n.key, column: n.column, depth, transformations: new Map() };
          columns.set(id, c);
          next.push({ key: n.key, column: n.column, id });
          maxDepthReached = depth;
        }
        // Only edges from one step closer reach it on a shortest path (the start has depth 0).
        if (!c || c.depth !== depth) continue;
        const edgeId = from.id + '\u0001' + id;
        let e = edges.get(edgeId);
        if (!e) edges.set(edgeId, (e = { near: from.id, far: id, transformations: new Map(), datasetLevel: n.datasetLevel }));
        // One entry per {type, subtype}: the first one met keeps its description.
        for (const t of n.transformations) {
          const k = `${t.type}/${t.subtype ?? ''}`;
          if (!c.transformations.has(k)) c.transformations.set(k, t);
          if (!e.transformations.has(k)) e.transformations.set(k, t);
        }
      }
    }
    frontier = next;
  }
  return { columns, edges, maxDepthReached };
}
