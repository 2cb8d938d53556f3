import type { ReadableDb } from '../db/open-db';

/**
 * What re-run planning needs to know about one run, read from the metadata DB: its command, and
 * what it read and wrote per artifact (the footprint algebra of DESIGN §4 at the level a plan
 * needs: INPUT = read and not created by the run; outputs = created or modified and not deleted
 * again; temporary files, created and deleted by the run, are neither).
 */
export interface RunIo {
  readonly id: number;
  readonly uuid: string;
  readonly jobId: number | null;
  /** "namespace/name" of the stage; null for a run without a job. */
  readonly jobLabel: string | null;
  readonly jobName: string | null;
  readonly jobNamespace: string | null;
  readonly state: string;
  readonly firstSeq: number;
  readonly startedAt: number | null;
  readonly argv: string[] | null;
  /** As recorded: workspace-relative (`.`) for captured runs. */
  readonly cwd: string | null;
  /** A pipeline run groups stage runs; it is never a stage of a plan itself. */
  readonly isPipeline: boolean;
  readonly reads: ReadonlyMap<number, IoEntry>;
  readonly writes: ReadonlyMap<number, IoEntry>;
}

export interface IoEntry {
  readonly artifactId: number;
  readonly label: string;
  readonly path: string | null;
  readonly kind: string;
  readonly versionId: number;
  readonly version: string;
  /** hash (files), dataset_version (tables), run / initial (no content version known). */
  readonly versionKind: string;
  readonly seq: number;
  /** The run that produced the version (reads) — null for a source. */
  readonly producer: number | null;
}

interface AccessRow {
  op: string;
  artifactId: number;
  namespace: string;
  name: string;
  path: string | null;
  kind: string;
  versionId: number;
  version: string;
  versionKind: string;
  seq: number;
  producer: number | null;
}

const WRITES = new Set(['CREATE', 'MODIFY', 'RENAME']);

export class RunIoReader {
  private readonly cache = new Map<number, RunIo>();
  private readonly runStmt;
  private readonly accessStmt;
  private readonly childStmt;

  constructor(private readonly db: ReadableDb) {
    this.runStmt = db.prepare(
      `SELECT r.id, r.run_uuid AS uuid, r.job_id AS jobId, j.namespace AS ns, j.name AS name, r.state, r.first_seq AS firstSeq,
              r.started_at AS startedAt, r.command, r.cwd, json_extract(r.facets, '$.retrace_command.captureMode') AS mode
         FROM runs r LEFT JOIN jobs j ON j.id = r.job_id WHERE r.id = ?`,
    );
    this.accessStmt = db.prepare(
      `SELECT x.op, a.id AS artifactId, a.namespace, a.name, a.path, a.kind, v.id AS versionId, v.version,
              v.version_kind AS versionKind, x.seq, v.producing_run_id AS producer
         FROM accesses x JOIN artifacts a ON a.id = x.artifact_id JOIN artifact_versions v ON v.id = x.version_id
        WHERE x.run_id = ? ORDER BY x.id`,
    );
    this.childStmt = db.prepare('SELECT 1 FROM runs WHERE parent_run_uuid = ? LIMIT 1').pluck();
  }

  get(runId: number): RunIo {
    const hit = this.cache.get(runId);
    if (hit) return hit;
    const r = this.runStmt.get(runId) as
      | { id: number; uuid: string; jobId: number | null; ns: string | null; name: string | null; state: string; firstSeq: number; startedAt: number | null; command: string | null; cwd: string | null; mode: string | null }
      | undefined;
    if (!r) throw new Error(`run ${runId} vanished from the DB`);
    const io = { ...classify(this.accessStmt.all(runId) as AccessRow[]) };
    const argv = parseArgv(r.command);
    const run: RunIo = {
      id: r.id,
      uuid: r.uuid,
      jobId: r.jobId,
      jobLabel: r.name === null ? null : `${r.ns}/${r.name}`,
      jobName: r.name,
      jobNamespace: r.ns,
      state: r.state,
      firstSeq: r.firstSeq,
      startedAt: r.startedAt,
      argv,
      cwd: r.cwd,
      isPipeline: r.mode === 'children' || this.childStmt.get(r.uuid) !== undefined,
      ...io,
    };
    this.cache.set(runId, run);
    return run;
  }

  /** Per stage (job), its newest completed run: the stage as it stands now. Pipeline runs excluded. */
  headRuns(): RunIo[] {
    const ids = this.db
      .prepare(
        `SELECT r.id FROM runs r
          WHERE r.state = 'COMPLETE' AND r.job_id IS NOT NULL
            AND r.first_seq = (SELECT max(o.first_seq) FROM runs o WHERE o.job_id = r.job_id AND o.state = 'COMPLETE')
          ORDER BY r.first_seq`,
      )
      .pluck()
      .all() as number[];
    return ids.map((id) => this.get(id)).filter((r) => !r.isPipeline);
  }

  /**
   * The artifact's current version and who produced it last: the same content written again by
   * a later run (a re-run that reproduced it) is that run's output now, not the first writer's.
   * A table's current version is its highest: reading an older version (time travel) does not
   * turn the table back, although the ingested "current version" follows the last read.
   */
  current(artifactId: number): { versionId: number; version: string; versionKind: string; seq: number; producer: number | null } | null {
    const row = this.db
      .prepare(
        `SELECT v.id AS versionId, v.version, v.version_kind AS versionKind, v.seq,
                coalesce((SELECT x.run_id FROM accesses x WHERE x.artifact_id = a.id AND x.version_id = v.id AND x.op IN ('CREATE','MODIFY','RENAME')
                           AND x.run_id IS NOT NULL ORDER BY x.seq DESC, x.id DESC LIMIT 1), v.producing_run_id) AS producer
           FROM artifacts a JOIN artifact_versions v ON v.id = CASE
                WHEN EXISTS (SELECT 1 FROM artifact_versions t WHERE t.artifact_id = a.id AND t.version_kind = 'dataset_version')
                THEN (SELECT t.id FROM artifact_versions t WHERE t.artifact_id = a.id AND t.version_kind = 'dataset_version' ORDER BY CAST(t.version AS INTEGER) DESC LIMIT 1)
                ELSE a.current_version_id END
          WHERE a.id = ?`,
      )
      .get(artifactId) as { versionId: number; version: string; versionKind: string; seq: number; producer: number | null } | undefined;
    return row ?? null;
  }

  /**
   * Whether a table version newer than `version` was known before `seq`: a run that read an
   * older version then had chosen it (a pinned version), so later commits do not make it stale.
   */
  newerTableVersionKnownBefore(artifactId: number, version: number, seq: number): boolean {
    return (
      this.db
        .prepare(`SELECT 1 FROM artifact_versions WHERE artifact_id = ? AND version_kind = 'dataset_version' AND CAST(version AS INTEGER) > ? AND seq < ? LIMIT 1`)
        .get(artifactId, version, seq) !== undefined
    );
  }

  /** Other runs of a stage, newest first (for picking which one to repeat). */
  runsOfJob(jobId: number, limit = 12): { id: number; uuid: string; state: string; startedAt: number | null; argv: string[] | null }[] {
    const rows = this.db
      .prepare('SELECT id, run_uuid AS uuid, state, started_at AS startedAt, command FROM runs WHERE job_id = ? ORDER BY first_seq DESC LIMIT ?')
      .all(jobId, limit) as { id: number; uuid: string; state: string; startedAt: number | null; command: string | null }[];
    return rows.map((r) => ({ id: r.id, uuid: r.uuid, state: r.state, startedAt: r.startedAt, argv: parseArgv(r.command) }));
  }
}

/** Folds a run's accesses (in order) into its inputs and outputs. */
function classify(rows: readonly AccessRow[]): { reads: Map<number, IoEntry>; writes: Map<number, IoEntry> } {
  const created = new Set<number>();
  const lastRead = new Map<number, IoEntry>();
  const lastWrite = new Map<number, IoEntry>();
  const lastOp = new Map<number, string>();
  for (const x of rows) {
    const e: IoEntry = {
      artifactId: x.artifactId,
      label: x.path ?? `${x.namespace}/${x.name}`,
      path: x.path,
      kind: x.kind,
      versionId: x.versionId,
      version: x.version,
      versionKind: x.versionKind,
      seq: x.seq,
      producer: x.producer,
    };
    if (x.op === 'OTHER') continue;
    if (!lastOp.has(x.artifactId) && (x.op === 'CREATE' || x.op === 'RENAME')) created.add(x.artifactId);
    lastOp.set(x.artifactId, x.op);
    if (x.op === 'READ') lastRead.set(x.artifactId, e);
    else if (WRITES.has(x.op)) {
      // A table write is recorded twice: by the footprint (no version known) and as an output
      // dataset with its table version; the table version is the one to keep.
      const prev = lastWrite.get(x.artifactId);
      if (!(prev?.versionKind === 'dataset_version' && x.versionKind === 'run')) lastWrite.set(x.artifactId, e);
    }
  }
  const reads = new Map<number, IoEntry>();
  for (const [a, e] of lastRead) if (!created.has(a)) reads.set(a, e);
  const writes = new Map<number, IoEntry>();
  for (const [a, e] of lastWrite) if (lastOp.get(a) !== 'DELETE') writes.set(a, e);
  return { reads, writes };
}

function parseArgv(command: string | null): string[] | null {
  if (!command) return null;
  try {
    const v = JSON.parse(command) as unknown;
    return Array.isArray(v) && v.length > 0 && v.every((a) => typeof a === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}
