/**
 * Overlays drawn on the graph for the selection: a run's footprint (what it read, created,
 * modified, deleted, used as scratch) and the impact of a run or a version (downstream, and the
 * upstream it came from, in two colours). Pure: an overlay plus the drawn view give the class
 * of each drawn element.
 */
import type { GraphNodeDto } from '../../shared/dto';
import type { FootprintClass, FootprintDto, ImpactDto } from '../../shared/lineage-dto';
import type { ViewGraph } from '../graph/model/view-graph';

export type OverlayState =
  | {
      readonly kind: 'impact';
      /** The node the impact was asked for. */
      readonly of: string;
      /** Downstream (what consumed what it made) and upstream (what it was made from), version-aware. */
      readonly impact: ImpactDto;
      readonly upstream: ImpactDto;
      /** The graph nodes on each side. */
      readonly down: readonly string[];
      readonly up: readonly string[];
    }
  | {
      readonly kind: 'footprint';
      readonly of: string;
      readonly run: string;
      readonly footprint: FootprintDto;
      /** Graph node → the class it is drawn in. */
      readonly classOf: Readonly<Record<string, FootprintClass>>;
    }
  | {
      /** Both provenance chains of a version diff: what made version A, what made B, and what they share. */
      readonly kind: 'chains';
      /** Version B's artifact node (the one the diff was asked about last). */
      readonly of: string;
      readonly a: readonly string[];
      readonly b: readonly string[];
    };

/** A node read and written shows as written: what the run did to it matters more than that it looked. */
const FOOTPRINT_PRIORITY: readonly FootprintClass[] = ['OUTPUT_REMOVED', 'OUTPUT_MODIFIED', 'OUTPUT_ADDED', 'OUTPUT_TMP', 'INPUT'];

export const FOOTPRINT_CLASS_CSS: Record<FootprintClass, string> = {
  INPUT: 'ov-input',
  OUTPUT_ADDED: 'ov-added',
  OUTPUT_MODIFIED: 'ov-modified',
  OUTPUT_REMOVED: 'ov-removed',
  OUTPUT_TMP: 'ov-tmp',
};

/** Footprint classes per graph node: rolled-up artifacts matched to the graph by label. */
export function footprintNodeClasses(fp: FootprintDto, nodes: readonly GraphNodeDto[]): Record<string, FootprintClass> {
  const byLabel = new Map(nodes.filter((n) => n.id.startsWith('artifact:')).map((n) => [n.label, n.id]));
  const out: Record<string, FootprintClass> = {};
  for (const c of [...FOOTPRINT_PRIORITY].reverse()) {
    for (const label of [...fp.artifacts[c], ...fp.classes[c]]) {
      const id = byLabel.get(label);
      if (id) out[id] = c;
    }
  }
  return out;
}

/** Drawn element → overlay class ('ov-dim' for the rest is applied by the view). */
export function overlayClasses(o: OverlayState, view: ViewGraph): Map<string, string> {
  const rep = (id: string) => view.rep.get(id) ?? id;
  const out = new Map<string, string>();
  if (o.kind === 'impact') {
    for (const id of o.up) out.set(rep(id), 'ov-impact-up');
    for (const id of o.down) out.set(rep(id), 'ov-impact-down');
    // Edges along either side take its colour.
    const upSet = new Set([...o.up, o.of]);
    const downSet = new Set([...o.down, o.of]);
    for (const e of view.edges) {
      if (upSet.has(e.source) && upSet.has(e.target)) out.set(e.id, 'ov-impact-up');
      else if (downSet.has(e.source) && downSet.has(e.target)) out.set(e.id, 'ov-impact-down');
    }
  } else if (o.kind === 'chains') {
    const inA = new Set(o.a);
    const inB = new Set(o.b);
    const cls = (id: string) => (inA.has(id) && inB.has(id) ? 'ov-chain-both' : inA.has(id) ? 'ov-chain-a' : 'ov-chain-b');
    // A drawn group holding nodes of both chains shows as shared.
    for (const id of [...inA, ...inB]) {
      const r = rep(id);
      const prev = out.get(r);
      out.set(r, prev && prev !== cls(id) ? 'ov-chain-both' : cls(id));
    }
    // An edge is on a chain when both its ends are.
    const repA = new Set(o.a.map(rep));
    const repB = new Set(o.b.map(rep));
    for (const e of view.edges) {
      const a = repA.has(e.source) && repA.has(e.target);
      const b = repB.has(e.source) && repB.has(e.target);
      if (a || b) out.set(e.id, a && b ? 'ov-chain-both' : a ? 'ov-chain-a' : 'ov-chain-b');
    }
    return out;
  } else {
    for (const [id, c] of Object.entries(o.classOf)) out.set(rep(id), FOOTPRINT_CLASS_CSS[c]);
    // The run's own edges to what it touched stay visible.
    const touched = new Set([...Object.keys(o.classOf).map(rep), rep(o.of)]);
    for (const e of view.edges) if (touched.has(e.source) && touched.has(e.target)) out.set(e.id, 'ov-on');
  }
  out.set(rep(o.of), 'ov-on');
  return out;
}
