import type { StoreApi } from 'zustand/vanilla';
import type { RetraceClient } from '../../shared/api';
import type { GraphDto, SnapshotDto } from '../../shared/dto';
import { AppError } from '../../shared/errors';
import type { GraphDiffDto, Granularity } from '../../shared/lineage-dto';

/**
 * Comparing two snapshots: A (`from`) and the shown snapshot B. The graph shows B with what A
 * had and B lost as ghosts; marks say added / removed / changed; "play" steps from A to B.
 */
export interface CompareSlice {
  compare: { readonly from: number; readonly base: GraphDto | null; readonly diff: GraphDiffDto | null; readonly error: string | null } | null;
  playing: { readonly stepsPerSecond: number } | null;
  startCompare(from?: number): Promise<void>;
  setCompareFrom(from: number): Promise<void>;
  stopCompare(): void;
  play(stepsPerSecond?: number): void;
  pause(): void;
}

interface CompareDeps {
  snapshots: SnapshotDto[];
  snapshot: number | null;
  granularity: Granularity;
  graph: GraphDto | null;
  setSnapshot(seq: number | null): Promise<void>;
  graphArrived(): void;
}

type Host = CompareSlice & CompareDeps;

/** B's graph plus the nodes and edges only A had (the ghosts of what was removed). */
export function mergeForCompare(b: GraphDto, a: GraphDto | null): GraphDto {
  if (!a) return b;
  const ids = new Set(b.nodes.map((n) => n.id));
  const gone = a.nodes.filter((n) => !ids.has(n.id));
  if (!gone.length) return b;
  const all = new Set([...ids, ...gone.map((n) => n.id)]);
  const edgeIds = new Set(b.edges.map((e) => e.id));
  const goneEdges = a.edges.filter((e) => !edgeIds.has(e.id) && all.has(e.source) && all.has(e.target));
  return { snapshot: b.snapshot, nodes: [...b.nodes, ...gone], edges: [...b.edges, ...goneEdges] };
}

export function createCompareSlice(client: RetraceClient, set: StoreApi<Host>['setState'], get: StoreApi<Host>['getState']): CompareSlice {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let seq = 0;
  const message = (err: unknown) => (err instanceof AppError ? err.message : String((err as Error)?.message ?? err));
  const refresh = async () => {
    const mine = ++seq;
    const c = get().compare;
    if (!c) return;
    const to = get().snapshot ?? undefined;
    try {
      const [base, diff] = await Promise.all([
        c.base && c.base.snapshot === c.from ? Promise.resolve(c.base) : client.getGraph({ snapshot: c.from, granularity: get().granularity }),
        client.diffSnapshots({ from: c.from, granularity: get().granularity, ...(to === undefined ? {} : { to }) }),
      ]);
      if (mine !== seq || !get().compare) return;
      set({ compare: { from: c.from, base, diff, error: null } });
      get().graphArrived();
    } catch (err) {
      if (mine === seq && get().compare) set({ compare: { ...get().compare!, error: message(err) } });
    }
  };
  const stop = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return {
    compare: null,
    playing: null,
    async startCompare(from) {
      const { snapshots, snapshot } = get();
      if (snapshots.length < 2) return;
      const b = snapshot ?? snapshots.at(-1)!.seq;
      const before = snapshots.filter((s) => s.seq < b);
      const a = from ?? before.at(-1)?.seq ?? snapshots[0]!.seq;
      set({ compare: { from: a, base: null, diff: null, error: null } });
      await refresh();
    },
    async setCompareFrom(from) {
      if (!get().compare) return;
      set({ compare: { from, base: null, diff: null, error: null } });
      await refresh();
    },
    stopCompare() {
      stop();
      ++seq;
      set({ compare: null, playing: null });
      get().graphArrived();
    },
    play(stepsPerSecond = 2) {
      const c = get().compare;
      if (!c) return;
      stop();
      const target = get().snapshot ?? get().snapshots.at(-1)!.seq;
      const path = get().snapshots.filter((s) => s.seq > c.from && s.seq <= target).map((s) => s.seq);
      if (!path.length) return;
      set({ playing: { stepsPerSecond } });
      let i = 0;
      const last = get().snapshots.at(-1)!.seq;
      const step = async () => {
        if (!get().playing) return;
        const seqNow = path[i++]!;
        await get().setSnapshot(seqNow === last ? null : seqNow);
        await refresh();
        if (i < path.length && get().playing) timer = setTimeout(() => void step(), 1000 / (get().playing?.stepsPerSecond ?? stepsPerSecond));
        else set({ playing: null });
      };
      // Start from A itself, so the play shows every step that led to B.
      void get().setSnapshot(c.from).then(() => refresh()).then(() => {
        timer = setTimeout(() => void step(), 1000 / stepsPerSecond);
      });
    },
    pause() {
      stop();
      set({ playing: null });
    },
  };
}
