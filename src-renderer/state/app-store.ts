import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RetraceClient } from '../../shared/api';
import type { GraphDto, IngestProgressDto, NodeKind, RejectedPageDto, SnapshotDto, StatusDto } from '../../shared/dto';
import type { GraphDiffDto, Granularity } from '../../shared/lineage-dto';
import { AppError } from '../../shared/errors';
import { createInspectSlice, type InspectSlice } from './inspect-slice';
import { createRerunSlice, type RerunSlice } from './rerun-slice';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';
export type Theme = 'light' | 'dark';

/** Everything the views read. Topology (graph) is kept apart from display state (selection). */
export interface AppState extends InspectSlice, RerunSlice {
  status: StatusDto | null;
  graph: GraphDto | null;
  snapshots: SnapshotDto[];
  /** null = follow the newest snapshot (live). */
  snapshot: number | null;
  loadState: LoadState;
  error: { code: string; message: string } | null;
  selectedId: string | null;
  theme: Theme;
  /** Bumped by live updates so views can show "updated" without a reload. */
  liveUpdates: number;
  /** The newest ingest progress report while a backlog is being read; null when idle. */
  ingest: IngestProgressDto | null;
  /** Stages as nodes (default) or every run as a node. */
  granularity: Granularity;
  /** While travelling: what the shown snapshot added or changed since the one before it. */
  snapshotDiff: GraphDiffDto | null;
  /** Node kinds the graph leaves out (the legend toggles them). Code files are hidden at first: every stage reads them. */
  hiddenKinds: readonly NodeKind[];
  /** Which side panel is open. */
  panel: 'details' | 'rejected';
  rejected: RejectedPageDto | null;

  load(): Promise<void>;
  setSnapshot(seq: number | null): Promise<void>;
  select(id: string | null): void;
  setTheme(theme: Theme): void;
  toggleKind(kind: NodeKind): void;
  setGranularity(g: Granularity): Promise<void>;
  showPanel(panel: 'details' | 'rejected'): Promise<void>;
  /** Subscribes to the core's events; returns the unsubscribe function. */
  connectLive(): () => void;
}

/**
 * The one store, built from the API client it is given, so tests drive it with any client
 * (direct, HTTP, fake IPC) and no React. Newer loads supersede older ones (sequence number).
 */
export function createAppStore(client: RetraceClient, initialTheme: Theme = 'dark'): StoreApi<AppState> {
  let loadSeq = 0;
  return createStore<AppState>()((set, get) => {
    async function fetchGraph(snapshot: number | null): Promise<void> {
      const seq = ++loadSeq;
      set({ loadState: get().graph ? get().loadState : 'loading', error: null });
      try {
        const granularity = get().granularity;
        const [status, snapshots, graph] = await Promise.all([
          client.getStatus({}),
          client.listSnapshots({}),
          client.getGraph(snapshot === null ? { granularity } : { snapshot, granularity }),
        ]);
        if (seq !== loadSeq) return; // a newer request won
        const selectedId = get().selectedId;
        const stillThere = selectedId !== null && graph.nodes.some((n) => n.id === selectedId);
        set({ status, snapshots, graph, loadState: 'ready', selectedId: stillThere ? selectedId : null, overlay: null, snapshotDiff: null });
        // Travelling: mark what this snapshot brought, compared with the one before it.
        const prev = snapshot === null ? undefined : snapshots[snapshots.findIndex((s) => s.seq === snapshot) - 1];
        if (prev) {
          void client.diffSnapshots({ from: prev.seq, to: snapshot! }).then((d) => {
            if (seq === loadSeq) set({ snapshotDiff: d });
          }, () => undefined);
        }
        // The selected node's details follow the snapshot (its footprint as of then).
        void get().inspect();
      } catch (err) {
        if (seq !== loadSeq) return;
        const e = err instanceof AppError ? { code: err.code, message: err.message } : { code: 'INTERNAL', message: String(err) };
        set({ loadState: 'error', error: e });
      }
    }

    return {
      ...createInspectSlice(client, set, get),
      ...createRerunSlice(client, set, get),
      status: null,
      graph: null,
      snapshots: [],
      snapshot: null,
      loadState: 'idle',
      error: null,
      selectedId: null,
      theme: initialTheme,
      liveUpdates: 0,
      ingest: null,
      hiddenKinds: ['code'],
      granularity: 'job',
      snapshotDiff: null,
      panel: 'details',
      rejected: null,

      load: () => fetchGraph(get().snapshot),
      setSnapshot: async (seq) => {
        set({ snapshot: seq });
        await fetchGraph(seq);
      },
      select: (id) => {
        if (id === get().selectedId) return;
        set({ selectedId: id, overlay: null, details: null, panel: 'details' });
        void get().inspect();
      },
      setTheme: (theme) => set({ theme }),
      setGranularity: async (g) => {
        set({ granularity: g, selectedId: null, details: null, overlay: null });
        await fetchGraph(get().snapshot);
      },
      toggleKind: (kind) => {
        const hidden = get().hiddenKinds;
        set({ hiddenKinds: hidden.includes(kind) ? hidden.filter((k) => k !== kind) : [...hidden, kind] });
      },
      showPanel: async (panel) => {
        set({ panel });
        if (panel === 'rejected') {
          try {
            set({ rejected: await client.listRejected({ limit: 500 }) });
          } catch (err) {
            set({ error: { code: err instanceof AppError ? err.code : 'INTERNAL', message: String((err as Error).message ?? err) } });
          }
        }
      },
      connectLive: () => {
        const offGraph = client.on('onGraphChanged', () => {
          set({ liveUpdates: get().liveUpdates + 1 });
          // Only a live view follows new history; a pinned snapshot stays where the user put it.
          if (get().snapshot === null) void fetchGraph(null);
          else void client.listSnapshots({}).then((snapshots) => set({ snapshots }));
          if (get().panel === 'rejected') void get().showPanel('rejected');
        });
        const offProgress = client.on('onIngestProgress', (p) => set({ ingest: p.done ? null : p }));
        return () => {
          offGraph();
          offProgress();
        };
      },
    };
  });
}
