/**
 * The state of the workspace after a prefix of its history (DESIGN §4 "snapshot"): for every
 * artifact its current version, whether it still exists, and who wrote it last; for every job
 * its latest run. Replayed from the accesses up to the snapshot's event seq — never by
 * filtering today's state — so the graph at k is exactly what was known after commit k.
 * Staleness (DESIGN §4) is judged against such a state.
 */
import { OP } from './columns';
import type { LineageIndex } from './lineage-index';
import type { StaleReasonCode } from '../../../shared/lineage-dto';

export const ALIVE = 1;
export const DELETED = 2;

export class HistoryState {
  /** Last access id in force, and the last event seq. */
  readonly limit: number;
  /** Per file artifact: current version, the seq it became current, its last writer run, ALIVE/DELETED (0 = unseen). */
  readonly curVer: Int32Array;
  readonly curSeq: Int32Array;
  readonly curWriter: Int32Array;
  readonly state: Uint8Array;
  /** Artifacts seen in the prefix, in first-seen order. */
  readonly seen: number[] = [];
  /** Per job: its latest run (greatest first seq) that started by then. */
  readonly jobLatest = new Map<number, number>();
  /** Runs that started by then, in id order. */
  readonly runs: number[] = [];
  private staleByRun: Int8Array;

  constructor(
    private readonly ix: LineageIndex,
    /** Event seq of the snapshot (null = everything ingested). */
    readonly maxSeq: number | null,
  ) {
    const m = ix.meta;
    this.limit = maxSeq === null ? m.lastAccessId : ix.accessLimit(maxSeq);
    const n = m.lastArtifactId + 1;
    this.curVer = new Int32Array(n);
    this.curSeq = new Int32Array(n);
    this.curWriter = new Int32Array(n);
    this.state = new Uint8Array(n);
    this.staleByRun = new Int8Array(m.lastRunId + 1);
    const art = ix.accArt.data, op = ix.accOp.data, ver = ix.accVer.data, seq = ix.accSeq.data, run = ix.accRun.data;
    const rollup = ix.artRollup.data;
    for (let x = 1; x <= this.limit; x++) {
      const a = art[x]!;
      if (a === 0) continue; // an id gap
      if (this.state[a] === 0) this.seen.push(a);
      const o = op[x]!;
      if (o === OP.DELETE) {
        this.state[a] = DELETED;
        continue;
      }
      if (o === OP.OTHER) {
        if (this.state[a] === 0) this.state[a] = ALIVE;
        continue;
      }
      this.state[a] = ALIVE;
      // A file written or read inside a deleted artifact folder means the folder exists again.
      const up = rollup[a]!;
      if (up !== 0 && this.state[up] === DELETED) this.state[up] = ALIVE;
      // An observed version is the artifact's state from then on, even when only read.
      if (this.curVer[a] !== ver[x]) {
        this.curVer[a] = ver[x]!;
        this.curSeq[a] = seq[x]!;
      }
      if (o !== OP.READ) this.curWriter[a] = run[x]!;
      const src = o === OP.RENAME ? ix.renamedFrom(x) : 0;
      if (src !== 0) {
        if (this.state[src] === 0) this.seen.push(src);
        this.state[src] = DELETED;
      }
    }
    const firstSeq = ix.runFirstSeq.data, job = ix.runJob.data;
    for (let r = 1; r <= m.lastRunId; r++) {
      const fs = firstSeq[r]!;
      if (fs === 0 || (maxSeq !== null && fs > maxSeq)) continue;
      this.runs.push(r);
      const j = job[r]!;
      if (j === 0) continue;
      const cur = this.jobLatest.get(j);
      if (cur === undefined || firstSeq[cur]! <= fs) this.jobLatest.set(j, r);
    }
  }

  /** Whether run `r` had ended by then, and how (state code of its ending), else 0. */
  endedState(r: number): number {
    const end = this.ix.runEnd.data[r] ?? 0;
    if (end === 0) return 0;
    if (this.maxSeq !== null && this.ix.endEventSeq.data[end]! > this.maxSeq) return 0;
    return this.ix.endState.data[end]!;
  }

  /**
   * Why the versions run `producer` wrote are stale, as (code, input artifact or later run,
   * read version, current version). Empty = fresh. Per run, because every reason is.
   */
  staleReasons(producer: number): { code: StaleReasonCode; artifact: number; run: number; readVersion: number; currentVersion: number }[] {
    const ix = this.ix;
    const out: { code: StaleReasonCode; artifact: number; run: number; readVersion: number; currentVersion: number }[] = [];
    // The version of each input the run read last (a START may pin an earlier one than the footprint).
    const lastRead = new Map<number, [number, number]>();
    const next = ix.accNextInRun.data, op = ix.accOp.data, art = ix.accArt.data, ver = ix.accVer.data, seq = ix.accSeq.data;
    for (let x = ix.runHead.data[producer] ?? 0; x !== 0 && x <= this.limit; x = next[x]!) {
      if (op[x] === OP.READ) lastRead.set(art[x]!, [ver[x]!, seq[x]!]);
    }
    for (const [a, [v, s]] of lastRead) {
      if (this.state[a] === DELETED) out.push({ code: 'INPUT_DELETED', artifact: a, run: 0, readVersion: v, currentVersion: 0 });
      else if (this.curVer[a] !== v && this.curSeq[a]! > s && this.curWriter[a] !== producer) {
        out.push({ code: 'INPUT_NEWER', artifact: a, run: 0, readVersion: v, currentVersion: this.curVer[a]! });
      }
    }
    const latest = this.jobLatest.get(ix.runJob.data[producer] ?? 0);
    if (latest !== undefined && latest !== producer) {
      const code = ix.runCode.data, env = ix.runEnv.data;
      if (code[latest] && code[producer] && code[latest] !== code[producer]) {
        out.push({ code: 'CODE_CHANGED', artifact: 0, run: latest, readVersion: code[producer]!, currentVersion: code[latest]! });
      }
      if (env[latest] && env[producer] && env[latest] !== env[producer]) {
        out.push({ code: 'ENVIRONMENT_CHANGED', artifact: 0, run: latest, readVersion: env[producer]!, currentVersion: env[latest]! });
      }
    }
    return out;
  }

  /** Whether the versions `producer` wrote are stale (cached per run; no allocation, since the graph asks for every run). */
  isStaleRun(producer: number): boolean {
    if (producer === 0) return false;
    let s = this.staleByRun[producer]!;
    if (s === 0) {
      s = this.staleFast(producer) ? 2 : 1;
      this.staleByRun[producer] = s;
    }
    return s === 2;
  }

  private staleFast(producer: number): boolean {
    const ix = this.ix;
    const next = ix.accNextInRun.data, op = ix.accOp.data, art = ix.accArt.data, ver = ix.accVer.data, seq = ix.accSeq.data;
    const head = ix.runHead.data[producer] ?? 0;
    for (let x = head; x !== 0 && x <= this.limit; x = next[x]!) {
      if (op[x] !== OP.READ) continue;
      const a = art[x]!;
      // Only the run's last read of an artifact counts (a START may pin an earlier version).
      let later = false;
      for (let y = next[x]!; y !== 0 && y <= this.limit; y = next[y]!) if (op[y] === OP.READ && art[y] === a) later = true;
      if (later) continue;
      if (this.state[a] === DELETED) return true;
      if (this.curVer[a] !== ver[x] && this.curSeq[a]! > seq[x]! && this.curWriter[a] !== producer) return true;
    }
    const latest = this.jobLatest.get(ix.runJob.data[producer] ?? 0);
    if (latest !== undefined && latest !== producer) {
      const code = ix.runCode.data, env = ix.runEnv.data;
      if (code[latest] && code[producer] && code[latest] !== code[producer]) return true;
      if (env[latest] && env[producer] && env[latest] !== env[producer]) return true;
    }
    return false;
  }

  /** Whether version `v` is stale: its producing run's inputs, code or environment moved on. */
  isStaleVersion(v: number): boolean {
    return this.isStaleRun(this.ix.verProducer.data[v] ?? 0);
  }
}
