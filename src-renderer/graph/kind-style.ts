/**
 * How each kind of node looks: a colour and a shape, so kinds stay apart for readers who cannot
 * tell the colours apart (shape carries the kind too). Shared by the Cytoscape stylesheet and
 * the legend's SVG swatches, so the two never disagree.
 */
import type { NodeKind } from '../../shared/dto';
import type { Theme } from '../state/theme';

export type KindShape = 'barrel' | 'round-rectangle' | 'hexagon' | 'octagon' | 'tag' | 'rhomboid' | 'rectangle' | 'ellipse' | 'cut-rectangle' | 'round-tag';

export const KIND_SHAPE: Record<NodeKind, KindShape> = {
  dataset: 'barrel',
  feature_group: 'cut-rectangle',
  training_dataset: 'round-tag',
  model: 'hexagon',
  experiment: 'octagon',
  code: 'tag',
  environment: 'rhomboid',
  file: 'rectangle',
  job: 'round-rectangle',
  run: 'ellipse',
};

export interface Palette {
  readonly canvas: string;
  readonly text: string;
  readonly mutedText: string;
  readonly edge: string;
  readonly nodeBg: string;
  readonly groupBg: string;
  readonly border: string;
  readonly accent: string;
  readonly upstream: string;
  readonly downstream: string;
  readonly fail: string;
  readonly ok: string;
  readonly running: string;
  readonly stale: string;
  readonly added: string;
  readonly removed: string;
  readonly changed: string;
  readonly kinds: Record<NodeKind, string>;
}

/** Kind colours chosen to stay distinguishable for the common colour-vision deficiencies. */
export const PALETTES: Record<Theme, Palette> = {
  dark: {
    canvas: '#10131c',
    text: '#e6e9ef',
    mutedText: '#9aa3b8',
    edge: '#58617a',
    nodeBg: '#1a1f2e',
    groupBg: '#20263a',
    border: '#3a4256',
    accent: '#7aa2f7',
    upstream: '#2ac3de',
    downstream: '#ff9e64',
    fail: '#f7768e',
    ok: '#9ece6a',
    running: '#7aa2f7',
    stale: '#e0af68',
    added: '#73d98b',
    removed: '#f7768e',
    changed: '#e0af68',
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
      run: '#7f89b5',
    },
  },
  light: {
    canvas: '#f7f8fb',
    text: '#1f2330',
    mutedText: '#5a6275',
    edge: '#9aa2b5',
    nodeBg: '#ffffff',
    groupBg: '#eef1f7',
    border: '#c9ceda',
    accent: '#2e5bda',
    upstream: '#0a8aa8',
    downstream: '#d9480f',
    fail: '#c8334e',
    ok: '#2f8a3a',
    running: '#2e5bda',
    stale: '#b7791f',
    added: '#2f8a3a',
    removed: '#c8334e',
    changed: '#b7791f',
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

/** SVG path (in a 20×14 box) drawing a kind's shape, for legends and lists. */
export function kindShapePath(kind: NodeKind): string {
  switch (KIND_SHAPE[kind]) {
    case 'barrel':
      return 'M3 1 Q10 -1 17 1 Q19 7 17 13 Q10 15 3 13 Q1 7 3 1 Z';
    case 'cut-rectangle':
      return 'M4 1 H16 L19 4 V10 L16 13 H4 L1 10 V4 Z';
    case 'round-tag':
      return 'M2 2 Q2 1 3 1 H14 L19 7 L14 13 H3 Q2 13 2 12 Z';
    case 'hexagon':
      return 'M5 1 H15 L19 7 L15 13 H5 L1 7 Z';
    case 'octagon':
      return 'M6 1 H14 L19 4 V10 L14 13 H6 L1 10 V4 Z';
    case 'tag':
      return 'M1 1 H14 L19 7 L14 13 H1 Z';
    case 'rhomboid':
      return 'M5 1 H19 L15 13 H1 Z';
    case 'rectangle':
      return 'M1 1 H19 V13 H1 Z';
    case 'ellipse':
      return 'M10 1 A9 6 0 1 1 9.99 1 Z';
    default:
      return 'M3 1 H17 Q19 1 19 3 V11 Q19 13 17 13 H3 Q1 13 1 11 V3 Q1 1 3 1 Z';
  }
}
