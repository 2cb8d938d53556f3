/**
 * Stable placement: nodes that already have a position keep it, exactly; new nodes are put where
 * the fresh layered layout would put them *relative to a neighbour that is already placed*, then
 * nudged along the layer until they overlap nothing. Members of a group that was just opened are
 * laid out as a block centred where the group stood. So stepping through time, live updates and
 * opening groups never move what the user is looking at; only "Re-layout" does.
 */
import type { Direction, LayoutEdge, LayoutNode, Point } from './layered';
import { SPACING } from './layered';

/** Where to put a block of new nodes: the members of a group that was drawn at `at`. */
export interface BlockHint {
  readonly at: Point;
  readonly members: readonly string[];
}

export interface PlaceInput {
  readonly nodes: readonly LayoutNode[];
  readonly edges: readonly LayoutEdge[];
  /** The fresh layout of the whole view (relative geometry for new nodes). */
  readonly ideal: ReadonlyMap<string, Point>;
  /** Positions to keep. */
  readonly known: ReadonlyMap<string, Point>;
  readonly blocks: readonly BlockHint[];
  readonly direction: Direction;
}

const MARGIN = 8;

export function placeStable(input: PlaceInput): Map<string, Point> {
  const { nodes, ideal, known, direction } = input;
  const size = new Map(nodes.map((v) => [v.id, v]));
  const result = new Map<string, Point>();
  const grid = new OccupancyGrid();
  for (const v of nodes) {
    const p = known.get(v.id);
    if (!p) continue;
    result.set(v.id, { x: p.x, y: p.y });
    grid.add(p, v.width, v.height);
  }
  const fresh = nodes.filter((v) => !result.has(v.id));
  if (fresh.length === 0) return result;
  if (result.size === 0) {
    for (const v of nodes) result.set(v.id, { ...(ideal.get(v.id) ?? { x: 0, y: 0 }) });
    return result;
  }

  const nbrs = new Map<string, string[]>();
  for (const e of input.edges) {
    if (!size.has(e.source) || !size.has(e.target)) continue;
    (nbrs.get(e.source) ?? nbrs.set(e.source, []).get(e.source)!).push(e.target);
    (nbrs.get(e.target) ?? nbrs.set(e.target, []).get(e.target)!).push(e.source);
  }
  const blockOf = new Map<string, { at: Point; centre: Point }>();
  for (const b of input.blocks) {
    const ps = b.members.map((m) => ideal.get(m)).filter((p): p is Point => Boolean(p));
    if (!ps.length) continue;
    const centre = { x: ps.reduce((s, p) => s + p.x, 0) / ps.length, y: ps.reduce((s, p) => s + p.y, 0) / ps.length };
    for (const m of b.members) blockOf.set(m, { at: b.at, centre });
  }

  // Place in breadth-first order from what is placed, so each new node finds a placed neighbour.
  const queue: string[] = [];
  const queued = new Set<string>();
  const enqueue = (id: string) => {
    if (queued.has(id) || result.has(id)) return;
    queued.add(id);
    queue.push(id);
  };
  for (const v of fresh) if (blockOf.has(v.id)) enqueue(v.id);
  for (const id of result.keys()) for (const w of nbrs.get(id) ?? []) enqueue(w);
  // New components with no placed neighbour go below (LR) or right of (TB) everything placed.
  const box = grid.bounds();
  let componentShift: Point | null = null;
  const componentOffset = (): Point => {
    if (componentShift) return componentShift;
    const fb = boundsOf(fresh.map((v) => ideal.get(v.id) ?? { x: 0, y: 0 }));
    componentShift = direction === 'LR'
      ? { x: box.minX - fb.minX, y: box.maxY + SPACING.layer - fb.minY }
      : { x: box.maxX + SPACING.layer - fb.minX, y: box.minY - fb.minY };
    return componentShift;
  };

  const place = (id: string) => {
    const v = size.get(id)!;
    const want = ideal.get(id) ?? { x: 0, y: 0 };
    let target: Point;
    const block = blockOf.get(id);
    const anchors = (nbrs.get(id) ?? []).filter((w) => result.has(w) && ideal.has(w)).slice(0, 4);
    if (block) target = { x: block.at.x + want.x - block.centre.x, y: block.at.y + want.y - block.centre.y };
    else if (anchors.length) {
      let x = 0;
      let y = 0;
      for (const a of anchors) {
        const pa = result.get(a)!;
        const ia = ideal.get(a)!;
        x += pa.x + want.x - ia.x;
        y += pa.y + want.y - ia.y;
      }
      target = { x: x / anchors.length, y: y / anchors.length };
    } else {
      const off = componentOffset();
      target = { x: want.x + off.x, y: want.y + off.y };
    }
    const p = grid.freeSpotNear(target, v.width, v.height, direction);
    result.set(id, p);
    grid.add(p, v.width, v.height);
    for (const w of nbrs.get(id) ?? []) enqueue(w);
  };
  for (let head = 0; ; ) {
    while (head < queue.length) place(queue[head++]!);
    const next = fresh.find((v) => !result.has(v.id));
    if (!next) break;
    enqueue(next.id);
  }
  return result;
}

function boundsOf(ps: readonly Point[]): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of ps) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  return ps.length ? { minX, minY, maxX, maxY } : { minX: 0, minY: 0, maxX: 0, maxY: 0 };
}

/** Rectangles in a spatial hash, to find a free spot for a new box quickly. */
class OccupancyGrid {
  private readonly cells = new Map<string, { x0: number; y0: number; x1: number; y1: number }[]>();
  private readonly cw = 240;
  private readonly ch = 120;
  private box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };

  add(p: Point, w: number, h: number): void {
    const r = { x0: p.x - w / 2 - MARGIN, y0: p.y - h / 2 - MARGIN, x1: p.x + w / 2 + MARGIN, y1: p.y + h / 2 + MARGIN };
    for (const key of this.keys(r)) (this.cells.get(key) ?? this.cells.set(key, []).get(key)!).push(r);
    this.box = { minX: Math.min(this.box.minX, r.x0), minY: Math.min(this.box.minY, r.y0), maxX: Math.max(this.box.maxX, r.x1), maxY: Math.max(this.box.maxY, r.y1) };
  }

  bounds() {
    return Number.isFinite(this.box.minX) ? this.box : { minX: 0, minY: 0, maxX: 0, maxY: 0 };
  }

  /** The target itself if free, else the nearest free spot stepping along the layer, then across layers. */
  freeSpotNear(target: Point, w: number, h: number, dir: Direction): Point {
    const stepAcross = dir === 'LR' ? h + SPACING.sibling : w + SPACING.sibling;
    const stepAlong = dir === 'LR' ? w + SPACING.layer : h + SPACING.layer;
    for (let ring = 0; ring < 6; ring++) {
      for (let k = 0; k < 40; k++) {
        const across = (k % 2 === 0 ? 1 : -1) * Math.ceil(k / 2) * stepAcross;
        const along = ring * stepAlong * (ring % 2 === 0 ? 1 : -1) * 0.5;
        const p = dir === 'LR' ? { x: target.x + along, y: target.y + across } : { x: target.x + across, y: target.y + along };
        if (this.isFree(p, w, h)) return p;
      }
    }
    // Crowded: below everything.
    const b = this.bounds();
    return dir === 'LR' ? { x: target.x, y: b.maxY + h } : { x: b.maxX + w, y: target.y };
  }

  private isFree(p: Point, w: number, h: number): boolean {
    const r = { x0: p.x - w / 2, y0: p.y - h / 2, x1: p.x + w / 2, y1: p.y + h / 2 };
    for (const key of this.keys(r)) {
      for (const o of this.cells.get(key) ?? []) if (r.x0 < o.x1 && r.x1 > o.x0 && r.y0 < o.y1 && r.y1 > o.y0) return false;
    }
    return true;
  }

  private *keys(r: { x0: number; y0: number; x1: number; y1: number }): Generator<string> {
    for (let cx = Math.floor(r.x0 / this.cw); cx <= Math.floor(r.x1 / this.cw); cx++) {
      for (let cy = Math.floor(r.y0 / this.ch); cy <= Math.floor(r.y1 / this.ch); cy++) yield `${cx},${cy}`;
    }
  }
}
