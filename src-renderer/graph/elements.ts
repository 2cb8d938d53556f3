import type { GraphDto, NodeKind } from '../../shared/dto';

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

/** Counts per kind, for the legend. */
export function countByKind(graph: GraphDto): Partial<Record<NodeKind, number>> {
  const out: Partial<Record<NodeKind, number>> = {};
  for (const n of graph.nodes) out[n.kind] = (out[n.kind] ?? 0) + 1;
  return out;
}
