import type { RunRefDto, VersionRefDto } from '../../shared/version-diff-dto';
import type { ReadableDb } from '../db/open-db';
import type { LineageEngine } from '../lineage/read-models/lineage-engine';
import { upstreamOf } from '../lineage/read-models/upstream';
import { readRecordedRun, type RecordedRun } from '../repro/recorded-run';
import { RunIoReader, type RunIo } from '../repro/run-io';

/**
 * One side of a version diff: the version asked about and every run upstream of it, back to
 * the sources (the engine's upstream walk), each with what it read and wrote (RunIo) and what it
 * recorded about its code and environment — plus the graph node ids of the whole chain.
 */
export interface ChainRun {
  readonly id: number;
  readonly io: RunIo;
  readonly rec: RecordedRun;
  /** Run hops from the version (1 = made it). */
  readonly depth: number;
  readonly ref: RunRefDto;
}

export interface Chain {
  readonly label: string;
  readonly version: string;
  /** The runs that made the version (depth 1). */
  readonly heads: readonly ChainRun[];
  readonly runs: ReadonlyMap<number, ChainRun>;
  /** Labels of the files the version consists of (the artifact, or the files of its folder). */
  readonly files: readonly { readonly label: string; readonly version: string }[];
  readonly nodeIds: readonly string[];
}

export function buildChain(engine: LineageEngine, db: ReadableDb, ref: VersionRefDto): Chain {
  const up = upstreamOf(engine, { artifact: ref.artifact, ...(ref.version !== undefined ? { version: ref.version } : {}) });
  const reader = new RunIoReader(db);
  const cat = engine.catalog;
  const runs = new Map<number, ChainRun>();
  const nodes = new Set<string>();
  const artifactNode = (artifactId: number) => {
    const a = cat.artifact(artifactId);
    nodes.add(a.nodeId);
    if (a.rollupId) nodes.add(cat.artifact(a.rollupId).nodeId);
  };
  const target = engine.resolveArtifact(ref.artifact);
  artifactNode(target);
  for (const u of up.runs) {
    const id = cat.resolveRun(u.run);
    if (runs.has(id)) continue;
    const io = reader.get(id);
    const rec = cat.run(id);
    const job = rec.jobId ? cat.job(rec.jobId) : null;
    const at = rec.endedAt ?? rec.startedAt;
    runs.set(id, { id, io, rec: readRecordedRun(db, id), depth: u.depth, ref: { run: u.run, job: io.jobName, at: at === null ? null : new Date(at).toISOString(), nodeId: `run:${u.run}`, jobNodeId: job?.nodeId ?? null } });
    nodes.add(`run:${u.run}`);
    if (job) nodes.add(job.nodeId);
    for (const e of [...io.reads.values(), ...io.writes.values()]) artifactNode(e.artifactId);
  }
  const heads = [...runs.values()].filter((r) => r.depth === 1);
  const targetLabel = cat.artifact(target).label;
  const inTarget = (label: string) => label === targetLabel || label.startsWith(targetLabel + '/');
  const files = new Map<string, string>();
  for (const h of heads) for (const w of h.io.writes.values()) if (inTarget(w.label)) files.set(w.label, w.version);
  return {
    label: targetLabel,
    version: up.of.version,
    heads,
    runs,
    files: [...files].map(([label, version]) => ({ label, version })).sort((a, b) => (a.label < b.label ? -1 : 1)),
    nodeIds: [...nodes].sort(),
  };
}
