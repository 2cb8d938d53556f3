import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
import type { Disposable } from '../../../shared/disposable';
import type { Theme } from '../../state/theme';
import type { Point } from '../layout/layered';
import type { Viewport } from '../layout/position-memory';
import type { ViewEdge, ViewNode } from '../model/view-graph';
import { LABEL_FONT_PX } from '../model/labels';
import { automationOf, exportImageOf, minimapOf, type AutomationElement, type MinimapData } from './readouts';
import { CLS, LARGE_VIEW, lineageStylesheet, OVERLAY_CLASSES } from './style';

/** The largest zoom a fit may choose: a tiny graph is not drawn huge. */
const MAX_FIT_ZOOM = 1.25;
/** Zoom at which node labels are 11 CSS px on screen. */
export const LEGIBLE_ZOOM = 11 / LABEL_FONT_PX;
/** Past this many moving nodes a re-layout jumps instead of animating (animation costs per node per frame). */
const MAX_ANIMATED = 1500;

export interface Highlight {
  readonly selected: string | null;
  readonly up: ReadonlySet<string>;
  readonly down: ReadonlySet<string>;
  readonly upEdges: ReadonlySet<string>;
  readonly downEdges: ReadonlySet<string>;
  /** Dim what is not highlighted. */
  readonly dimRest: boolean;
}

export interface Marks {
  readonly added: ReadonlySet<string>;
  readonly changed: ReadonlySet<string>;
  readonly removed: ReadonlySet<string>;
}

export interface GraphViewHandlers {
  onSelect(id: string | null): void;
  /** Double click (or Enter): open a group, or a stub's hop. */
  onActivate(id: string): void;
  onHover(h: { id: string; x: number; y: number } | null): void;
  /** The user dragged nodes: their new positions. */
  onMoved(positions: Map<string, Point>): void;
  onViewport(vp: Viewport): void;
}

/** The only owner of the Cytoscape instance. React mounts a div once and calls these. */
export interface GraphView extends Disposable {
  /**
   * Draws exactly these elements at these positions (id-keyed diff: kept elements keep their
   * identity; moved ones animate when `animate`).
   */
  setElements(nodes: readonly ViewNode[], edges: readonly ViewEdge[], positions: ReadonlyMap<string, Point>, opts: { animate: boolean }): void;
  /**
   * Selection highlight, overlay classes per element id (footprint / impact) and time-travel
   * marks, applied together: only elements whose classes change are touched.
   */
  setDecorations(d: { highlight: Highlight | null; overlay: ReadonlyMap<string, string> | null; marks: Marks | null }): void;
  setTheme(theme: Theme): void;
  /** Fits the drawn graph; a graph small enough to read is kept at a legible zoom. */
  fit(): void;
  /** Centres on a node, zooming in to a legible size if needed. */
  centre(id: string, opts?: { legible?: boolean }): void;
  zoomBy(factor: number): void;
  panTo(model: Point): void;
  setViewport(vp: Viewport): void;
  viewport(): Viewport;
  /** Positions of every drawn node (model space). */
  positions(): Map<string, Point>;
  renderedPositionOf(id: string): Point | null;
  automation(): { zoom: number; pan: Point; labelFontPx: number; elements: AutomationElement[] };
  minimap(): MinimapData;
  onRender(listener: () => void): () => void;
  /** The view (what is on screen) or the whole drawing, as PNG or standalone SVG. */
  exportImage(format: 'png' | 'svg', scope: 'view' | 'graph', title: string): Promise<Blob>;
  stats(): { nodes: number; edges: number };
}

export function createGraphView(container: HTMLElement, h: GraphViewHandlers, initialTheme: Theme): GraphView {
  let theme = initialTheme;
  let large = false;
  const cy: Core = cytoscape({
    container,
    style: lineageStylesheet({ theme, large }),
    minZoom: 0.02,
    maxZoom: 4,
    boxSelectionEnabled: false,
    selectionType: 'single',
    autounselectify: true,
    textureOnViewport: true,
    hideEdgesOnViewport: false,
    pixelRatio: 'auto',
  });
  // Cytoscape reads this option from its renderer on every frame but offers no setter; big views
  // switch it on after creation (see setElements).
  const renderer = (cy as unknown as { renderer(): { hideEdgesOnViewport: boolean } }).renderer();
  // A new stylesheet re-styles every element (hundreds of ms at 5,000): only on theme or size class change.
  const restyle = () => cy.style(lineageStylesheet({ theme, large }));

  cy.on('tap', 'node', (e) => h.onSelect(e.target.id()));
  cy.on('dbltap', 'node', (e) => h.onActivate(e.target.id()));
  cy.on('tap', (e) => {
    if (e.target === cy) h.onSelect(null);
  });
  cy.on('mouseover', 'node', (e) => {
    const p = (e.target as NodeSingular).renderedPosition();
    (e.target as NodeSingular).addClass(CLS.hover);
    h.onHover({ id: e.target.id(), x: p.x, y: p.y });
  });
  cy.on('mouseout', 'node', (e) => {
    (e.target as NodeSingular).removeClass(CLS.hover);
    h.onHover(null);
  });
  cy.on('dragfree', 'node', (e) => {
    const n = e.target as NodeSingular;
    h.onMoved(new Map([[n.id(), { ...n.position() }]]));
  });
  let vpTimer: ReturnType<typeof setTimeout> | null = null;
  cy.on('viewport', () => {
    if (vpTimer) clearTimeout(vpTimer);
    vpTimer = setTimeout(() => h.onViewport({ zoom: cy.zoom(), pan: { ...cy.pan() } }), 250);
  });
  const renderListeners = new Set<() => void>();
  cy.on('render', () => renderListeners.forEach((l) => l()));

  let overlay: ReadonlyMap<string, string> | null = null;
  let highlight: Highlight | null = null;
  let marks: Marks | null = null;

  const classesOf = (id: string, base: string): string => {
    const out = [base];
    const hl = highlight;
    if (hl) {
      if (hl.selected === id) out.push(CLS.selected);
      else if (hl.up.has(id) || hl.upEdges.has(id)) out.push(CLS.up);
      else if (hl.down.has(id) || hl.downEdges.has(id)) out.push(CLS.down);
      else if (hl.dimRest) out.push(CLS.dimmed);
    }
    if (marks) {
      if (marks.added.has(id)) out.push(CLS.added);
      else if (marks.changed.has(id)) out.push(CLS.changed);
      else if (marks.removed.has(id)) out.push(CLS.removed);
    }
    if (overlay) out.push(overlay.get(id) ?? 'ov-dim');
    return out.join(' ');
  };
  /** Base classes per id, as given by the last setElements, and the classes each element has now. */
  const base = new Map<string, string>();
  const current = new Map<string, string>();
  const reclass = () => {
    cy.batch(() => {
      cy.elements().forEach((ele) => {
        const id = ele.id();
        const next = classesOf(id, base.get(id) ?? '');
        if (current.get(id) === next) return;
        current.set(id, next);
        ele.classes(next);
      });
    });
    container.dataset.overlay = String(overlay ? [...overlay.values()].filter((c) => c !== 'ov-dim').length : 0);
    container.dataset.marked = String(marks ? marks.added.size + marks.changed.size + marks.removed.size : 0);
  };

  /**
   * The drawing's bounds from positions and the sizes we gave each node. Cytoscape's own
   * boundingBox() would compute every label's style first (hundreds of ms at 5,000 nodes).
   */
  const boxOf = () => {
    let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    cy.nodes().forEach((n) => {
      const p = n.position();
      const hw = (n.data('w') as number) / 2 + 6;
      const hh = (n.data('h') as number) / 2 + 6;
      x1 = Math.min(x1, p.x - hw);
      y1 = Math.min(y1, p.y - hh);
      x2 = Math.max(x2, p.x + hw);
      y2 = Math.max(y2, p.y + hh);
    });
    return { x1, y1, x2, y2, w: x2 - x1, h: y2 - y1 };
  };

  const view: GraphView = {
    setElements(nodes, edges, positions, opts) {
      const wanted = new Set<string>();
      for (const n of nodes) wanted.add(n.id);
      for (const e of edges) wanted.add(e.id);
      const moves: { node: NodeSingular; to: Point }[] = [];
      // Decide the drawing options for the new size before adding, so the restyle (if any)
      // runs over the old, usually smaller, set of elements.
      const nowLarge = nodes.length + edges.length > LARGE_VIEW;
      if (nowLarge !== large) {
        large = nowLarge;
        // Hiding edges while the viewport moves keeps big views fluid; small views keep them.
        renderer.hideEdgesOnViewport = large;
        restyle();
      }
      cy.batch(() => {
        // One pass over what is drawn (a lookup per element would allocate a collection each).
        const have = new Map<string, cytoscape.SingularElementReturnValue>();
        cy.elements().forEach((ele) => {
          const id = ele.id();
          if (wanted.has(id)) have.set(id, ele);
          else {
            ele.remove();
            base.delete(id);
            current.delete(id);
          }
        });
        const add: ElementDefinition[] = [];
        const restyle = (ele: cytoscape.SingularElementReturnValue, id: string, cls: string) => {
          const next = classesOf(id, cls);
          if (current.get(id) !== next) {
            current.set(id, next);
            ele.classes(next);
          }
        };
        for (const n of nodes) {
          base.set(n.id, n.classes);
          const data = { id: n.id, label: n.label, full: n.fullLabel, kind: n.kind, w: n.width, h: n.height, group: n.group, count: n.count, state: n.state, version: n.version };
          const p = positions.get(n.id) ?? { x: 0, y: 0 };
          const existing = have.get(n.id);
          if (!existing) {
            const cls = classesOf(n.id, n.classes);
            current.set(n.id, cls);
            add.push({ group: 'nodes', data, position: { x: p.x, y: p.y }, classes: cls });
          } else {
            const old = existing.data() as Record<string, unknown>;
            if (old.label !== n.label || old.w !== n.width || old.count !== n.count || old.state !== n.state || old.version !== n.version || old.group !== n.group) existing.data(data);
            restyle(existing, n.id, n.classes);
            const cur = (existing as NodeSingular).position();
            if (Math.abs(cur.x - p.x) > 0.5 || Math.abs(cur.y - p.y) > 0.5) moves.push({ node: existing as NodeSingular, to: p });
          }
        }
        for (const e of edges) {
          base.set(e.id, e.classes);
          const existing = have.get(e.id);
          if (!existing) {
            const cls = classesOf(e.id, e.classes);
            current.set(e.id, cls);
            add.push({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, kind: e.kind, count: e.count }, classes: cls });
          } else {
            if (existing.data('count') !== e.count) existing.data({ count: e.count });
            restyle(existing, e.id, e.classes);
          }
        }
        if (add.length) cy.add(add);
        if (!opts.animate || moves.length > MAX_ANIMATED) for (const m of moves) m.node.position(m.to);
      });
      if (opts.animate && moves.length <= MAX_ANIMATED) {
        for (const m of moves) m.node.animate({ position: m.to }, { duration: 450, easing: 'ease-in-out-cubic' });
      }
      container.dataset.drawnNodes = String(cy.nodes().length);
      container.dataset.drawnEdges = String(cy.edges().length);
    },
    setDecorations(d) {
      highlight = d.highlight;
      overlay = d.overlay;
      marks = d.marks;
      reclass();
    },
    setTheme(t) {
      theme = t;
      restyle();
    },
    fit() {
      if (cy.nodes().empty()) return;
      const w = cy.width();
      const hgt = cy.height();
      const bb = boxOf();
      const pad = 24;
      // The toolbar floats over the top of the canvas: keep the drawing below it.
      const top = 52;
      // …and the group bar along its bottom.
      const bottom = 52;
      const fitZoom = Math.min((w - 2 * pad) / Math.max(1, bb.w), (hgt - top - bottom) / Math.max(1, bb.h));
      if (fitZoom >= LEGIBLE_ZOOM || cy.nodes().length > 250) {
        // Fits at a readable size, or too big to read whole anyway: show all of it.
        const z = Math.min(fitZoom, MAX_FIT_ZOOM);
        cy.viewport({ zoom: z, pan: { x: w / 2 - z * (bb.x1 + bb.w / 2), y: top + (hgt - top - bottom) / 2 - z * (bb.y1 + bb.h / 2) } });
        return;
      }
      // A small graph that only fits below a readable size: stay readable, start where the
      // data starts (left or top), centred across; the minimap shows the rest.
      const z = LEGIBLE_ZOOM;
      const wide = bb.w * z > w - 2 * pad;
      const tall = bb.h * z > hgt - top - bottom;
      const x = wide ? pad - z * bb.x1 : w / 2 - z * (bb.x1 + bb.w / 2);
      const y = tall ? top - z * bb.y1 : top + (hgt - top - bottom) / 2 - z * (bb.y1 + bb.h / 2);
      cy.viewport({ zoom: z, pan: { x, y } });
    },
    centre(id, opts = {}) {
      const n = cy.getElementById(id);
      if (n.empty()) return;
      const z = opts.legible ? Math.max(cy.zoom(), LEGIBLE_ZOOM) : cy.zoom();
      const p = (n as NodeSingular).position();
      cy.animate({ zoom: z, pan: { x: cy.width() / 2 - z * p.x, y: cy.height() / 2 - z * p.y } }, { duration: 300 });
    },
    zoomBy(factor) {
      const z = Math.min(4, Math.max(0.02, cy.zoom() * factor));
      cy.zoom({ level: z, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    },
    panTo(model) {
      const z = cy.zoom();
      cy.pan({ x: cy.width() / 2 - z * model.x, y: cy.height() / 2 - z * model.y });
    },
    setViewport(vp) {
      cy.viewport({ zoom: vp.zoom, pan: { ...vp.pan } });
    },
    viewport: () => ({ zoom: cy.zoom(), pan: { ...cy.pan() } }),
    positions() {
      const out = new Map<string, Point>();
      cy.nodes().forEach((n) => {
        out.set(n.id(), { ...n.position() });
      });
      return out;
    },
    renderedPositionOf(id) {
      const n = cy.getElementById(id);
      return n.empty() ? null : { ...(n as NodeSingular).renderedPosition() };
    },
    automation: () => automationOf(cy),
    minimap: () => minimapOf(cy, theme, boxOf()),
    onRender(listener) {
      renderListeners.add(listener);
      return () => renderListeners.delete(listener);
    },
    exportImage: (format, scope, title) => exportImageOf(cy, { theme, box: boxOf(), format, scope, title }),
    stats: () => ({ nodes: cy.nodes().length, edges: cy.edges().length }),
    dispose() {
      if (vpTimer) clearTimeout(vpTimer);
      renderListeners.clear();
      cy.destroy();
    },
  };
  return view;
}


export { OVERLAY_CLASSES };
