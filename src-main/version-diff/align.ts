import type { IoEntry } from '../repro/run-io';
import type { Chain, ChainRun } from './chain';

/**
 * How the two chains line up. From the runs that made the two versions, walk back in step:
 * two runs are aligned when they are runs of the same stage (job name) that made corresponding
 * versions — the two versions asked about, or corresponding inputs of an aligned pair. Inputs
 * correspond by path, or by role: the same path but for its numbers
 * (`churn_td_2/train.csv` ↔ `churn_td_4/train.csv`), when exactly one input on each side has
 * that role. The walk stops where both sides read the very same version (the history behind it
 * is shared) and does not follow a stage's own earlier state (a table it updates in place: its
 * earlier commits are the table's history, shown as commits, not stage pairs to compare).
 */
export interface RunPair {
  readonly a: ChainRun;
  readonly b: ChainRun;
}

export interface InputPair {
  readonly a: IoEntry | null;
  readonly b: IoEntry | null;
}

export function alignChains(a: Chain, b: Chain): RunPair[] {
  const pairs: RunPair[] = [];
  const seen = new Set<string>();
  const queue: RunPair[] = pairByJob(a.heads, b.heads);
  while (queue.length) {
    const p = queue.shift()!;
    const key = `${p.a.id}:${p.b.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push(p);
    for (const i of alignInputs([...p.a.io.reads.values()], [...p.b.io.reads.values()])) {
      if (!i.a || !i.b || i.a.version === i.b.version) continue;
      if (p.a.io.writes.has(i.a.artifactId) || p.b.io.writes.has(i.b.artifactId)) continue; // its own state
      const ra = i.a.producer === null ? undefined : a.runs.get(i.a.producer);
      const rb = i.b.producer === null ? undefined : b.runs.get(i.b.producer);
      if (ra && rb && ra.io.jobName !== null && ra.io.jobName === rb.io.jobName) queue.push({ a: ra, b: rb });
    }
  }
  return pairs;
}

/** Runs of the same job, paired in time order; runs without a partner are left out. */
function pairByJob(as: readonly ChainRun[], bs: readonly ChainRun[]): RunPair[] {
  const byJob = (rs: readonly ChainRun[]) => {
    const m = new Map<string, ChainRun[]>();
    for (const r of [...rs].sort((x, y) => x.io.firstSeq - y.io.firstSeq)) if (r.io.jobName) m.set(r.io.jobName, [...(m.get(r.io.jobName) ?? []), r]);
    return m;
  };
  const ja = byJob(as);
  const jb = byJob(bs);
  const out: RunPair[] = [];
  for (const [job, ras] of ja) {
    const rbs = jb.get(job) ?? [];
    for (let i = 0; i < Math.min(ras.length, rbs.length); i++) out.push({ a: ras[i]!, b: rbs[i]! });
  }
  return out;
}

/** The role of a path: its numbers masked, so versioned folders and dated files line up. */
export const roleOf = (label: string): string => label.replace(/\d+/g, '#');

/** Inputs of two runs side by side: by path first, then by role when it is unambiguous. */
export function alignInputs(as: readonly IoEntry[], bs: readonly IoEntry[]): InputPair[] {
  const out: InputPair[] = [];
  const bByLabel = new Map(bs.map((e) => [e.label, e]));
  const restA: IoEntry[] = [];
  const matchedB = new Set<string>();
  for (const e of as) {
    const other = bByLabel.get(e.label);
    if (other) {
      out.push({ a: e, b: other });
      matchedB.add(e.label);
    } else restA.push(e);
  }
  const restB = bs.filter((e) => !matchedB.has(e.label));
  const group = (es: readonly IoEntry[]) => {
    const m = new Map<string, IoEntry[]>();
    for (const e of es) m.set(roleOf(e.label), [...(m.get(roleOf(e.label)) ?? []), e]);
    return m;
  };
  const ga = group(restA);
  const gb = group(restB);
  for (const [role, list] of ga) {
    const other = gb.get(role);
    if (list.length === 1 && other?.length === 1) {
      out.push({ a: list[0]!, b: other[0]! });
      gb.delete(role);
    } else for (const e of list) out.push({ a: e, b: null });
  }
  for (const list of gb.values()) for (const e of list) out.push({ a: null, b: e });
  return out.sort((x, y) => ((x.b ?? x.a)!.label < (y.b ?? y.a)!.label ? -1 : 1));
}
