/**
 * "Where did this come from" (upstream provenance) and staleness reports (DESIGN §4), over the
 * engine's index and the replayed state at a snapshot.
 */
import { AppError } from '../../../shared/errors';
import type { RunState } from '../../../shared/dto';
import { OP } from '../index-engine/columns';
import type { LineageEngine } from './lineage-engine';
import type { StalenessDto, UpstreamDto, UpstreamInputDto, UpstreamRunDto } from '../../../shared/lineage-dto';
import { staleReasonDtos } from './stale-reasons';

export interface UpstreamRequest {
  readonly artifact: string;
  /** A version label (or unique prefix); default: the current version. */
  readonly version?: string;
  /** Run hops to follow back (undefined = to the sources). */
  readonly depth?: number;
  readonly snapshot?: number;
}

/** Producing runs of a version, their inputs' versions, code and environment, back to the sources. */
export function upstreamOf(engine: LineageEngine, req: UpstreamRequest): UpstreamDto {
  engine.refresh();
  if (req.depth !== undefined && (!Number.isInteger(req.depth) || req.depth < 0)) {
    throw new AppError('INVALID_ARGUMENT', `Depth ${req.depth} is not a whole number ≥ 0.`);
  }
  const ix = engine.index;
  const cat = engine.catalog;
  const { versions, artifactId } = engine.startVersions(req.artifact, req.version, req.snapshot);
  const h = engine.history(req.snapshot);
  const limit = h.limit;
  const inForce = (r: number) => r !== 0 && (h.maxSeq === null || ix.runFirstSeq.data[r]! <= h.maxSeq);
  const verLabel = (v: number) => cat.version(v);
  const artLabel = (v: number) => cat.artifact(ix.verArt.data[v]!).label;

  const runs: UpstreamRunDto[] = [];
  const sources = new Map<number, { artifact: string; version: string }>();
  const seen = new Set<number>();
  let frontier: number[] = [];
  const reach = (v: number, into: number[]) => {
    const p = ix.verProducer.data[v]!;
    if (!inForce(p)) sources.set(v, { artifact: artLabel(v), version: verLabel(v) });
    else if (!seen.has(p)) {
      seen.add(p);
      into.push(p);
    }
  };
  for (const v of versions) reach(v, frontier);
  let depth = 0;
  while (frontier.length && (req.depth === undefined || depth < req.depth)) {
    depth++;
    const next: number[] = [];
    for (const r of frontier) {
      const lastRead = new Map<number, number>();
      const written = new Map<number, number>();
      for (let x = ix.runHead.data[r] ?? 0; x !== 0 && x <= limit; x = ix.accNextInRun.data[x]!) {
        const o = ix.accOp.data[x]!;
        if (o === OP.READ) lastRead.set(ix.accArt.data[x]!, ix.accVer.data[x]!);
        else if (o === OP.CREATE || o === OP.MODIFY || o === OP.RENAME) written.set(ix.accArt.data[x]!, ix.accVer.data[x]!);
      }
      const inputs: UpstreamInputDto[] = [];
      for (const v of lastRead.values()) {
        const p = ix.verProducer.data[v]!;
        inputs.push({ artifact: artLabel(v), version: verLabel(v), producedBy: inForce(p) ? cat.run(p).uuid : null });
        // A run reading back its own output is not its own ancestor.
        if (p !== r) reach(v, next);
      }
      runs.push(runReport(engine, r, depth, req.snapshot, inputs.sort((a, b) => (a.artifact < b.artifact ? -1 : 1)),
        [...written.values()].map((v) => ({ artifact: artLabel(v), version: verLabel(v) })).sort((a, b) => (a.artifact < b.artifact ? -1 : 1))));
    }
    frontier = next;
  }
  const first = versions[0]!;
  return {
    of: { artifact: versions.length === 1 ? artLabel(first) : cat.artifact(artifactId).label, version: versions.length === 1 ? verLabel(first) : 'current' },
    runs,
    sources: [...sources.values()].sort((a, b) => (a.artifact < b.artifact ? -1 : 1)),
    depth: req.depth ?? null,
  };
}

function runReport(engine: LineageEngine, r: number, depth: number, snapshot: number | undefined, inputs: UpstreamInputDto[],
  outputs: { artifact: string; version: string }[]): UpstreamRunDto {
  const cat = engine.catalog;
  const rec = cat.run(r);
  const code = cat.code(engine.index.runCode.data[r]!);
  const env = cat.environment(engine.index.runEnv.data[r]!);
  const state: RunState = engine.runStateAt(r, snapshot);
  const at = rec.endedAt ?? rec.startedAt;
  return {
    run: rec.uuid, job: cat.jobLabelOfRun(r), state, at: at === null ? null : new Date(at).toISOString(), user: rec.user, depth,
    code: code ? { hash: code.hash, gitSha: code.gitSha } : null,
    environment: env ? { hash: env.hash, interpreter: env.interpreter ? `${env.interpreter} ${env.interpreterVersion ?? ''}`.trim() : null } : null,
    inputs, outputs,
  };
}

/**
 * Staleness of current versions at a snapshot: with `artifact`, every current version of it (or
 * of the files in its folder), stale or not; without, every stale current version in the workspace.
 */
export function stalenessOf(engine: LineageEngine, req: { artifact?: string; snapshot?: number } = {}): StalenessDto[] {
  engine.refresh();
  const ix = engine.index;
  const cat = engine.catalog;
  const h = engine.history(req.snapshot);
  const only = req.artifact === undefined ? null : engine.resolveArtifact(req.artifact);
  const out: StalenessDto[] = [];
  for (const f of h.seen) {
    if (only !== null && f !== only && ix.artRollup.data[f] !== only) continue;
    const v = h.curVer[f]!;
    if (h.state[f] !== 1 || v === 0) continue;
    const p = ix.verProducer.data[v]!;
    const stale = h.isStaleRun(p);
    if (!stale && only === null) continue;
    const a = cat.artifact(f);
    const reasons = p === 0 ? [] : staleReasonDtos(engine, h.staleReasons(p));
    out.push({ artifact: a.label, id: a.nodeId, version: cat.version(v), producedBy: p ? cat.run(p).uuid : null, stale, reasons });
  }
  return out.sort((x, y) => (x.artifact < y.artifact ? -1 : x.artifact > y.artifact ? 1 : 0));
}
