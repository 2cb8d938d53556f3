import type { Css, StylesheetJson } from 'cytoscape';
import type { NodeKind } from '../../../shared/dto';
import type { Theme } from '../../state/app-store';

/** Classes that show state; the view only adds and removes these (never element.css()). */
export const CLS = { selected: 'is-selected', neighbour: 'is-neighbour', dimmed: 'is-dimmed', impacted: 'is-impacted', overlayDim: 'is-overlay-dim', changed: 'is-changed' } as const;

interface Palette {
  text: string;
  edge: string;
  nodeBg: string;
  border: string;
  accent: string;
  kinds: Record<NodeKind, string>;
  fail: string;
  stale: string;
  impact: string;
}

/** Kind colours chosen to stay distinguishable for the common colour-vision deficiencies. */
export const PALETTES: Record<Theme, Palette> = {
  dark: {
    text: '#e6e9ef',
    edge: '#5b6478',
    nodeBg: '#1b2030',
    border: '#3a4256',
    accent: '#7aa2f7',
    fail: '#f7768e',
    stale: '#e0af68',
    impact: '#ff9e64',
    kinds: {
      dataset: '#7dcfff',
      feature_group: '#9ece6a',
      training_dataset: '#73daca',
      model: '#bb9af7',
      experiment: '#ff9e64',
      code: '#c0caf5',
      environment: '#a9b1d6',
      file: '#8b93a7',
      job: '#7aa2f7',
      run: '#565f89',
    },
  },
  light: {
    text: '#1f2330',
    edge: '#a3aabb',
    nodeBg: '#ffffff',
    border: '#c9ceda',
    accent: '#2e5bda',
    fail: '#c8334e',
    stale: '#b7791f',
    impact: '#d9480f',
    kinds: {
      dataset: '#0b7fab',
      feature_group: '#3f8f2f',
      training_dataset: '#16877a',
      model: '#7a4bd1',
      experiment: '#c8601a',
      code: '#4a5578',
      environment: '#5f6680',
      file: '#7a8194',
      job: '#2e5bda',
      run: '#6b7390',
    },
  },
};

const SHAPES: Record<NodeKind, Css.NodeShape> = {
  dataset: 'barrel',
  feature_group: 'barrel',
  training_dataset: 'barrel',
  model: 'hexagon',
  experiment: 'diamond',
  code: 'tag',
  environment: 'cut-rectangle',
  file: 'rectangle',
  job: 'round-rectangle',
  run: 'ellipse',
};

/** Pure: the stylesheet for a theme (data, snapshot-testable). */
export function lineageStylesheet(theme: Theme): StylesheetJson {
  const p = PALETTES[theme];
  const kindRules = (Object.keys(SHAPES) as NodeKind[]).map((k) => ({
    selector: `node.kind-${k}`,
    style: { shape: SHAPES[k], 'border-color': p.kinds[k], 'background-color': p.nodeBg },
  }));
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        color: p.text,
        'font-size': 11,
        'font-family': 'Inter, "Segoe UI", system-ui, sans-serif',
        'text-valign': 'bottom',
        'text-margin-y': 5,
        'min-zoomed-font-size': 5,
        width: 34,
        height: 34,
        'border-width': 2.5,
        'background-color': p.nodeBg,
        'border-color': p.border,
      },
    },
    ...kindRules,
    { selector: 'node.kind-job', style: { width: 46, height: 30, 'background-color': p.kinds.job, 'background-opacity': 0.18 } },
    { selector: 'node.kind-run', style: { width: 16, height: 16, 'font-size': 9 } },
    { selector: 'node.state-fail, node.state-abort', style: { 'border-color': p.fail, 'border-style': 'dashed' } },
    { selector: 'node.is-stale', style: { 'overlay-color': p.stale, 'overlay-opacity': 0.18, 'overlay-padding': 5 } },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'line-color': p.edge,
        'target-arrow-color': p.edge,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.8,
        'curve-style': 'bezier',
      },
    },
    { selector: 'edge.edge-parent, edge.edge-instance_of', style: { 'line-style': 'dotted', 'target-arrow-shape': 'none' } },
    { selector: `node.${CLS.selected}`, style: { 'border-color': p.accent, 'border-width': 4, 'font-weight': 'bold' } },
    { selector: `edge.${CLS.neighbour}`, style: { 'line-color': p.accent, 'target-arrow-color': p.accent, width: 2.5 } },
    { selector: `.${CLS.dimmed}`, style: { opacity: 0.25 } },
    { selector: `node.${CLS.impacted}`, style: { 'underlay-color': p.impact, 'underlay-opacity': 0.35, 'underlay-padding': 7, 'underlay-shape': 'ellipse', opacity: 1 } },
    { selector: `edge.${CLS.impacted}`, style: { 'line-color': p.impact, 'target-arrow-color': p.impact, width: 2.5, opacity: 1 } },
    { selector: `.${CLS.overlayDim}`, style: { opacity: 0.15 } },
    { selector: `node.${CLS.changed}`, style: { 'outline-color': p.accent, 'outline-width': 3, 'outline-offset': 4, 'outline-opacity': 0.9 } },
  ];
}

/** Viewport options that keep panning fluid on CPU raster (notes/performance.md §4.3). */
export const CY_OPTIONS = {
  hideEdgesOnViewport: true,
  textureOnViewport: true,
  minZoom: 0.05,
  maxZoom: 4,
} as const;
