import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import elk from 'cytoscape-elk';
import type { Disposable } from '../../../shared/disposable';
import type { Theme } from '../../state/app-store';
import type { CyElement } from '../elements';
import { layeredPositions } from '../layered-layout';
import { CLS, CY_OPTIONS, lineageStylesheet } from './style';

cytoscape.use(elk);

/** Up to this many nodes ELK lays out the graph; past it, the linear layered layout does. */
const ELK_MAX_NODES = 150;
/** The largest zoom a fit may choose. */
const MAX_FIT_ZOOM = 1.3;

/** The only owner of the Cytoscape instance. React mounts a div once and calls these. */
export interface GraphView extends Disposable {
  setElements(next: readonly CyElement[]): void;
  setSelected(id: string | null): void;
  /** Highlights these nodes (e.g. the impact of the selection) and dims the rest; null clears. */
  setOverlay(ids: readonly string[] | null): void;
  /** Marks nodes as new or changed in the shown snapshot (time travel). */
  setMarked(ids: readonly string[]): void;
  setTheme(theme: Theme): void;
  fit(): void;
  /** For tests and the benchmark: element counts as drawn. */
  stats(): { nodes: number; edges: number };
}

export function createGraphView(container: HTMLElement, h: { onSelect(id: string | null): void; theme: Theme }): GraphView {
  const cy: Core = cytoscape({ container, style: lineageStylesheet(h.theme), ...CY_OPTIONS, boxSelectionEnabled: false });
  cy.on('tap', 'node', (e) => h.onSelect(e.target.id()));
  cy.on('tap', (e) => {
    if (e.target === cy) h.onSelect(null);
  });
  let layoutRun: cytoscape.Layouts | null = null;

  function relayout(): void {
    layoutRun?.stop();
    const nodes = cy.nodes();
    if (nodes.length === 0) return;
    if (nodes.length <= ELK_MAX_NODES) {
      layoutRun = cy.layout({
        name: 'elk',
        fit: true,
        padding: 40,
        animate: false,
        nodeDimensionsIncludeLabels: true,
        elk: {
          algorithm: 'layered',
          'elk.direction': 'RIGHT',
          'elk.layered.spacing.nodeNodeBetweenLayers': 70,
          'elk.spacing.nodeNode': 14,
          'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
        },
      } as cytoscape.LayoutOptions);
    } else {
      const pos = layeredPositions({
        ids: nodes.map((n) => n.id()),
        edges: cy.edges().map((e) => ({ source: e.source().id(), target: e.target().id() })),
      });
      layoutRun = cy.layout({ name: 'preset', positions: (n: cytoscape.NodeSingular) => pos.get(n.id()) ?? { x: 0, y: 0 }, fit: true, padding: 40 } as cytoscape.LayoutOptions);
    }
    // A small graph fitted to the window would be drawn huge; keep it at a readable size.
    layoutRun.one('layoutstop', () => {
      if (cy.zoom() > MAX_FIT_ZOOM) {
        cy.zoom(MAX_FIT_ZOOM);
        cy.center();
      }
    });
    layoutRun.run();
  }

  return {
    setElements(next) {
      // Id-keyed diff inside one batch: remove what left, add what came, patch changed data.
      const wanted = new Map(next.map((e) => [e.data.id, e]));
      let topologyChanged = false;
      cy.batch(() => {
        cy.elements().forEach((ele) => {
          if (!wanted.has(ele.id())) {
            ele.remove();
            topologyChanged = true;
          }
        });
        const toAdd: ElementDefinition[] = [];
        for (const e of next) {
          const existing = cy.getElementById(e.data.id);
          if (existing.empty()) {
            toAdd.push({ group: e.group, data: { ...e.data }, classes: e.classes });
          } else {
            existing.data({ ...e.data });
            existing.classes(e.classes + (existing.hasClass(CLS.selected) ? ` ${CLS.selected}` : ''));
          }
        }
        if (toAdd.length) {
          cy.add(toAdd);
          topologyChanged = true;
        }
      });
      if (topologyChanged) relayout();
      // What Cytoscape actually holds, readable by people inspecting the DOM and by e2e tests.
      container.dataset.drawnNodes = String(cy.nodes().length);
      container.dataset.drawnEdges = String(cy.edges().length);
    },
    setSelected(id) {
      cy.batch(() => {
        cy.elements().removeClass([CLS.selected, CLS.neighbour, CLS.dimmed]);
        if (!id) return;
        const node = cy.getElementById(id);
        if (node.empty()) return;
        const hood = node.closedNeighborhood();
        node.addClass(CLS.selected);
        hood.edges().addClass(CLS.neighbour);
        cy.elements().not(hood).addClass(CLS.dimmed);
      });
    },
    setOverlay(ids) {
      cy.batch(() => {
        cy.elements().removeClass([CLS.impacted, CLS.overlayDim]);
        if (!ids) return;
        const hit = cy.collection();
        for (const id of ids) hit.merge(cy.getElementById(id));
        const selected = cy.nodes(`.${CLS.selected}`);
        const keep = hit.union(selected);
        hit.addClass(CLS.impacted);
        keep.edgesWith(keep).addClass(CLS.impacted);
        cy.elements().not(keep).not(keep.edgesWith(keep)).addClass(CLS.overlayDim);
      });
      container.dataset.overlay = String(ids?.length ?? 0);
    },
    setMarked(ids) {
      cy.batch(() => {
        cy.nodes().removeClass(CLS.changed);
        for (const id of ids) cy.getElementById(id).addClass(CLS.changed);
      });
      container.dataset.marked = String(ids.length);
    },
    setTheme(theme) {
      cy.style(lineageStylesheet(theme));
    },
    fit() {
      cy.fit(undefined, 40);
      if (cy.zoom() > MAX_FIT_ZOOM) {
        cy.zoom(MAX_FIT_ZOOM);
        cy.center();
      }
    },
    stats: () => ({ nodes: cy.nodes().length, edges: cy.edges().length }),
    dispose() {
      layoutRun?.stop();
      cy.destroy();
    },
  };
}
