import type { StoreApi } from 'zustand/vanilla';
import type { RetraceClient } from '../../shared/api';
import type { GraphDto, IngestProgressDto, NodeKind, SnapshotDto, StatusDto } from '../../shared/dto';
import { AppError } from '../../shared/errors';
import type { GraphDiffDto, Granularity } from '../../shared/lineage-dto';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

/** The lineage graph as the core gives it, at the snapshot the user is looking at. */
export interface GraphSlice {
  status: StatusDto | null;
  graph: GraphDto | null;
  snapshots: SnapshotDto[];
  /** null = follow the newest snapshot (live). */
  snapshot: number | null;
  loadState: LoadState;
  error: { code: string; message: string } | null;
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

  load(): Promise<void>;
  setSnapshot(seq: number | null): Promise<void>;
  toggleKind(kind: NodeKind): void;
  setGranularity(g: Granularity): Promise<void>;
  /** Subscribes to the core's events; returns the unsubscribe function. */
  connectLive(): () => void;
}

/** What this slice needs from the rest of the store. */
interface GraphDeps {
  selectedId: string | null;
  /** Called after every new graph, so views derived from it follow. */
  graphArrived(): void;
  resetView(): void;
  /** The selected node's details follow the snapshot. */
  inspect(): Promise<void>;
  panel: string;
  showPanel(panel: 'rejected'): Promise<void>;
}

type Host = GraphSlice & GraphDeps;

/** Timeline marks (performance.mark) the benchmark reads through the automation handle. */
export function mark(name: string): void {
  globalThis.performance?.mark?.(`retrace:${name}`);
}

export function createGraphSlice(client: RetraceClient, set: StoreApi<Host>['setState'], get: StoreApi<Host>['getState']): GraphSlice {
  let loadSeq = 0;
  /** When the last load of the graph, status and snapshot list began (ms). */
  let fullLoadStartedAt = 0;
  /** Loads the graph at a snapshot; `full` also refreshes status and the snapshot list. */
  async function fetchGraph(snapshot: number | null, full: boolean): Promise<void> {
    const seq = ++loadSeq;
    if (full) fullLoadStartedAt = Date.now();
    set({ loadState: get().graph ? get().loadState : 'loading', error: null });
    try {
      const granularity = get().granularity;
      // The graph is asked first and drawn as soon as it comes (the server answers in order, and
      // a large workspace's snapshot list costs as much as its graph); the header counts, which
      // follow the snapshot shown, and the snapshot list arrive right after.
      const graphAsked = client.getGraph(snapshot === null ? { granularity } : { snapshot, granularity });
      const statusAsked = full || snapshot !== null || (get().status?.snapshot ?? null) !== null ? client.getStatus(snapshot === null ? {} : { snapshot }) : Promise.resolve(get().status);
      const snapshotsAsked = full ? client.listSnapshots({}) : Promise.resolve(get().snapshots);
      // Handled below; marked now so a failure while the graph is on its way is not "unhandled".
      statusAsked.catch(() => undefined);
      snapshotsAsked.catch(() => undefined);
      const graph = await graphAsked;
      if (seq !== loadSeq) return; // a newer request won
      mark('graph-loaded');
      const selectedId = get().selectedId;
      const stillThere = selectedId === null || selectedId.startsWith('group:') || graph.nodes.some((n) => n.id === selectedId);
      set({ graph, loadState: 'ready', snapshotDiff: null, ...(stillThere ? {} : { selectedId: null }) });
      get().graphArrived();
      const [status, snapshots] = await Promise.all([statusAsked, snapshotsAsked]);
      if (seq !== loadSeq) return;
      set({ status, snapshots });
      // Travelling: mark what this snapshot brought, compared with the one before it.
      const prev = snapshot === null ? undefined : snapshots[snapshots.findIndex((s) => s.seq === snapshot) - 1];
      if (prev) {
        void client.diffSnapshots({ from: prev.seq, to: snapshot! }).then((d) => {
          if (seq === loadSeq) set({ snapshotDiff: d });
        }, () => undefined);
      }
      void get().inspect();
    } catch (err) {
      if (seq !== loadSeq) return;
      const e = err instanceof AppError ? { code: err.code, message: err.message } : { code: 'INTERNAL', message: String(err) };
      set({ loadState: 'error', error: e });
    }
  }

  return {
    status: null,
    graph: null,
    snapshots: [],
    snapshot: null,
    loadState: 'idle',
    error: null,
    liveUpdates: 0,
    ingest: null,
    hiddenKinds: ['code'],
    granularity: 'job',
    snapshotDiff: null,

    load: () => fetchGraph(get().snapshot, true),
    setSnapshot: async (seq) => {
      if (seq === get().snapshot && get().graph) return;
      set({ snapshot: seq });
      await fetchGraph(seq, get().status === null);
    },
    setGranularity: async (g) => {
      if (g === get().granularity) return;
      // Runs as nodes: each run's label names its stage, so stage nodes, their environments and
      // code would only add a line from every run; they start hidden (the legend shows them).
      set({ granularity: g, selectedId: null, hiddenKinds: g === 'run' ? ['code', 'environment', 'job'] : ['code'] });
      get().resetView();
      await fetchGraph(get().snapshot, false);
    },
    toggleKind: (kind) => {
      const hidden = get().hiddenKinds;
      set({ hiddenKinds: hidden.includes(kind) ? hidden.filter((k) => k !== kind) : [...hidden, kind] });
      get().graphArrived();
    },
    connectLive: () => {
      const offGraph = client.on('onGraphChanged', (change) => {
        // A change committed before the last full load began is in it already (a socket that
        // opens late is sent the last change again).
        if (Date.parse(change.at) < fullLoadStartedAt) return;
        set({ liveUpdates: get().liveUpdates + 1 });
        // Only a live view follows new history; a pinned snapshot stays where the user put it.
        if (get().snapshot === null) void fetchGraph(null, true);
        else void Promise.all([client.listSnapshots({}), client.getStatus({})]).then(([snapshots, status]) => set({ snapshots, status }));
        if (get().panel === 'rejected') void get().showPanel('rejected');
      });
      const offProgress = client.on('onIngestProgress', (p) => set({ ingest: p.done ? null : p }));
      return () => {
        offGraph();
        offProgress();
      };
    },
  };
}
