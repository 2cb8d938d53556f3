/**
 * The catalogue (issue 13 §6): every artifact and every run as a sortable, filterable table,
 * paged on the server so a virtualised grid can scroll 100,000 rows. Each row names the graph
 * node it focuses.
 */
import type { NodeKind, RunState } from './dto';
import type { AxisVerdict } from './repro-dto';

/** How an artifact is stored: a file, a folder of files, a Delta or Hudi table, or something not on this file system. */
export type ArtifactFormat = 'file' | 'folder' | 'delta' | 'hudi' | 'external';

export const CATALOG_ARTIFACT_SORTS = ['artifact', 'kind', 'format', 'version', 'lastWrite', 'lastRead', 'stale'] as const;
export const CATALOG_RUN_SORTS = ['run', 'job', 'state', 'user', 'startedAt', 'endedAt', 'durationMs', 'exitCode'] as const;
export type CatalogArtifactSort = (typeof CATALOG_ARTIFACT_SORTS)[number];
export type CatalogRunSort = (typeof CATALOG_RUN_SORTS)[number];

/**
 * One page of the catalogue. `sort` names a column (artifacts: one of CATALOG_ARTIFACT_SORTS,
 * default `artifact`; runs: one of CATALOG_RUN_SORTS, default newest `startedAt` first); rows
 * without a value sort last either way. `filter` keeps rows containing it, ignoring case, in
 * any text column (artifacts: label, kind, format, version; runs: run id, job, user, state).
 * `kind` and `stale` narrow artifacts, `state` narrows runs. The reproducibility summary is not
 * sortable or filterable: it is measured against the files on disk now, for the page's rows
 * only (`repro: false` skips it).
 */
export interface CatalogRequest {
  readonly what: 'artifacts' | 'runs';
  readonly sort?: CatalogArtifactSort | CatalogRunSort;
  readonly desc?: boolean;
  readonly filter?: string;
  readonly kind?: NodeKind;
  readonly stale?: boolean;
  readonly state?: RunState;
  readonly offset?: number;
  /** At most 1,000 (default 100). */
  readonly limit?: number;
  /** As of this snapshot (default: everything ingested). */
  readonly snapshot?: number;
  readonly repro?: boolean;
}

/** A run that wrote or read an artifact: its id, job and when it ended (or started, if it had not ended). */
export interface CatalogRunRefDto {
  readonly run: string;
  readonly job: string | null;
  readonly at: string | null;
}

export interface CatalogArtifactRowDto {
  /** Graph node id (`artifact:<ns>/<name>`). */
  readonly id: string;
  /** Workspace path or namespace/name. */
  readonly artifact: string;
  readonly kind: NodeKind;
  readonly format: ArtifactFormat;
  /** The version the graph shows (full label) and its short form; null when none is known. */
  readonly version: string | null;
  readonly versionShort: string | null;
  /** The last run that wrote it (created, modified or deleted a file of it) and the last that read it. */
  readonly lastWriter: CatalogRunRefDto | null;
  readonly lastReader: CatalogRunRefDto | null;
  readonly stale: boolean;
  /** The first reason it is stale, as one sentence (null when fresh). */
  readonly staleReason: string | null;
}

export interface CatalogRunRowDto {
  readonly run: string;
  /** The node that stands for the run in the job graph: its stage (`job:<ns>/<name>`), or `run:<id>` for a run without a job. */
  readonly id: string;
  /** The run's own node in the run graph (`run:<id>`). */
  readonly runId: string;
  readonly job: string | null;
  /** As of the snapshot: RUNNING when it had not ended by then. */
  readonly state: RunState;
  readonly user: string | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly durationMs: number | null;
  /** From the run's `retrace_command` facet, when it has one. */
  readonly exitCode: number | null;
  /** Code, data and environment compared with the current setup; null when not asked for or not computable. */
  readonly repro: { readonly code: AxisVerdict; readonly data: AxisVerdict; readonly environment: AxisVerdict } | null;
}

interface CatalogPageBase {
  /** Rows matching the filters (what a virtualised grid sizes itself by). */
  readonly total: number;
  /** Rows before filtering. */
  readonly all: number;
  readonly offset: number;
  readonly snapshot: number | null;
}

export type CatalogPageDto =
  | (CatalogPageBase & { readonly what: 'artifacts'; readonly rows: CatalogArtifactRowDto[] })
  | (CatalogPageBase & { readonly what: 'runs'; readonly rows: CatalogRunRowDto[] });
