/**
 * Names and attributes of the entities the index refers to by id (artifact paths, run ids,
 * job names, version labels, code and environment hashes). Fetched per id and cached, so a
 * cold query that returns ten rows reads ten rows; `loadAll` bulk-loads for graph building.
 */
import type { NodeKind, RunState } from '../../../shared/dto';
import { AppError } from '../../../shared/errors';
import type { ReadableDb } from '../../db/open-db';
import { normalisePath } from '../../provenance/naming';

export interface ArtifactRec {
  readonly id: number;
  readonly namespace: string;
  readonly name: string;
  readonly path: string | null;
  readonly kind: NodeKind;
  readonly rollupId: number | null;
  readonly tags: string;
  /** Path, else namespace/name. */
  readonly label: string;
  /** `artifact:<ns>/<name>` */
  readonly nodeId: string;
}

export interface RunRec {
  readonly id: number;
  readonly uuid: string;
  readonly jobId: number | null;
  readonly state: RunState;
  readonly user: string | null;
  readonly host: string | null;
  readonly parentUuid: string | null;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly lastEventAt: number;
  readonly codeVersionId: number | null;
  readonly environmentId: number | null;
}

export interface JobRec {
  readonly id: number;
  readonly namespace: string;
  readonly name: string;
  readonly nodeId: string;
}

export interface CodeRec {
  readonly id: number;
  readonly hash: string;
  readonly gitSha: string | null;
  readonly path: string | null;
}

export interface EnvRec {
  readonly id: number;
  readonly hash: string;
  readonly interpreter: string | null;
  readonly interpreterVersion: string | null;
}

type Row = Record<string, unknown>;

const ART_COLS = 'id, namespace, name, path, kind, rollup_id, tags';
const RUN_COLS = 'id, run_uuid, job_id, state, user, host, parent_run_uuid, started_at, ended_at, last_event_at, code_version_id, environment_id';

export class Catalog {
  private readonly artifacts = new Map<number, ArtifactRec>();
  private readonly runs = new Map<number, RunRec>();
  private readonly jobs = new Map<number, JobRec>();
  private readonly versions = new Map<number, string>();
  private readonly codes = new Map<number, CodeRec>();
  private readonly envs = new Map<number, EnvRec>();

  constructor(private readonly db: ReadableDb) {}

  /** Prepared statements, compiled once: a prepare costs more than the point lookup itself. */
  private readonly stmts = new Map<string, ReturnType<ReadableDb['prepare']>>();
  private stmt(sql: string): ReturnType<ReadableDb['prepare']> {
    let st = this.stmts.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.stmts.set(sql, st);
    }
    return st;
  }

  /** Forgets runs that changed (state, job, code…) so they are read again on next use. */
  invalidateRuns(ids: readonly number[]): void {
    for (const id of ids) {
      this.runs.delete(id);
      this.pipelines.delete(id);
      // A changed run may have gained a parent facet: read its links again.
      if (id <= this.parentsLoaded) this.parentsLoaded = Math.min(this.parentsLoaded, id - 1);
    }
    // Pipelines resolved through a changed run may change too.
    if (ids.length) this.pipelines.clear();
  }

  /**
   * `namespace/name` of the pipeline a run belongs to: the job of the root of its parent chain
   * (the parent run when it was ingested, else the job its `parent` facet names); null for a run
   * without a parent. Cached per run: the graph asks for every job's latest run.
   */
  pipelineOf(runId: number): string | null {
    const hit = this.pipelines.get(runId);
    if (hit !== undefined) return hit;
    this.loadParents();
    let result: string | null = null;
    let cur = runId;
    for (let hops = 0; hops < 32; hops++) {
      const p = this.parents.get(cur);
      if (!p || !p.uuid) break;
      const parentId = this.uuidToId.get(p.uuid);
      if (parentId === undefined || parentId === cur) {
        result = p.facetJob ?? result;
        break;
      }
      cur = parentId;
      const jobId = this.parents.get(cur)?.jobId;
      const job = jobId ? this.job(jobId) : undefined;
      if (job) result = `${job.namespace}/${job.name}`;
    }
    this.pipelines.set(runId, result);
    return result;
  }
  private readonly pipelines = new Map<number, string | null>();

  /**
   * Parent links of every run, in one query (the graph asks for thousands of them; one query
   * per run and a JSON parse of its facets cost half a second at 20,000 runs).
   */
  private loadParents(): void {
    const rows = this.stmt(`SELECT id, run_uuid, job_id, parent_run_uuid,
      json_extract(facets, '$.parent.job.namespace'), json_extract(facets, '$.parent.job.name')
      FROM runs WHERE id > ? ORDER BY id`).raw().iterate(this.parentsLoaded) as Iterable<[number, string, number | null, string | null, unknown, unknown]>;
    for (const [id, uuid, jobId, parentUuid, ns, name] of rows) {
      const facetJob = typeof ns === 'string' && typeof name === 'string' ? `${ns}/${name}` : null;
      this.parents.set(id, { uuid: parentUuid, facetJob, jobId });
      this.uuidToId.set(uuid, id);
      this.parentsLoaded = id;
    }
  }
  private readonly parents = new Map<number, { uuid: string | null; facetJob: string | null; jobId: number | null }>();
  private parentsLoaded = 0;

  /**
   * Reads every artifact, run and job above the ids loaded so far (graph building touches most
   * of them). Artifacts and jobs never change in the fields cached here; changed runs were
   * invalidated and are read again one by one.
   */
  loadAll(what: { runs?: boolean } = {}): void {
    for (const r of this.db.prepare(`SELECT ${ART_COLS} FROM artifacts WHERE id > ? ORDER BY id`).iterate(this.loaded.artifact) as Iterable<Row>) {
      this.putArtifact(r);
      this.loaded.artifact = r.id as number;
    }
    if (what.runs !== false) {
      for (const r of this.db.prepare(`SELECT ${RUN_COLS} FROM runs WHERE id > ? ORDER BY id`).iterate(this.loaded.run) as Iterable<Row>) {
        if (!this.runs.has(r.id as number)) this.putRun(r);
        this.loaded.run = r.id as number;
      }
    }
    for (const r of this.db.prepare('SELECT id, namespace, name FROM jobs WHERE id > ? ORDER BY id').iterate(this.loaded.job) as Iterable<Row>) {
      this.putJob(r);
      this.loaded.job = r.id as number;
    }
  }
  private readonly loaded = { artifact: 0, run: 0, job: 0 };

  artifact(id: number): ArtifactRec {
    let a = this.artifacts.get(id);
    if (!a) {
      const r = this.stmt(`SELECT ${ART_COLS} FROM artifacts WHERE id = ?`).get(id) as Row | undefined;
      if (!r) throw new AppError('INTERNAL', `Artifact ${id} is referenced by the lineage index but missing from the DB.`);
      a = this.putArtifact(r);
    }
    return a;
  }

  run(id: number): RunRec {
    let r = this.runs.get(id);
    if (!r) {
      const row = this.stmt(`SELECT ${RUN_COLS} FROM runs WHERE id = ?`).get(id) as Row | undefined;
      if (!row) throw new AppError('INTERNAL', `Run ${id} is referenced by the lineage index but missing from the DB.`);
      r = this.putRun(row);
    }
    return r;
  }

  job(id: number): JobRec | null {
    if (!id) return null;
    let j = this.jobs.get(id);
    if (!j) {
      const row = this.stmt('SELECT id, namespace, name FROM jobs WHERE id = ?').get(id) as Row | undefined;
      if (!row) return null;
      j = this.putJob(row);
    }
    return j;
  }

  /** `namespace/name` of a run's job, or null. */
  jobLabelOfRun(runId: number): string | null {
    const j = this.job(this.run(runId).jobId ?? 0);
    return j ? `${j.namespace}/${j.name}` : null;
  }

  version(id: number): string {
    let v = this.versions.get(id);
    if (v === undefined) {
      v = (this.stmt('SELECT version FROM artifact_versions WHERE id = ?').pluck().get(id) as string | undefined) ?? '?';
      this.versions.set(id, v);
    }
    return v;
  }

  /** Fetches the labels of many versions at once (chunked IN lists), so a graph build is not n point lookups. */
  prefetchVersions(ids: Iterable<number>): void {
    const missing = [...ids].filter((id) => id > 0 && !this.versions.has(id));
    for (let i = 0; i < missing.length; i += 500) {
      const chunk = missing.slice(i, i + 500);
      const rows = this.db.prepare(`SELECT id, version FROM artifact_versions WHERE id IN (${chunk.map(() => '?').join(',')})`).raw().all(...chunk) as [number, string][];
      for (const [id, v] of rows) this.versions.set(id, v);
    }
  }

  code(id: number): CodeRec | null {
    if (!id) return null;
    let c = this.codes.get(id);
    if (!c) {
      const r = this.stmt('SELECT id, hash, git_sha, path FROM code_versions WHERE id = ?').get(id) as Row | undefined;
      if (!r) return null;
      c = { id, hash: r.hash as string, gitSha: (r.git_sha as string | null) ?? null, path: (r.path as string | null) ?? null };
      this.codes.set(id, c);
    }
    return c;
  }

  environment(id: number): EnvRec | null {
    if (!id) return null;
    let e = this.envs.get(id);
    if (!e) {
      const r = this.stmt('SELECT id, hash, interpreter, interpreter_version FROM environments WHERE id = ?').get(id) as Row | undefined;
      if (!r) return null;
      e = { id, hash: r.hash as string, interpreter: (r.interpreter as string | null) ?? null, interpreterVersion: (r.interpreter_version as string | null) ?? null };
      this.envs.set(id, e);
    }
    return e;
  }

  /** RUN argument: a full run id or a unique prefix of one (DESIGN §8). */
  resolveRun(arg: string): number {
    const text = arg.trim();
    if (text === '') throw new AppError('INVALID_ARGUMENT', 'A run id is required; give a run id or a unique prefix of one.');
    const exact = this.stmt('SELECT id FROM runs WHERE run_uuid = ?').pluck().get(text) as number | undefined;
    if (exact !== undefined) return exact;
    // The UNIQUE index on run_uuid makes a prefix a range scan.
    const hits = this.db.prepare('SELECT id, run_uuid FROM runs WHERE run_uuid >= ? AND run_uuid < ? ORDER BY run_uuid LIMIT 6')
      .raw().all(text, text + '\uffff') as [number, string][];
    if (hits.length === 1) return hits[0]![0];
    if (hits.length === 0) {
      const example = this.db.prepare('SELECT run_uuid FROM runs ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined;
      throw new AppError('NOT_FOUND', example
        ? `No run matches "${text}"; runs look like ${example}.`
        : `No run matches "${text}"; the workspace has no runs yet (run \`retrace ingest\`).`);
    }
    const shown = hits.slice(0, 5).map((h) => h[1]).join(', ');
    throw new AppError('INVALID_ARGUMENT', `Run prefix "${text}" is ambiguous: it matches ${shown}${hits.length > 5 ? ' and more' : ''}; give more characters.`);
  }

  /**
   * ARTIFACT argument: a workspace-relative path (or one inside `root`), an artifact path, or
   * `namespace/name` (DESIGN §8). Exact matches only; an unknown one names the closest kind of input.
   */
  resolveArtifact(arg: string, root?: string): number {
    const text = arg.trim();
    const one = (sql: string, ...params: unknown[]) => this.db.prepare(sql).pluck().all(...params) as number[];
    const candidates: string[] = [text];
    if (!text.includes('://')) {
      let p = normalisePath(text);
      if (root && p.startsWith(root.replace(/\/+$/, '') + '/')) p = p.slice(root.replace(/\/+$/, '').length + 1);
      candidates.push(p);
    }
    for (const c of candidates) {
      const byName = one("SELECT id FROM artifacts WHERE namespace = 'file' AND name = ?", c);
      if (byName.length) return byName[0]!;
      const byPath = one('SELECT id FROM artifacts WHERE path = ? ORDER BY id LIMIT 2', c);
      if (byPath.length === 1) return byPath[0]!;
    }
    // namespace/name: the namespace may itself hold slashes (s3://bucket), so try every split.
    for (let i = text.indexOf('/'); i > 0; i = text.indexOf('/', i + 1)) {
      const hit = one('SELECT id FROM artifacts WHERE namespace = ? AND name = ?', text.slice(0, i), text.slice(i + 1));
      if (hit.length) return hit[0]!;
    }
    const byBareName = one('SELECT id FROM artifacts WHERE name = ? ORDER BY id LIMIT 2', text);
    if (byBareName.length === 1) return byBareName[0]!;
    throw new AppError('NOT_FOUND', `No artifact matches "${text}"; give a workspace-relative path (data/train.csv) or namespace/name.`);
  }

  /** PIPELINE/job argument: `namespace/name`, or a name that only one namespace has. */
  resolveJob(arg: string): number {
    const text = arg.trim();
    for (let i = text.indexOf('/'); i > 0; i = text.indexOf('/', i + 1)) {
      const hit = this.db.prepare('SELECT id FROM jobs WHERE namespace = ? AND name = ?').pluck().get(text.slice(0, i), text.slice(i + 1)) as number | undefined;
      if (hit !== undefined) return hit;
    }
    const byName = this.db.prepare('SELECT id, namespace FROM jobs WHERE name = ? ORDER BY id LIMIT 6').raw().all(text) as [number, string][];
    if (byName.length === 1) return byName[0]![0];
    if (byName.length > 1) {
      throw new AppError('INVALID_ARGUMENT', `Job "${text}" exists in several namespaces (${byName.map((b) => b[1]).join(', ')}); give namespace/name.`);
    }
    throw new AppError('NOT_FOUND', `No job or pipeline is named "${text}"; give its name or namespace/name.`);
  }

  /** `namespace/name` of the parent job named in a run's `parent` facet, when the parent run itself was never ingested. */
  parentJobFromFacets(runId: number): string | null {
    const facets = this.db.prepare('SELECT facets FROM runs WHERE id = ?').pluck().get(runId) as string | undefined;
    try {
      const job = (JSON.parse(facets ?? '{}') as { parent?: { job?: { namespace?: unknown; name?: unknown } } }).parent?.job;
      return typeof job?.namespace === 'string' && typeof job.name === 'string' ? `${job.namespace}/${job.name}` : null;
    } catch {
      return null;
    }
  }

  private putArtifact(r: Row): ArtifactRec {
    const ns = r.namespace as string;
    const name = r.name as string;
    const path = (r.path as string | null) ?? null;
    const a: ArtifactRec = {
      id: r.id as number, namespace: ns, name, path, kind: r.kind as NodeKind, rollupId: (r.rollup_id as number | null) ?? null,
      tags: r.tags as string, label: path ?? `${ns}/${name}`, nodeId: `artifact:${ns}/${name}`,
    };
    this.artifacts.set(a.id, a);
    return a;
  }

  private putRun(r: Row): RunRec {
    const run: RunRec = {
      id: r.id as number, uuid: r.run_uuid as string, jobId: (r.job_id as number | null) ?? null, state: r.state as RunState,
      user: (r.user as string | null) ?? null, host: (r.host as string | null) ?? null, parentUuid: (r.parent_run_uuid as string | null) ?? null,
      startedAt: (r.started_at as number | null) ?? null, endedAt: (r.ended_at as number | null) ?? null, lastEventAt: r.last_event_at as number,
      codeVersionId: (r.code_version_id as number | null) ?? null, environmentId: (r.environment_id as number | null) ?? null,
    };
    this.runs.set(run.id, run);
    this.uuidToId.set(run.uuid, run.id);
    return run;
  }

  private putJob(r: Row): JobRec {
    const j: JobRec = { id: r.id as number, namespace: r.namespace as string, name: r.name as string, nodeId: `job:${r.namespace as string}/${r.name as string}` };
    this.jobs.set(j.id, j);
    return j;
  }

  /** Run id by run uuid, or undefined when no such run was ingested. */
  runIdByUuid(uuid: string): number | undefined {
    const hit = this.uuidToId.get(uuid);
    if (hit !== undefined) return hit;
    return this.stmt('SELECT id FROM runs WHERE run_uuid = ?').pluck().get(uuid) as number | undefined;
  }
  private readonly uuidToId = new Map<string, number>();
}

/** A run id for labels: UUIDs shortened to their first 8 characters, other ids (Hopsworks app ids) whole. */
export function shortRunId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(id) ? id.slice(0, 8) : id;
}

/** Short form of a version label for graph nodes: `sha256:1a2b3c4d`, `run:3f2a9c1e`, `7`. */
export function shortVersion(label: string): string {
  const m = /^([A-Za-z0-9_-]+):([0-9a-fA-F-]{12,})$/.exec(label);
  if (m) return `${m[1]}:${m[2]!.slice(0, 8)}`;
  if (/^[0-9a-fA-F]{32,}$/.test(label)) return label.slice(0, 12);
  return label.length > 24 ? label.slice(0, 24) + '…' : label;
}
