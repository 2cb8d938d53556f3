import type { ReadableDb } from '../db/open-db';

/** What a run recorded about itself, read from the metadata DB (all the repro check needs). */
export interface RecordedRun {
  readonly runUuid: string;
  readonly job: { namespace: string; name: string } | null;
  readonly state: string;
  readonly argv: string[] | null;
  /** As recorded: workspace-relative (`.`) for captured runs. */
  readonly cwd: string | null;
  readonly code: { gitSha: string | null; dirtyDiffHash: string | null; files: { path: string; hash: string }[] } | null;
  readonly environment: RecordedEnvironment | null;
  /** Artifacts the run read and did not write itself (footprint INPUT), with the version read. */
  readonly inputs: RecordedInput[];
}

export interface RecordedEnvironment {
  readonly os: string | null;
  readonly arch: string | null;
  readonly interpreter: string | null;
  readonly interpreterVersion: string | null;
  /** The interpreter's executable, from the run's `retrace_environment` facet. */
  readonly executable: string | null;
  readonly packages: { name: string; version: string }[];
  readonly variables: { name: string; value: string }[];
}

export interface RecordedInput {
  readonly artifactId: number;
  readonly label: string;
  /** Workspace-relative or absolute path, null for non-file datasets. */
  readonly path: string | null;
  readonly kind: string;
  readonly version: string;
  readonly versionKind: string;
  readonly versionId: number;
  readonly currentVersionId: number | null;
  readonly currentVersion: string | null;
}

interface RunRow {
  id: number;
  run_uuid: string;
  state: string;
  command: string | null;
  cwd: string | null;
  facets: string;
  job_ns: string | null;
  job_name: string | null;
  git_sha: string | null;
  dirty_diff_hash: string | null;
  files: string | null;
  env_id: number | null;
  os: string | null;
  arch: string | null;
  interpreter: string | null;
  interpreter_version: string | null;
  variables: string | null;
}

/** Reads one run by its internal id. */
export function readRecordedRun(db: ReadableDb, runId: number): RecordedRun {
  const r = db
    .prepare(
      `SELECT r.id, r.run_uuid, r.state, r.command, r.cwd, r.facets, j.namespace AS job_ns, j.name AS job_name,
              c.git_sha, c.dirty_diff_hash, c.files, e.id AS env_id, e.os, e.arch, e.interpreter, e.interpreter_version, e.variables
         FROM runs r
         LEFT JOIN jobs j ON j.id = r.job_id
         LEFT JOIN code_versions c ON c.id = r.code_version_id
         LEFT JOIN environments e ON e.id = r.environment_id
        WHERE r.id = ?`,
    )
    .get(runId) as RunRow | undefined;
  if (!r) throw new Error(`run ${runId} vanished from the DB`);
  const facets = parseJson<Record<string, unknown>>(r.facets, {});
  const envFacet = (facets.retrace_environment ?? {}) as { interpreter?: { executable?: string } };
  const packages = r.env_id === null ? [] : (db.prepare('SELECT name, version FROM environment_packages WHERE environment_id = ? ORDER BY name').all(r.env_id) as { name: string; version: string }[]);
  // INPUT = accessed \ created: reads of artifacts this run did not create or write itself.
  const inputs = db
    .prepare(
      `SELECT a.id AS artifactId, a.namespace, a.name, a.path, a.kind, v.version, v.version_kind AS versionKind, v.id AS versionId,
              a.current_version_id AS currentVersionId, cv.version AS currentVersion
         FROM accesses x
         JOIN artifacts a ON a.id = x.artifact_id
         JOIN artifact_versions v ON v.id = x.version_id
         LEFT JOIN artifact_versions cv ON cv.id = a.current_version_id
        WHERE x.run_id = ? AND x.op = 'READ'
          AND NOT EXISTS (SELECT 1 FROM accesses w WHERE w.run_id = x.run_id AND w.artifact_id = x.artifact_id AND w.op IN ('CREATE','MODIFY','RENAME'))
        GROUP BY a.id
        ORDER BY a.path, a.name`,
    )
    .all(runId) as (Omit<RecordedInput, 'label'> & { namespace: string; name: string })[];
  const argv = parseJson<unknown>(r.command ?? 'null', null);
  return {
    runUuid: r.run_uuid,
    job: r.job_name ? { namespace: r.job_ns ?? '', name: r.job_name } : null,
    state: r.state,
    argv: Array.isArray(argv) && argv.every((a) => typeof a === 'string') ? (argv as string[]) : null,
    cwd: r.cwd,
    code: r.git_sha !== null || r.files !== null ? { gitSha: r.git_sha, dirtyDiffHash: r.dirty_diff_hash, files: parseJson(r.files ?? '[]', []) } : null,
    environment:
      r.env_id === null
        ? null
        : {
            os: r.os,
            arch: r.arch,
            interpreter: r.interpreter,
            interpreterVersion: r.interpreter_version,
            executable: envFacet.interpreter?.executable ?? null,
            packages,
            variables: toVariableList(parseJson<unknown>(r.variables ?? '{}', {})),
          },
    inputs: inputs.map((i) => ({ ...i, label: i.path ?? `${i.namespace}/${i.name}` })),
  };
}

/** The newest run of the same job (the stage as it is configured now), if any other. */
export function latestRunOfJob(db: ReadableDb, runId: number): number | null {
  const row = db
    .prepare(
      `SELECT o.id FROM runs r JOIN runs o ON o.job_id = r.job_id
        WHERE r.id = ? AND o.id <> r.id AND o.last_seq > r.last_seq ORDER BY o.last_seq DESC LIMIT 1`,
    )
    .get(runId) as { id: number } | undefined;
  return row?.id ?? null;
}

function toVariableList(v: unknown): { name: string; value: string }[] {
  if (Array.isArray(v)) return v.filter((x): x is { name: string; value: string } => typeof x?.name === 'string' && typeof x?.value === 'string');
  if (v && typeof v === 'object') return Object.entries(v as Record<string, unknown>).filter(([, val]) => typeof val === 'string').map(([name, value]) => ({ name, value: value as string }));
  return [];
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
