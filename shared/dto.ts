/**
 * Data that crosses the API boundary. Plain JSON only: strings for ids, ISO-8601 strings for
 * times, no class instances, so IPC, HTTP and fixtures behave the same (STYLE §5).
 */

/** Artifact kinds (DESIGN §4) plus the two process kinds the graph draws. */
export const NODE_KINDS = [
  'dataset',
  'feature_group',
  'training_dataset',
  'model',
  'experiment',
  'code',
  'environment',
  'file',
  'job',
  'run',
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export const EDGE_KINDS = ['reads', 'writes', 'parent', 'uses_code', 'uses_environment', 'instance_of'] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

export type RunState = 'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL' | 'OTHER';

export interface GraphNodeDto {
  /** Stable across snapshots: `artifact:<ns>/<name>`, `job:<ns>/<name>`, `run:<runId>`. */
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  /** Current version at this snapshot (content hash prefix or table version), when known. */
  readonly version?: string;
  /** Run state, for run and job nodes. */
  readonly state?: RunState;
  /** Set when the node's newest version is stale (DESIGN §4). */
  readonly stale?: boolean;
  /**
   * Job and run nodes: `namespace/name` of the pipeline they run in (the job at the root of the
   * parent-run chain), when there is one. The explorer groups a pipeline's stages under it.
   */
  readonly pipeline?: string;
  /** Run nodes: `namespace/name` of the run's job (its stage), so runs can be laid out in their stage's lane. */
  readonly job?: string;
  /** Run nodes: ISO start time, and end time when the run had ended by this snapshot. */
  readonly startedAt?: string;
  readonly endedAt?: string;
}

export interface GraphEdgeDto {
  /** `${source}|${target}|${kind}` */
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly kind: EdgeKind;
}

/** The whole lineage graph at one snapshot (null = the newest). */
export interface GraphDto {
  readonly snapshot: number | null;
  readonly nodes: readonly GraphNodeDto[];
  readonly edges: readonly GraphEdgeDto[];
}

export interface SnapshotDto {
  readonly seq: number;
  /** ISO-8601 */
  readonly at: string;
  readonly kind: 'run' | 'commit';
  readonly label: string;
}

export interface StatusDto {
  readonly version: string;
  /** Absolute folder of the open workspace. */
  readonly workspace: string;
  /** The snapshot `counts` are as of (runs and artifacts known by then); null = everything ingested. */
  readonly snapshot?: number | null;
  /** `rejectedLines` is always the whole workspace's. */
  readonly counts: {
    readonly runs: number;
    readonly artifacts: number;
    readonly rejectedLines: number;
  };
}

export interface GraphChangedDto {
  readonly newRuns: number;
  readonly newArtifacts: number;
  readonly newVersions: number;
  /** ISO-8601 time of the commit that changed the graph. */
  readonly at: string;
}

export interface IngestProgressDto {
  readonly file: string;
  readonly bytesRead: number;
  readonly bytesTotal: number;
  readonly events: number;
  readonly done: boolean;
}

export interface PingDto {
  readonly echo: string;
  readonly at: string;
}

/** A log line that could not be placed (DESIGN §3): kept, listed, never fatal. */
export interface RejectedLineDto {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
  /** The first characters of the line, control characters replaced. */
  readonly excerpt: string;
}

export interface RejectedPageDto {
  readonly total: number;
  readonly items: readonly RejectedLineDto[];
}
