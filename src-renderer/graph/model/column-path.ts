/**
 * A column's path across the graph (issue 19): the graph nodes its upstream and downstream
 * columns live in, and the stages between them, coloured in the two lineage colours on what is
 * drawn. Between two datasets joined by a column edge the path takes the graph's shortest routes
 * (dataset → stage → dataset), so only the stages that can have carried the column light up, not
 * every neighbour. Pure: the column answers plus the drawn view give a class per drawn element.
 */
import type { ColumnLineageDto } from '../../../shared/columns-dto';
import { walk } from './lineage-adjacency';
import type { ViewGraph } from './view-graph';

/** The node-level shape of a column's lineage, both ways. */
export interface ColumnPath {
  /** The graph node of the column asked about. */
  readonly node: string;
  /** Graph nodes holding its upstream / downstream columns (its own node excluded). */
  readonly up: readonly string[];
  readonly down: readonly string[];
  /** Node pairs joined by a column edge, as data flows (source feeds target), per side. */
  readonly upHops: readonly NodeHop[];
  readonly downHops: readonly NodeHop[];
}

export interface NodeHop {
  readonly source: string;
  readonly target: string;
}

/** Classes the path gives: the lineage colours of the impact overlay, and the column's own node. */
export const COLUMN_PATH_CLASS = { up: 'ov-impact-up', down: 'ov-impact-down', own: 'ov-on' } as const;

/** Most graph hops a column edge may stand for (dataset → run → job → dataset at run granularity). */
const MAX_HOPS = 4;

/** The node-level path from the two walks the API answered. */
export function columnPathOf(up: ColumnLineageDto, down: ColumnLineageDto): ColumnPath {
  const hops = (d: ColumnLineageDto): NodeHop[] => {
    const nodeOf = new Map<string, string>([[d.id, d.node]]);
    for (const c of d.columns) nodeOf.set(c.id, c.node);
    const seen = new Set<string>();
    const out: NodeHop[] = [];
    for (const e of d.edges) {
      const source = nodeOf.get(e.source);
      const target = nodeOf.get(e.target);
      if (!source || !target || source === target || seen.has(`${source}|${target}`)) continue;
      seen.add(`${source}|${target}`);
      out.push({ source, target });
    }
    return out;
  };
  const others = (d: ColumnLineageDto) => d.nodes.filter((n) => n !== d.node);
  return { node: up.node, up: others(up), down: others(down), upHops: hops(up), downHops: hops(down) };
}

/**
 * Drawn element → class: nodes on the upstream side (and the stages between them) in the
 * upstream colour, downstream likewise, the column's own node marked; everything else is left
 * out (the view dims it). A node in a closed group lights its group.
 */
export function columnPathClasses(path: ColumnPath, view: ViewGraph): Map<string, string> {
  const rep = (id: string) => view.rep.get(id);
  const out = new Map<string, string>();
  const edgeSide = new Map<string, string>();
  const colour = (side: 'up' | 'down', nodes: readonly string[], hops: readonly NodeHop[]) => {
    const cls = COLUMN_PATH_CLASS[side];
    const lit = new Set<string>(nodes);
    const pairs = new Set<string>();
    for (const h of hops) {
      for (const [u, v] of routes(view, h)) {
        lit.add(u);
        lit.add(v);
        pairs.add(`${u}|${v}`);
      }
    }
    for (const id of lit) {
      const r = rep(id);
      if (r && !out.has(r)) out.set(r, cls);
    }
    for (const p of pairs) {
      const [u, v] = p.split('|') as [string, string];
      const ru = rep(u);
      const rv = rep(v);
      if (ru && rv && ru !== rv && !edgeSide.has(`${ru}|${rv}`)) edgeSide.set(`${ru}|${rv}`, cls);
    }
  };
  const own = rep(path.node);
  if (own) out.set(own, COLUMN_PATH_CLASS.own);
  colour('up', path.up, path.upHops);
  colour('down', path.down, path.downHops);
  for (const e of view.edges) {
    const cls = edgeSide.get(`${e.source}|${e.target}`);
    if (cls) out.set(e.id, cls);
  }
  return out;
}

/** The graph edges (as node pairs) on the shortest routes from a hop's source to its target. */
function routes(view: ViewGraph, h: NodeHop): [string, string][] {
  const adj = view.adjacency;
  const fromSource = walk(adj, h.source, 'down', MAX_HOPS);
  const dist = fromSource.get(h.target);
  if (dist === undefined) return [];
  const toTarget = walk(adj, h.target, 'up', MAX_HOPS);
  const at = (id: string, m: Map<string, number>, start: string) => (id === start ? 0 : m.get(id));
  const out: [string, string][] = [];
  // An edge u → v is on a shortest route when d(source, u) + 1 + d(v, target) = d(source, target).
  for (const u of [h.source, ...fromSource.keys()]) {
    const du = at(u, fromSource, h.source);
    if (du === undefined || du >= dist) continue;
    const i = adj.index.get(u)!;
    for (const w of adj.out[i]!) {
      const v = adj.ids[w]!;
      const dv = at(v, toTarget, h.target);
      if (dv !== undefined && du + 1 + dv === dist) out.push([u, v]);
    }
  }
  return out;
}

/** The part of the store that decides whether a column's path is drawn. */
export interface ColumnPathState {
  readonly selectedId: string | null;
  readonly overlay: unknown;
  readonly view: ViewGraph | null;
  readonly selectedColumn: { readonly node: string } | null;
  readonly columnState: string;
  readonly columnUpstream: ColumnLineageDto | null;
  readonly columnDownstream: ColumnLineageDto | null;
}

/**
 * The column whose path is drawn: the one picked, once answered, while its node (or the group
 * holding it) is the selection and no other overlay (impact, footprint) is shown.
 */
export function shownColumnPath(s: ColumnPathState): { up: ColumnLineageDto; down: ColumnLineageDto } | null {
  const c = s.selectedColumn;
  if (!c || !s.view || !s.selectedId || s.overlay || s.columnState !== 'ready' || !s.columnUpstream || !s.columnDownstream) return null;
  if (c.node !== s.selectedId && s.view.rep.get(c.node) !== s.selectedId) return null;
  return { up: s.columnUpstream, down: s.columnDownstream };
}
