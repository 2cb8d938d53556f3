/**
 * The paper's three questions as ready queries (notes/hopsworks-provenance.md §1.6): the most
 * used datasets (distinct consuming runs), the most recent pipeline that used dataset X, and
 * who ran the latest version of pipeline P successfully (and when).
 */
import { NODE_KINDS, type NodeKind } from '../../../shared/dto';
import { AppError } from '../../../shared/errors';
import { OP } from '../index-engine/columns';
import type { LineageEngine } from './lineage-engine';
import type { LatestPipelineDto, MostUsedDto, WhoRanDto } from '../../../shared/lineage-dto';

/** Kinds counted as "datasets" by default (models, code and environments are left out). */
export const DATASET_KINDS: readonly NodeKind[] = ['dataset', 'feature_group', 'training_dataset', 'file'];

/** Artifacts (rolled up) by how many distinct runs read any version of them, most first. */
export function mostUsed(engine: LineageEngine, opts: { limit?: number; kinds?: readonly NodeKind[]; snapshot?: number } = {}): MostUsedDto[] {
  engine.refresh();
  const ix = engine.index;
  const limit = engine.accessLimit(opts.snapshot);
  const n = ix.meta.lastArtifactId + 1;
  const readers = new Int32Array(n);
  const lastReader = new Int32Array(n);
  const art = ix.accArt.data, run = ix.accRun.data, op = ix.accOp.data, rollup = ix.artRollup.data;
  for (let x = 1; x <= limit; x++) {
    if (op[x] !== OP.READ || run[x] === 0) continue;
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
  const exact = exactReaders(engine, candidates, limit);
  const top = candidates.sort((a, b) => exact.get(b)! - exact.get(a)! || a - b).slice(0, Math.max(1, opts.limit ?? 10));
  return top.map((a) => {
    const rec = engine.catalog.artifact(a);
    return { artifact: rec.label, id: rec.nodeId, kind: rec.kind, readers: exact.get(a)! };
  });
}

function exactReaders(engine: LineageEngine, candidates: readonly number[], limit: number): Map<number, number> {
  const ix = engine.index;
  const want = new Uint8Array(ix.meta.lastArtifactId + 1);
  for (const a of candidates) want[a] = 1;
  const sets = new Map<number, Set<number>>(candidates.map((a) => [a, new Set<number>()]));
  const art = ix.accArt.data, run = ix.accRun.data, op = ix.accOp.data, rollup = ix.artRollup.data;
  for (let x = 1; x <= limit; x++) {
    if (op[x] !== OP.READ || run[x] === 0) continue;
    const key = rollup[art[x]!] || art[x]!;
    if (want[key]) sets.get(key)!.add(run[x]!);
  }
  return new Map([...sets].map(([a, s]) => [a, s.size]));
}

/** The most recent run that read `dataset` (any version, any file in it), and the pipeline it belonged to. */
export function latestPipelineUsing(engine: LineageEngine, dataset: string): LatestPipelineDto {
  engine.refresh();
  const ix = engine.index;
  const a = engine.resolveArtifact(dataset);
  const art = ix.accArt.data, run = ix.accRun.data, op = ix.accOp.data, rollup = ix.artRollup.data;
  let consumer = 0;
  for (let x = ix.meta.lastAccessId; x >= 1; x--) {
    if (op[x] === OP.READ && run[x] !== 0 && (art[x] === a || rollup[art[x]!] === a)) {
      consumer = run[x]!;
      break;
    }
  }
  const label = engine.catalog.artifact(a).label;
  if (consumer === 0) throw new AppError('NOT_FOUND', `No run has read ${label} yet.`);
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
  const c = cat.run(consumer);
  const at = c.endedAt ?? c.startedAt ?? c.lastEventAt;
  return { pipeline: pipelineFromFacet ?? cat.jobLabelOfRun(root) ?? rootRec.uuid, run: pipelineRun, consumerRun: c.uuid, at: new Date(at).toISOString() };
}

/**
 * Who ran the latest version of pipeline (job) `pipeline` successfully, and when: the latest
 * version is the code version of the job's most recent run that recorded one (all runs when
 * none did); successful = COMPLETE. Newest first.
 */
export function whoRan(engine: LineageEngine, pipeline: string): WhoRanDto[] {
  engine.refresh();
  const ix = engine.index;
  const job = engine.catalog.resolveJob(pipeline);
  const runs: number[] = [];
  for (let r = 1; r <= ix.meta.lastRunId; r++) if (ix.runJob.data[r] === job) runs.push(r);
  runs.sort((x, y) => ix.runFirstSeq.data[x]! - ix.runFirstSeq.data[y]!);
  let latestCode = 0;
  for (const r of runs) if (ix.runCode.data[r]) latestCode = ix.runCode.data[r]!;
  const cat = engine.catalog;
  const out: (WhoRanDto & { t: number })[] = [];
  for (const r of runs) {
    if (latestCode && ix.runCode.data[r] !== latestCode) continue;
    const rec = cat.run(r);
    if (rec.state !== 'COMPLETE') continue;
    const t = rec.endedAt ?? rec.lastEventAt;
    const code = cat.code(ix.runCode.data[r]!);
    out.push({ user: rec.user, run: rec.uuid, at: new Date(t).toISOString(), code: code ? (code.gitSha ?? code.hash.slice(0, 12)) : null, t });
  }
  return out.sort((x, y) => y.t - x.t).map(({ t: _t, ...rest }) => rest);
}
