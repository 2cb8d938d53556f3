/**
 * The order of a re-run plan: which stage waits for which, as a DAG, and a topological order of
 * it. Pure: stages are given by what they read and write (artifact ids) and when they first ran.
 *
 * A waits for B when B writes something A reads (B's new output is A's input), and when both
 * write the same artifact and B ran first (the last writer stays last). Real pipelines can
 * loop across versions (a stage that reads back what a later one wrote); such a cycle is cut
 * by the original order, so every plan is acyclic and deterministic.
 */
export interface DagStage {
  readonly id: string;
  /** When the repeated run first appeared in the history (tie-breaker and cycle cutter). */
  readonly seq: number;
  readonly reads: ReadonlySet<number>;
  readonly writes: ReadonlySet<number>;
}

export interface PlanDag {
  /** Topological order (ids). */
  readonly order: string[];
  /** Every edge kept after cutting cycles: stage id → ids it waits for. */
  readonly waitsFor: ReadonlyMap<string, ReadonlySet<string>>;
  /** The transitively reduced edges (what to draw). */
  readonly after: ReadonlyMap<string, string[]>;
  readonly level: ReadonlyMap<string, number>;
  /** For each edge kept, one artifact that links the two stages (reader id → writer id → artifact). */
  readonly via: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export function buildPlanDag(stages: readonly DagStage[]): PlanDag {
  const waits = new Map<string, Set<string>>(stages.map((s) => [s.id, new Set()]));
  const via = new Map<string, Map<string, number>>(stages.map((s) => [s.id, new Map()]));
  for (const a of stages) {
    for (const b of stages) {
      if (a === b) continue;
      const fed = first(b.writes, (x) => a.reads.has(x));
      if (fed !== undefined) {
        waits.get(a.id)!.add(b.id);
        via.get(a.id)!.set(b.id, fed);
        continue;
      }
      const both = first(b.writes, (x) => a.writes.has(x));
      if (both !== undefined && earlier(b, a)) {
        waits.get(a.id)!.add(b.id);
        via.get(a.id)!.set(b.id, both);
      }
    }
  }
  // Kahn's algorithm, always taking the earliest-run ready stage; when none is ready (a cycle),
  // the earliest-run remaining stage goes next and its waits on the remaining ones are dropped.
  const order: string[] = [];
  const done = new Set<string>();
  const remaining = [...stages].sort((x, y) => x.seq - y.seq || (x.id < y.id ? -1 : 1));
  while (remaining.length) {
    let i = remaining.findIndex((s) => [...waits.get(s.id)!].every((w) => done.has(w)));
    if (i < 0) {
      i = 0;
      const s = remaining[0]!;
      for (const w of [...waits.get(s.id)!]) {
        if (!done.has(w)) {
          waits.get(s.id)!.delete(w);
          via.get(s.id)!.delete(w);
        }
      }
    }
    const [s] = remaining.splice(i, 1);
    order.push(s!.id);
    done.add(s!.id);
  }
  const level = new Map<string, number>();
  for (const id of order) level.set(id, Math.max(-1, ...[...waits.get(id)!].map((w) => level.get(w)!)) + 1);
  return { order, waitsFor: waits, after: reduce(order, waits), level, via };
  function earlier(x: DagStage, y: DagStage): boolean {
    return x.seq < y.seq || (x.seq === y.seq && x.id < y.id);
  }
}

/** Everything that (transitively) waits for one of `roots`. */
export function descendantsOf(roots: Iterable<string>, waitsFor: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const out = new Set<string>();
  const frontier = [...roots];
  while (frontier.length) {
    const r = frontier.pop()!;
    for (const [id, ws] of waitsFor) {
      if (!out.has(id) && ws.has(r)) {
        out.add(id);
        frontier.push(id);
      }
    }
  }
  return out;
}

/** Drops an edge a→c when c is reachable through another edge a→b (b waits for c). */
function reduce(order: readonly string[], waits: ReadonlyMap<string, ReadonlySet<string>>): Map<string, string[]> {
  const reach = new Map<string, Set<string>>();
  for (const id of order) {
    const r = new Set<string>();
    for (const w of waits.get(id)!) {
      r.add(w);
      for (const x of reach.get(w)!) r.add(x);
    }
    reach.set(id, r);
  }
  const out = new Map<string, string[]>();
  for (const id of order) {
    const ws = [...waits.get(id)!];
    out.set(id, order.filter((w) => ws.includes(w) && !ws.some((o) => o !== w && reach.get(o)!.has(w))));
  }
  return out;
}

function first<T>(set: ReadonlySet<T>, pred: (x: T) => boolean): T | undefined {
  for (const x of set) if (pred(x)) return x;
  return undefined;
}
