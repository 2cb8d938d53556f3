/**
 * Column-level lineage over one workspace (issue 19): the API's and the CLI's column answers,
 * as of any snapshot. It keeps the column_facets rows in memory beside the lineage engine's
 * index (caught up on every call), reads Delta table schemas through an injected reader (the
 * commit store's, wired in the composition root), and builds a ColumnView per snapshot asked
 * about. DTO shaping lives in column-answers.ts.
 */
import { AppError } from '../../../shared/errors';
import type { ReadableDb } from '../../db/open-db';
import type { Catalog } from '../index-engine/catalog';
import type { LineageEngine } from '../read-models/lineage-engine';
import { eventSeqOf, type SnapshotEntry } from '../index-engine/snapshots';
import { ColumnFacetIndex } from './column-facet-index';
import { ColumnTexts } from './column-texts';
import { ColumnView, type TableColumns } from './column-view';
import { DatasetRegistry, type DatasetInfo } from './dataset-registry';
import type { SchemaState, StatePoint } from './schema-diff';

/** A Delta table's columns at a version (the commit store's schema, column mapping included). */
export type TableSchemaReader = (dir: string, version: number) => Promise<TableColumns['columns']>;

export interface ColumnsServiceOptions {
  readonly workspaceRoot: string;
  /** Null when the workspace has no Delta tables (the commit store need not load). */
  readonly tableSchema?: TableSchemaReader | null;
}

/** A snapshot argument resolved: its number (null = now) and event seq (null = everything). */
export interface At {
  readonly snapshot: number | null;
  readonly maxSeq: number | null;
}

export class ColumnsService {
  readonly datasets: DatasetRegistry;
  readonly texts: ColumnTexts;
  readonly facets: ColumnFacetIndex;
  private catalog: Catalog;
  private readonly views: { key: string; view: ColumnView; warnings: string[] }[] = [];
  private readonly tableCache = new Map<string, Promise<TableColumns | string>>();

  constructor(readonly engine: LineageEngine, private readonly opts: ColumnsServiceOptions) {
    this.catalog = engine.catalog;
    this.datasets = new DatasetRegistry(engine.db, engine.catalog);
    this.texts = new ColumnTexts(engine.db, this.datasets);
    this.facets = new ColumnFacetIndex(this.texts, this.datasets);
  }

  get db(): ReadableDb {
    return this.engine.db;
  }

  /** Catches up with ingest: the lineage index, then the column rows (all over again when the DB was rebuilt). */
  sync(): void {
    this.engine.refresh();
    const reset = this.engine.catalog !== this.catalog;
    if (reset) {
      this.catalog = this.engine.catalog;
      this.datasets.reset(this.catalog);
      this.texts.clear();
      this.views.length = 0;
      this.resolved.clear();
      this.producers.clear();
      this.producerStmt = null;
    }
    if (this.facets.catchUp(this.engine.db, reset) > 0) this.views.length = 0;
  }

  /** `snapshot` or `asOf` (ISO-8601 or epoch ms) → the snapshot answered; neither = now. */
  at(req: { snapshot?: number; asOf?: string | number }): At {
    if (req.snapshot !== undefined && req.asOf !== undefined) throw new AppError('INVALID_ARGUMENT', 'Give either a snapshot or an as-of time, not both.');
    let k = req.snapshot;
    if (req.asOf !== undefined) {
      const t = typeof req.asOf === 'number' ? req.asOf : /^\d+$/.test(req.asOf) ? Number(req.asOf) : Date.parse(req.asOf);
      if (Number.isNaN(t)) throw new AppError('INVALID_ARGUMENT', `"${req.asOf}" is neither an ISO-8601 time nor epoch milliseconds.`);
      const found = this.engine.snapshotAsOf(t);
      if (found === null) throw new AppError('NOT_FOUND', `No snapshot exists at or before ${new Date(t).toISOString()}.`);
      k = found;
    }
    return k === undefined ? { snapshot: null, maxSeq: null } : { snapshot: k, maxSeq: eventSeqOf(this.engine.snapshots(), k) };
  }

  /** "at snapshot 4" / "at the latest snapshot (9)": how answers and errors name the snapshot. */
  describe(at: At): string {
    if (at.snapshot !== null) return `at snapshot ${at.snapshot}`;
    const n = this.engine.snapshots().length;
    return n ? `at the latest snapshot (${n})` : 'now (the workspace has no snapshots yet)';
  }

  /** DATASET argument → registry key: an artifact (path or namespace/name), else a dataset only column lineage names. */
  resolve(dataset: string): number {
    this.sync();
    const stamp = `${this.engine.index.meta.lastArtifactId}:${this.facets.rows}`;
    if (this.resolvedAt !== stamp) {
      this.resolved.clear();
      this.resolvedAt = stamp;
    }
    const hit = this.resolved.get(dataset);
    if (hit !== undefined) return hit;
    const key = this.resolveUncached(dataset);
    this.resolved.set(dataset, key);
    return key;
  }
  /** DATASET arguments already resolved, while no artifact or facet came in (the inspector asks for the same few again and again). */
  private readonly resolved = new Map<string, number>();
  private resolvedAt = '';

  private resolveUncached(dataset: string): number {
    try {
      return this.datasets.keyOfArtifact(this.engine.resolveArtifact(dataset));
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'NOT_FOUND') throw err;
    }
    // Datasets only lineage names were interned when the texts naming them were read.
    const hits = this.datasets.find(dataset.trim());
    if (hits.length === 1) return hits[0]!;
    throw new AppError('NOT_FOUND', `No dataset matches "${dataset}"; give it as \`retrace graph\` labels it (a workspace-relative path, or namespace/name).`);
  }

  info(key: number): DatasetInfo {
    return this.datasets.info(key, this.engine.index.meta.lastArtifactId);
  }

  /** The column graph at a snapshot, with the Delta tables' schemas of that snapshot loaded. */
  async view(at: At): Promise<{ view: ColumnView; warnings: string[] }> {
    this.sync();
    const ix = this.engine.index;
    const cacheKey = `${at.snapshot}:${ix.meta.lastEventSeq}:${ix.meta.lastAccessId}:${this.facets.rows}`;
    const hit = this.views.find((v) => v.key === cacheKey);
    if (hit) return hit;
    const versions = this.tableVersions(at.snapshot);
    const { tables, warnings } = await this.loadTables(versions);
    const entry = { key: cacheKey, view: new ColumnView(ix, this.facets, this.texts, this.datasets, at.maxSeq, tables), warnings };
    this.views.unshift(entry);
    this.views.length = Math.min(this.views.length, 4);
    return entry;
  }

  /** A view for one dataset's own columns at a snapshot (only its own table's schema is loaded). */
  async viewFor(art: number, snapshot: number): Promise<ColumnView> {
    const v = this.tableVersions(snapshot).get(art);
    const { tables } = await this.loadTables(v === undefined ? new Map() : new Map([[art, v]]));
    return new ColumnView(this.engine.index, this.facets, this.texts, this.datasets, eventSeqOf(this.engine.snapshots(), snapshot), tables);
  }

  /**
   * The Delta table version of every known table at snapshot `k` (null = latest): its last commit
   * recorded at or before the snapshot's event — and, for a commit a captured run made, only once
   * that run has ended: as with declared schemas, a run's output counts from its completion, so
   * the table version and the schema its writer declared change together.
   */
  tableVersions(k: number | null): Map<number, number> {
    const snaps = this.engine.snapshots();
    const maxSeq = k === null ? Number.MAX_SAFE_INTEGER : eventSeqOf(snaps, k);
    const ix = this.engine.index;
    const out = new Map<number, number>();
    for (const s of this.lists().commits) {
      if (s.eventSeq > maxSeq) continue;
      const run = this.producerOf(s.table!.artifactId, s.table!.version);
      const end = run ? ix.runEnd.data[run] ?? 0 : 0;
      if (run && k !== null && (end === 0 || ix.endEventSeq.data[end]! > maxSeq)) continue;
      out.set(s.table!.artifactId, s.table!.version);
    }
    return out;
  }

  private producerOf(art: number, version: number): number {
    const key = `${art}@${version}`;
    let p = this.producers.get(key);
    if (p === undefined) {
      this.producerStmt ??= this.engine.db.prepare('SELECT producing_run_id FROM artifact_versions WHERE artifact_id = ? AND version = ?').pluck();
      p = (this.producerStmt.get(art, String(version)) as number | null | undefined) ?? 0;
      this.producers.set(key, p);
    }
    return p;
  }
  private readonly producers = new Map<string, number>();

  /**
   * The snapshot list's table commits, and each run's ending snapshot, derived once per snapshot
   * list (a workspace of 100,000 runs has as many snapshots; scanning them per question showed).
   */
  private lists(): { commits: SnapshotEntry[]; runSnapshot: Map<number, number> } {
    const snaps = this.engine.snapshots();
    if (this.listsOf?.snaps !== snaps) {
      const commits = snaps.filter((s) => s.table !== undefined);
      const runSnapshot = new Map<number, number>();
      for (const s of snaps) if (s.runId !== undefined) runSnapshot.set(s.runId, s.seq);
      this.listsOf = { snaps, commits, runSnapshot };
    }
    return this.listsOf;
  }
  private listsOf: { snaps: readonly SnapshotEntry[]; commits: SnapshotEntry[]; runSnapshot: Map<number, number> } | null = null;
  private producerStmt: { get(...a: unknown[]): unknown } | null = null;

  /** Table schemas by artifact; a table that cannot be read is left out with a warning. */
  async loadTables(versions: ReadonlyMap<number, number>): Promise<{ tables: Map<number, TableColumns>; warnings: string[] }> {
    const tables = new Map<number, TableColumns>();
    const warnings: string[] = [];
    for (const [art, version] of versions) {
      const t = await this.tableAt(art, version);
      if (typeof t === 'string') warnings.push(t);
      else tables.set(art, t);
    }
    return { tables, warnings };
  }

  tableAt(art: number, version: number): Promise<TableColumns | string> {
    const read = this.opts.tableSchema;
    const a = this.catalog.artifact(art);
    if (!read || a.path === null) return Promise.resolve(`${a.label} is a Delta table, but its schema cannot be read here.`);
    const dir = a.path.startsWith('/') ? a.path : `${this.opts.workspaceRoot.replace(/\/+$/, '')}/${a.path}`;
    const key = `${dir}@${version}`;
    let p = this.tableCache.get(key);
    if (!p) {
      p = read(dir, version).then(
        (columns) => ({ version, columns }),
        (err: unknown) => `The schema of ${a.label} at table version ${version} could not be read: ${(err as Error).message}`,
      );
      this.tableCache.set(key, p);
    }
    return p;
  }

  /**
   * The states of a dataset's own schema at every snapshot up to `k` where it may have changed:
   * endings of the runs that wrote it, its table commits, and new input schemas of a source.
   */
  async statePoints(key: number, k: number | null): Promise<StatePoint[]> {
    const ix = this.engine.index;
    const cacheKey = `${key}:${k}:${ix.meta.lastEventSeq}:${this.facets.rows}`;
    const hit = this.points.get(cacheKey);
    if (hit) return hit;
    const out = await this.computeStatePoints(key, k);
    if (this.points.size >= 32) this.points.delete(this.points.keys().next().value!);
    this.points.set(cacheKey, out);
    return out;
  }
  /** Recent answers of statePoints (the inspector pages through one dataset's columns). */
  private readonly points = new Map<string, StatePoint[]>();

  private async computeStatePoints(key: number, k: number | null): Promise<StatePoint[]> {
    const art = this.datasets.artifactOf(key, this.engine.index.meta.lastArtifactId);
    if (art === 0) return [];
    const snaps = this.engine.snapshots();
    const last = k ?? snaps.length;
    const points = new Set<number>();
    const { commits, runSnapshot: byRun } = this.lists();
    const w = this.facets.writerEnds(this.engine.index, art);
    for (let i = 0; w && i < w.runs.length; i++) {
      const seq = byRun.get(w.runs[i]!);
      if (seq !== undefined && seq <= last) points.add(seq);
    }
    for (const s of commits) if (s.seq <= last && s.table!.artifactId === art) points.add(s.seq);
    for (const seq of this.facets.inputSchemaSeqs(art)) {
      const s = firstAtOrAfter(snaps, seq);
      if (s !== null && s <= last) points.add(s);
    }
    const out: StatePoint[] = [];
    for (const seq of [...points].sort((x, y) => x - y)) {
      const view = await this.viewFor(art, seq);
      const own = view.ownColumns(key);
      out.push({ snapshot: seq, at: snaps[seq - 1]!.at, ...(own.table ? { tableVersion: own.table.version } : {}), state: stateOf(view, key) });
    }
    return out;
  }
}

/** A dataset's own schema in a view, with each column's DIRECT inputs (for rename recognition). */
export function stateOf(view: ColumnView, key: number): SchemaState {
  const own = view.ownColumns(key);
  const inputs = new Map<string, Set<string>>();
  for (const n of own.names) {
    const set = new Set<string>();
    for (const e of view.inputs(key, n)) if (e.direct && !e.datasetLevel) set.add(`${e.key}\u0000${e.column}`);
    inputs.set(n, set);
  }
  return { names: own.names, types: own.types, physical: own.physical, inputs };
}

/** The first snapshot at or after an event (snapshots are in event order). */
function firstAtOrAfter(snaps: readonly SnapshotEntry[], eventSeq: number): number | null {
  let lo = 0, hi = snaps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (snaps[mid]!.eventSeq >= eventSeq) hi = mid;
    else lo = mid + 1;
  }
  return lo < snaps.length ? snaps[lo]!.seq : null;
}
