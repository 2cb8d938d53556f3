/**
 * The write side of the provenance DB. Entities (jobs, runs, artifacts, versions) live in
 * in-memory caches while a batch is applied and are written once per batch, inside the same
 * transaction as the batch's events and source offsets (exactly-once). If a commit throws,
 * the caches no longer match the DB: the store marks itself broken and must be recreated.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { RunState } from '../../shared/dto';
import { AppError } from '../../shared/errors';
import type { WritableDb } from '../db/open-db';
import { type ArtifactEntity, type BatchSummary, CACHE_LIMITS, type CacheLimits, type FtsDoc, type JobEntity, type RunEntity, type SourceState, accessKey, emptySummary } from './entities';
import { RowBuffer, type RowOf } from '../db/row-writer';
import { type BatchSink, InlineSink } from './batch-sink';
import { ACCESSES, ARTIFACTS, CODE_VERSIONS, COLUMN_FACETS, COLUMN_TEXTS, EVENTS, RUN_ENDINGS, RUNS, SEARCH_DOCS, VERSIONS } from './hot-tables';
import { sha1Base64 } from './facets';
import type { WriteBatch } from './write-batch';
import { AgingMap, AgingPairMap } from './aging-cache';
import { DigestSet, FingerprintSet, isSha1Base64 } from './key-sets';
import type { Facets, WarningKind } from './records';

type Stmt = BetterSqlite3.Statement<unknown[], unknown>;

export class ProvenanceStore {
  /** The SHA-1 of every event ever accepted (a line read again is skipped). */
  readonly seenDigests: DigestSet;
  /**
   * Keys that exist in the DB or were created in this session: a key not in these is new, and
   * costs no SELECT (most keys in a fresh log are new, and a missed index lookup per entity was
   * a tenth of ingest time). A fingerprint's rare false yes only costs a SELECT that finds nothing.
   */
  private readonly knownRuns = new FingerprintSet();
  private readonly knownArtifacts = new FingerprintSet();
  private readonly knownHashes = new FingerprintSet();
  readonly sources = new Map<string, SourceState>();
  nextSeq: number;
  nextEndSeq: number;
  private nextIds: Record<'run' | 'artifact' | 'version' | 'job' | 'access' | 'source' | 'code' | 'env' | 'columnFacet' | 'columnText', number>;
  /** Hash → id of every stored schema / column-lineage body (a body is stored once). */
  private readonly columnTextIds = new Map<string, number>();
  private readonly runs: AgingMap<RunEntity>;
  private readonly artifacts: AgingPairMap<ArtifactEntity>;
  private readonly jobs = new Map<string, JobEntity>();
  private readonly codeIds: AgingMap<number>;
  private readonly envIds: AgingMap<number>;
  readonly dirtyRuns = new Set<RunEntity>();
  readonly dirtyArtifacts = new Set<ArtifactEntity>();
  /**
   * Entities whose search document changed (a subset of the dirty ones): most writes only move
   * a run's `last_seq` or an artifact's current version, which are not searchable, and
   * re-indexing a contentless FTS5 row (delete + insert) was the largest single cost of a batch.
   */
  readonly searchRuns = new Set<RunEntity>();
  readonly searchArtifacts = new Set<ArtifactEntity>();
  readonly dirtyJobs = new Set<JobEntity>();
  readonly dirtySources = new Set<SourceState>();
  readonly warnings = new Map<WarningKind, number>();
  /** Rows queued for the current batch, flushed by `commit`. */
  readonly pending = {
    events: new RowBuffer(EVENTS),
    accesses: new RowBuffer(ACCESSES),
    versions: new RowBuffer(VERSIONS),
    versionStats: [] as unknown[][],
    endings: new RowBuffer(RUN_ENDINGS),
    rejected: [] as unknown[][],
    codes: new RowBuffer(CODE_VERSIONS),
    columnTexts: new RowBuffer(COLUMN_TEXTS),
    columnFacets: new RowBuffer(COLUMN_FACETS),
    envs: [] as unknown[][],
    packages: [] as unknown[][],
  };
  /** Rows built at commit time from the dirty entities. */
  private readonly newRuns = new RowBuffer(RUNS);
  private readonly newArtifacts = new RowBuffer(ARTIFACTS);
  private readonly searchDocs = new RowBuffer(SEARCH_DOCS);
  /** Version id → index of its row in `pending.versions` (stats of a version not yet written are folded into its row). */
  private readonly pendingVersionAt = new Map<number, number>();
  summary: BatchSummary = emptySummary();
  private broken = false;
  private readonly s: Record<string, Stmt>;

  constructor(readonly db: WritableDb, private readonly sink: BatchSink = new InlineSink(db), limits: CacheLimits = CACHE_LIMITS) {
    this.runs = new AgingMap(limits.runs);
    this.artifacts = new AgingPairMap(limits.artifacts);
    this.codeIds = new AgingMap(limits.hashIds);
    this.envIds = new AgingMap(limits.hashIds);
    const max = (t: string, c = 'id') => (db.prepare(`SELECT coalesce(max(${c}), 0) AS m FROM ${t}`).get() as { m: number }).m + 1;
    this.nextSeq = max('events', 'seq');
    this.nextEndSeq = max('run_endings', 'seq');
    this.nextIds = {
      run: max('runs'), artifact: max('artifacts'), version: max('artifact_versions'), job: max('jobs'),
      access: max('accesses'), source: max('prov_sources'), code: max('code_versions'), env: max('environments'),
      columnFacet: max('column_facets'), columnText: max('column_texts'),
    };
    for (const [h, id] of db.prepare('SELECT hash, id FROM column_texts').raw().iterate() as Iterable<[string, number]>) this.columnTextIds.set(h, id);
    this.seenDigests = new DigestSet(this.nextSeq);
    for (const [h] of db.prepare('SELECT hash FROM events').raw().iterate() as Iterable<[string]>) {
      // Every stored hash is a SHA-1's base64; anything else could not match a new line anyway.
      if (isSha1Base64(h)) this.seenDigests.add(h);
    }
    for (const [u] of db.prepare('SELECT run_uuid FROM runs').raw().iterate() as Iterable<[string]>) this.knownRuns.add(u);
    for (const [n, m] of db.prepare('SELECT namespace, name FROM artifacts').raw().iterate() as Iterable<[string, string]>) this.knownArtifacts.addPair(n, m);
    for (const [h] of db.prepare('SELECT hash FROM code_versions UNION ALL SELECT hash FROM environments').raw().iterate() as Iterable<[string]>) this.knownHashes.add(h);
    for (const r of db.prepare('SELECT * FROM prov_sources').all() as Record<string, unknown>[]) {
      this.sources.set(r.path as string, {
        id: r.id as number, path: r.path as string, format: r.format as 'lines' | 'document', dev: r.dev as number,
        ino: r.ino as number, size: r.size as number, offset: r.offset as number, nextLine: r.next_line as number,
        lastEventAt: r.last_event_at as number | null, committedOffset: r.offset as number,
        head: r.head_hash ? { length: r.head_length as number, hash: r.head_hash as string } : null,
      });
    }
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      runGet: p(`SELECT runs.*, jobs.namespace || ' ' || jobs.name AS job_label FROM runs LEFT JOIN jobs ON jobs.id = runs.job_id
        WHERE run_uuid = ?`),
      runAccessKeys: p('SELECT origin, artifact_id, op, version_id FROM accesses WHERE run_id = ? ORDER BY id'),
      artGet: p('SELECT * FROM artifacts WHERE namespace = ? AND name = ?'),
      artVersions: p('SELECT id, version FROM artifact_versions WHERE artifact_id = ?'),
      jobGet: p('SELECT * FROM jobs WHERE namespace = ? AND name = ?'),
      codeGet: p('SELECT id FROM code_versions WHERE hash = ?'),
      envGet: p('SELECT id FROM environments WHERE hash = ?'),
    };
  }

  source(path: string, format: 'lines' | 'document'): SourceState {
    let s = this.sources.get(path);
    if (!s) {
      s = { id: this.nextIds.source++, path, format, dev: 0, ino: 0, size: 0, offset: 0, nextLine: 1, lastEventAt: null, committedOffset: null, head: null };
      this.sources.set(path, s);
    }
    return s;
  }

  warn(kind: WarningKind, n = 1): void {
    this.warnings.set(kind, (this.warnings.get(kind) ?? 0) + n);
  }

  newId(kind: 'access' | 'version'): number {
    return this.nextIds[kind]++;
  }

  /** Queues a new `artifact_versions` row. */
  addVersion(id: number, artifactId: number, label: string, kind: string, size: number | null, rowCount: number | null,
    producingRunId: number | null, at: number, seq: number): void {
    const row = this.pending.versions.add({ id, artifact_id: artifactId, version: label, version_kind: kind, size, row_count: rowCount,
      producing_run_id: producingRunId, created_at: at, seq });
    this.pendingVersionAt.set(id, row);
  }

  /** The id of a schema or column-lineage body (`refs`: a lineage body's datasets), queuing it when it is new. */
  columnText(body: string, refs: string | null = null): number {
    const hash = sha1Base64(body);
    let id = this.columnTextIds.get(hash);
    if (id === undefined) {
      id = this.nextIds.columnText++;
      this.columnTextIds.set(hash, id);
      this.pending.columnTexts.add({ id, hash, body, refs });
    }
    return id;
  }

  /** Queues a `column_facets` row: what one event said about one dataset's columns. */
  addColumnFacet(runId: number, artifactId: number, role: 'input' | 'output', seq: number, schemaId: number | null, lineageId: number | null): void {
    this.pending.columnFacets.add({ id: this.nextIds.columnFacet++, run_id: runId, artifact_id: artifactId, role, seq, schema_id: schemaId, lineage_id: lineageId });
  }

  /** `size = coalesce(size', size), row_count = coalesce(rowCount', row_count)` of a version. */
  versionStats(id: number, size: number | null, rowCount: number | null): void {
    if (size === null && rowCount === null) return;
    const at = this.pendingVersionAt.get(id);
    if (at === undefined) {
      this.pending.versionStats.push([size, rowCount, id]);
      return;
    }
    if (size !== null) this.pending.versions.set(at, 'size', size);
    if (rowCount !== null) this.pending.versions.set(at, 'row_count', rowCount);
  }

  job(namespace: string, name: string): JobEntity {
    const key = namespace + '\u0000' + name;
    let j = this.jobs.get(key);
    if (j) return j;
    const row = this.s.jobGet!.get(namespace, name) as { id: number; facets: string } | undefined;
    j = row
      ? { id: row.id, namespace, name, facets: JSON.parse(row.facets) as Facets, facetsJson: row.facets, isNew: false }
      : { id: this.nextIds.job++, namespace, name, facets: {}, facetsJson: '{}', isNew: true };
    if (j.isNew) this.dirtyJobs.add(j);
    this.jobs.set(key, j);
    return j;
  }

  /** The cached run, loading it from the DB on first use; `undefined` when unknown. */
  findRun(uuid: string): RunEntity | undefined {
    const hit = this.runs.get(uuid);
    if (hit) return hit;
    if (!this.knownRuns.mightHave(uuid)) return undefined;
    const r = this.s.runGet!.get(uuid) as Record<string, unknown> | undefined;
    if (!r) return undefined;
    const run: RunEntity = {
      id: r.id as number, uuid, origin: r.origin as RunEntity['origin'], isNew: false, jobId: r.job_id as number | null,
      jobLabel: r.job_label as string | null,
      state: r.state as RunState, stateAt: r.last_event_at as number, startedAt: r.started_at as number | null,
      endedAt: r.ended_at as number | null, lastEventAt: r.last_event_at as number, user: r.user as string | null,
      host: r.host as string | null, parentRunUuid: r.parent_run_uuid as string | null, command: r.command as string | null,
      cwd: r.cwd as string | null, exitCode: r.exit_code as number | null, errorMessage: r.error_message as string | null,
      codeVersionId: r.code_version_id as number | null, environmentId: r.environment_id as number | null,
      facets: JSON.parse(r.facets as string) as Facets, firstSeq: r.first_seq as number, lastSeq: r.last_seq as number,
      endSeq: r.end_seq as number | null, accessKeys: null, hadDatasets: false, touched: new Map(), created: new Set(), columnTexts: new Map(),
    };
    this.runs.set(uuid, run);
    return run;
  }

  createRun(uuid: string, origin: RunEntity['origin'], seq: number, at: number, state: RunState): RunEntity {
    const run: RunEntity = {
      id: this.nextIds.run++, uuid, origin, isNew: true, jobId: null, jobLabel: null, state, stateAt: at, startedAt: null, endedAt: null,
      lastEventAt: at, user: null, host: null, parentRunUuid: null, command: null, cwd: null, exitCode: null,
      errorMessage: null, codeVersionId: null, environmentId: null, facets: {}, firstSeq: seq, lastSeq: seq, endSeq: null,
      accessKeys: new Set(), hadDatasets: false, touched: new Map(), created: new Set(), columnTexts: new Map(),
    };
    this.runs.set(uuid, run);
    this.searchRuns.add(run);
    this.knownRuns.add(uuid);
    this.summary.newRuns++;
    return run;
  }

  accessKeys(run: RunEntity): Set<string> {
    if (!run.accessKeys) {
      run.accessKeys = new Set();
      // Rebuild the run's in-memory fold state from its accesses, so a run continued after a
      // restart (or a cache eviction) folds exactly as if the process had never stopped.
      for (const [origin, a, op, v] of this.s.runAccessKeys!.raw().iterate(run.id) as Iterable<[string, number, string, number]>) {
        if (origin === 'file_op') continue;
        run.accessKeys.add(accessKey(origin, a, op, v));
        if (origin === 'input' || origin === 'output') run.hadDatasets = true;
        if (op !== 'DELETE') run.touched.set(a, v);
        if (op === 'CREATE') run.created.add(a);
      }
    }
    return run.accessKeys;
  }

  artifact(namespace: string, name: string, init: () => { path: string | null; kind: string; rollupId: number | null }, seq: number): ArtifactEntity {
    let a = this.artifacts.get(namespace, name);
    if (a) return a;
    const row = this.knownArtifacts.mightHavePair(namespace, name) ? (this.s.artGet!.get(namespace, name) as Record<string, unknown> | undefined) : undefined;
    if (row) {
      a = {
        id: row.id as number, namespace, name, path: row.path as string | null, kind: row.kind as string,
        tags: JSON.parse(row.tags as string) as string[], rollupId: row.rollup_id as number | null,
        currentVersionId: row.current_version_id as number | null, facets: JSON.parse(row.facets as string) as Facets,
        facetsJson: row.facets as string, firstSeq: row.first_seq as number, isNew: false, versions: null,
      };
    } else {
      const i = init();
      a = { id: this.nextIds.artifact++, namespace, name, path: i.path, kind: i.kind, tags: [], rollupId: i.rollupId,
        currentVersionId: null, facets: {}, facetsJson: '{}', firstSeq: seq, isNew: true, versions: new Map() };
      this.dirtyArtifacts.add(a);
      this.searchArtifacts.add(a);
      this.knownArtifacts.addPair(namespace, name);
      this.summary.newArtifacts++;
    }
    this.artifacts.set(namespace, name, a);
    return a;
  }

  versionsOf(a: ArtifactEntity): Map<string, number> {
    if (!a.versions) {
      a.versions = new Map();
      for (const [id, v] of this.s.artVersions!.raw().iterate(a.id) as Iterable<[number, string]>) a.versions.set(v, id);
    }
    return a.versions;
  }

  codeVersionId(hash: string, fields: () => Omit<RowOf<typeof CODE_VERSIONS.columns>, 'id' | 'hash'>): number {
    let id = this.codeIds.get(hash) ?? (this.knownHashes.mightHave(hash) ? (this.s.codeGet!.get(hash) as { id: number } | undefined)?.id : undefined);
    if (id === undefined) {
      id = this.nextIds.code++;
      this.knownHashes.add(hash);
      this.pending.codes.add({ id, hash, ...fields() });
    }
    this.codeIds.set(hash, id);
    return id;
  }

  environmentId(hash: string, row: () => unknown[], packages: readonly { name: string; version: string }[]): number {
    let id = this.envIds.get(hash) ?? (this.knownHashes.mightHave(hash) ? (this.s.envGet!.get(hash) as { id: number } | undefined)?.id : undefined);
    if (id === undefined) {
      id = this.nextIds.env++;
      this.knownHashes.add(hash);
      this.pending.envs.push([id, hash, ...row()]);
      for (const p of packages) this.pending.packages.push([id, p.name, p.version]);
    }
    this.envIds.set(hash, id);
    return id;
  }

  /**
   * Hands everything queued since the last commit, plus the offsets, to the sink as one batch
   * (one transaction). With a writer thread it may still be being written when this returns;
   * `drain` waits for it.
   */
  commit(ftsDocs: () => FtsDoc[]): BatchSummary {
    if (this.broken) throw new AppError('INTERNAL', 'The provenance store failed earlier in this process; open a new one.');
    const summary = this.summary;
    const p = this.pending;
    const jobInserts: unknown[][] = [];
    const jobUpdates: unknown[][] = [];
    for (const j of this.dirtyJobs) {
      if (j.isNew) jobInserts.push([j.id, j.namespace, j.name, j.facetsJson]);
      else jobUpdates.push([j.facetsJson, j.id]);
    }
    const runUpdates: unknown[][] = [];
    for (const r of this.dirtyRuns) {
      const facets = JSON.stringify(r.facets);
      if (r.isNew) {
        this.newRuns.add({ id: r.id, run_uuid: r.uuid, origin: r.origin, job_id: r.jobId, state: r.state, started_at: r.startedAt,
          ended_at: r.endedAt, last_event_at: r.lastEventAt, user: r.user, host: r.host, parent_run_uuid: r.parentRunUuid,
          command: r.command, cwd: r.cwd, exit_code: r.exitCode, error_message: r.errorMessage, code_version_id: r.codeVersionId,
          environment_id: r.environmentId, facets, first_seq: r.firstSeq, last_seq: r.lastSeq, end_seq: r.endSeq });
      } else {
        runUpdates.push([r.jobId, r.state, r.startedAt, r.endedAt, r.lastEventAt, r.user, r.host, r.parentRunUuid, r.command,
          r.cwd, r.exitCode, r.errorMessage, r.codeVersionId, r.environmentId, facets, r.lastSeq, r.endSeq, r.id]);
      }
    }
    const artifactUpdates: unknown[][] = [];
    for (const a of this.dirtyArtifacts) {
      const tags = JSON.stringify(a.tags);
      if (a.isNew) {
        this.newArtifacts.add({ id: a.id, namespace: a.namespace, name: a.name, path: a.path, kind: a.kind, tags, rollup_id: a.rollupId,
          current_version_id: a.currentVersionId, facets: a.facetsJson, first_seq: a.firstSeq });
      } else artifactUpdates.push([a.kind, tags, a.rollupId, a.currentVersionId, a.facetsJson, a.id]);
    }
    const searchDeletes: number[] = [];
    for (const d of ftsDocs()) {
      if (!d.isNew) searchDeletes.push(d.rowid);
      this.searchDocs.add({ doc: d.rowid, name: d.name, path: d.path, job: d.job, command: d.command, user: d.user, tags: d.tags, facets: d.facets });
    }
    const batch: WriteBatch = {
      codes: p.codes.take(), envs: p.envs, packages: p.packages, jobInserts, jobUpdates,
      runs: this.newRuns.take(), runUpdates, artifacts: this.newArtifacts.take(), artifactUpdates,
      versions: p.versions.take(), versionStats: p.versionStats, events: p.events.take(), accesses: p.accesses.take(),
      endings: p.endings.take(), columnTexts: p.columnTexts.take(), columnFacets: p.columnFacets.take(), rejected: p.rejected, warnings: [...this.warnings], searchDeletes, search: this.searchDocs.take(),
      sources: [...this.dirtySources].map((src) => ({ id: src.id, path: src.path, format: src.format, dev: src.dev, ino: src.ino, size: src.size,
        offset: src.offset, nextLine: src.nextLine, lastEventAt: src.lastEventAt, headLength: src.head?.length ?? null,
        headHash: src.head?.hash ?? null, expectedOffset: src.committedOffset })),
    };
    try {
      this.sink.write(batch);
    } catch (err) {
      this.broken = true;
      throw err;
    }
    for (const r of this.dirtyRuns) r.isNew = false;
    for (const a of this.dirtyArtifacts) a.isNew = false;
    for (const j of this.dirtyJobs) j.isNew = false;
    for (const src of this.dirtySources) src.committedOffset = src.offset;
    this.dirtyRuns.clear();
    this.dirtyArtifacts.clear();
    this.searchRuns.clear();
    this.searchArtifacts.clear();
    this.dirtyJobs.clear();
    this.dirtySources.clear();
    this.warnings.clear();
    for (const k of ['versionStats', 'rejected', 'envs', 'packages'] as const) p[k] = [];
    this.pendingVersionAt.clear();
    this.summary = emptySummary();
    // Bounded memory on long logs: an entity unused for a generation is reloaded by its unique
    // key when seen again (aging-cache.ts says why this needs no wait for the writer).
    for (const c of [this.runs, this.artifacts, this.codeIds, this.envIds]) c.age();
    return summary;
  }

  /** Waits until every batch handed to the sink is committed (throws its failure). */
  drain(): void {
    try {
      this.sink.drain();
    } catch (err) {
      this.broken = true;
      throw err;
    }
  }

  get hasPending(): boolean {
    return this.pending.events.count > 0 || this.pending.rejected.length > 0 || this.dirtySources.size > 0;
  }
}
