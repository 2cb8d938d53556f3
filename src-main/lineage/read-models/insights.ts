/**
 * The paper's three questions as ready queries (notes/hopsworks-provenance.md §1.6): the most
 * used datasets (distinct consuming runs), the most recent pipeline that used dataset X, and
 * who ran the latest version of pipeline P successfully (and when).
 */
import { NODE_KINDS, type NodeKind } from '../../../shared/dto';
import { AppError } from '../../../shared/errors';
import { OP, RUN_STATE_NAMES } from '../index-engine/columns';
import type { LineageEngine } from './lineage-engine';
import type { LatestPipelineDto, MostUsedDto, WhoRanDto } from '../../../shared/lineage-dto';

/** Kinds counted as "datasets" by default (models, code and environments are left out). */
export const DATASET_KINDS: readonly NodeKind[] = ['dataset', 'feature_group', 'training_dataset', 'file'];

export interface MostUsedOptions {
  readonly limit?: number;
  /** Kinds to rank (default: DATASET_KINDS). */
  readonly kinds?: readonly NodeKind[];
  /** As of this snapshot: only reads recorded by then count. */
  readonly snapshot?: number;
  /** Time window, epoch ms, both ends included: only runs that started in it count as readers. */
  readonly since?: number;
  readonly until?: number;
}

/**
 * Artifacts (rolled up) by how many distinct runs read any version of them, most first. With a
 * time window, a reading run counts when it started inside the window (its START time, else its
 * first recorded event), so "most used last week" counts last week's runs.
 */
export function mostUsed(engine: LineageEngine, opts: MostUsedOptions = {}): MostUsedDto[] {
  engine.refresh();
  const ix = engine.index;
  const limit = engine.accessLimit(opts.snapshot);
  const n = ix.meta.lastArtifactId + 1;
  const readers = new Int32Array(n);
  const lastReader = new Int32Array(n);
  const inWindow = runsStartedBetween(engine, opts.since, opts.until);
  const art = ix.accArt.data, run = ix.accRun.data, op = ix.accOp.data, rollup = ix.artRollup.data;
  for (let x = 1; x <= limit; x++) {
    if (op[x] !== OP.READ || run[x] === 0) continue;
    if (inWindow && inWindow[run[x]!] === 0) continue;
    const key = rollup[art[x]!] || art[x]!;
    // Each (artifact, run) pair once: a run's accesses may interleave with others', so remember per artifact.
    if (lastReader[key] === run[x]) continue;
    lastReader[key] = run[x]!;
    readers[key]!++;
  }
  // lastReader only dedupes consecutive reads; recount exactly for the candidates.
  const kinds = new Set<string>(opts.kinds ?? DATASET_KINDS);
  const candidates: number[] = [];
  for (let a = 1; a < n; a++) if (readers[a]! > 0 && kinds.has(NODE_KINDS[ix.artKind.data[a]!]!)) candidates.push(a);
  const exact = exactReaders(engine, candidates, limit, inWindow);
  const top = candidates.sort((a, b) => exact.get(b)! - exact.get(a)! || a - b).slice(0, Math.max(1, opts.limit ?? 10));
  return top.map((a) => {
    const rec = engine.catalog.artifact(a);
    return { artifact: rec.label, id: rec.nodeId, kind: rec.kind, readers: exact.get(a)! };
  });
}

/** Per run id: 1 when the run started inside [since, until] (null = no window). */
function runsStartedBetween(engine: LineageEngine, since: number | undefined, until: number | undefined): Uint8Array | null {
  if (since === undefined && until === undefined) return null;
  if (since !== undefined && until !== undefined && since > until) {
    throw new AppError('INVALID_ARGUMENT', `The window starts (${new Date(since).toISOString()}) after it ends (${new Date(until).toISOString()}).`);
  }
  const mask = new Uint8Array(engine.index.meta.lastRunId + 1);
  const ids = engine.db.prepare('SELECT id FROM runs WHERE coalesce(started_at, ended_at, last_event_at) BETWEEN ? AND ?').pluck()
    .all(since ?? -8.64e15, until ?? 8.64e15) as number[];
  for (const id of ids) if (id < mask.length) mask[id] = 1;
  return mask;
}

function exactReaders(engine: LineageEngine, candidates: readonly number[], limit: number, inWindow: Uint8Array | null): Map<number, number> {
  const ix = engine.index;
  const want = new Uint8Array(ix.meta.lastArtifactId + 1);
  for (const a of candidates) want[a] = 1;
  const sets = new Map<number, Set<number>>(candidates.map((a) => [a, new Set<number>()]));
  const art = ix.accArt.data, run = ix.accRun.data, op = ix.accOp.data, rollup = ix.artRollup.data;
  for (let x = 1; x <= limit; x++) {
    if (op[x] !== OP.READ || run[x] === 0) continue;
    if (inWindow && inWindow[run[x]!] === 0) continue;
    const key = rollup[art[x]!] || art[x]!;
    if (want[key]) sets.get(key)!.add(run[x]!);
  }
  return new Map([...sets].map(([a, s]) => [a, s.size]));
}

/**
 * The most recent run that read `dataset` (any version, any file in it), and the pipeline it
 * belonged to; as of a snapshot, only reads recorded by then count.
 */
export function latestPipelineUsing(engine: LineageEngine, dataset: string, opts: { snapshot?: number } = {}): LatestPipelineDto {
  engine.refresh();
  const ix = engine.index;
  const a = engine.resolveArtifact(dataset);
  const limit = engine.accessLimit(opts.snapshot);
  const art = ix.accArt.data, run = ix.accRun.data, op = ix.accOp.data, rollup = ix.artRollup.data;
  let consumer = 0;
  for (let x = limit; x >= 1; x--) {
    if (op[x] === OP.READ && run[x] !== 0 && (art[x] === a || rollup[art[x]!] === a)) {
      consumer = run[x]!;
      break;
    }
  }
  const label = engine.catalog.artifact(a).label;
  if (consumer === 0) throw new AppError('NOT_FOUND', `No run has read ${label}${opts.snapshot === undefined ? ' yet' : ` by snapshot ${opts.snapshot}`}.`);
  const cat = engine.catalog;
  // Walk up the parent chain to the pipeline run (guarding against a malformed cycle).
  let root = consumer;
  let pipelineFromFacet: string | null = null;
  for (let hops = 0; hops < 64; hops++) {
    const parent = cat.run(root).parentUuid;
    if (!parent) break;
    const pid = cat.runIdByUuid(parent);
    if (pid === undefined) {
      pipelineFromFacet = engine.catalog.parentJobFromFacets(root);
      break;
    }
    if (pid === root) break;
    root = pid;
  }
  const rootRec = cat.run(root);
  const pipelineRun = pipelineFromFacet !== null ? cat.run(root).parentUuid! : rootRec.uuid;
  const rootJob = pipelineFromFacet === null ? cat.job(ix.runJob.data[root]!) : null;
  return {
    pipeline: pipelineFromFacet ?? cat.jobLabelOfRun(root) ?? rootRec.uuid,
    pipelineId: rootJob ? rootJob.nodeId : null,
    run: pipelineRun,
    consumerRun: cat.run(consumer).uuid,
    consumerJob: cat.jobLabelOfRun(consumer),
    at: new Date(runTimeAt(engine, consumer, opts.snapshot)).toISOString(),
  };
}

/** When a run happened as of a snapshot: its end when it had ended by then, else its start. */
function runTimeAt(engine: LineageEngine, r: number, snapshot: number | undefined): number {
  const c = engine.catalog.run(r);
  const ended = snapshot === undefined ? c.endedAt !== null : engine.history(snapshot).endedState(r) !== 0;
  return (ended ? c.endedAt : null) ?? c.startedAt ?? c.lastEventAt;
}

/**
 * Who ran the latest version of pipeline (job) `pipeline` successfully, and when: the latest
 * version is the code version of the job's most recent run that recorded one (all runs when
 * none did); successful = COMPLETE. Newest first. As of a snapshot, only runs that had started
 * by then set the latest version, and only those that had completed by then count.
 */
export function whoRan(engine: LineageEngine, pipeline: string, opts: { snapshot?: number } = {}): WhoRanDto[] {
  engine.refresh();
  const ix = engine.index;
  const job = engine.catalog.resolveJob(pipeline);
  const h = opts.snapshot === undefined ? null : engine.history(opts.snapshot);
  const runs: number[] = [];
  for (const r of h ? h.runs : Array.from({ length: ix.meta.lastRunId }, (_, i) => i + 1)) if (ix.runJob.data[r] === job) runs.push(r);
  runs.sort((x, y) => ix.runFirstSeq.data[x]! - ix.runFirstSeq.data[y]!);
  let latestCode = 0;
  for (const r of runs) if (ix.runCode.data[r]) latestCode = ix.runCode.data[r]!;
  const cat = engine.catalog;
  const out: (WhoRanDto & { t: number })[] = [];
  for (const r of runs) {
    if (latestCode && ix.runCode.data[r] !== latestCode) continue;
    const rec = cat.run(r);
    const state = h ? RUN_STATE_NAMES[h.endedState(r)] : rec.state;
    if (state !== 'COMPLETE') continue;
    const t = rec.endedAt ?? rec.lastEventAt;
    const code = cat.code(ix.runCode.data[r]!);
    out.push({ user: rec.user, run: rec.uuid, at: new Date(t).toISOString(), code: code ? (code.gitSha ?? code.hash.slice(0, 12)) : null, t });
  }
  return out.sort((x, y) => y.t - x.t).map(({ t: _t, ...rest }) => rest);
}
