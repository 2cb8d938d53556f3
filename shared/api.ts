import type {
  GraphChangedDto,
  GraphDto,
  IngestProgressDto,
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
  getStatus(req: Record<string, never>): Promise<StatusDto>;
  /** The lineage graph at snapshot `snapshot` (or as of `asOf`), newest when neither is given. */
  getGraph(req: { snapshot?: number; asOf?: string }): Promise<GraphDto>;
  listSnapshots(req: Record<string, never>): Promise<SnapshotDto[]>;
  /** Log lines ingestion could not place, with file, line number and reason, oldest first. */
  listRejected(req: { limit?: number; offset?: number }): Promise<RejectedPageDto>;
}

/** Events the core pushes to every connected UI. Names are `on<Noun>`. */
export interface RetraceEvents {
  onGraphChanged: GraphChangedDto;
  onIngestProgress: IngestProgressDto;
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
  listRejected: true,
} as const satisfies Record<ApiMethod, true>;

export const API_EVENTS = {
  onGraphChanged: true,
  onIngestProgress: true,
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
