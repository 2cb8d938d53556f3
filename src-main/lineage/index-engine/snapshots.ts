/**
 * The snapshot list (DESIGN §4): every run ending, merged with table commits when a provider
 * gives them, ordered by the global event seq they happened at and numbered 1..n. With run
 * endings alone the numbers equal `run_endings.seq`. A snapshot's history is every event with
 * seq ≤ its `eventSeq`.
 */
import type { SnapshotDto } from '../../../shared/dto';
import { AppError } from '../../../shared/errors';
import { type Catalog, shortRunId } from './catalog';
import { RUN_STATE_NAMES } from './columns';
import type { LineageIndex } from './lineage-index';

/** A table commit as a snapshot source (the commit store can provide these later). */
export interface TableCommitSnapshot {
  /** Commit time, epoch ms. */
  readonly at: number;
  /** e.g. "features v3 (WRITE)". */
  readonly label: string;
  /** The provenance event seq the commit happened after (0 = before any event). */
  readonly eventSeq: number;
  /** Which table and commit, with its row counts (what a snapshot compare lists). */
  readonly table?: TableCommitFacts;
}

export interface TableCommitFacts {
  /** The table's artifact id. */
  readonly artifactId: number;
  readonly version: number;
  readonly operation: string;
  readonly rowsInserted: number;
  readonly rowsUpdated: number;
  readonly rowsDeleted: number;
}

export interface SnapshotEntry extends SnapshotDto {
  readonly eventSeq: number;
  readonly atMs: number;
  /** The ending run (kind run). */
  readonly runId?: number;
  /** The table commit (kind commit), when its source named it. */
  readonly table?: TableCommitFacts;
}

export function buildSnapshots(ix: LineageIndex, cat: Catalog, commits: readonly TableCommitSnapshot[]): SnapshotEntry[] {
  const ordinal = runOrdinals(ix);
  const raw: Omit<SnapshotEntry, 'seq'>[] = [];
  for (let e = 1; e <= ix.meta.lastEnding; e++) {
    const r = ix.endRun.data[e]!;
    if (r === 0) continue;
    const job = cat.job(ix.runJob.data[r]!);
    const state = RUN_STATE_NAMES[ix.endState.data[e]!]!;
    const name = job ? `${job.name} #${ordinal[r]}` : shortRunId(cat.run(r).uuid);
    const atMs = ix.endAt.data[e]!;
    raw.push({ eventSeq: ix.endEventSeq.data[e]!, atMs, at: new Date(atMs).toISOString(), kind: 'run', runId: r,
      label: state === 'COMPLETE' ? name : `${name} (${state})` });
  }
  for (const c of commits) raw.push({ eventSeq: c.eventSeq, atMs: c.at, at: new Date(c.at).toISOString(), kind: 'commit', label: c.label, ...(c.table ? { table: c.table } : {}) });
  // Stable: run endings keep their order; a commit after the same event comes after the ending.
  raw.sort((a, b) => a.eventSeq - b.eventSeq || (a.kind === b.kind ? 0 : a.kind === 'run' ? -1 : 1));
  return raw.map((s, i) => ({ ...s, seq: i + 1 }));
}

/** Per run id: its ordinal within its job (1 = the job's first run), by run id. */
export function runOrdinals(ix: LineageIndex): Int32Array {
  const out = new Int32Array(ix.meta.lastRunId + 1);
  const perJob = new Map<number, number>();
  for (let r = 1; r <= ix.meta.lastRunId; r++) {
    const j = ix.runJob.data[r]!;
    const k = (perJob.get(j) ?? 0) + 1;
    perJob.set(j, k);
    out[r] = k;
  }
  return out;
}

/** The event seq of snapshot `seq`, or a NOT_FOUND error naming the valid range. */
export function eventSeqOf(list: readonly SnapshotEntry[], seq: number): number {
  const s = list[seq - 1];
  if (!s || !Number.isInteger(seq)) {
    throw new AppError('NOT_FOUND', list.length === 0
      ? `Snapshot ${seq} does not exist; the workspace has no snapshots yet.`
      : `Snapshot ${seq} does not exist; snapshots run from 1 to ${list.length}.`);
  }
  return s.eventSeq;
}

/** The last snapshot at or before `atMs` (greatest seq whose time is ≤ atMs), or null. */
export function snapshotAsOf(list: readonly SnapshotEntry[], atMs: number): number | null {
  let best: number | null = null;
  for (const s of list) if (s.atMs <= atMs) best = s.seq;
  return best;
}

export function toDto(s: SnapshotEntry): SnapshotDto {
  return { seq: s.seq, at: s.at, kind: s.kind, label: s.label };
}
