/**
 * What one view of the lineage graph draws: the nodes left after the kind filter and the focus,
 * with collapsed groups standing in for their members, edges between groups aggregated with a
 * count, and "+N downstream" stubs at the edge of a focus. Pure and deterministic: the same
 * graph and view state give the same elements, so positions keyed by id stay meaningful.
 */
import type { EdgeKind, GraphDto, GraphEdgeDto, GraphNodeDto, NodeKind } from '../../../shared/dto';
import { buildGroupTree, type GroupInfo, type GroupTree } from './groups';
import { formatCount, GROUP_HEIGHT, NODE_HEIGHT, nodeWidth, shortLabel } from './labels';
import { buildAdjacency, flowOf, neighbours, walk, type LineageAdjacency } from './lineage-adjacency';

/** Which groups are open: every group is `base`, except those listed. */
export interface GroupState {
  readonly base: 'expanded' | 'collapsed';
  readonly except: readonly string[];
}

/** Depth null = all hops. */
export interface FocusState {
  readonly id: string;
  readonly up: number | null;
  readonly down: number | null;
  /** Stubs the user opened: `d:<id>` (one more hop downstream of id) or `u:<id>`. */
  readonly extra: readonly string[];
}

export interface ViewOptions {
  readonly hiddenKinds: readonly NodeKind[];
  /** null = decide from the size budget (everything open when it fits, else grouped). */
  readonly groups: GroupState | null;
  readonly focus: FocusState | null;
  /** Most elements (nodes + edges) a view draws before it starts grouped. */
  readonly budget: number;
}

export const DEFAULT_BUDGET = 5000;
/** A grouped start opens levels of groups while it stays below this many nodes: an overview, not a hairball. */
const GROUPED_START_NODES = 60;

export type ViewNodeKind = NodeKind | 'group' | 'stub';

export interface ViewNode {
  readonly id: string;
  readonly kind: ViewNodeKind;
  /** What the node shows (short, may hold a second line). */
  readonly label: string;
  /** The whole name, for hover and the inspector. */
  readonly fullLabel: string;
  readonly width: number;
  readonly height: number;
  /** The innermost open group this node is drawn in, if any. */
  readonly group?: string;
  readonly classes: string;
  readonly state?: string;
  readonly version?: string;
  /** Group nodes: how many nodes they stand for. Stubs: how many neighbours they hide. */
  readonly count?: number;
  /** Stubs: the node they hang off and the direction. */
  readonly stubOf?: { readonly id: string; readonly dir: 'up' | 'down' };
}

export interface ViewEdge {
  readonly id: string;
  /** Drawn in the direction data flows (code and environment point into the stage). */
  readonly source: string;
  readonly target: string;
  readonly kind: EdgeKind | 'aggregate' | 'stub';
  /** Aggregated edges: how many edges they stand for. */
  readonly count?: number;
  readonly classes: string;
}

export interface ViewGraph {
  readonly nodes: readonly ViewNode[];
  readonly edges: readonly ViewEdge[];
  readonly tree: GroupTree;
  /** The group state in force (an automatic decision made explicit). */
  readonly groups: GroupState;
  /** Lineage adjacency of the filtered graph (before grouping), for walks and keyboard moves. */
  readonly adjacency: LineageAdjacency;
  /** Node id → the drawn element that stands for it (itself, or its outermost closed group). */
  readonly rep: ReadonlyMap<string, string>;
  /** The graph's edges after the kind filter and focus (what the drawn edges stand for). */
  readonly sourceEdges: readonly GraphEdgeDto[];
  readonly summary: ViewSummary;
}

export interface ViewSummary {
  /** Nodes in the graph after the kind filter (and focus). */
  readonly totalNodes: number;
  readonly drawnNodes: number;
  readonly drawnEdges: number;
  readonly groupsDrawn: number;
  /** One line for the user when the view hides nodes in groups, else null. */
  readonly message: string | null;
}

export function buildViewGraph(graph: GraphDto, opts: ViewOptions): ViewGraph {
  const hidden = new Set(opts.hiddenKinds);
  let nodes = hidden.size ? graph.nodes.filter((n) => !hidden.has(n.kind)) : [...graph.nodes];
  const ids = new Set(nodes.map((n) => n.id));
  let edges = graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  const adjacency = buildAdjacency(nodes.map((n) => n.id), edges);

  // Focus: only the focused node's lineage, to the chosen depth, plus opened stubs.
  let stubs: { id: string; dir: 'up' | 'down'; count: number }[] = [];
  if (opts.focus && adjacency.index.has(opts.focus.id)) {
    const f = focusSet(adjacency, opts.focus);
    nodes = nodes.filter((n) => f.members.has(n.id));
    edges = edges.filter((e) => f.members.has(e.source) && f.members.has(e.target));
    stubs = f.stubs;
  }

  const tree = buildGroupTree(nodes, edges);
  const groups = opts.groups ?? autoGroups(tree, nodes.length, edges.length, opts.budget);
  const except = new Set(groups.except);
  const open = (g: string) => (groups.base === 'expanded') !== except.has(g);

  // Representatives: a node inside a closed group is drawn as the outermost closed group.
  const rep = new Map<string, string>();
  const closedOuter = new Map<string, string | null>();
  const outermostClosed = (g: string): string | null => {
    const hit = closedOuter.get(g);
    if (hit !== undefined) return hit;
    const info = tree.groups.get(g)!;
    const above = info.parent ? outermostClosed(info.parent) : null;
    const result = above ?? (open(g) ? null : g);
    closedOuter.set(g, result);
    return result;
  };
  for (const n of nodes) {
    const g = tree.groupOf.get(n.id);
    rep.set(n.id, (g && outermostClosed(g)) || n.id);
  }

  const outNodes: ViewNode[] = [];
  const drawnGroups = new Set<string>();
  for (const n of nodes) {
    const r = rep.get(n.id)!;
    if (r === n.id) outNodes.push(toViewNode(n, tree.groupOf.get(n.id)));
    else if (!drawnGroups.has(r)) {
      drawnGroups.add(r);
      outNodes.push(toGroupNode(tree.groups.get(r)!));
    }
  }

  // Edges: original ones between drawn nodes; the rest aggregated between representatives.
  const outEdges: ViewEdge[] = [];
  const agg = new Map<string, { source: string; target: string; count: number; kinds: Set<string> }>();
  for (const e of edges) {
    const flow = flowOf(e) ?? { source: e.source, target: e.target };
    const s = rep.get(flow.source)!;
    const t = rep.get(flow.target)!;
    if (s === t) continue;
    if (s === flow.source && t === flow.target) {
      outEdges.push({ id: e.id, source: s, target: t, kind: e.kind, classes: `edge-${e.kind}` });
      continue;
    }
    const key = `${s}|${t}`;
    const a = agg.get(key);
    if (a) {
      a.count++;
      a.kinds.add(e.kind);
    } else agg.set(key, { source: s, target: t, count: 1, kinds: new Set([e.kind]) });
  }
  for (const [key, a] of agg) {
    outEdges.push({ id: `agg:${key}`, source: a.source, target: a.target, kind: 'aggregate', count: a.count, classes: 'edge-aggregate' });
  }

  for (const s of stubs) {
    const host = rep.get(s.id);
    if (!host) continue;
    const id = `stub:${s.dir}:${s.id}`;
    const label = `+${formatCount(s.count)} ${s.dir === 'down' ? 'downstream' : 'upstream'}`;
    outNodes.push({ id, kind: 'stub', label, fullLabel: `${label}: show one more hop`, width: nodeWidth(label, 30), height: 22, classes: 'stub', count: s.count, stubOf: { id: s.id, dir: s.dir } });
    outEdges.push(s.dir === 'down'
      ? { id: `${id}|e`, source: host, target: id, kind: 'stub', classes: 'edge-stub' }
      : { id: `${id}|e`, source: id, target: host, kind: 'stub', classes: 'edge-stub' });
  }

  const groupsDrawn = drawnGroups.size;
  const hiddenInGroups = nodes.length - (outNodes.length - groupsDrawn - stubs.length);
  const message = groupsDrawn > 0 && hiddenInGroups > 0
    ? `${formatCount(nodes.length)} nodes grouped into ${formatCount(groupsDrawn)} ${groupsDrawn === 1 ? 'group' : 'groups'} — expand a group or focus a node`
    : null;
  return {
    nodes: outNodes,
    edges: outEdges,
    tree,
    groups,
    adjacency,
    rep,
    sourceEdges: edges,
    summary: { totalNodes: nodes.length, drawnNodes: outNodes.length, drawnEdges: outEdges.length, groupsDrawn, message },
  };
}

function toViewNode(n: GraphNodeDto, group: string | undefined): ViewNode {
  const label = n.kind === 'run' ? runLabel(n) : shortLabel(n.label);
  const classes = [`kind-${n.kind}`, n.state ? `state-${n.state.toLowerCase()}` : '', n.stale ? 'is-stale' : ''].filter(Boolean).join(' ');
  return {
    id: n.id,
    kind: n.kind,
    label,
    fullLabel: n.label,
    width: nodeWidth(label),
    height: NODE_HEIGHT,
    classes,
    ...(group ? { group } : {}),
    ...(n.state ? { state: n.state } : {}),
    ...(n.version ? { version: n.version } : {}),
  };
}

/** "train · Jan 6 06:28": the stage and when the run ended (or started), in the viewer's time. */
export function runLabel(n: GraphNodeDto): string {
  const at = n.endedAt ?? n.startedAt;
  const stage = n.job ? n.job.slice(n.job.lastIndexOf('/') + 1) : n.label.replace(/ #\d+$/, '');
  if (!at) return shortLabel(n.label);
  const d = new Date(at);
  const when = `${d.toLocaleString('en-US', { month: 'short', day: 'numeric' })} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return shortLabel(`${stage} · ${when}`);
}

function toGroupNode(g: GroupInfo): ViewNode {
  const name = shortLabel(g.label);
  const label = `${name}\n${formatCount(g.size)} ${g.size === 1 ? 'node' : 'nodes'}`;
  const kinds = Object.entries(g.kinds).sort((a, b) => b[1] - a[1]).map(([k, c]) => `${formatCount(c)} ${k}`).join(', ');
  return {
    id: g.id,
    kind: 'group',
    label,
    fullLabel: `${g.label} — ${kinds}`,
    width: nodeWidth(label, 80),
    height: GROUP_HEIGHT,
    classes: `group group-${g.kind}`,
    count: g.size,
    ...(g.parent ? { group: g.parent } : {}),
  };
}

/**
 * Everything open when the graph fits the budget; otherwise start closed and open whole levels,
 * smallest groups first, while the drawn node count stays an overview.
 */
export function autoGroups(tree: GroupTree, nodeCount: number, edgeCount: number, budget: number): GroupState {
  if (nodeCount + edgeCount <= budget || tree.groups.size === 0) return { base: 'expanded', except: [] };
  const opened: string[] = [];
  let drawn = tree.rootNodes.length + tree.rootGroups.length;
  let level = [...tree.rootGroups];
  const limit = Math.min(GROUPED_START_NODES, budget);
  while (level.length) {
    const next: string[] = [];
    for (const g of [...level].sort((a, b) => tree.groups.get(a)!.size - tree.groups.get(b)!.size)) {
      const info = tree.groups.get(g)!;
      const grows = info.members.length + info.children.length - 1;
      if (drawn + grows > limit) continue;
      drawn += grows;
      opened.push(g);
      next.push(...info.children);
    }
    level = next;
  }
  return { base: 'collapsed', except: opened };
}

/** The focus subgraph: walks up and down to the chosen depths, opened stubs, and the stubs left. */
function focusSet(adj: LineageAdjacency, f: FocusState): { members: Set<string>; stubs: { id: string; dir: 'up' | 'down'; count: number }[] } {
  const members = new Set<string>([f.id]);
  const side = new Map<string, 'up' | 'down' | 'both'>([[f.id, 'both']]);
  for (const id of walk(adj, f.id, 'up', f.up).keys()) {
    members.add(id);
    side.set(id, 'up');
  }
  for (const id of walk(adj, f.id, 'down', f.down).keys()) {
    members.add(id);
    side.set(id, side.has(id) ? 'both' : 'down');
  }
  // Opened stubs, in the order they were opened (a later one may hang off an earlier one's nodes).
  for (const x of f.extra) {
    const dir = x.startsWith('d:') ? 'down' : 'up';
    const id = x.slice(2);
    if (!members.has(id)) continue;
    for (const n of neighbours(adj, id, dir)) {
      if (!members.has(n)) side.set(n, dir);
      members.add(n);
    }
  }
  const stubs: { id: string; dir: 'up' | 'down'; count: number }[] = [];
  for (const id of members) {
    const s = side.get(id)!;
    for (const dir of ['up', 'down'] as const) {
      if (s !== 'both' && s !== dir) continue;
      const hidden = neighbours(adj, id, dir).filter((n) => !members.has(n)).length;
      if (hidden > 0) stubs.push({ id, dir, count: hidden });
    }
  }
  return { members, stubs };
}
