/**
 * Snapshot compare (issue 13 §2): the graph difference between snapshots A and B plus the "what
 * changed" list behind it — runs that ended, versions that moved, artifacts that appeared or
 * disappeared, and table commits with their row counts — and the workspace counts as of a
 * snapshot for the header while travelling.
 */
import type { GraphDto, RunState } from '../../../shared/dto';
import { AppError } from '../../../shared/errors';
import type { AppearedArtifactDto, ChangedVersionDto, GraphDiffDto, GraphOptions, SnapshotChangesDto } from '../../../shared/lineage-dto';
import { shortPair } from '../../../shared/short-hash';
import type { ReadableDb } from '../../db/open-db';
import { artifactNodes, type ArtifactNodes } from '../index-engine/artifact-nodes';
import { RUN_STATE_NAMES } from '../index-engine/columns';
import { eventSeqOf } from '../index-engine/snapshots';
import { diffGraphs } from './diff';
import type { LineageEngine } from './lineage-engine';

/**
 * What changed from snapshot `from` (0 = the empty workspace before the first snapshot) to
 * snapshot `to` (undefined = everything ingested).
 */
export function compareSnapshots(engine: LineageEngine, from: number, to: number | undefined, opts: GraphOptions = {}): GraphDiffDto {
  engine.refresh();
  const snaps = engine.snapshots();
  if (from !== 0) eventSeqOf(snaps, from);
  if (to !== undefined) eventSeqOf(snaps, to);
  if (to !== undefined && from > to) throw new AppError('INVALID_ARGUMENT', `Compare from the earlier snapshot: ${from} comes after ${to}.`);
  const empty: GraphDto = { snapshot: 0, nodes: [], edges: [] };
  const diff = diffGraphs(from === 0 ? empty : engine.graphAt(from, opts), engine.graphAt(to, opts));
  return { ...diff, changes: changesBetween(engine, from, to) };
}

function changesBetween(engine: LineageEngine, from: number, to: number | undefined): SnapshotChangesDto {
  const ix = engine.index;
  const cat = engine.catalog;
  const inRange = engine.snapshots().filter((s) => s.seq > from && (to === undefined || s.seq <= to));
  const runs = inRange.filter((s) => s.kind === 'run' && s.runId !== undefined).map((s) => {
    const r = s.runId!;
    const rec = cat.run(r);
    const job = cat.job(ix.runJob.data[r]!);
    const state = RUN_STATE_NAMES[ix.endState.data[ix.runEnd.data[r]!]!] as RunState;
    return { run: rec.uuid, id: `run:${rec.uuid}`, job: job ? `${job.namespace}/${job.name}` : null, jobId: job?.nodeId ?? null,
      state, at: s.at, user: rec.user, snapshot: s.seq };
  });
  const commits = inRange.filter((s) => s.kind === 'commit' && s.table).map((s) => {
    const t = s.table!;
    const a = cat.artifact(t.artifactId);
    return { table: a.label, id: a.nodeId, version: t.version, at: s.at, operation: t.operation,
      rowsInserted: t.rowsInserted, rowsUpdated: t.rowsUpdated, rowsDeleted: t.rowsDeleted, snapshot: s.seq };
  });

  const before = from === 0 ? null : artifactNodes(ix, engine.history(from));
  const after = artifactNodes(ix, engine.history(to));
  const versions: ChangedVersionDto[] = [];
  const appeared: AppearedArtifactDto[] = [];
  const disappeared: AppearedArtifactDto[] = [];
  const version = (nodes: ArtifactNodes, key: number) => (nodes.repVer[key] ? cat.version(nodes.repVer[key]!) : null);
  const row = (key: number, v: string | null): AppearedArtifactDto => {
    const a = cat.artifact(key);
    return { artifact: a.label, id: a.nodeId, kind: a.kind, version: v };
  };
  for (const key of after.keys) {
    const wasAlive = before !== null && before.alive[key] === 1;
    if (after.alive[key] !== 1) continue;
    if (!wasAlive) appeared.push(row(key, version(after, key)));
    else if (before.repVer[key] && after.repVer[key] && before.repVer[key] !== after.repVer[key]) {
      const b = cat.version(before.repVer[key]!), a = cat.version(after.repVer[key]!);
      const short = shortPair(b, a);
      const { artifact, id, kind } = row(key, a);
      versions.push({ artifact, id, kind, before: b, after: a, beforeShort: short.before, afterShort: short.after });
    }
  }
  if (before) for (const key of before.keys) if (before.alive[key] === 1 && after.alive[key] !== 1) disappeared.push(row(key, version(before, key)));
  const byLabel = (x: { artifact: string }, y: { artifact: string }) => (x.artifact < y.artifact ? -1 : x.artifact > y.artifact ? 1 : 0);
  return { runs, versions: versions.sort(byLabel), appeared: appeared.sort(byLabel), disappeared: disappeared.sort(byLabel), commits };
}

/**
 * Workspace counts as of a snapshot, counted the way the live counts are (every run and every
 * artifact known by then, files inside artifact folders included).
 */
export function countsAt(engine: LineageEngine, db: ReadableDb, snapshot: number): { runs: number; artifacts: number } {
  engine.refresh();
  const evt = eventSeqOf(engine.snapshots(), snapshot);
  return {
    runs: db.prepare('SELECT count(*) FROM runs WHERE first_seq <= ?').pluck().get(evt) as number,
    artifacts: db.prepare('SELECT count(*) FROM artifacts WHERE first_seq <= ?').pluck().get(evt) as number,
  };
}
