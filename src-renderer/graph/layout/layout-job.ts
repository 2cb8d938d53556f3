/**
 * One layout job, as plain data so it crosses into the worker by structured clone, and the pure
 * function that answers it. The worker only wraps `runLayoutJob`; tests call it directly.
 */
import { layeredLayout, type Direction, type LayoutEdge, type LayoutNode, type Point } from './layered';
import { placeStable, type BlockHint } from './placement';

export interface LayoutRequest {
  readonly seq: number;
  readonly nodes: readonly LayoutNode[];
  readonly edges: readonly LayoutEdge[];
  /** Positions to keep, by id (`stable` mode). */
  readonly known: readonly (readonly [string, number, number])[];
  readonly blocks: readonly BlockHint[];
  /** `auto`: whichever direction lets the graph fit `canvas` at the larger zoom. */
  readonly direction: Direction | 'auto';
  /** The canvas size in CSS px (for `auto`, and where long layers wrap). */
  readonly canvas: { readonly width: number; readonly height: number };
  /** Zoom at which labels are legible: a small graph wraps its layers to fit the canvas at that zoom. */
  readonly legibleZoom: number;
  /** `stable`: keep known positions; `fresh`: lay everything out anew (the user asked). */
  readonly mode: 'stable' | 'fresh';
  /** Up to this many nodes a fresh layout may use ELK (nicer, but super-linear); 0 = never. */
  readonly elkMaxNodes: number;
}

export interface LayoutResponse {
  readonly seq: number;
  readonly positions: readonly (readonly [string, number, number])[];
  /** Time spent computing, in ms (excludes the message hops). */
  readonly ms: number;
  readonly engine: 'layered' | 'elk';
  readonly direction: Direction;
  /** How many nodes got a new position (0 = nothing moved, nothing new). */
  readonly placed: number;
}

/** Computes ideal positions (ELK for small fresh layouts when available), then places stably. */
export async function runLayoutJob(req: LayoutRequest, elk?: (req: LayoutRequest) => Promise<Map<string, Point>>): Promise<LayoutResponse> {
  const t0 = performance.now();
  const known = new Map(req.mode === 'stable' ? req.known.map(([id, x, y]) => [id, { x, y }] as const) : []);
  const fresh = req.nodes.filter((n) => !known.has(n.id)).length;
  let engine: LayoutResponse['engine'] = 'layered';
  const direction = req.direction === 'auto' ? chooseDirection(req) : req.direction;
  let ideal: Map<string, Point>;
  if (fresh === 0) ideal = new Map();
  else if (elk && req.mode === 'fresh' && req.nodes.length <= req.elkMaxNodes) {
    try {
      ideal = await elk({ ...req, direction });
      engine = 'elk';
    } catch {
      ideal = layeredLayout(req.nodes, req.edges, direction, { maxAcross: maxAcross(req, direction) });
    }
  } else ideal = layeredLayout(req.nodes, req.edges, direction, { maxAcross: maxAcross(req, direction) });
  const positions = placeStable({ nodes: req.nodes, edges: req.edges, ideal, known, blocks: req.blocks, direction });
  return {
    seq: req.seq,
    positions: [...positions].map(([id, p]) => [id, Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10] as const),
    ms: performance.now() - t0,
    engine,
    direction,
    placed: fresh,
  };
}

/**
 * Left-to-right reads most naturally; top-to-bottom wins when it lets the whole graph show at a
 * clearly larger zoom (long pipelines of few stages fit a wide screen better standing up).
 */
function chooseDirection(req: LayoutRequest): Direction {
  if (req.nodes.length > 3000) return 'LR';
  const fit = (dir: Direction) => {
    const ps = [...layeredLayout(req.nodes, req.edges, dir, { maxAcross: maxAcross(req, dir) }).values()];
    if (!ps.length) return 1;
    const xs = ps.map((p) => p.x);
    const ys = ps.map((p) => p.y);
    const w = Math.max(...xs) - Math.min(...xs) + 200;
    const h = Math.max(...ys) - Math.min(...ys) + 80;
    return Math.min(req.canvas.width / w, req.canvas.height / h);
  };
  return fit('TB') > fit('LR') * 1.15 ? 'TB' : 'LR';
}

/**
 * Where layers wrap: across the canvas at a legible zoom, or — for graphs too big to read whole —
 * where the drawing's shape comes out close to the canvas's.
 */
export function maxAcross(req: Pick<LayoutRequest, 'nodes' | 'canvas' | 'legibleZoom'>, dir: Direction): number {
  const acrossPx = dir === 'LR' ? req.canvas.height : req.canvas.width;
  const alongPx = dir === 'LR' ? req.canvas.width : req.canvas.height;
  const legible = (acrossPx - 80) / req.legibleZoom;
  let area = 0;
  for (const n of req.nodes) area += (n.width + 40) * (n.height + 30);
  const shaped = Math.sqrt(area * (acrossPx / Math.max(1, alongPx)));
  return Math.max(legible, shaped);
}
