/// <reference lib="webworker" />
/**
 * The layout worker: the main thread posts jobs and keeps drawing; only the newest job is
 * computed (older ones still queued are dropped, their answers would be thrown away anyway).
 * ELK is loaded here, on first use, so it never weighs on the page's first script.
 */
import type { Point } from './layered';
import { runLayoutJob, type LayoutRequest } from './layout-job';

let latest = 0;
let elkInstance: Promise<{ layout(graph: unknown): Promise<ElkGraph> }> | null = null;

interface ElkGraph {
  children?: { id: string; x?: number; y?: number; width?: number; height?: number }[];
}

async function elkLayout(req: LayoutRequest): Promise<Map<string, Point>> {
  elkInstance ??= import('elkjs/lib/elk.bundled.js').then((m) => new (m.default as new () => { layout(graph: unknown): Promise<ElkGraph> })());
  const elk = await elkInstance;
  const ids = new Set(req.nodes.map((n) => n.id));
  const out = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': req.direction === 'LR' ? 'RIGHT' : 'DOWN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '56',
      'elk.spacing.nodeNode': '16',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
    },
    children: req.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: req.edges.filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target).map((e, i) => ({ id: `e${i}`, sources: [e.source], targets: [e.target] })),
  });
  // ELK gives top-left corners; Cytoscape positions are centres.
  return new Map((out.children ?? []).map((c) => [c.id, { x: (c.x ?? 0) + (c.width ?? 0) / 2, y: (c.y ?? 0) + (c.height ?? 0) / 2 }]));
}

self.onmessage = (e: MessageEvent<LayoutRequest>) => {
  latest = Math.max(latest, e.data.seq);
  // Let newer queued messages arrive first; a superseded job is never computed.
  setTimeout(() => {
    if (e.data.seq !== latest) return;
    void runLayoutJob(e.data, elkLayout).then((res) => {
      if (res.seq === latest) (self as unknown as Worker).postMessage(res);
    });
  }, 0);
};
