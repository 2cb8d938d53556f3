import type { StoreApi } from 'zustand/vanilla';
import type { RetraceClient } from '../../shared/api';
import type { GraphDto } from '../../shared/dto';
import { AppError } from '../../shared/errors';
import { walk } from '../graph/model/lineage-adjacency';
import type { ViewGraph } from '../graph/model/view-graph';
import { impactNodeIds, type NodeDetails } from './details';
import { footprintNodeClasses, type OverlayState } from './overlays';

/** The overlay drawn on the graph for the selection: its impact or a run's footprint. */
export interface OverlaySlice {
  overlay: OverlayState | null;
  overlayError: string | null;
  /** Impact of the selected run (a stage's picked run) or artifact version, up and down. */
  showImpact(): Promise<void>;
  /** The footprint of the run picked in the selection's details. */
  showFootprint(): void;
  clearOverlay(): void;
}

interface OverlayDeps {
  selectedId: string | null;
  graph: GraphDto | null;
  view: ViewGraph | null;
  snapshot: number | null;
  details: NodeDetails | null;
}

type Host = OverlaySlice & OverlayDeps;

export function createOverlaySlice(client: RetraceClient, set: StoreApi<Host>['setState'], get: StoreApi<Host>['getState']): OverlaySlice {
  let seq = 0;
  return {
    overlay: null,
    overlayError: null,
    async showImpact() {
      const mine = ++seq;
      const { details, selectedId, graph, view, snapshot } = get();
      if (!details || !selectedId || !graph || !view) return;
      const at = snapshot === null ? {} : { snapshot };
      const req = details.kind === 'artifact' ? { artifact: details.artifact } : (details.kind === 'job' || details.kind === 'run') && details.run ? { run: details.run } : null;
      if (!req) return;
      try {
        const [impact, upstream] = await Promise.all([
          client.getImpact({ ...req, ...at, direction: 'downstream' }),
          client.getImpact({ ...req, ...at, direction: 'upstream' }),
        ]);
        if (mine !== seq) return;
        const down = impactNodeIds(impact, graph.nodes);
        // Upstream runs' footprints, plus the lineage walk on the graph: sources nobody produced
        // (a raw file the stage read) are upstream too, though no run upstream wrote them.
        const up = impactNodeIds(upstream, graph.nodes);
        for (const id of walk(view.adjacency, selectedId, 'up', null).keys()) up.add(id);
        for (const ids of [down, up]) ids.delete(selectedId);
        set({ overlay: { kind: 'impact', of: selectedId, impact, upstream, down: [...down], up: [...up] }, overlayError: null });
      } catch (err) {
        if (mine === seq) set({ overlayError: err instanceof AppError ? err.message : String((err as Error)?.message ?? err) });
      }
    },
    showFootprint() {
      ++seq;
      const { details, selectedId, graph } = get();
      if (!details || !selectedId || !graph || (details.kind !== 'job' && details.kind !== 'run') || !details.footprint) return;
      set({ overlay: { kind: 'footprint', of: selectedId, run: details.footprint.run, footprint: details.footprint, classOf: footprintNodeClasses(details.footprint, graph.nodes) }, overlayError: null });
    },
    clearOverlay: () => {
      ++seq;
      set({ overlay: null, overlayError: null });
    },
  };
}
