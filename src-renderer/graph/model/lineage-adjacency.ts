/**
 * Adjacency of a lineage graph in the direction data flows: sources on the left, consumers on
 * the right. `reads` (artifact → job) and `writes` (job → artifact) already point that way; a
 * stage's code and environment feed it, so `uses_code` / `uses_environment` are turned around.
 * `parent` and `instance_of` are bookkeeping, not lineage, and are left out of walks.
 */
import type { GraphEdgeDto } from '../../../shared/dto';

export interface LineageAdjacency {
  readonly ids: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly out: readonly (readonly number[])[];
  readonly inn: readonly (readonly number[])[];
}

/** Source and target of an edge as the lineage flows (see above); null for non-lineage edges. */
export function flowOf(e: Pick<GraphEdgeDto, 'source' | 'target' | 'kind'>): { source: string; target: string } | null {
  if (e.kind === 'reads' || e.kind === 'writes') return { source: e.source, target: e.target };
  if (e.kind === 'uses_code' || e.kind === 'uses_environment') return { source: e.target, target: e.source };
  return null;
}

export function buildAdjacency(ids: readonly string[], edges: readonly Pick<GraphEdgeDto, 'source' | 'target' | 'kind'>[]): LineageAdjacency {
  const index = new Map(ids.map((id, i) => [id, i]));
  const out: number[][] = ids.map(() => []);
  const inn: number[][] = ids.map(() => []);
  for (const e of edges) {
    const f = flowOf(e);
    if (!f) continue;
    const s = index.get(f.source);
    const t = index.get(f.target);
    if (s === undefined || t === undefined || s === t) continue;
    out[s]!.push(t);
    inn[t]!.push(s);
  }
  return { ids, index, out, inn };
}

/**
 * Breadth-first walk from `start` along `dir`, up to `depth` hops (null = all). Returns each
 * reached node with its hop count; the start itself is not included.
 */
export function walk(adj: LineageAdjacency, start: string, dir: 'up' | 'down', depth: number | null): Map<string, number> {
  return walkFrom(adj, [start], dir, depth);
}

/**
 * One breadth-first walk from several starts at once (a group's members): each reached node
 * with its hop count from the nearest start; the starts are not included. Walking from each
 * start in turn visited the graph once per member — seconds for a group of thousands.
 */
export function walkFrom(adj: LineageAdjacency, starts: readonly string[], dir: 'up' | 'down', depth: number | null): Map<string, number> {
  const result = new Map<string, number>();
  const nbrs = dir === 'down' ? adj.out : adj.inn;
  const seen = new Uint8Array(adj.ids.length);
  let frontier: number[] = [];
  for (const start of starts) {
    const s = adj.index.get(start);
    if (s === undefined || seen[s]) continue;
    seen[s] = 1;
    frontier.push(s);
  }
  for (let d = 1; frontier.length && (depth === null || d <= depth); d++) {
    const next: number[] = [];
    for (const v of frontier) {
      for (const w of nbrs[v]!) {
        if (seen[w]) continue;
        seen[w] = 1;
        result.set(adj.ids[w]!, d);
        next.push(w);
      }
    }
    frontier = next;
  }
  return result;
}

/** Neighbours of one node along `dir` (direct, one hop). */
export function neighbours(adj: LineageAdjacency, id: string, dir: 'up' | 'down'): string[] {
  const i = adj.index.get(id);
  if (i === undefined) return [];
  return (dir === 'down' ? adj.out : adj.inn)[i]!.map((w) => adj.ids[w]!);
}
