/**
 * What the drawing can be read out as: the automation handle's element list, the minimap's
 * dots, and images (PNG from the canvas, SVG written from the elements). Read-only views of the
 * Cytoscape instance that graph-view.ts owns.
 */
import type { Core, EdgeSingular, NodeSingular } from 'cytoscape';
import type { Theme } from '../../state/theme';
import { graphToSvg } from '../export/svg';
import { PALETTES } from '../kind-style';
import type { Point } from '../layout/layered';
import { LABEL_FONT_PX } from '../model/labels';
import { CLS } from './style';

export interface AutomationElement {
  readonly id: string;
  readonly kind: string;
  readonly group?: string;
  /** Rendered position (CSS px inside the canvas). */
  readonly x: number;
  readonly y: number;
  /** Model position. */
  readonly mx: number;
  readonly my: number;
  /** Inside the visible part of the canvas. */
  readonly visible: boolean;
  readonly classes: string[];
}

export interface MinimapData {
  readonly bounds: { x1: number; y1: number; x2: number; y2: number };
  readonly extent: { x1: number; y1: number; x2: number; y2: number };
  readonly nodes: readonly { x: number; y: number; w: number; h: number; color: string; state: 'normal' | 'hl' | 'dim' }[];
}

export interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly w: number;
  readonly h: number;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

export function automationOf(cy: Core): { zoom: number; pan: Point; labelFontPx: number; elements: AutomationElement[] } {
  const w = cy.width();
  const hgt = cy.height();
  const elements: AutomationElement[] = cy.nodes().map((n) => {
    const r = n.renderedPosition();
    const m = n.position();
    const group = n.data('group') as string | undefined;
    return {
      id: n.id(),
      kind: n.data('kind') as string,
      ...(group ? { group } : {}),
      x: round1(r.x),
      y: round1(r.y),
      mx: round1(m.x),
      my: round1(m.y),
      visible: r.x >= 0 && r.y >= 0 && r.x <= w && r.y <= hgt,
      classes: n.classes(),
    };
  });
  return { zoom: cy.zoom(), pan: { ...cy.pan() }, labelFontPx: LABEL_FONT_PX, elements };
}

export function minimapOf(cy: Core, theme: Theme, bb: Box): MinimapData {
  const ext = cy.extent();
  const pal = PALETTES[theme];
  const nodes = cy.nodes().map((n) => {
    const p = n.position();
    const kind = n.data('kind') as string;
    const color = kind in pal.kinds ? pal.kinds[kind as keyof typeof pal.kinds] : pal.mutedText;
    const cls = n.classes();
    const state = cls.includes(CLS.dimmed) || cls.includes('ov-dim') ? 'dim' : cls.some((c) => c === CLS.selected || c === CLS.up || c === CLS.down) ? 'hl' : 'normal';
    return { x: p.x, y: p.y, w: n.data('w') as number, h: n.data('h') as number, color, state } as const;
  });
  return { bounds: { x1: bb.x1, y1: bb.y1, x2: bb.x2, y2: bb.y2 }, extent: { x1: ext.x1, y1: ext.y1, x2: ext.x2, y2: ext.y2 }, nodes };
}

export async function exportImageOf(
  cy: Core,
  o: { theme: Theme; box: Box; format: 'png' | 'svg'; scope: 'view' | 'graph'; title: string },
): Promise<Blob> {
  const pal = PALETTES[o.theme];
  if (o.format === 'png') {
    // Whole graphs at up to twice the screen's detail, capped so huge ones stay a sane size.
    const scale = o.scope === 'graph' ? Math.max(0.2, Math.min(2, 6000 / Math.max(o.box.w, o.box.h, 1))) : 1;
    return cy.png({ output: 'blob-promise', full: o.scope === 'graph', bg: pal.canvas, scale });
  }
  const ext = cy.extent();
  const inView = (p: Point) => o.scope === 'graph' || (p.x >= ext.x1 && p.x <= ext.x2 && p.y >= ext.y1 && p.y <= ext.y2);
  const num = (v: unknown, d: number) => (typeof v === 'number' ? v : Number.parseFloat(String(v)) || d);
  const nodes = cy
    .nodes()
    .filter((n) => inView((n as NodeSingular).position()))
    .map((n) => ({
      x: (n as NodeSingular).position().x,
      y: (n as NodeSingular).position().y,
      w: n.data('w') as number,
      h: n.data('h') as number,
      label: String(n.data('label') ?? ''),
      kind: String(n.data('kind')),
      stroke: String(n.style('border-color')),
      fill: String(n.style('background-color')),
      opacity: num(n.style('opacity'), 1),
    }));
  const edges = cy
    .edges()
    .filter((e) => inView((e as EdgeSingular).source().position()) || inView((e as EdgeSingular).target().position()))
    .map((e) => {
      const s = (e as EdgeSingular).sourceEndpoint();
      const t = (e as EdgeSingular).targetEndpoint();
      return { x1: s.x, y1: s.y, x2: t.x, y2: t.y, color: String(e.style('line-color')), width: num(e.style('width'), 1.3), opacity: num(e.style('opacity'), 1), dashed: e.style('line-style') !== 'solid' };
    });
  return new Blob([graphToSvg(nodes, edges, pal, o.title, LABEL_FONT_PX)], { type: 'image/svg+xml' });
}
