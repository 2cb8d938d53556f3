/**
 * Arrow-key moves on the drawn graph: from the selected node to the connected node that lies
 * most nearly in the arrow's direction (so → follows the data in a left-to-right layout and ↓
 * in a top-to-bottom one). Pure: positions and edges in, an id out.
 */
import type { Point } from '../layout/layered';

export type Arrow = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown';

const VECTORS: Record<Arrow, Point> = {
  ArrowLeft: { x: -1, y: 0 },
  ArrowRight: { x: 1, y: 0 },
  ArrowUp: { x: 0, y: -1 },
  ArrowDown: { x: 0, y: 1 },
};

export function nextByArrow(
  from: string,
  arrow: Arrow,
  positions: ReadonlyMap<string, Point>,
  edges: readonly { source: string; target: string }[],
): string | null {
  const p = positions.get(from);
  if (!p) return null;
  const v = VECTORS[arrow];
  let best: string | null = null;
  let bestScore = Infinity;
  for (const e of edges) {
    const other = e.source === from ? e.target : e.target === from ? e.source : null;
    if (!other || other === from) continue;
    const q = positions.get(other);
    if (!q) continue;
    const dx = q.x - p.x;
    const dy = q.y - p.y;
    const along = dx * v.x + dy * v.y;
    if (along <= 0) continue;
    const across = Math.abs(dx * v.y - dy * v.x);
    // Mostly in the arrow's direction: more than 30° off counts double per unit across.
    const score = Math.hypot(dx, dy) + 2 * Math.max(0, across - along * 0.58);
    if (score < bestScore || (score === bestScore && best !== null && other < best)) {
      bestScore = score;
      best = other;
    }
  }
  return best;
}

/** The drawn node nearest a point (where keyboard navigation starts with nothing selected). */
export function nearestTo(point: Point, positions: ReadonlyMap<string, Point>): string | null {
  let best: string | null = null;
  let d = Infinity;
  for (const [id, q] of positions) {
    const dd = (q.x - point.x) ** 2 + (q.y - point.y) ** 2;
    if (dd < d) {
      d = dd;
      best = id;
    }
  }
  return best;
}
