/**
 * The difference between two graphs (two snapshots): nodes and edges added and removed, and
 * nodes whose version, state or staleness changed. Ids are stable across snapshots, so this
 * is a keyed comparison.
 */
import type { GraphDto, GraphNodeDto } from '../../../shared/dto';
import type { GraphDiffDto, GraphNodeChangeDto } from '../../../shared/lineage-dto';

export function diffGraphs(from: GraphDto, to: GraphDto): GraphDiffDto {
  const before = new Map(from.nodes.map((n) => [n.id, n]));
  const after = new Map(to.nodes.map((n) => [n.id, n]));
  const changed: GraphNodeChangeDto[] = [];
  for (const [id, b] of before) {
    const a = after.get(id);
    if (a && (a.version !== b.version || a.state !== b.state || (a.stale ?? false) !== (b.stale ?? false))) {
      changed.push({ id, before: facts(b), after: facts(a) });
    }
  }
  const beforeEdges = new Set(from.edges.map((e) => e.id));
  const afterEdges = new Set(to.edges.map((e) => e.id));
  const sort = (xs: string[]) => xs.sort();
  return {
    from: from.snapshot,
    to: to.snapshot,
    nodes: {
      added: sort([...after.keys()].filter((id) => !before.has(id))),
      removed: sort([...before.keys()].filter((id) => !after.has(id))),
      changed: changed.sort((x, y) => (x.id < y.id ? -1 : 1)),
    },
    edges: {
      added: sort([...afterEdges].filter((id) => !beforeEdges.has(id))),
      removed: sort([...beforeEdges].filter((id) => !afterEdges.has(id))),
    },
  };
}

function facts(n: GraphNodeDto): GraphNodeChangeDto['before'] {
  return { ...(n.version !== undefined ? { version: n.version } : {}), ...(n.state !== undefined ? { state: n.state } : {}), ...(n.stale ? { stale: true } : {}) };
}
