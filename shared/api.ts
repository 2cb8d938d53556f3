import type {
  ArtifactRowDto,
  FootprintDto,
  GraphDiffDto,
  Granularity,
  ImpactDirection,
  ImpactDto,
  LatestPipelineDto,
  MostUsedDto,
  RunRowDto,
  SearchDto,
  StalenessDto,
  UpstreamDto,
  WhoRanDto,
} from './lineage-dto';
import type { CatalogPageDto, CatalogRequest } from './catalog-dto';
import type { ReproReportDto, RerunOfferDto, RerunResultDto } from './repro-dto';
import type { RerunExecutionDto, RerunPlanDto, RerunPlanRequest, RerunProgressDto, StartRerunRequest } from './rerun-dto';
import type { ReplayExecutionDto, ReplayPlanDto, ReplayProgressDto, StartReplayRequest } from './replay-dto';
import type { VersionChoiceDto, VersionDiffDto, VersionRefDto } from './version-diff-dto';
import type { TableChangesDto, TableCommitDto, TableDiffDto, TableInfoDto, TablePageDto, TableValueAsOfDto } from './table-dto';
import type { ColumnImpactDto, ColumnLineageDto, DatasetColumnsDto, DatasetSchemaDto } from './columns-dto';
import type {
  GraphChangedDto,
  GraphDto,
  IngestProgressDto,
  NodeKind,
  PingDto,
  RejectedPageDto,
  SnapshotDto,
  StatusDto,
} from './dto';

/**
 * The one contract between the core and any UI. Every method takes one plain JSON object and
 * resolves to plain JSON; errors are AppErrors with a code from shared/errors.ts. The Electron
 * IPC adapter, the HTTP adapter and the direct in-process object all implement exactly this.
 */
export interface RetraceApi {
  /** Echo for liveness checks and transport latency benchmarks. */
  ping(req: { echo?: string }): Promise<PingDto>;
  /** Version, workspace and counts; with `snapshot`, runs and artifacts as of that snapshot (the header while travelling). */
  getStatus(req: { snapshot?: number }): Promise<StatusDto>;
  /** The lineage graph at snapshot `snapshot` (or as of `asOf`), newest when neither is given. */
  getGraph(req: { snapshot?: number; asOf?: string; granularity?: Granularity }): Promise<GraphDto>;
  listSnapshots(req: Record<string, never>): Promise<SnapshotDto[]>;
  /**
   * What changed from snapshot `from` (omitted or 0 = the empty workspace before the first
   * snapshot) to snapshot `to` (omitted = now; never before `from`): nodes and edges added,
   * removed and changed in the graph of that granularity, and the `changes` list (runs ended,
   * versions moved, artifacts appeared or disappeared, table commits with row counts).
   */
  diffSnapshots(req: { from?: number; to?: number; granularity?: Granularity }): Promise<GraphDiffDto>;
  /** Log lines ingestion could not place, with file, line number and reason, oldest first. */
  listRejected(req: { limit?: number; offset?: number }): Promise<RejectedPageDto>;

  /** What a run read, created, modified and deleted (RUN = run id or unique prefix). */
  getFootprint(req: { run: string; snapshot?: number }): Promise<FootprintDto>;
  /**
   * Everything downstream of a run, or of an artifact's version (ARTIFACT = path or namespace/name);
   * with `direction: 'upstream'`, everything upstream of it (the runs that produced what it read,
   * transitively, and their footprints). Call both directions to draw them in two colours.
   */
  getImpact(req: { run?: string; artifact?: string; version?: string; depth?: number; snapshot?: number; direction?: ImpactDirection }): Promise<ImpactDto>;
  /** Where a version came from: producing runs, their inputs, code and environments. */
  getUpstream(req: { artifact: string; version?: string; depth?: number; snapshot?: number }): Promise<UpstreamDto>;
  /** Staleness of one artifact's current version, or of every artifact. */
  getStaleness(req: { artifact?: string; snapshot?: number }): Promise<StalenessDto[]>;
  search(req: { query: string; limit?: number }): Promise<SearchDto>;
  /** Runs, newest first, with `FIELD:value` filters (`_LIKE`, `_LT`, `_LTE`, `_GT`, `_GTE`). */
  listRuns(req: { filterBy?: string[]; sortBy?: string; limit?: number; offset?: number }): Promise<RunRowDto[]>;
  listArtifacts(req: { filterBy?: string[]; sortBy?: string; limit?: number; offset?: number }): Promise<ArtifactRowDto[]>;
  /**
   * The catalogue: one page of every artifact (as the graph draws them) or every run, sorted,
   * filtered and paged on the server, as of a snapshot; `total` sizes a virtualised grid.
   * See CatalogRequest for the columns, sorts and filters.
   */
  listCatalog(req: CatalogRequest): Promise<CatalogPageDto>;
  /**
   * The paper's three questions, each answerable as of a snapshot. `mostUsed` ranks artifacts by
   * distinct reading runs: of one `kind` (default: dataset, feature_group, training_dataset, file),
   * counting only runs that started in [`since`, `until`] (ISO-8601 or epoch ms) when given.
   */
  mostUsed(req: { limit?: number; kind?: NodeKind; since?: string; until?: string; snapshot?: number }): Promise<MostUsedDto[]>;
  latestPipelineUsing(req: { dataset: string; snapshot?: number }): Promise<LatestPipelineDto>;
  whoRan(req: { pipeline: string; snapshot?: number }): Promise<WhoRanDto[]>;

  /** Code, data and environment of a run compared with the current setup. */
  getRepro(req: { run: string }): Promise<ReproReportDto>;
  /** The exact command a re-run would execute, with a single-use token to confirm it. */
  prepareRerun(req: { run: string }): Promise<RerunOfferDto>;
  /** Executes the confirmed plan (no shell) under capture; resolves when it ends. */
  confirmRerun(req: { token: string }): Promise<RerunResultDto>;
  /**
   * A re-run plan — one run, a run and its downstream, or everything stale — as stages in
   * topological order with their pre-flight (warnings, environment, what they overwrite), and a
   * single-use token that confirms exactly this plan.
   */
  prepareRerunPlan(req: RerunPlanRequest): Promise<RerunPlanDto>;
  /** Runs a plan the user was shown (its token and digest); resolves at once, progress follows as onRerunProgress. */
  startRerunPlan(req: StartRerunRequest): Promise<RerunExecutionDto>;
  /** Stops the running stages' process groups and skips the rest. */
  cancelRerunPlan(req: { execution: string }): Promise<{ cancelled: boolean }>;
  /** An execution's state, logs and verdicts so far (for a UI that joins late). */
  getRerunExecution(req: { execution: string }): Promise<RerunExecutionDto>;

  /**
   * Column lineage (shared/columns-dto.ts), every answer as of `snapshot` or `asOf` (default:
   * now). A dataset's columns at that snapshot — searchable (`query`: part of a name) and paged
   * (`offset`, `limit` ≤ 2000, default 200) — each with its direct inputs and its history.
   */
  getDatasetColumns(req: { dataset: string; snapshot?: number; asOf?: string; query?: string; offset?: number; limit?: number }): Promise<DatasetColumnsDto>;
  /**
   * A column's transitive upstream or downstream with depth and transformation types, and the
   * graph node ids the path crosses; NOT_FOUND naming the column and snapshot when it does not
   * exist then. `directOnly` follows DIRECT edges only.
   */
  getColumnLineage(req: { dataset: string; column: string; direction: 'upstream' | 'downstream'; depth?: number; snapshot?: number; asOf?: string; directOnly?: boolean }): Promise<ColumnLineageDto>;
  /** What depends on a column: downstream columns, their datasets, and (version-aware) the models and other artifacts made from them. */
  getColumnImpact(req: { dataset: string; column: string; depth?: number; snapshot?: number; asOf?: string }): Promise<ColumnImpactDto>;
  /**
   * A dataset's schema at a snapshot with a diff against snapshot `against` (0 = before the
   * first); or a Delta table's schema at `tableVersion`, diffed against `againstTableVersion`.
   */
  getDatasetSchema(req: { dataset: string; snapshot?: number; asOf?: string; against?: number; tableVersion?: number; againstTableVersion?: number }): Promise<DatasetSchemaDto>;

  /**
   * A replay of one stage run in a sandbox with the inputs it read restored: the command, every
   * input and how it comes back (or why it cannot), the environment, and a single-use token.
   */
  prepareReplay(req: { run: string }): Promise<ReplayPlanDto>;
  /**
   * Runs a replay the user was shown (its token and digest); refused while inputs cannot be
   * restored unless `acceptMissing`. Resolves at once; progress follows as onReplayProgress.
   */
  startReplay(req: StartReplayRequest): Promise<ReplayExecutionDto>;
  cancelReplay(req: { execution: string }): Promise<{ cancelled: boolean }>;
  /** A replay's state, log and verdict so far. */
  getReplayExecution(req: { execution: string }): Promise<ReplayExecutionDto>;

  /**
   * What changed between two artifact versions along both provenance chains: per aligned stage
   * code, parameters, environment and input data; stages on one side only; metric files.
   */
  diffVersions(req: { a: VersionRefDto; b: VersionRefDto }): Promise<VersionDiffDto>;
  /** Versions to compare an artifact with: its own versions and its sibling version folders. */
  listVersions(req: { artifact: string; limit?: number }): Promise<VersionChoiceDto[]>;

  /** Commits of the Delta table (or completed instants of the Hudi table) behind an artifact, oldest first. */
  getTableHistory(req: { artifact: string }): Promise<TableCommitDto[]>;
  /** Format, protocol and features, the schema as a tree, partitioning and size of the table behind an artifact. */
  getTableInfo(req: { artifact: string; version?: number }): Promise<TableInfoDto>;
  readTablePage(req: { artifact: string; version?: number; offset?: number; limit?: number }): Promise<TablePageDto>;
  /**
   * Version `to` against version `from`: the change feed after `from` up to and including `to`
   * (`changes`, at most `limit`), and the net rows added, removed and changed with the changed
   * cells named (`rows`, at most `limit` from `offset`), matched by the table's key (or `key`).
   */
  diffTable(req: { artifact: string; from: number; to: number; limit?: number; offset?: number; key?: string[] }): Promise<TableDiffDto>;
  /**
   * "Value of key K as of time T": the row with `key` in `keyColumn` (default: the table's key)
   * in the version current at `asOf`, found through the key index, with that version's commit
   * and the equivalent `retrace table read … --as-of T --where COL=K` command.
   */
  tableValueAsOf(req: { artifact: string; key: string; keyColumn?: string; asOf: string }): Promise<TableValueAsOfDto>;
  /**
   * "Rows changed between T1 and T2": the change feed (insert, update_preimage, update_postimage,
   * delete) of the commits in that time range, with the equivalent `retrace table changes
   * … --from-time T1 --to-time T2` command.
   */
  tableChangesBetween(req: { artifact: string; fromTime: string; toTime: string; offset?: number; limit?: number }): Promise<TableChangesDto>;
}

/** Events the core pushes to every connected UI. Names are `on<Noun>`. */
export interface RetraceEvents {
  onGraphChanged: GraphChangedDto;
  onIngestProgress: IngestProgressDto;
  /** A re-run plan's stage status, output and verdicts as they happen. */
  onRerunProgress: RerunProgressDto;
  /** A replay's status, output and, at the end, its verdict. */
  onReplayProgress: ReplayProgressDto;
}

export type ApiMethod = keyof RetraceApi;
export type ApiEvent = keyof RetraceEvents;
export type ApiArg<M extends ApiMethod> = Parameters<RetraceApi[M]>[0];
export type ApiReturn<M extends ApiMethod> = Awaited<ReturnType<RetraceApi[M]>>;

/** Runtime list of methods; `satisfies` fails the build when it drifts from the interface. */
export const API_METHODS = {
  ping: true,
  getStatus: true,
  getGraph: true,
  listSnapshots: true,
  diffSnapshots: true,
  listRejected: true,
  getFootprint: true,
  getImpact: true,
  getUpstream: true,
  getStaleness: true,
  search: true,
  listRuns: true,
  listArtifacts: true,
  listCatalog: true,
  mostUsed: true,
  latestPipelineUsing: true,
  whoRan: true,
  getRepro: true,
  prepareRerun: true,
  confirmRerun: true,
  prepareRerunPlan: true,
  startRerunPlan: true,
  cancelRerunPlan: true,
  getRerunExecution: true,
  getDatasetColumns: true,
  getColumnLineage: true,
  getColumnImpact: true,
  getDatasetSchema: true,
  prepareReplay: true,
  startReplay: true,
  cancelReplay: true,
  getReplayExecution: true,
  diffVersions: true,
  listVersions: true,
  getTableHistory: true,
  getTableInfo: true,
  readTablePage: true,
  diffTable: true,
  tableValueAsOf: true,
  tableChangesBetween: true,
} as const satisfies Record<ApiMethod, true>;

export const API_EVENTS = {
  onGraphChanged: true,
  onIngestProgress: true,
  onRerunProgress: true,
  onReplayProgress: true,
} as const satisfies Record<ApiEvent, true>;

export const API_METHOD_NAMES = Object.keys(API_METHODS) as ApiMethod[];
export const API_EVENT_NAMES = Object.keys(API_EVENTS) as ApiEvent[];

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(API_METHODS, name);
}

export function isApiEvent(name: string): name is ApiEvent {
  return Object.prototype.hasOwnProperty.call(API_EVENTS, name);
}

/** Derived channel names: never typed by hand (STYLE §7). */
export const ipcMethodChannel = (m: ApiMethod): string => `api:${m}`;
export const ipcEventChannel = (e: ApiEvent): string => `evt:${e}`;

/** How a UI subscribes: returns the function that unsubscribes. */
export type Subscribe = <E extends ApiEvent>(event: E, listener: (payload: RetraceEvents[E]) => void) => () => void;

/** What a renderer client offers: the API plus event subscription, whatever the transport. */
export type RetraceClient = RetraceApi & { on: Subscribe };

/** Custom header every `/api/*` request must carry (forces a CORS preflight we never answer). */
export const API_REQUEST_HEADER = 'x-retrace-request';
