import type { StoreApi } from 'zustand/vanilla';
import type { GraphDto, NodeKind } from '../../shared/dto';
import type { Direction } from '../graph/layout/layered';
import { ancestry } from '../graph/model/groups';
import type { Depth } from '../graph/model/highlight';
import { mergeForCompare } from './compare-slice';
import { buildViewGraph, DEFAULT_BUDGET, type FocusState, type GroupState, type ViewGraph } from '../graph/model/view-graph';

/** How the graph is looked at: selection, focus, depth, open groups, direction. */
export interface ViewSlice {
  selectedId: string | null;
  /** Show only one node's lineage (null = the whole graph). */
  focus: FocusState | null;
  /** Hops each way that selection highlights and focus shows (null = all). */
  depth: Depth;
  /** Open groups of the whole-graph view; null until decided from the size budget. */
  groups: GroupState | null;
  /** Open groups inside a focus (reset when the focus changes). */
  focusGroups: GroupState | null;
  /** null = chosen by the layout from the canvas shape, then remembered. */
  direction: Direction | null;
  /** The user (or a link) chose the groups / the direction: they belong in the URL. */
  groupsExplicit: boolean;
  directionExplicit: boolean;
  /** What is drawn, derived from the graph and the fields above. */
  view: ViewGraph | null;
  /** Bumped to ask the canvas for a fresh, animated layout (the only thing that moves nodes). */
  relayoutEpoch: number;
  /** Bumped to ask the canvas to fit the graph. */
  fitEpoch: number;
  /** A node to bring into view (and the request number, so the same node can be asked twice). */
  centreOn: { readonly id: string; readonly epoch: number } | null;
  paletteOpen: boolean;

  select(id: string | null): void;
  /** Selects a node and brings it into view, opening the groups it hides in. */
  reveal(id: string): void;
  setFocus(id: string | null): void;
  setDepth(depth: Partial<Depth>): void;
  openStub(stubId: string): void;
  toggleGroup(groupId: string, open?: boolean): void;
  /** Closes every open group (the grouped start again). */
  collapseAll(): void;
  setDirection(dir: Direction): void;
  /** The layout settled on a direction (auto): remember it without a re-layout. */
  directionChosen(dir: Direction): void;
  relayout(): void;
  requestFit(): void;
  setPaletteOpen(open: boolean): void;
  /** Recomputes `view`; the graph slice calls it on every new graph. */
  graphArrived(): void;
  /** Forgets groups, focus and direction (another granularity is another view). */
  resetView(): void;
}

interface ViewDeps {
  graph: GraphDto | null;
  compare: { readonly base: GraphDto | null } | null;
  hiddenKinds: readonly NodeKind[];
  /** Loads details for the selection. */
  inspect(): Promise<void>;
  /** Selection changes clear the inspect overlay. */
  clearInspection(): void;
}

type Host = ViewSlice & ViewDeps;

export function createViewSlice(set: StoreApi<Host>['setState'], get: StoreApi<Host>['getState'], budget = DEFAULT_BUDGET): ViewSlice {
  const recompute = (patch: Partial<Host> = {}) => {
    const s = { ...get(), ...patch };
    if (!s.graph) return set(patch);
    const inFocus = s.focus !== null;
    // Comparing snapshots: what A had and B lost is drawn too, as ghosts.
    const graph = s.compare ? mergeForCompare(s.graph, s.compare.base) : s.graph;
    const view = buildViewGraph(graph, { hiddenKinds: s.hiddenKinds, focus: s.focus, groups: inFocus ? s.focusGroups : s.groups, budget });
    set({ ...patch, view, ...(inFocus ? { focusGroups: view.groups } : { groups: view.groups }) });
    globalThis.performance?.mark?.('retrace:view-built');
  };
  const opened = (state: GroupState, id: string, open: boolean): GroupState => {
    const except = new Set(state.except);
    const isOpen = (state.base === 'expanded') !== except.has(id);
    if (isOpen === open) return state;
    if (except.has(id)) except.delete(id);
    else except.add(id);
    return { base: state.base, except: [...except] };
  };

  return {
    selectedId: null,
    focus: null,
    depth: { up: null, down: null },
    groups: null,
    focusGroups: null,
    direction: null,
    groupsExplicit: false,
    directionExplicit: false,
    view: null,
    relayoutEpoch: 0,
    fitEpoch: 0,
    centreOn: null,
    paletteOpen: false,

    select(id) {
      if (id === get().selectedId) return;
      set({ selectedId: id });
      get().clearInspection();
      void get().inspect();
    },
    reveal(id) {
      const v = get().view;
      if (v && !v.rep.has(id) && get().focus) {
        // Not in the focused lineage: leave the focus to show it.
        recompute({ focus: null, focusGroups: null });
      }
      const view = get().view;
      if (view) {
        const key = get().focus ? 'focusGroups' : 'groups';
        let state = (get()[key] as GroupState | null) ?? view.groups;
        for (const g of ancestry(view.tree, id)) state = opened(state, g, true);
        if (state !== view.groups) recompute({ [key]: state, groupsExplicit: true } as Partial<Host>);
      }
      get().select(id);
      set({ centreOn: { id, epoch: (get().centreOn?.epoch ?? 0) + 1 } });
    },
    setFocus(id) {
      if (id === get().focus?.id) return;
      const { depth } = get();
      recompute({ focus: id ? { id, up: depth.up, down: depth.down, extra: [] } : null, focusGroups: null });
      set({ fitEpoch: get().fitEpoch + 1 });
    },
    setDepth(d) {
      const depth = { ...get().depth, ...d };
      const f = get().focus;
      if (f) recompute({ depth, focus: { ...f, up: depth.up, down: depth.down, extra: [] } });
      else set({ depth });
    },
    openStub(stubId) {
      const f = get().focus;
      const m = /^stub:(up|down):(.*)$/.exec(stubId);
      if (!f || !m) return;
      recompute({ focus: { ...f, extra: [...f.extra, `${m[1] === 'down' ? 'd' : 'u'}:${m[2]}`] } });
    },
    toggleGroup(groupId, open) {
      const view = get().view;
      if (!view || !view.tree.groups.has(groupId)) return;
      const key = get().focus ? 'focusGroups' : 'groups';
      const state = (get()[key] as GroupState | null) ?? view.groups;
      const isOpen = (state.base === 'expanded') !== state.except.includes(groupId);
      recompute({ [key]: opened(state, groupId, open ?? !isOpen), groupsExplicit: true } as Partial<Host>);
      if (get().selectedId === groupId) get().select(null);
    },
    collapseAll() {
      const key = get().focus ? 'focusGroups' : 'groups';
      recompute({ [key]: { base: 'collapsed', except: [] }, groupsExplicit: true } as Partial<Host>);
    },
    setDirection(dir) {
      if (dir === get().direction) return;
      set({ direction: dir, directionExplicit: true, relayoutEpoch: get().relayoutEpoch + 1 });
    },
    directionChosen(dir) {
      set({ direction: dir });
    },
    relayout: () => set({ relayoutEpoch: get().relayoutEpoch + 1 }),
    requestFit: () => set({ fitEpoch: get().fitEpoch + 1 }),
    setPaletteOpen: (open) => set({ paletteOpen: open }),
    resetView: () => set({ groups: null, focus: null, focusGroups: null, direction: null, view: null, groupsExplicit: false, directionExplicit: false }),
    graphArrived() {
      const s = get();
      // A focused node that left the graph (travelling back before it existed) ends the focus.
      if (s.focus && s.graph && !s.graph.nodes.some((n) => n.id === s.focus!.id)) recompute({ focus: null, focusGroups: null });
      else recompute();
    },
  };
}
