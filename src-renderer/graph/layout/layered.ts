/**
 * A linear-time layered layout for lineage DAGs, sized by each node's box: layers by longest
 * path (sources pulled next to their first consumer), a few barycenter sweeps against crossings,
 * then coordinates that let each node sit near its neighbours without overlapping. ELK draws
 * nicer small graphs but costs seconds past a few hundred nodes (its layered algorithm is
 * super-linear); this takes tens of milliseconds at 20,000 nodes.
 *
 * Cycles (a stage that reads and rewrites the same table) are broken: a read of something the
 * same stage writes is ignored for layering, and any other cycle is cut where a greedy source
 * choice meets it.
 */

export interface LayoutNode {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}
export interface LayoutEdge {
  readonly source: string;
  readonly target: string;
}
export type Direction = 'LR' | 'TB';
export interface Point {
  x: number;
  y: number;
}

/**
 * Gap between layers (along the flow) and between neighbours in a layer. Top-to-bottom layers
 * are one box high, so a smaller gap still leaves room for the arrows; left-to-right layers are
 * as wide as their longest label and need more.
 */
export const SPACING = { layer: 32, layerLR: 72, sibling: 16 } as const;

export interface LayeredOptions {
  /** Longest a layer may run across the flow before it wraps (model px). */
  readonly maxAcross?: number;
}

export function layeredLayout(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], dir: Direction = 'LR', opts: LayeredOptions = {}): Map<string, Point> {
  const n = nodes.length;
  const index = new Map(nodes.map((v, i) => [v.id, i]));
  const pairs = new Set<number>();
  const es: [number, number][] = [];
  for (const e of edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined || s === t) continue;
    const key = s * n + t;
    if (pairs.has(key)) continue;
    pairs.add(key);
    es.push([s, t]);
  }
  // A 2-cycle (reads and writes the same thing): keep the write, drop the read-back.
  const forward = es.filter(([s, t]) => !(pairs.has(t * n + s) && isReadBack(nodes[s]!.id, nodes[t]!.id)));
  const out: number[][] = Array.from({ length: n }, () => []);
  const inn: number[][] = Array.from({ length: n }, () => []);
  for (const [s, t] of forward) {
    out[s]!.push(t);
    inn[t]!.push(s);
  }

  const order = acyclicOrder(n, out, inn);
  const pos = new Int32Array(n);
  order.forEach((v, i) => (pos[v] = i));
  const layer = new Int32Array(n);
  for (const v of order) for (const w of out[v]!) if (pos[w]! > pos[v]! && layer[w]! < layer[v]! + 1) layer[w] = layer[v]! + 1;
  // A source read late in the pipeline sits just before its first consumer, not at the far left.
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i]!;
    if (inn[v]!.some((u) => pos[u]! < pos[v]!)) continue;
    let min = Infinity;
    for (const w of out[v]!) if (pos[w]! > pos[v]!) min = Math.min(min, layer[w]!);
    if (min !== Infinity && min - 1 > layer[v]!) layer[v] = min - 1;
  }

  const layers: number[][] = [];
  for (const v of order) (layers[layer[v]!] ??= []).push(v);
  for (let i = 0; i < layers.length; i++) layers[i] ??= [];
  orderWithinLayers(layers, out, inn, n);

  return coordinates(nodes, layers, out, inn, dir, opts.maxAcross ?? Infinity);
}

/**
 * Stages, runs, and closed groups of them (a namespace, a pipeline, a name prefix, a stage's
 * runs); the rest are artifacts or groups of artifacts (folders, kinds).
 */
const PROCESS = /^(?:job:|run:|group:(?:ns|pipe|dot|runs):)/;

/**
 * `artifact:x → job:y` while `job:y → artifact:x` exists: the job reads what it writes. Closed
 * groups count as what they hold, so a folder group that teams both read and write is drawn
 * after them, with what they make, rather than before every team as a false source.
 */
function isReadBack(source: string, target: string): boolean {
  return !PROCESS.test(source) && PROCESS.test(target);
}

/**
 * Kahn's order; when every remaining node sits on a cycle, the next source is the one with the
 * most outgoing minus incoming edges among a window of the remaining nodes (bounded, so many
 * small cycles stay linear).
 */
function acyclicOrder(n: number, out: number[][], inn: number[][]): number[] {
  const indeg = inn.map((a) => a.length);
  const done = new Uint8Array(n);
  const order: number[] = [];
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  let head = 0;
  let scan = 0;
  while (order.length < n) {
    if (head === queue.length) {
      while (scan < n && done[scan]) scan++;
      let best = -1;
      let bestScore = -Infinity;
      for (let i = scan, seen = 0; i < n && seen < 64; i++) {
        if (done[i]) continue;
        seen++;
        const score = out[i]!.filter((w) => !done[w]).length - indeg[i]!;
        if (score > bestScore) {
          best = i;
          bestScore = score;
        }
      }
      queue.push(best);
    }
    const v = queue[head++]!;
    if (done[v]) continue;
    done[v] = 1;
    order.push(v);
    for (const w of out[v]!) if (!done[w] && --indeg[w]! === 0) queue.push(w);
  }
  return order;
}

/** Barycenter sweeps down and up the layers (two rounds). */
function orderWithinLayers(layers: number[][], out: number[][], inn: number[][], n: number): void {
  const rank = new Float64Array(n);
  layers.forEach((l) => l.forEach((v, i) => (rank[v] = i)));
  const sweep = (nbrs: number[][], from: number, to: number, step: number) => {
    for (let li = from; li !== to; li += step) {
      const l = layers[li]!;
      const bary = new Float64Array(l.length);
      l.forEach((v, i) => {
        const ns = nbrs[v]!;
        let sum = 0;
        for (const w of ns) sum += rank[w]!;
        bary[i] = ns.length ? sum / ns.length : rank[v]!;
      });
      const idx = l.map((_, i) => i).sort((a, b) => bary[a]! - bary[b]! || a - b);
      const sorted = idx.map((i) => l[i]!);
      for (let i = 0; i < sorted.length; i++) {
        l[i] = sorted[i]!;
        rank[sorted[i]!] = i;
      }
    }
  };
  for (let k = 0; k < 2; k++) {
    sweep(inn, 1, layers.length, 1);
    sweep(out, layers.length - 2, -1, -1);
  }
}

/**
 * Layer positions from the widest box of each layer; within a layer each node is pulled toward
 * the mean of its neighbours and pushed apart so boxes never overlap. A layer longer than
 * `maxAcross` wraps into several rows (columns, left to right), so a stage that writes two
 * hundred files makes a block, not a line out of sight.
 */
function coordinates(nodes: readonly LayoutNode[], layers: number[][], out: number[][], inn: number[][], dir: Direction, maxAcross: number): Map<string, Point> {
  const along = (v: number) => (dir === 'LR' ? nodes[v]!.width : nodes[v]!.height);
  const across = (v: number) => (dir === 'LR' ? nodes[v]!.height : nodes[v]!.width);
  const gapAcross = dir === 'LR' ? SPACING.sibling : SPACING.sibling + 8;
  const gapAlong = dir === 'LR' ? SPACING.layerLR : SPACING.layer;
  const n = nodes.length;
  const main = new Float64Array(n);
  const cross = new Float64Array(n);

  // Rows: each layer in order, wrapped where it would run past maxAcross.
  const rows: number[][] = [];
  for (const l of layers) {
    let row: number[] = [];
    let extent = 0;
    for (const v of l) {
      const w = across(v) + gapAcross;
      if (row.length && extent + w > maxAcross) {
        rows.push(row);
        row = [];
        extent = 0;
      }
      row.push(v);
      extent += w;
    }
    if (row.length) rows.push(row);
  }
  let cursor = 0;
  rows.forEach((r, i) => {
    const thick = r.reduce((m, v) => Math.max(m, along(v)), 0);
    if (i > 0) cursor += thick / 2;
    for (const v of r) main[v] = cursor;
    cursor += thick / 2 + gapAlong;
  });

  // Initial packing, centred on 0.
  for (const r of rows) {
    let total = 0;
    for (const v of r) total += across(v) + gapAcross;
    let c = -total / 2;
    for (const v of r) {
      cross[v] = c + across(v) / 2;
      c += across(v) + gapAcross;
    }
  }
  // Pull toward neighbours, keep order and spacing: down then up, twice.
  const pull = (l: number[], nbrs: number[][]) => {
    const want = l.map((v) => {
      const ns = nbrs[v]!;
      if (!ns.length) return cross[v]!;
      let s = 0;
      for (const w of ns) s += cross[w]!;
      return s / ns.length;
    });
    // Two packings that keep order and spacing: one pushing right of each wish, one pushing left.
    // Their mean is still ordered and spaced, and balanced around the wishes.
    const sep = (i: number) => (across(l[i - 1]!) + across(l[i]!)) / 2 + gapAcross;
    const right = new Float64Array(l.length);
    const left = new Float64Array(l.length);
    for (let i = 0; i < l.length; i++) right[i] = i === 0 ? want[0]! : Math.max(want[i]!, right[i - 1]! + sep(i));
    for (let i = l.length - 1; i >= 0; i--) left[i] = i === l.length - 1 ? want[i]! : Math.min(want[i]!, left[i + 1]! - sep(i + 1));
    const placed = right.map((r, i) => (r + left[i]!) / 2);
    l.forEach((v, i) => (cross[v] = placed[i]!));
  };
  for (let k = 0; k < 2; k++) {
    for (let i = 1; i < rows.length; i++) pull(rows[i]!, inn);
    for (let i = rows.length - 2; i >= 0; i--) pull(rows[i]!, out);
  }
  // Pulling may drift a row sideways; keep every row within the band a wrapped row fills.
  if (Number.isFinite(maxAcross)) {
    const half = maxAcross / 2;
    for (const r of rows) {
      const lo = cross[r[0]!]! - across(r[0]!) / 2;
      const hi = cross[r[r.length - 1]!]! + across(r[r.length - 1]!) / 2;
      const shift = hi - lo > maxAcross ? -(lo + hi) / 2 : lo < -half ? -half - lo : hi > half ? half - hi : 0;
      if (shift) for (const v of r) cross[v] = cross[v]! + shift;
    }
  }

  const result = new Map<string, Point>();
  for (let v = 0; v < n; v++) {
    result.set(nodes[v]!.id, dir === 'LR' ? { x: main[v]!, y: cross[v]! } : { x: cross[v]!, y: main[v]! });
  }
  return result;
}
