/**
 * `LineageEngine`: the lineage queries of issue 4 over one metadata DB, behind an in-memory
 * index that catches up with every ingest batch on the next query and is persisted for
 * cold start. Implements `LineageReader`, the interface the API already uses.
 */
import fs from 'node:fs';
import type { GraphDto, NodeKind, RunState, SnapshotDto } from '../../../shared/dto';
import { AppError } from '../../../shared/errors';
import type { ReadableDb } from '../../db/open-db';
import { provenanceCounts } from '../../provenance/queries';
import { Catalog, shortVersion } from '../index-engine/catalog';
import { RUN_STATE_NAMES } from '../index-engine/columns';
import { FootprintScratch, classesFrom, classNames, footprintTree, opNames } from '../index-engine/footprint';
import { buildGraph } from './graph';
import { HistoryState } from '../index-engine/history';
import { ImpactComputer, type ImpactRaw } from '../index-engine/impact';
import { LineageIndex } from '../index-engine/lineage-index';
import type { LineageReader } from './lineage-reader';
import { type SnapshotEntry, type TableCommitSnapshot, buildSnapshots, eventSeqOf, snapshotAsOf, toDto } from '../index-engine/snapshots';
import type { FootprintDto, FootprintEntryDto, FootprintTreeNode, GraphDiffDto, GraphOptions, ImpactDirection, ImpactDto } from '../../../shared/lineage-dto';
import { diffGraphs } from './diff';

export interface LineageEngineOptions {
  /** Where the index snapshot lives (e.g. `.retrace/lineage-index.bin`); none = no persistence. */
  readonly indexFile?: string;
  /** Table commits to merge into the snapshot list (none yet: the commit store adds them later). */
  readonly commits?: () => readonly TableCommitSnapshot[];
  /** The workspace root, so absolute paths inside it resolve as ARTIFACT arguments. */
  readonly workspaceRoot?: string;
}

export interface ImpactRequest {
  /** A run id (or unique prefix): impact of what it produced. */
  readonly run?: string;
  /** An artifact (path or namespace/name): impact of its current version(s). */
  readonly artifact?: string;
  /** With `artifact`: that version (label or unique prefix) instead of the current one. */
  readonly version?: string;
  /** Run hops to follow (undefined = unbounded). */
  readonly depth?: number;
  /** Compute as of this snapshot (undefined = everything ingested). */
  readonly snapshot?: number;
  /** `downstream` (default): what consumed the start's outputs; `upstream`: what produced its inputs. */
  readonly direction?: ImpactDirection;
}

export class LineageEngine implements LineageReader {
  readonly index: LineageIndex;
  /** Names of what the index refers to by id (replaced when the DB is rebuilt under the engine). */
  catalog: Catalog;
  private readonly impactComputer: ImpactComputer;
  private readonly scratch = new FootprintScratch(1024);
  private snapshotCache: SnapshotEntry[] | null = null;
  /** The two most recently replayed states (a snapshot compare and travelling use two at a time). */
  private historyCache: { key: string; state: HistoryState }[] = [];
  /** The index changed since it was loaded or saved (worth saving again). */
  dirty = false;
  /** How the index was obtained at open: loaded from the file or rebuilt from rows. */
  readonly coldStart: 'loaded' | 'rebuilt';

  private constructor(readonly db: ReadableDb, private readonly opts: LineageEngineOptions, index: LineageIndex, loaded: boolean) {
    this.index = index;
    this.catalog = new Catalog(db);
    this.impactComputer = new ImpactComputer(index);
    this.coldStart = loaded ? 'loaded' : 'rebuilt';
  }

  /** Loads the stored index when it matches the DB (else rebuilds from rows), then catches up. */
  static open(db: ReadableDb, opts: LineageEngineOptions = {}): LineageEngine {
    const stored = opts.indexFile ? LineageIndex.load(opts.indexFile, db) : null;
    const engine = new LineageEngine(db, opts, stored ?? new LineageIndex(), stored !== null);
    engine.refresh();
    return engine;
  }

  /** Folds in ingest batches committed since the last call; cheap (one max() query) when none. */
  refresh(): void {
    const r = this.index.catchUp(this.db);
    if (r.reset) this.catalog = new Catalog(this.db);
    if (r.newAccesses || r.changedRuns.length || r.newEndings || r.reset) {
      this.dirty = true;
      this.catalog.invalidateRuns(r.changedRuns);
      this.snapshotCache = null;
      this.historyCache = [];
    }
  }

  /** Persists the index for the next cold start (best effort: a read-only folder is not an error). */
  save(): boolean {
    if (!this.opts.indexFile) return false;
    try {
      this.index.save(this.opts.indexFile);
      this.dirty = false;
      return true;
    } catch {
      try { fs.rmSync(`${this.opts.indexFile}.${process.pid}.tmp`, { force: true }); } catch { /* nothing to clean */ }
      return false;
    }
  }

  /** The workspace folder the engine resolves paths against, when it was given one. */
  get workspaceRoot(): string | undefined {
    return this.opts.workspaceRoot;
  }

  /** Forget the cached snapshot list (call when the commits provider has new commits). */
  invalidateSnapshots(): void {
    this.snapshotCache = null;
  }

  // ---- LineageReader -------------------------------------------------------------------

  graphAt(seq: number | undefined, opts: GraphOptions = {}): GraphDto {
    this.refresh();
    return buildGraph(this.index, this.catalog, this.history(seq), seq ?? null, opts.granularity ?? 'job');
  }

  snapshotAsOf(atMs: number): number | null {
    this.refresh();
    return snapshotAsOf(this.snapshots(), atMs);
  }

  listSnapshots(): SnapshotDto[] {
    this.refresh();
    return this.snapshots().map(toDto);
  }

  counts(): { runs: number; artifacts: number; rejectedLines: number } {
    return provenanceCounts(this.db);
  }

  // ---- snapshots -----------------------------------------------------------------------

  /** What changed from snapshot `from` to snapshot `to` (undefined = everything ingested). */
  diff(from: number | undefined, to: number | undefined, opts: GraphOptions = {}): GraphDiffDto {
    return diffGraphs(this.graphAt(from, opts), this.graphAt(to, opts));
  }

  /** Snapshot entries with their event seqs (for the other query modules). */
  snapshots(): SnapshotEntry[] {
    if (!this.snapshotCache) this.snapshotCache = buildSnapshots(this.index, this.catalog, this.opts.commits?.() ?? []);
    return this.snapshotCache;
  }

  /** The replayed state after snapshot `seq` (undefined = everything ingested), cached for reuse. */
  history(seq: number | undefined): HistoryState {
    const maxSeq = seq === undefined ? null : eventSeqOf(this.snapshots(), seq);
    const key = `${maxSeq}:${this.index.meta.lastAccessId}:${this.index.meta.lastEventSeq}`;
    let hit = this.historyCache.find((c) => c.key === key);
    if (!hit) this.historyCache = [(hit = { key, state: new HistoryState(this.index, maxSeq) }), ...this.historyCache.slice(0, 1)];
    return hit.state;
  }

  /** The last access id in force at snapshot `seq`. */
  accessLimit(seq: number | undefined): number {
    return seq === undefined ? this.index.meta.lastAccessId : this.index.accessLimit(eventSeqOf(this.snapshots(), seq));
  }

  // ---- footprint -----------------------------------------------------------------------

  /** Footprint of a run (DESIGN §4), per file and rolled up per artifact, optionally as of a snapshot. */
  footprint(run: string, opts: { snapshot?: number } = {}): FootprintDto {
    this.refresh();
    const r = this.catalog.resolveRun(run);
    this.requireStarted(r, opts.snapshot);
    return this.footprintOf(r, opts.snapshot);
  }

  /** A run asked about "as of snapshot k" must have started by then. */
  private requireStarted(r: number, snapshot: number | undefined): void {
    if (snapshot === undefined) return;
    const maxSeq = eventSeqOf(this.snapshots(), snapshot);
    if (this.index.runFirstSeq.data[r]! > maxSeq) {
      throw new AppError('NOT_FOUND', `Run ${this.catalog.run(r).uuid} had not started by snapshot ${snapshot}.`);
    }
  }

  /** Footprint of a run by index id (no argument parsing). */
  footprintOf(r: number, snapshot?: number): FootprintDto {
    const ix = this.index;
    const limit = this.accessLimit(snapshot);
    const s = this.scratch;
    s.fit(ix.meta.lastArtifactId + 1);
    s.compute(ix, r, limit);
    try {
      const lastVer = new Map<number, number>();
      for (let x = ix.runHead.data[r] ?? 0; x !== 0 && x <= limit; x = ix.accNextInRun.data[x]!) lastVer.set(ix.accArt.data[x]!, ix.accVer.data[x]!);
      const entries: FootprintEntryDto[] = s.files.map((f) => {
        const a = this.catalog.artifact(f);
        const v = lastVer.get(f);
        return { artifact: a.label, id: a.nodeId, node: this.catalog.artifact(ix.artRollup.data[f] || f).nodeId, kind: a.kind, classes: classNames(s.fileCls[f]!), ops: opNames(s.fileOps[f]! & 0x7f),
          ...(v ? { version: shortVersion(this.catalog.version(v)) } : {}) };
      }).sort((a, b) => (a.artifact < b.artifact ? -1 : a.artifact > b.artifact ? 1 : 0));
      const files = classesFrom(s.files.map((f) => [this.catalog.artifact(f).label, s.fileCls[f]!] as const));
      const arts = classesFrom(s.arts.map((a) => [this.catalog.artifact(a).label, s.artCls[a]!] as const));
      const rec = this.catalog.run(r);
      return { run: rec.uuid, job: this.catalog.jobLabelOfRun(r), state: this.runStateAt(r, snapshot), classes: files.classes,
        counts: files.counts, artifacts: arts.classes, artifactCounts: arts.counts, entries, snapshot: snapshot ?? null };
    } finally {
      s.reset();
    }
  }

  /** The directory-tree form of a run's footprint (`compact` merges single-child folders). */
  footprintTree(run: string, opts: { snapshot?: number; compact?: boolean } = {}): FootprintTreeNode {
    return footprintTree(this.footprint(run, opts).entries, opts.compact ?? false);
  }

  /** A run's state as of a snapshot: its ending if it had ended by then, else RUNNING. */
  runStateAt(r: number, snapshot: number | undefined): RunState {
    if (snapshot === undefined) return this.catalog.run(r).state;
    const ended = this.history(snapshot).endedState(r);
    return ended ? (RUN_STATE_NAMES[ended] as RunState) : 'RUNNING';
  }

  // ---- impact --------------------------------------------------------------------------

  /** Impact of a run or an artifact version (DESIGN §4), version-aware, with depth and as-of. */
  impact(req: ImpactRequest): ImpactDto {
    this.refresh();
    if (req.depth !== undefined && (!Number.isInteger(req.depth) || req.depth < 0)) {
      throw new AppError('INVALID_ARGUMENT', `Depth ${req.depth} is not a whole number ≥ 0.`);
    }
    const limit = this.accessLimit(req.snapshot);
    let of: string;
    let raw: ImpactRaw;
    if (req.run !== undefined) {
      const r = this.catalog.resolveRun(req.run);
      this.requireStarted(r, req.snapshot);
      of = this.catalog.run(r).uuid;
      raw = this.computeImpact({ run: r }, req, limit);
    } else if (req.artifact !== undefined) {
      const { label, versions } = this.startVersions(req.artifact, req.version, req.snapshot);
      of = label;
      raw = this.computeImpact({ versions }, req, limit);
    } else {
      throw new AppError('INVALID_ARGUMENT', 'Impact needs a run or an artifact to start from.');
    }
    return this.impactDto(of, raw, req);
  }

  private computeImpact(start: { run?: number; versions?: number[] }, req: ImpactRequest, limit: number): ImpactRaw {
    return req.direction === 'upstream'
      ? this.impactComputer.computeUpstream(start, req.depth ?? null, limit)
      : this.impactComputer.compute(start, req.depth ?? null, limit);
  }

  /**
   * Impact starting from a run id or an artifact, whichever the argument names (CLI
   * `impact RUN|ARTIFACT`): an exact run id first, then an artifact, then a run-id prefix.
   */
  impactOf(arg: string, opts: { depth?: number; snapshot?: number; direction?: ImpactDirection } = {}): ImpactDto {
    this.refresh();
    if (this.catalog.runIdByUuid(arg.trim()) !== undefined) return this.impact({ run: arg.trim(), ...opts });
    try {
      return this.impact({ artifact: arg, ...opts });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'NOT_FOUND' || !/^No artifact matches/.test(err.message)) throw err;
    }
    // ARTIFACT@VERSION: a given version (label or unique prefix) of an artifact.
    const at = arg.lastIndexOf('@');
    if (at > 0) {
      try {
        return this.impact({ artifact: arg.slice(0, at), version: arg.slice(at + 1), ...opts });
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'NOT_FOUND' || !/^No artifact matches/.test(err.message)) throw err;
      }
    }
    try {
      return this.impact({ run: arg, ...opts });
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') {
        throw new AppError('NOT_FOUND', `No run or artifact matches "${arg}"; give a run id (or unique prefix), a workspace-relative path, or namespace/name.`);
      }
      throw err;
    }
  }

  /** ARTIFACT argument → artifact id (paths inside the workspace root are accepted too). */
  resolveArtifact(arg: string): number {
    return this.catalog.resolveArtifact(arg, this.opts.workspaceRoot);
  }

  /** The versions an artifact argument stands for: the given one, or the current version of it (or of every file in its folder). */
  startVersions(artifact: string, version: string | undefined, snapshot: number | undefined): { label: string; versions: number[]; artifactId: number } {
    const a = this.catalog.resolveArtifact(artifact, this.opts.workspaceRoot);
    const rec = this.catalog.artifact(a);
    if (version !== undefined) {
      const hits = this.db.prepare('SELECT id, version FROM artifact_versions WHERE artifact_id = ? AND (version = ? OR version LIKE ? ESCAPE \'\\\') ORDER BY version = ? DESC, id LIMIT 3')
        .raw().all(a, version, version.replace(/[\\%_]/g, '\\$&') + '%', version) as [number, string][];
      if (hits.length === 0) throw new AppError('NOT_FOUND', `${rec.label} has no version "${version}".`);
      if (hits.length > 1 && hits[0]![1] !== version) throw new AppError('INVALID_ARGUMENT', `Version "${version}" of ${rec.label} is ambiguous: ${hits.map((h) => h[1]).join(', ')}.`);
      return { label: `${rec.label}@${hits[0]![1]}`, versions: [hits[0]![0]], artifactId: a };
    }
    const h = this.history(snapshot);
    const versions: number[] = [];
    for (const f of h.seen) {
      if ((f === a || this.index.artRollup.data[f] === a) && h.curVer[f] && h.state[f] === 1) versions.push(h.curVer[f]!);
    }
    if (versions.length === 0) throw new AppError('NOT_FOUND', `${rec.label} has no current version${snapshot === undefined ? '' : ` at snapshot ${snapshot}`}.`);
    const label = versions.length === 1 ? `${rec.label}@${this.catalog.version(versions[0]!)}` : rec.label;
    return { label, versions, artifactId: a };
  }

  private impactDto(of: string, raw: ImpactRaw, req: ImpactRequest): ImpactDto {
    const cat = this.catalog;
    if (raw.runs.length > 2000) cat.loadAll();
    const files = classesFrom(raw.files.map((f) => [cat.artifact(f).label, raw.fileBits[f]!] as const));
    const arts = classesFrom(raw.arts.map((a) => [cat.artifact(a).label, raw.artBits[a]!] as const));
    const byKind: Partial<Record<NodeKind, number>> = {};
    for (const a of raw.arts) {
      const k = cat.artifact(a).kind;
      byKind[k] = (byKind[k] ?? 0) + 1;
    }
    const runDetails = raw.runs.map((r, i) => ({ run: cat.run(r).uuid, job: cat.jobLabelOfRun(r), depth: raw.depths[i]!, state: this.runStateAt(r, req.snapshot) }));
    runDetails.sort((a, b) => a.depth - b.depth || (a.run < b.run ? -1 : a.run > b.run ? 1 : 0));
    const entries = raw.files.map((f) => ({ artifact: cat.artifact(f).label, kind: cat.artifact(f).kind, classes: classNames(raw.fileBits[f]!),
      node: cat.artifact(this.index.artRollup.data[f] || f).nodeId }))
      .sort((a, b) => (a.artifact < b.artifact ? -1 : a.artifact > b.artifact ? 1 : 0));
    return {
      of, direction: req.direction ?? 'downstream', runs: runDetails.map((d) => d.run), runDetails, artifacts: entries.map((e) => e.artifact), entries,
      classes: files.classes, counts: files.counts, artifactClasses: arts.classes, artifactCounts: arts.counts, byKind,
      depth: req.depth ?? null, maxDepthReached: raw.maxDepthReached, snapshot: req.snapshot ?? null,
    };
  }

  /** Impact without names (ids and counts only): what the benchmark times. */
  impactRaw(start: { run?: number; versions?: number[] }, depth: number | null = null, limit = this.index.meta.lastAccessId): ImpactRaw {
    return this.impactComputer.compute(start, depth, limit);
  }
}
