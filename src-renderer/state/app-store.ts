import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RetraceClient } from '../../shared/api';
import type { RejectedPageDto } from '../../shared/dto';
import { AppError } from '../../shared/errors';
import { createCanvasColumnsSlice, type CanvasColumnsSlice } from './canvas-columns-slice';
import { createColumnsSlice, type ColumnsSlice } from './columns-slice';
import { createCompareSlice, type CompareSlice } from './compare-slice';
import { createGraphSlice, type GraphSlice } from './graph-slice';
import { createInspectSlice, type InspectSlice } from './inspect-slice';
import { createOverlaySlice, type OverlaySlice } from './overlay-slice';
import { createRerunSlice, type RerunSlice } from './rerun-slice';
import { createReplaySlice, type ReplaySlice } from './replay-slice';
import { createVersionDiffSlice, type VersionDiffSlice } from './version-diff-slice';
import type { Theme } from './theme';
import type { UrlView } from './url-state';
import { createViewSlice, type ViewSlice } from './view-slice';

export type { LoadState } from './graph-slice';
export type { Theme } from './theme';

/** Shell-level state: theme and which side panel is open. */
interface ShellSlice {
  /**
   * The API client, for panels that page through data they do not keep in the store (table
   * rows, catalogue pages): they ask for what is on screen and hold it in their own state.
   */
  readonly api: RetraceClient;
  theme: Theme;
  panel: 'details' | 'rejected';
  /** The main area: the graph, or the catalogue table of every artifact and run. */
  mainView: 'graph' | 'catalogue';
  setMainView(view: 'graph' | 'catalogue'): void;
  /** The side panel's tab. */
  sideTab: 'details' | 'insights' | 'changes';
  setSideTab(tab: 'details' | 'insights' | 'changes'): void;
  rejected: RejectedPageDto | null;
  setTheme(theme: Theme): void;
  showPanel(panel: 'details' | 'rejected'): Promise<void>;
  /** Puts the store in the state a URL describes (a shared link, back/forward). */
  applyUrlView(v: UrlView): Promise<void>;
  /** The URL-worthy part of the current state. */
  urlView(): UrlView;
}

/** Everything the views read. Topology (graph) is kept apart from display state (selection). */
export type AppState = GraphSlice & ViewSlice & InspectSlice & OverlaySlice & RerunSlice & ReplaySlice & VersionDiffSlice & CompareSlice & ColumnsSlice & CanvasColumnsSlice & ShellSlice;

export interface StoreOptions {
  /** Most elements a view draws before it starts grouped (tests use small budgets). */
  readonly budget?: number;
}

/**
 * The one store, built from the API client it is given, so tests drive it with any client
 * (direct, HTTP, fake IPC) and no React. Each slice declares what it needs from the others.
 */
export function createAppStore(client: RetraceClient, initialTheme: Theme = 'dark', opts: StoreOptions = {}): StoreApi<AppState> {
  const store = createStore<AppState>()((set, get) => ({
    ...createGraphSlice(client, set, get),
    ...createViewSlice(set, get, opts.budget),
    ...createInspectSlice(client, set, get),
    ...createOverlaySlice(client, set, get),
    ...createRerunSlice(client, set, get),
    ...createReplaySlice(client, set, get),
    ...createVersionDiffSlice(client, set, get),
    ...createCompareSlice(client, set, get),
    ...createColumnsSlice(client, set, get),
    ...createCanvasColumnsSlice(client, set, get),
    api: client,
    theme: initialTheme,
    panel: 'details',
    mainView: 'graph',
    setMainView: (mainView) => set({ mainView }),
    sideTab: 'details',
    setSideTab: (sideTab) => set({ sideTab, panel: 'details' }),
    rejected: null,
    setTheme: (theme) => set({ theme }),
    urlView: () => {
      const s = get();
      return {
        selectedId: s.selectedId,
        focus: s.focus ? { id: s.focus.id, extra: s.focus.extra } : null,
        depth: s.depth,
        groups: s.groupsExplicit ? s.groups : null,
        overlay: s.overlay && s.overlay.kind !== 'chains' ? s.overlay.kind : null,
        snapshot: s.snapshot,
        granularity: s.granularity,
        direction: s.directionExplicit ? s.direction : null,
      };
    },
    applyUrlView: async (v) => {
      const s = get();
      const focus = v.focus ? { id: v.focus.id, up: v.depth.up, down: v.depth.down, extra: v.focus.extra } : null;
      set({
        depth: v.depth,
        focus,
        focusGroups: null,
        groups: v.groups ?? (v.granularity === s.granularity ? s.groups : null),
        groupsExplicit: v.groups !== null,
        direction: v.direction ?? (v.granularity === s.granularity ? s.direction : null),
        directionExplicit: v.direction !== null,
        selectedId: v.selectedId,
        details: null,
      });
      get().clearOverlay();
      if (v.granularity !== s.granularity || !s.graph) {
        set({ granularity: v.granularity, snapshot: v.snapshot });
        await get().load();
      } else if (v.snapshot !== s.snapshot) await get().setSnapshot(v.snapshot);
      else {
        get().graphArrived();
        await get().inspect();
      }
      if (v.selectedId) set({ centreOn: { id: v.selectedId, epoch: (get().centreOn?.epoch ?? 0) + 1 } });
      if (v.overlay === 'impact' && get().details) await get().showImpact();
      if (v.overlay === 'footprint' && get().details) get().showFootprint();
    },
    showPanel: async (panel) => {
      set({ panel });
      if (panel !== 'rejected') return;
      try {
        set({ rejected: await client.listRejected({ limit: 500 }) });
      } catch (err) {
        set({ error: { code: err instanceof AppError ? err.code : 'INTERNAL', message: String((err as Error).message ?? err) } });
      }
    },
  }));
  // The selected column and the columns expanded on the canvas follow the time slider.
  store.subscribe((s, prev) => {
    if (s.snapshot !== prev.snapshot) {
      void s.refreshColumn();
      void s.refreshCanvasColumns();
    }
  });
  return store;
}
