import type { GraphDto, GraphNodeDto, NodeKind } from '../../shared/dto';

/** A Cytoscape element as plain data (no cytoscape import here, so this stays unit-testable). */
export interface CyElement {
  readonly group: 'nodes' | 'edges';
  readonly data: Record<string, string | number | boolean | undefined> & { id: string };
  readonly classes: string;
}

/** Human names for node kinds (legend, details panel). */
export const KIND_LABEL: Record<NodeKind, string> = {
  dataset: 'Dataset',
  feature_group: 'Feature table',
  training_dataset: 'Training set',
  model: 'Model',
  experiment: 'Experiment',
  code: 'Code',
  environment: 'Environment',
  file: 'File',
  job: 'Stage',
  run: 'Run',
};

/**
 * GraphDto → Cytoscape elements, ids unchanged so updates can be applied as id-keyed diffs.
 * Edges whose ends are missing are dropped (a partial graph must still draw).
 */
export function toCyElements(graph: GraphDto, hiddenKinds: readonly NodeKind[] = []): CyElement[] {
  const shown = hiddenKinds.length ? graph.nodes.filter((n) => !hiddenKinds.includes(n.kind)) : graph.nodes;
  const ids = new Set(shown.map((n) => n.id));
  const nodes: CyElement[] = shown.map((n) => ({
    group: 'nodes',
    data: { id: n.id, label: shortLabel(n), kind: n.kind, fullLabel: n.label, state: n.state, version: n.version },
    classes: [`kind-${n.kind}`, n.state ? `state-${n.state.toLowerCase()}` : '', n.stale ? 'is-stale' : ''].filter(Boolean).join(' '),
  }));
  const edges: CyElement[] = graph.edges
    .filter((e) => ids.has(e.source) && ids.has(e.target))
    .map((e) => ({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, kind: e.kind }, classes: `edge-${e.kind}` }));
  return [...nodes, ...edges];
}

/** Paths are long: show the last two segments, the full label lives in the details panel. */
export function shortLabel(n: Pick<GraphNodeDto, 'label' | 'kind'>): string {
  const parts = n.label.split('/').filter(Boolean);
  const s = parts.length > 2 ? parts.slice(-2).join('/') : n.label;
  return s.length > 32 ? s.slice(0, 30) + '…' : s;
}

/** Counts per kind, for the legend. */
export function countByKind(graph: GraphDto): Partial<Record<NodeKind, number>> {
  const out: Partial<Record<NodeKind, number>> = {};
  for (const n of graph.nodes) out[n.kind] = (out[n.kind] ?? 0) + 1;
  return out;
}
