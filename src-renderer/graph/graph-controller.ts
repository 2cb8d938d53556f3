/**
 * Connects the store to the canvas: when the view changes it asks the layout worker for
 * positions (only for nodes that have none yet), draws, remembers positions and viewport per
 * workspace and view, and keeps selection highlight, overlays and time-travel marks in step.
 * Plain TypeScript, no React: the component only mounts it.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { Disposable } from '../../shared/disposable';
import type { AppState } from '../state/app-store';
import { mark } from '../state/graph-slice';
import { overlayClasses } from '../state/overlays';
import { createGraphView, LEGIBLE_ZOOM, type GraphView, type Marks } from './cy/graph-view';
import type { Direction, Point } from './layout/layered';
import { createLayoutClient, type LayoutClient } from './layout/layout-client';
import type { BlockHint } from './layout/placement';
import { createPositionMemory, type PositionMemory } from './layout/position-memory';
import { columnPathClasses, columnPathOf, shownColumnPath } from './model/column-path';
import { lineageHighlight } from './model/highlight';
import type { ViewGraph } from './model/view-graph';

const NONE: ReadonlySet<string> = new Set();

/** Fresh layouts of views up to this size may use ELK (a focused lineage, a small workspace). */
const ELK_MAX_NODES = 0;

export interface LayoutStatus {
  readonly running: boolean;
  readonly nodes: number;
  /** The last layout: compute time in the worker, engine, direction. */
  readonly last: { readonly ms: number; readonly engine: string; readonly direction: Direction; readonly placed: number } | null;
}

export interface GraphController extends Disposable {
  readonly view: GraphView;
  layoutStatus(): LayoutStatus;
  onLayoutStatus(listener: (s: LayoutStatus) => void): () => void;
  onHover(listener: (h: { id: string; x: number; y: number } | null) => void): () => void;
  /** Resolves when nothing is being laid out or drawn (for tests and the benchmark). */
  whenIdle(): Promise<void>;
  /** Milliseconds at which the newest drawing was applied (performance.now clock). */
  lastDrawAt(): number;
}

export function createGraphController(container: HTMLElement, store: StoreApi<AppState>, storage: Storage | null): GraphController {
  const s0 = store.getState();
  const hoverListeners = new Set<(h: { id: string; x: number; y: number } | null) => void>();
  const statusListeners = new Set<(s: LayoutStatus) => void>();
  let status: LayoutStatus = { running: false, nodes: 0, last: null };
  const setStatus = (patch: Partial<LayoutStatus>) => {
    status = { ...status, ...patch };
    statusListeners.forEach((l) => l(status));
  };

  const view = createGraphView(container, {
    onSelect: (id) => {
      if (id?.startsWith('stub:')) return store.getState().openStub(id);
      store.getState().select(id);
      // A click on the canvas is a question about that node: show its details.
      if (id) store.getState().setSideTab('details');
    },
    onActivate: (id) => {
      const s = store.getState();
      if (id.startsWith('stub:')) return s.openStub(id);
      if (s.view?.tree.groups.has(id)) s.toggleGroup(id, true);
      // A dataset opens into its columns (and closes again).
      else void s.toggleColumns(id);
    },
    onHover: (h) => hoverListeners.forEach((l) => l(h)),
    onMoved: (ps) => {
      const key = viewKey();
      if (memory && key) memory.remember(key, ps);
    },
    onViewport: (vp) => {
      const key = viewKey();
      if (memory && key && drawnKey === key) memory.rememberViewport(key, vp);
    },
  }, s0.theme);

  const layout: LayoutClient = createLayoutClient();
  let memory: PositionMemory | null = null;
  let memoryFor: string | null = null;
  /** The view last drawn, and the view key it was drawn for. */
  let drawn: ViewGraph | null = null;
  let drawnKey: string | null = null;
  let drawnPositions = new Map<string, Point>();
  let pendingCentre: { id: string; epoch: number } | null = null;
  let busy: Promise<void> = Promise.resolve();
  let drawSeq = 0;
  let lastDraw = 0;

  const viewKey = (): string | null => {
    const s = store.getState();
    if (!s.status) return null;
    return `${s.granularity}|${s.focus ? `focus:${s.focus.id}` : 'all'}`;
  };
  const ensureMemory = () => {
    const ws = store.getState().status?.workspace;
    if (ws && ws !== memoryFor) {
      memory = createPositionMemory(storage, ws);
      memoryFor = ws;
    }
  };

  async function draw(reason: 'view' | 'relayout'): Promise<void> {
    const mine = ++drawSeq;
    const s = store.getState();
    const v = s.view;
    ensureMemory();
    const key = viewKey();
    if (!v || !key) return;
    const keyChanged = key !== drawnKey;
    if (reason === 'relayout' && memory) memory.forget(key);
    const remembered = memory && reason !== 'relayout' ? memory.positions(key) : new Map<string, Point>();
    const rememberedDir = memory?.direction(key) ?? null;
    // An explicit direction other than the remembered one means a fresh layout in that direction.
    const direction: Direction | 'auto' = s.direction ?? rememberedDir ?? 'auto';
    const sameDirection = rememberedDir === null || direction === rememberedDir;

    const known = new Map<string, Point>();
    const blocks = new Map<string, { at: Point; members: string[] }>();
    if (sameDirection) {
      for (const n of v.nodes) {
        const p = remembered.get(n.id);
        if (p) known.set(n.id, p);
      }
      if (!keyChanged && drawn) {
        for (const n of v.nodes) {
          if (known.has(n.id)) continue;
          // A node that was inside a group just opened: lay its members out where the group was.
          const before = drawn.rep.get(n.id);
          const at = before ? drawnPositions.get(before) : undefined;
          if (before && before !== n.id && at) {
            const b = blocks.get(before) ?? blocks.set(before, { at, members: [] }).get(before)!;
            b.members.push(n.id);
            continue;
          }
          // A group just closed: it takes the centre of its members as they were drawn.
          if (n.kind === 'group') {
            const ps = [...drawn.rep.keys()].filter((m) => v.rep.get(m) === n.id).map((m) => drawnPositions.get(m)).filter((p): p is Point => Boolean(p));
            if (ps.length) known.set(n.id, { x: ps.reduce((a, p) => a + p.x, 0) / ps.length, y: ps.reduce((a, p) => a + p.y, 0) / ps.length });
          }
        }
      }
    }

    let positions: Map<string, Point>;
    let chosen: Direction = direction === 'auto' ? rememberedDir ?? 'LR' : direction;
    if (known.size === v.nodes.length && reason !== 'relayout') {
      // Everything has a place already (time travel, reload): draw now, no worker round trip.
      positions = known;
    } else {
      setStatus({ running: true, nodes: v.nodes.length });
      const res = await layout.run({
        nodes: v.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
        edges: v.edges.map((e) => ({ source: e.source, target: e.target })),
        known: [...known].map(([id, p]) => [id, p.x, p.y] as const),
        blocks: [...blocks.values()] as BlockHint[],
        direction,
        canvas: { width: container.clientWidth || 1200, height: container.clientHeight || 800 },
        legibleZoom: LEGIBLE_ZOOM,
        mode: reason === 'relayout' ? 'fresh' : 'stable',
        elkMaxNodes: s.focus ? 150 : ELK_MAX_NODES,
      });
      if (!res || mine !== drawSeq) return;
      positions = new Map(res.positions.map(([id, x, y]) => [id, { x, y }]));
      chosen = res.direction;
      setStatus({ running: false, last: { ms: res.ms, engine: res.engine, direction: res.direction, placed: res.placed } });
    }
    if (mine !== drawSeq) return;
    mark('layout-done');
    if (memory) {
      memory.remember(key, positions);
      memory.rememberDirection(key, chosen);
    }
    if (store.getState().direction !== chosen) store.getState().directionChosen(chosen);
    const firstForKey = keyChanged;
    // The first nodes of a workspace that was empty (a live update) are fitted like a new view.
    const firstNodes = drawn !== null && drawn.nodes.length === 0 && v.nodes.length > 0;
    view.setElements(v.nodes, v.edges, positions, { animate: reason === 'relayout' || (!firstForKey && !sameDirection) });
    drawn = v;
    drawnKey = key;
    drawnPositions = positions;
    applyDecorations();
    if (firstForKey) {
      const vp = memory?.viewport(key);
      if (vp && reason !== 'relayout') view.setViewport(vp);
      else view.fit();
    } else if (reason === 'relayout' || !sameDirection || firstNodes) view.fit();
    lastDraw = performance.now();
    mark('drawn');
    if (pendingCentre && positions.has(pendingCentre.id)) {
      view.centre(pendingCentre.id, { legible: true });
      pendingCentre = null;
    }
  }

  const schedule = (reason: 'view' | 'relayout') => {
    busy = busy.then(() => draw(reason)).catch((err) => console.error('Retrace: drawing the graph failed', err));
  };

  function applyDecorations(): void {
    const s = store.getState();
    const v = s.view;
    if (!v) return;
    const sel = s.selectedId;
    // A column picked on the selected node draws its own path instead of the node's lineage.
    const column = columnPathNow(s);
    const hl = column ? { selected: sel as string, up: NONE, down: NONE, upEdges: NONE, downEdges: NONE, reached: { up: 0, down: 0 } }
      : sel && (v.rep.has(sel) || v.tree.groups.has(sel)) ? lineageHighlight(v, sel, s.depth) : null;
    const overlay = s.overlay ? overlayClasses(s.overlay, v) : column;
    // Comparing two snapshots marks what B added, removed and changed since A; otherwise a
    // travelled-to snapshot marks what it brought since the one before.
    const d = s.compare ? s.compare.diff : s.snapshotDiff;
    const rep = (id: string) => v.rep.get(id) ?? id;
    const marks: Marks | null = d
      ? { added: new Set(d.nodes.added.map(rep)), changed: new Set(d.nodes.changed.map((c) => rep(c.id))), removed: new Set(s.compare ? d.nodes.removed.map(rep) : []) }
      : null;
    view.setDecorations({ highlight: hl ? { ...hl, dimRest: !column } : null, overlay, marks });
  }

  /** The selected column's path as classes of drawn elements (see shownColumnPath). */
  function columnPathNow(s: AppState): Map<string, string> | null {
    const p = shownColumnPath(s);
    return p && s.view ? columnPathClasses(columnPathOf(p.up, p.down), s.view) : null;
  }

  const unsubscribe = store.subscribe((s, prev) => {
    // The first status names the workspace the positions are remembered for: a view that came
    // before it (the graph is asked first) is drawn now.
    if (s.view !== prev.view || (s.view && s.status?.workspace !== prev.status?.workspace)) schedule('view');
    if (s.relayoutEpoch !== prev.relayoutEpoch) schedule('relayout');
    else if (s.direction !== prev.direction && s.direction !== null && prev.direction !== null) schedule('view');
    if (s.theme !== prev.theme) view.setTheme(s.theme);
    const columnChanged = s.columnUpstream !== prev.columnUpstream || s.columnDownstream !== prev.columnDownstream || s.columnState !== prev.columnState || s.selectedColumn !== prev.selectedColumn;
    if (columnChanged || s.selectedId !== prev.selectedId || s.depth !== prev.depth || s.overlay !== prev.overlay || s.snapshotDiff !== prev.snapshotDiff || s.compare !== prev.compare) {
      if (s.view === prev.view) applyDecorations();
    }
    if (s.fitEpoch !== prev.fitEpoch) busy = busy.then(() => view.fit());
    if (s.centreOn && s.centreOn !== prev.centreOn) {
      const c = s.centreOn;
      busy = busy.then(() => {
        if (drawnPositions.has(c.id)) view.centre(c.id, { legible: true });
        else pendingCentre = c;
      });
    }
  });
  if (s0.view) schedule('view');

  return {
    view,
    layoutStatus: () => status,
    onLayoutStatus(l) {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
    onHover(l) {
      hoverListeners.add(l);
      return () => hoverListeners.delete(l);
    },
    whenIdle: async () => {
      let b: Promise<void>;
      do {
        b = busy;
        await b;
      } while (b !== busy);
    },
    lastDrawAt: () => lastDraw,
    dispose() {
      unsubscribe();
      layout.dispose();
      view.dispose();
      hoverListeners.clear();
      statusListeners.clear();
    },
  };
}
