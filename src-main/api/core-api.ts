import path from 'node:path';
import type { RetraceApi } from '../../shared/api';
import type { GraphDto, NodeKind, PingDto, RejectedPageDto, SnapshotDto, StatusDto } from '../../shared/dto';
import { AppError } from '../../shared/errors';
import type { GraphDiffDto, Granularity, ImpactDirection } from '../../shared/lineage-dto';
import type { ReproReportDto, RerunOfferDto, RerunResultDto } from '../../shared/repro-dto';
import type { RerunExecutionDto, RerunPlanDto, RerunPlanRequest, RerunProgressDto, StartRerunRequest } from '../../shared/rerun-dto';
import type { ReplayExecutionDto, ReplayPlanDto, ReplayProgressDto, StartReplayRequest } from '../../shared/replay-dto';
import type { VersionChoiceDto, VersionDiffDto, VersionRefDto } from '../../shared/version-diff-dto';
import { ContentStore } from '../content-store/content-store';
import { readStoreConfig } from '../content-store/store-config';
import { diffVersions } from '../version-diff/version-diff';
import { versionChoices } from '../version-diff/version-choices';
import type { TableChangesDto, TableCommitDto, TableDiffDto, TableInfoDto, TablePageDto, TableValueAsOfDto } from '../../shared/table-dto';
import { toCells } from './cells';
import { historyWithRowCounts, tableChangesBetween, type TableRef, tableValueAsOf, versionDiff } from './table-explore';
import type { WritableDb } from '../db/open-db';
import { describeType } from '../lake/conform';
import type { DeltaType } from '../lake/delta-types';
import { readTablePage, tableHistoryOf } from '../lake/table-api';
import { tableFormat, tableInfo } from '../lake/table-info';
import { latestPipelineUsing, mostUsed, whoRan } from '../lineage/read-models/insights';
import { listArtifacts, listRuns } from '../lineage/read-models/filters';
import { search } from '../lineage/read-models/search';
import { compareSnapshots, countsAt } from '../lineage/read-models/snapshot-compare';
import { stalenessOf, upstreamOf } from '../lineage/read-models/upstream';
import { type LineageEngine } from '../lineage/read-models/lineage-engine';
import { liveState } from '../repro/current-state';
import { checkReproducibility } from '../repro/repro-check';
import { executeRerun, planRerun, RerunConfirmations } from '../repro/rerun';
import type { RerunService } from '../repro/rerun-service';
import { createRerunService } from './rerun-wiring';
import type { ReplayService } from '../replay/replay-service';
import { workspacePaths } from '../workspace/workspace-paths';
import { createReplayService } from './replay-wiring';
import { RETRACE_VERSION } from '../../shared/version';
import { requestTime } from './request-time';
import { CatalogService } from './catalog-service';
import type { CatalogPageDto, CatalogRequest } from '../../shared/catalog-dto';
import type { ColumnImpactDto, ColumnLineageDto, DatasetColumnsDto, DatasetSchemaDto } from '../../shared/columns-dto';
import { columnImpact, columnLineage, datasetColumns, datasetSchema } from '../lineage/columns/column-answers';
import type { ColumnsService } from '../lineage/columns/columns-service';
import { openColumnsService } from './columns-wiring';

export interface CoreApiDeps {
  readonly workspaceRoot: string;
  readonly db: WritableDb;
  readonly engine: LineageEngine;
  readonly counts: () => StatusDto['counts'];
  readonly rejected: (page: { limit: number; offset: number }) => RejectedPageDto;
  readonly clock?: () => number;
  /** Where re-run progress goes (the event hub: every connected UI). */
  readonly emitRerunProgress?: (e: RerunProgressDto) => void;
  /** Where replay progress goes. */
  readonly emitReplayProgress?: (e: ReplayProgressDto) => void;
}

/**
 * The one implementation of RetraceApi. Business logic lives in the capability folders; this
 * class maps API requests onto them. Arguments are already validated (see withValidation); a
 * snapshot number that does not exist is refused by the engine (NOT_FOUND naming the range).
 */
export class CoreApi implements RetraceApi {
  private readonly reruns = new RerunConfirmations();
  private readonly catalog: CatalogService;
  private rerunPlans: RerunService | null = null;
  private replayService: ReplayService | null = null;

  constructor(private readonly deps: CoreApiDeps) {
    this.catalog = new CatalogService({ engine: () => this.engine, db: deps.db, workspaceRoot: deps.workspaceRoot, ...(deps.clock ? { clock: deps.clock } : {}) });
  }

  private get engine(): LineageEngine {
    return this.deps.engine;
  }

  async ping(req: { echo?: string }): Promise<PingDto> {
    const now = this.deps.clock?.() ?? Date.now();
    return { echo: req.echo ?? 'pong', at: new Date(now).toISOString() };
  }

  async getStatus(req: { snapshot?: number } = {}): Promise<StatusDto> {
    const counts = this.deps.counts();
    if (req.snapshot === undefined) return { version: RETRACE_VERSION, workspace: this.deps.workspaceRoot, snapshot: null, counts };
    const at = countsAt(this.engine, this.deps.db, req.snapshot);
    return { version: RETRACE_VERSION, workspace: this.deps.workspaceRoot, snapshot: req.snapshot, counts: { ...counts, ...at } };
  }

  async getGraph(req: { snapshot?: number; asOf?: string; granularity?: Granularity }): Promise<GraphDto> {
    if (req.snapshot !== undefined && req.asOf !== undefined) {
      throw new AppError('INVALID_ARGUMENT', 'Give either snapshot or asOf, not both.');
    }
    const opts = req.granularity ? { granularity: req.granularity } : undefined;
    if (req.asOf !== undefined) {
      const t = /^\d+$/.test(req.asOf) ? Number(req.asOf) : Date.parse(req.asOf);
      if (Number.isNaN(t)) throw new AppError('INVALID_ARGUMENT', `asOf "${req.asOf}" is neither an ISO-8601 time nor epoch milliseconds.`);
      const seq = this.engine.snapshotAsOf(t);
      if (seq === null) throw new AppError('NOT_FOUND', `No snapshot exists at or before ${new Date(t).toISOString()}.`);
      return this.engine.graphAt(seq, opts);
    }
    return this.engine.graphAt(req.snapshot, opts);
  }

  async listSnapshots(): Promise<SnapshotDto[]> {
    return this.engine.listSnapshots();
  }

  async diffSnapshots(req: { from?: number; to?: number; granularity?: Granularity }): Promise<GraphDiffDto> {
    return compareSnapshots(this.engine, req.from ?? 0, req.to, req.granularity ? { granularity: req.granularity } : {});
  }

  async listRejected(req: { limit?: number; offset?: number }): Promise<RejectedPageDto> {
    return this.deps.rejected({ limit: req.limit ?? 200, offset: req.offset ?? 0 });
  }

  async getFootprint(req: { run: string; snapshot?: number }) {
    return this.engine.footprint(req.run, { snapshot: req.snapshot });
  }

  async getImpact(req: { run?: string; artifact?: string; version?: string; depth?: number; snapshot?: number; direction?: ImpactDirection }) {
    return this.engine.impact(req);
  }

  async getUpstream(req: { artifact: string; version?: string; depth?: number; snapshot?: number }) {
    return upstreamOf(this.engine, req);
  }

  async getStaleness(req: { artifact?: string; snapshot?: number }) {
    return stalenessOf(this.engine, req);
  }

  async search(req: { query: string; limit?: number }) {
    return search(this.deps.db, req.query, { limit: req.limit });
  }

  async listRuns(req: { filterBy?: string[]; sortBy?: string; limit?: number; offset?: number }) {
    return listRuns(this.deps.db, req);
  }

  async listArtifacts(req: { filterBy?: string[]; sortBy?: string; limit?: number; offset?: number }) {
    return listArtifacts(this.deps.db, req);
  }

  async listCatalog(req: CatalogRequest): Promise<CatalogPageDto> {
    return this.catalog.list(req);
  }

  async mostUsed(req: { limit?: number; kind?: NodeKind; since?: string; until?: string; snapshot?: number }) {
    return mostUsed(this.engine, { limit: req.limit, snapshot: req.snapshot, kinds: req.kind ? [req.kind] : undefined, since: requestTime(req.since, 'since'), until: requestTime(req.until, 'until') });
  }

  async latestPipelineUsing(req: { dataset: string; snapshot?: number }) {
    return latestPipelineUsing(this.engine, req.dataset, { snapshot: req.snapshot });
  }

  async whoRan(req: { pipeline: string; snapshot?: number }) {
    return whoRan(this.engine, req.pipeline, { snapshot: req.snapshot });
  }

  async getRepro(req: { run: string }): Promise<ReproReportDto> {
    const id = this.engine.catalog.resolveRun(req.run);
    return checkReproducibility(this.deps.db, id, liveState(this.deps.workspaceRoot));
  }

  async prepareRerun(req: { run: string }): Promise<RerunOfferDto> {
    const plan = planRerun(this.deps.db, this.engine.catalog.resolveRun(req.run), this.deps.workspaceRoot);
    const { token, expiresAt } = this.reruns.prepare(plan);
    return { ...plan, token, expiresAt: new Date(expiresAt).toISOString() };
  }

  async confirmRerun(req: { token: string }): Promise<RerunResultDto> {
    const plan = this.reruns.take(req.token);
    const r = await executeRerun(plan, this.deps.workspaceRoot, { quiet: true });
    return { run: r.runId, rerunOf: plan.run, exitCode: r.exitCode, signal: r.signal };
  }

  async prepareRerunPlan(req: RerunPlanRequest): Promise<RerunPlanDto> {
    return this.plans.prepare(req);
  }

  async startRerunPlan(req: StartRerunRequest): Promise<RerunExecutionDto> {
    return this.plans.start(req);
  }

  async cancelRerunPlan(req: { execution: string }): Promise<{ cancelled: boolean }> {
    return this.plans.cancel(req.execution);
  }

  async getRerunExecution(req: { execution: string }): Promise<RerunExecutionDto> {
    return this.plans.get(req.execution);
  }

  /** The re-run plans of this workspace (the CLI waits on executions through it). */
  get plans(): RerunService {
    this.rerunPlans ??= createRerunService({
      db: this.deps.db,
      workspaceRoot: this.deps.workspaceRoot,
      engine: () => this.engine,
      emit: (e) => this.deps.emitRerunProgress?.(e),
    });
    return this.rerunPlans;
  }

  async getDatasetColumns(req: { dataset: string; snapshot?: number; asOf?: string; query?: string; offset?: number; limit?: number }): Promise<DatasetColumnsDto> {
    return datasetColumns(this.columns, req);
  }

  async getColumnLineage(req: { dataset: string; column: string; direction: 'upstream' | 'downstream'; depth?: number; snapshot?: number; asOf?: string; directOnly?: boolean }): Promise<ColumnLineageDto> {
    return columnLineage(this.columns, req);
  }

  async getColumnImpact(req: { dataset: string; column: string; depth?: number; snapshot?: number; asOf?: string }): Promise<ColumnImpactDto> {
    return columnImpact(this.columns, req);
  }

  async getDatasetSchema(req: { dataset: string; snapshot?: number; asOf?: string; against?: number; tableVersion?: number; againstTableVersion?: number }): Promise<DatasetSchemaDto> {
    return datasetSchema(this.columns, req);
  }

  /** Column lineage over the engine, made on first use (it keeps the column facets in memory). */
  private get columns(): ColumnsService {
    this.columnsService ??= openColumnsService(this.engine, this.deps.workspaceRoot);
    return this.columnsService;
  }
  private columnsService: ColumnsService | null = null;

  async prepareReplay(req: { run: string }): Promise<ReplayPlanDto> {
    return this.replays.prepare(req);
  }

  async startReplay(req: StartReplayRequest): Promise<ReplayExecutionDto> {
    return this.replays.start(req);
  }

  async cancelReplay(req: { execution: string }): Promise<{ cancelled: boolean }> {
    return this.replays.cancel(req.execution);
  }

  async getReplayExecution(req: { execution: string }): Promise<ReplayExecutionDto> {
    return this.replays.get(req.execution);
  }

  async diffVersions(req: { a: VersionRefDto; b: VersionRefDto }): Promise<VersionDiffDto> {
    const paths = workspacePaths(this.deps.workspaceRoot);
    const store = new ContentStore(paths.dotDir, readStoreConfig(paths.configFile));
    try {
      return diffVersions({ engine: this.engine, db: this.deps.db, workspaceRoot: paths.root, store }, req.a, req.b);
    } finally {
      store.dispose();
    }
  }

  async listVersions(req: { artifact: string; limit?: number }): Promise<VersionChoiceDto[]> {
    return versionChoices(this.engine, this.deps.db, req.artifact, req.limit);
  }

  /** The replays of this workspace (the CLI waits on one through it). */
  get replays(): ReplayService {
    this.replayService ??= createReplayService({
      db: this.deps.db,
      paths: workspacePaths(this.deps.workspaceRoot),
      engine: () => this.engine,
      emit: (e) => this.deps.emitReplayProgress?.(e),
    });
    return this.replayService;
  }

  async getTableHistory(req: { artifact: string }): Promise<TableCommitDto[]> {
    const t = this.tableRef(req.artifact);
    // Hudi tables have instants, not Delta versions: their history comes from the timeline.
    return tableFormat(t.dir) === 'hudi' ? tableHistoryOf(t.dir) : historyWithRowCounts(t);
  }

  async getTableInfo(req: { artifact: string; version?: number }): Promise<TableInfoDto> {
    return tableInfo(this.tableDir(req.artifact), req.version);
  }

  async readTablePage(req: { artifact: string; version?: number; offset?: number; limit?: number }): Promise<TablePageDto> {
    const { artifact, ...page } = req;
    const p = await readTablePage(this.tableDir(artifact), page);
    return {
      version: p.version, format: p.format, ...(p.instant ? { instant: p.instant } : {}), warnings: p.warnings,
      columns: p.columns.map((c) => ({ name: c.name, type: describeType(c.type as DeltaType) })),
      rows: p.rows.map(toCells), offset: p.offset, hasMore: p.hasMore,
    };
  }

  async diffTable(req: { artifact: string; from: number; to: number; limit?: number; offset?: number; key?: string[] }): Promise<TableDiffDto> {
    return versionDiff(this.tableRef(req.artifact), req);
  }

  async tableValueAsOf(req: { artifact: string; key: string; keyColumn?: string; asOf: string }): Promise<TableValueAsOfDto> {
    return tableValueAsOf(this.tableRef(req.artifact), req);
  }

  async tableChangesBetween(req: { artifact: string; fromTime: string; toTime: string; offset?: number; limit?: number }): Promise<TableChangesDto> {
    return tableChangesBetween(this.tableRef(req.artifact), req);
  }

  /** The table behind an artifact with its label and its path from the workspace folder (for commands to copy). */
  private tableRef(artifact: string): TableRef {
    const dir = this.tableDir(artifact);
    return { dir, label: this.engine.catalog.artifact(this.engine.resolveArtifact(artifact)).label, rel: path.relative(path.resolve(this.deps.workspaceRoot), dir) || '.' };
  }

  /** The Delta table folder behind an artifact, confined to the workspace. */
  private tableDir(artifact: string): string {
    const id = this.engine.resolveArtifact(artifact);
    const row = this.deps.db.prepare('SELECT path FROM artifacts WHERE id = ?').get(id) as { path: string | null } | undefined;
    const root = path.resolve(this.deps.workspaceRoot);
    const dir = row?.path ? path.resolve(root, row.path) : null;
    if (!dir || (dir !== root && !dir.startsWith(root + path.sep))) {
      throw new AppError('FORBIDDEN', `${artifact} is not a table inside the workspace; previews stay inside ${root}.`);
    }
    if (!tableFormat(dir)) throw new AppError('NOT_FOUND', `${artifact} is not a Delta or Hudi table (it has neither _delta_log nor .hoodie).`);
    return dir;
  }
}
