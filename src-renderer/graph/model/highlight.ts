/**
 * What selecting a node lights up: its whole upstream and downstream (to the chosen depth), in
 * two colours, mapped onto what is drawn — a node hidden in a closed group lights its group, a
 * path through a group lights the aggregated edge. Walks run on the full graph, not on the
 * drawn one, so a group never invents a path that does not exist.
 */
import { flowOf, walkFrom } from './lineage-adjacency';
import type { ViewGraph } from './view-graph';

export interface Depth {
  readonly up: number | null;
  readonly down: number | null;
}

export interface LineageHighlight {
  readonly selected: string;
  readonly up: Set<string>;
  readonly down: Set<string>;
  readonly upEdges: Set<string>;
  readonly downEdges: Set<string>;
  /** Nodes of the full graph reached (before mapping to what is drawn). */
  readonly reached: { readonly up: number; readonly down: number };
}

export function lineageHighlight(view: ViewGraph, selected: string, depth: Depth): LineageHighlight | null {
  // A selected group: its members' lineage.
  const group = view.tree.groups.get(selected);
  const starts = group ? membersOf(view, selected) : [selected];
  if (!group && !view.adjacency.index.has(selected)) {
    return { selected, up: new Set(), down: new Set(), upEdges: new Set(), downEdges: new Set(), reached: { up: 0, down: 0 } };
  }
  // One walk from all the starts together (a group's members are not lineage of each other here).
  const upSet = new Set(walkFrom(view.adjacency, starts, 'up', depth.up).keys());
  const downSet = new Set(walkFrom(view.adjacency, starts, 'down', depth.down).keys());
  const startSet = new Set(starts);
  const rep = (id: string) => view.rep.get(id) ?? id;
  const up = new Set<string>();
  const down = new Set<string>();
  for (const id of upSet) if (rep(id) !== selected) up.add(rep(id));
  for (const id of downSet) if (rep(id) !== selected) down.add(rep(id));
  const drawnEdge = (s: string, t: string, original: string) => {
    const rs = rep(s);
    const rt = rep(t);
    if (rs === rt) return null;
    return rs === s && rt === t ? original : `agg:${rs}|${rt}`;
  };
  const upEdges = new Set<string>();
  const downEdges = new Set<string>();
  for (const e of view.sourceEdges) {
    const f = flowOf(e);
    if (!f) continue;
    const id = drawnEdge(f.source, f.target, e.id);
    if (!id) continue;
    if (upSet.has(f.source) && (upSet.has(f.target) || startSet.has(f.target))) upEdges.add(id);
    if (downSet.has(f.target) && (downSet.has(f.source) || startSet.has(f.source))) downEdges.add(id);
  }
  // Stubs belong to the side they lead to.
  for (const n of view.nodes) {
    if (n.stubOf?.dir === 'down' && (downSet.has(n.stubOf.id) || startSet.has(n.stubOf.id))) down.add(n.id);
    if (n.stubOf?.dir === 'up' && (upSet.has(n.stubOf.id) || startSet.has(n.stubOf.id))) up.add(n.id);
  }
  return { selected, up, down, upEdges, downEdges, reached: { up: upSet.size, down: downSet.size } };
}

/** Every node inside a group, at any depth. */
export function membersOf(view: ViewGraph, groupId: string): string[] {
  const out: string[] = [];
  const stack = [groupId];
  while (stack.length) {
    const g = view.tree.groups.get(stack.pop()!);
    if (!g) continue;
    out.push(...g.members);
    stack.push(...g.children);
  }
  return out;
}
