import type { StylesheetJson } from 'cytoscape';
import type { NodeKind } from '../../../shared/dto';
import type { Theme } from '../../state/theme';
import { KIND_SHAPE, PALETTES } from '../kind-style';
import { LABEL_FONT_PX } from '../model/labels';

/** Classes that show state; the view only adds and removes these (never element.css()). */
export const CLS = {
  selected: 'is-selected',
  up: 'is-up',
  down: 'is-down',
  dimmed: 'is-dimmed',
  hover: 'is-hover',
  added: 'is-added',
  removed: 'is-removed',
  changed: 'is-changed',
  searchHit: 'is-search-hit',
} as const;

/** Footprint and impact overlays colour nodes by these classes (`ov-<name>`). */
export const OVERLAY_CLASSES = ['ov-input', 'ov-added', 'ov-modified', 'ov-removed', 'ov-tmp', 'ov-impact-down', 'ov-impact-up', 'ov-chain-a', 'ov-chain-b', 'ov-chain-both', 'ov-dim', 'ov-on'] as const;

export interface StyleOptions {
  readonly theme: Theme;
  /** Many elements: haystack edges with a mid-edge arrow (bezier control points cost per frame). */
  readonly large: boolean;
}

/** Pure: the stylesheet for a theme and a level of detail (data, snapshot-testable). */
export function lineageStylesheet(o: StyleOptions): StylesheetJson {
  const p = PALETTES[o.theme];
  const kindRules = (Object.keys(KIND_SHAPE) as NodeKind[]).map((k) => ({
    selector: `node.kind-${k}`,
    style: { shape: KIND_SHAPE[k], 'border-color': p.kinds[k], 'background-color': p.kinds[k] },
  }));
  const edgeCurve = o.large ? 'haystack' : 'bezier';
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        width: 'data(w)',
        height: 'data(h)',
        color: p.text,
        'font-size': LABEL_FONT_PX,
        'font-family': 'Inter, "DejaVu Sans", "Segoe UI", system-ui, sans-serif',
        'text-valign': 'center',
        'text-halign': 'center',
        // Past this on-screen size a label is unreadable: shapes and colours take over.
        'min-zoomed-font-size': 7,
        'background-color': p.nodeBg,
        'background-opacity': 0.16,
        'border-width': 1.5,
        'border-color': p.border,
      },
    },
    ...kindRules,
    { selector: 'node.kind-job', style: { 'background-opacity': 0.22, 'border-width': 2, 'font-weight': 600 } },
    { selector: 'node.kind-run', style: { 'background-opacity': 0.2 } },
    { selector: 'node.kind-run.state-complete', style: { 'border-color': p.ok } },
    { selector: 'node.kind-run.state-running, node.kind-run.state-start', style: { 'border-color': p.running, 'border-style': 'dashed' } },
    { selector: 'node.state-fail, node.state-abort', style: { 'border-color': p.fail, 'border-style': 'dashed', 'border-width': 2.5 } },
    { selector: 'node.is-stale', style: { 'underlay-color': p.stale, 'underlay-opacity': 0.28, 'underlay-padding': 5, 'underlay-shape': 'round-rectangle' } },
    {
      selector: 'node.group',
      style: {
        shape: 'round-rectangle',
        'background-color': p.groupBg,
        'background-opacity': 1,
        'border-color': p.mutedText,
        'border-width': 1.5,
        // A second outline drawn behind reads as a stack of cards: "many things in here".
        'outline-width': 1.5,
        'outline-color': p.border,
        'outline-offset': 3,
        'text-wrap': 'wrap',
        'text-max-width': 'data(w)',
        'line-height': 1.35,
        color: p.text,
      },
    },
    { selector: 'node.group-folder', style: { 'border-color': p.kinds.dataset } },
    { selector: 'node.group-pipeline, node.group-namespace, node.group-prefix, node.group-runs', style: { 'border-color': p.kinds.job } },
    {
      selector: 'node.stub',
      style: { shape: 'round-rectangle', 'border-style': 'dashed', 'border-color': p.mutedText, 'background-opacity': 0, color: p.mutedText, 'font-size': 11 },
    },
    {
      selector: 'edge',
      style: {
        width: 1.3,
        'line-color': p.edge,
        'target-arrow-color': p.edge,
        'target-arrow-shape': o.large ? 'none' : 'triangle',
        'mid-target-arrow-shape': o.large ? 'triangle' : 'none',
        'mid-target-arrow-color': p.edge,
        'arrow-scale': 0.7,
        'curve-style': edgeCurve,
        'haystack-radius': 0,
      },
    },
    { selector: 'edge.edge-uses_code, edge.edge-uses_environment, edge.edge-parent, edge.edge-instance_of', style: { 'line-style': o.large ? 'solid' : 'dotted' } },
    { selector: 'edge.edge-aggregate', style: { width: 'mapData(count, 1, 200, 1.4, 6)', opacity: 0.55 } },
    // Counts on aggregated edges only where the reader is looking (the selection's lineage).
    {
      selector: `edge.edge-aggregate.${CLS.up}, edge.edge-aggregate.${CLS.down}`,
      style: {
        opacity: 1,
        label: 'data(count)',
        'font-size': 11,
        color: p.text,
        'text-background-color': p.canvas,
        'text-background-opacity': 0.9,
        'text-background-padding': '2px',
        'min-zoomed-font-size': 8,
      },
    },
    { selector: 'edge.edge-stub', style: { 'line-style': 'dashed', 'target-arrow-shape': 'none', 'line-color': p.mutedText } },
    { selector: `node.${CLS.selected}`, style: { 'border-color': p.accent, 'border-width': 3.5, 'outline-width': 3, 'outline-color': p.accent, 'outline-offset': 2, 'outline-opacity': 0.45 } },
    { selector: `node.${CLS.up}`, style: { 'border-color': p.upstream, 'border-width': 2.5 } },
    { selector: `node.${CLS.down}`, style: { 'border-color': p.downstream, 'border-width': 2.5 } },
    { selector: `edge.${CLS.up}`, style: { 'line-color': p.upstream, 'target-arrow-color': p.upstream, width: 2.4, 'z-index': 5 } },
    { selector: `edge.${CLS.down}`, style: { 'line-color': p.downstream, 'target-arrow-color': p.downstream, width: 2.4, 'z-index': 5 } },
    { selector: `.${CLS.dimmed}`, style: { opacity: 0.18, 'underlay-opacity': 0 } },
    { selector: `node.${CLS.searchHit}`, style: { 'underlay-color': p.accent, 'underlay-opacity': 0.35, 'underlay-padding': 8 } },
    // Snapshot compare: added green, removed as a red ghost, changed amber.
    { selector: `node.${CLS.added}`, style: { 'border-color': p.added, 'border-width': 3, 'underlay-color': p.added, 'underlay-opacity': 0.22, 'underlay-padding': 6 } },
    { selector: `node.${CLS.changed}`, style: { 'border-color': p.changed, 'border-width': 3, 'underlay-color': p.changed, 'underlay-opacity': 0.22, 'underlay-padding': 6 } },
    { selector: `node.${CLS.removed}`, style: { 'border-color': p.removed, 'border-style': 'dashed', 'border-width': 2.5, opacity: 0.55, 'background-opacity': 0.05 } },
    { selector: `edge.${CLS.removed}`, style: { 'line-color': p.removed, 'line-style': 'dashed', opacity: 0.5 } },
    { selector: `edge.${CLS.added}`, style: { 'line-color': p.added, 'target-arrow-color': p.added } },
    // Overlays (footprint of a run, impact): each class its colour, the rest faded.
    { selector: 'node.ov-input', style: { 'border-color': '#5ab0ff', 'border-width': 3.5, 'background-color': '#5ab0ff', 'background-opacity': 0.3 } },
    { selector: 'node.ov-added', style: { 'border-color': p.added, 'border-width': 3.5, 'background-color': p.added, 'background-opacity': 0.3 } },
    { selector: 'node.ov-modified', style: { 'border-color': p.changed, 'border-width': 3.5, 'background-color': p.changed, 'background-opacity': 0.3 } },
    { selector: 'node.ov-removed', style: { 'border-color': p.removed, 'border-width': 3.5, 'border-style': 'dashed', 'background-color': p.removed, 'background-opacity': 0.25 } },
    { selector: 'node.ov-tmp', style: { 'border-color': p.mutedText, 'border-width': 3, 'border-style': 'dotted' } },
    { selector: 'node.ov-impact-down', style: { 'border-color': p.downstream, 'border-width': 3.5, 'background-color': p.downstream, 'background-opacity': 0.28 } },
    { selector: 'node.ov-impact-up', style: { 'border-color': p.upstream, 'border-width': 3.5, 'background-color': p.upstream, 'background-opacity': 0.28 } },
    { selector: 'edge.ov-impact-down', style: { 'line-color': p.downstream, 'target-arrow-color': p.downstream, width: 2.4 } },
    { selector: 'edge.ov-impact-up', style: { 'line-color': p.upstream, 'target-arrow-color': p.upstream, width: 2.4 } },
    // A version diff's two provenance chains: A's alone in the "removed" colour, B's alone in the "added" one, shared in the accent.
    { selector: 'node.ov-chain-a', style: { 'border-color': p.removed, 'border-width': 3.5, 'background-color': p.removed, 'background-opacity': 0.28 } },
    { selector: 'node.ov-chain-b', style: { 'border-color': p.added, 'border-width': 3.5, 'background-color': p.added, 'background-opacity': 0.28 } },
    { selector: 'node.ov-chain-both', style: { 'border-color': p.accent, 'border-width': 3.5, 'background-color': p.accent, 'background-opacity': 0.28 } },
    { selector: 'edge.ov-chain-a', style: { 'line-color': p.removed, 'target-arrow-color': p.removed, width: 2.4 } },
    { selector: 'edge.ov-chain-b', style: { 'line-color': p.added, 'target-arrow-color': p.added, width: 2.4 } },
    { selector: 'edge.ov-chain-both', style: { 'line-color': p.accent, 'target-arrow-color': p.accent, width: 2.4 } },
    { selector: '.ov-dim', style: { opacity: 0.14, 'underlay-opacity': 0 } },
  ];
}

/** Elements past which the view switches to the cheaper drawing options. */
export const LARGE_VIEW = 1500;
