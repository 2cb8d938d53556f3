import type { StoreApi } from 'zustand/vanilla';
import type { RetraceClient } from '../../shared/api';
import { AppError } from '../../shared/errors';
import type { SearchResultDto } from '../../shared/lineage-dto';
import type { RerunOfferDto, RerunResultDto } from '../../shared/repro-dto';
import type { GraphDto } from '../../shared/dto';
import type { Granularity } from '../../shared/lineage-dto';
import { loadDetails, loadRunPart, nodeRef, type NodeDetails } from './details';
import type { LoadState } from './graph-slice';

/** Inspecting the selected node: details, the impact overlay, re-runs and search. */
export interface InspectSlice {
  details: NodeDetails | null;
  detailsState: LoadState;
  detailsError: string | null;
  rerun:
    | { readonly state: 'confirm'; readonly offer: RerunOfferDto }
    | { readonly state: 'running'; readonly offer: RerunOfferDto }
    | { readonly state: 'done'; readonly offer: RerunOfferDto; readonly result: RerunResultDto }
    | { readonly state: 'error'; readonly message: string }
    | null;
  searchResults: SearchResultDto[];

  /** Loads details for the selected node (called by select and after time travel). */
  inspect(): Promise<void>;
  /** Drops what was shown for the previous selection. */
  clearInspection(): void;
  /** Picks one run of the selected job. */
  inspectRun(run: string): Promise<void>;
  offerRerun(run: string): Promise<void>;
  confirmRerun(): Promise<void>;
  dismissRerun(): void;
  runSearch(query: string): Promise<void>;
  /** Shows a run found by search: its own node in the runs view, else its stage with it picked. */
  focusRun(run: string): Promise<void>;
}

/** What this slice needs from the rest of the store. */
interface InspectDeps {
  selectedId: string | null;
  graph: GraphDto | null;
  snapshot: number | null;
  granularity: Granularity;
  panel: 'details' | 'rejected';
  select(id: string | null): void;
  /** The overlay belongs to the selection: it goes when the selection or its run changes. */
  clearOverlay(): void;
}

type Host = InspectSlice & InspectDeps;
type Set = StoreApi<Host>['setState'];
type Get = StoreApi<Host>['getState'];

export function createInspectSlice(client: RetraceClient, set: Set, get: Get): InspectSlice {
  let seq = 0;
  const message = (err: unknown) => (err instanceof AppError ? err.message : String((err as Error)?.message ?? err));
  return {
    details: null,
    detailsState: 'idle',
    detailsError: null,
    rerun: null,
    searchResults: [],

    clearInspection: () => {
      get().clearOverlay();
      set({ details: null, panel: 'details' });
    },

    async inspect() {
      const mine = ++seq;
      const { selectedId, graph, snapshot } = get();
      const node = selectedId && graph ? graph.nodes.find((n) => n.id === selectedId) : undefined;
      if (!node) {
        get().clearOverlay();
        return set({ details: null, detailsState: 'idle', detailsError: null});
      }
      set({ detailsState: 'loading', detailsError: null });
      try {
        const details = await loadDetails(client, node, snapshot);
        if (mine === seq) set({ details, detailsState: 'ready' });
      } catch (err) {
        if (mine === seq) set({ detailsState: 'error', detailsError: message(err) });
      }
    },

    async inspectRun(run) {
      const d = get().details;
      if (!d || d.kind !== 'job') return;
      const mine = ++seq;
      const part = await loadRunPart(client, run, get().snapshot);
      if (mine !== seq) return;
      get().clearOverlay();
      set({ details: { ...d, run, ...part } });
    },

    async offerRerun(run) {
      try {
        set({ rerun: { state: 'confirm', offer: await client.prepareRerun({ run }) } });
      } catch (err) {
        set({ rerun: { state: 'error', message: message(err) } });
      }
    },

    async confirmRerun() {
      const r = get().rerun;
      if (!r || r.state !== 'confirm') return;
      set({ rerun: { state: 'running', offer: r.offer } });
      try {
        const result = await client.confirmRerun({ token: r.offer.token });
        set({ rerun: { state: 'done', offer: r.offer, result } });
      } catch (err) {
        set({ rerun: { state: 'error', message: message(err) } });
      }
    },

    dismissRerun: () => set({ rerun: null }),

    async focusRun(run) {
      const { graph, granularity } = get();
      if (granularity === 'run' && graph?.nodes.some((n) => n.id === `run:${run}`)) return get().select(`run:${run}`);
      try {
        const [row] = await client.listRuns({ filterBy: [`RUN_ID:${run}`], limit: 1 });
        const jobId = row?.job ? `job:${row.job}` : null;
        if (!jobId || !get().graph?.nodes.some((n) => n.id === jobId)) return;
        get().clearOverlay();
        set({ selectedId: jobId, details: null, panel: 'details' });
        await get().inspect();
        await get().inspectRun(run);
      } catch (err) {
        set({ detailsError: message(err) });
      }
    },

    async runSearch(query) {
      if (!query.trim()) return set({ searchResults: [] });
      try {
        const r = await client.search({ query, limit: 12 });
        set({ searchResults: r.results });
      } catch {
        set({ searchResults: [] });
      }
    },
  };
}

export { nodeRef };
