/**
 * A linear-time layered layout for lineage DAGs: longest-path layers left to right, then a few
 * barycenter sweeps to reduce crossings. ELK gives nicer results on small graphs but costs
 * seconds past a few hundred nodes (notes/performance.md §4.1); this takes milliseconds at 20k.
 * Cycles (a stage that reads and rewrites a file) are broken by ignoring back edges.
 */
export interface LayoutInput {
  readonly ids: readonly string[];
  readonly edges: readonly { source: string; target: string }[];
}

export function layeredPositions(g: LayoutInput, spacing = { x: 220, y: 70 }): Map<string, { x: number; y: number }> {
  const index = new Map(g.ids.map((id, i) => [id, i]));
  const n = g.ids.length;
  const out: number[][] = Array.from({ length: n }, () => []);
  const inn: number[][] = Array.from({ length: n }, () => []);
  for (const e of g.edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined || s === t) continue;
    out[s]!.push(t);
    inn[t]!.push(s);
  }
  // Topological order (Kahn); nodes left over sit on cycles and are appended in id order.
  const indeg = inn.map((a) => a.length);
  const order: number[] = [];
  const queue: number[] = [];
  indeg.forEach((d, i) => d === 0 && queue.push(i));
  const seen = new Uint8Array(n);
  while (queue.length) {
    const v = queue.shift()!;
    if (seen[v]) continue;
    seen[v] = 1;
    order.push(v);
    for (const w of out[v]!) if (--indeg[w]! === 0) queue.push(w);
  }
  for (let i = 0; i < n; i++) if (!seen[i]) order.push(i);
  const pos = new Int32Array(n);
  order.forEach((v, i) => (pos[v] = i));

  const layer = new Int32Array(n);
  for (const v of order) for (const w of out[v]!) if (pos[w]! > pos[v]! && layer[w]! < layer[v]! + 1) layer[w] = layer[v]! + 1;

  const layers: number[][] = [];
  for (const v of order) (layers[layer[v]!] ??= []).push(v);
  const rank = new Float64Array(n);
  layers.forEach((l) => l.forEach((v, i) => (rank[v] = i)));
  const sweep = (nbrs: number[][], from: number, to: number, step: number) => {
    for (let li = from; li !== to; li += step) {
      const l = layers[li];
      if (!l) continue;
      const bary = new Map<number, number>();
      for (const v of l) {
        const ns = nbrs[v]!;
        bary.set(v, ns.length ? ns.reduce((a, w) => a + rank[w]!, 0) / ns.length : rank[v]!);
      }
      l.sort((a, b) => bary.get(a)! - bary.get(b)!);
      l.forEach((v, i) => (rank[v] = i));
    }
  };
  for (let k = 0; k < 2; k++) {
    sweep(inn, 1, layers.length, 1);
    sweep(out, layers.length - 2, -1, -1);
  }
  const result = new Map<string, { x: number; y: number }>();
  layers.forEach((l, li) => {
    const offset = ((l.length - 1) * spacing.y) / 2;
    l.forEach((v, i) => result.set(g.ids[v]!, { x: li * spacing.x, y: i * spacing.y - offset }));
  });
  return result;
}
