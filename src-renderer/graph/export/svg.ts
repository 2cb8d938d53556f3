/**
 * The drawn graph as a standalone SVG document: nodes in their kind's shape and colour with
 * their labels, edges as lines with arrowheads, in the colours of the current theme and
 * overlay. Pure (plain data in, a string out), so it runs the same in tests and in the page.
 */
import type { NodeKind } from '../../../shared/dto';
import { kindShapePath, type Palette } from '../kind-style';

export interface SvgNode {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly label: string;
  readonly kind: string;
  readonly stroke: string;
  readonly fill: string;
  readonly opacity: number;
}

export interface SvgEdge {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly color: string;
  readonly width: number;
  readonly opacity: number;
  readonly dashed: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n1 = (v: number) => String(Math.round(v * 10) / 10);

export function graphToSvg(nodes: readonly SvgNode[], edges: readonly SvgEdge[], p: Palette, title: string, fontPx: number): string {
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (const n of nodes) {
    x1 = Math.min(x1, n.x - n.w / 2);
    y1 = Math.min(y1, n.y - n.h / 2);
    x2 = Math.max(x2, n.x + n.w / 2);
    y2 = Math.max(y2, n.y + n.h / 2);
  }
  if (!nodes.length) x1 = y1 = x2 = y2 = 0;
  const pad = 24;
  const vb = `${n1(x1 - pad)} ${n1(y1 - pad)} ${n1(x2 - x1 + 2 * pad)} ${n1(y2 - y1 + 2 * pad)}`;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${vb}" width="${n1(x2 - x1 + 2 * pad)}" height="${n1(y2 - y1 + 2 * pad)}" font-family="Inter, 'DejaVu Sans', sans-serif">`);
  out.push(`<title>${esc(title)}</title>`);
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="context-stroke"/></marker></defs>');
  out.push(`<rect x="${n1(x1 - pad)}" y="${n1(y1 - pad)}" width="${n1(x2 - x1 + 2 * pad)}" height="${n1(y2 - y1 + 2 * pad)}" fill="${p.canvas}"/>`);
  out.push('<g class="edges">');
  for (const e of edges) {
    out.push(`<line x1="${n1(e.x1)}" y1="${n1(e.y1)}" x2="${n1(e.x2)}" y2="${n1(e.y2)}" stroke="${e.color}" stroke-width="${n1(e.width)}" opacity="${n1(e.opacity)}"${e.dashed ? ' stroke-dasharray="4 3"' : ''} marker-end="url(#arrow)"/>`);
  }
  out.push('</g><g class="nodes">');
  for (const n of nodes) {
    const path = n.kind in p.kinds ? kindShapePath(n.kind as NodeKind) : 'M3 1 H17 Q19 1 19 3 V11 Q19 13 17 13 H3 Q1 13 1 11 V3 Q1 1 3 1 Z';
    const sx = n.w / 20;
    const sy = n.h / 14;
    out.push(`<g opacity="${n1(n.opacity)}">`);
    // The shape paths are drawn in a 20×14 box; scale it to the node (the stroke stays 1.5 px).
    out.push(`<path d="${path}" transform="translate(${n1(n.x - n.w / 2)} ${n1(n.y - n.h / 2)}) scale(${Math.round(sx * 1000) / 1000} ${Math.round(sy * 1000) / 1000})" fill="${n.fill}" fill-opacity="0.18" stroke="${n.stroke}" stroke-width="1.5" vector-effect="non-scaling-stroke"/>`);
    n.label.split('\n').forEach((line, i, all) => {
      const dy = (i - (all.length - 1) / 2) * fontPx * 1.3;
      out.push(`<text x="${n1(n.x)}" y="${n1(n.y + dy)}" font-size="${fontPx}" fill="${p.text}" text-anchor="middle" dominant-baseline="central">${esc(line)}</text>`);
    });
    out.push('</g>');
  }
  out.push('</g></svg>');
  return out.join('\n');
}

/**
 * `retrace-churn-demo-snapshot-12.svg`: the workspace's folder name, the snapshot shown, and
 * what the file holds (`whole`, `impact-train`, …) when it is not just the view.
 */
export function exportFileName(workspace: string, snapshot: number | null, what: string, ext: 'png' | 'svg' | 'csv'): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  const base = workspace.split(/[\\/]/).filter(Boolean).pop() ?? 'workspace';
  return `retrace-${safe(base)}-${snapshot === null ? 'live' : `snapshot-${snapshot}`}${what && what !== 'view' ? `-${safe(what)}` : ''}.${ext}`;
}
