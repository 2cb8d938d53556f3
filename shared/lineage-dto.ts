/**
 * Result types of the lineage engine (issue 4). Plain JSON-safe data: strings for ids, ISO-8601
 * strings for times, no class instances, so they can move into shared/dto.ts unchanged.
 *
 * Artifacts are named by their *label*: the workspace-relative path (or absolute HopsFS path)
 * when the artifact has a path, else `namespace/name` (DESIGN §8 "artifact paths or namespace/name").
 * Graph node ids (`artifact:<ns>/<name>`, `job:<ns>/<name>`, `run:<runId>`) appear beside labels
 * where a UI needs to select the node.
 */
import type { GraphDto, NodeKind, RunState } from './dto';

/** The Hopsworks footprint classes (notes/hopsworks-provenance.md §2.6), in the order ALL labels them. */
export const FOOTPRINT_CLASSES = ['INPUT', 'OUTPUT_MODIFIED', 'OUTPUT_ADDED', 'OUTPUT_REMOVED', 'OUTPUT_TMP'] as const;
export type FootprintClass = (typeof FOOTPRINT_CLASSES)[number];

/** Class → sorted artifact labels. Invariant: a label may sit in several classes (e.g. INPUT and OUTPUT_MODIFIED). */
export type FootprintClasses = Record<FootprintClass, string[]>;
/** Class → how many artifacts, plus `ALL` = distinct artifacts in any class. */
export type FootprintCounts = Record<FootprintClass | 'ALL', number>;

export type AccessOp = 'READ' | 'CREATE' | 'MODIFY' | 'DELETE' | 'RENAME' | 'OTHER';

export interface FootprintEntryDto {
  /** Artifact label (path or namespace/name). */
  readonly artifact: string;
  /** Graph node id of the artifact (`artifact:<ns>/<name>`). */
  readonly id: string;
  /** The graph node that draws it: its artifact folder's for a file inside one, else `id` (always set by the core). */
  readonly node?: string;
  readonly kind: NodeKind;
  /** Classes this artifact falls in; empty when only OTHER ops (metadata) touched it. */
  readonly classes: FootprintClass[];
  /** Distinct operations the run performed on it, in READ, CREATE, MODIFY, DELETE, RENAME order. */
  readonly ops: AccessOp[];
  /** The version the run last read or wrote (short form), when known. */
  readonly version?: string;
}

/**
 * Footprint of one run (DESIGN §4). `classes`/`counts`/`entries` are per file; `artifacts`/
 * `artifactCounts` are rolled up to artifact folders (a create/delete of a file inside an
 * artifact folder is a modification of the artifact).
 */
export interface FootprintDto {
  readonly run: string;
  readonly job: string | null;
  readonly state: RunState;
  readonly classes: FootprintClasses;
  readonly counts: FootprintCounts;
  readonly artifacts: FootprintClasses;
  readonly artifactCounts: FootprintCounts;
  readonly entries: FootprintEntryDto[];
  /** The snapshot the footprint was computed at (null = everything ingested). */
  readonly snapshot: number | null;
}

/** The directory-tree form of a footprint (Hopsworks MIN_TREE / FULL_TREE). */
export interface FootprintTreeNode {
  /** One path segment (a compacted node joins several with `/`). */
  readonly name: string;
  /** The path from the root to this node. */
  readonly path: string;
  /** Only on leaves (artifacts): the classes of this artifact. */
  readonly classes?: FootprintClass[];
  /** Artifacts below (leaves: 1 per class it is in). */
  readonly counts: FootprintCounts;
  readonly children: FootprintTreeNode[];
}

export interface ImpactedRunDto {
  readonly run: string;
  readonly job: string | null;
  /** 1 = consumed a version the starting point produced directly (upstream: produced a version it read). */
  readonly depth: number;
  readonly state: RunState;
}

/** Which way impact is followed: to what consumed the start's outputs, or to what produced its inputs. */
export type ImpactDirection = 'downstream' | 'upstream';

/**
 * Impact of a run or an artifact version (DESIGN §4): the union of the footprints of every run
 * that consumed (read) a version produced downstream of the starting point, version-aware.
 * Upstream is the mirror image: the union of the footprints of every run that produced a
 * version the starting point read (or produced the starting version), transitively.
 */
export interface ImpactDto {
  /** The starting point: a run id, or `label@version`. */
  readonly of: string;
  readonly direction: ImpactDirection;
  /** Impacted run ids (the starting run excluded), by depth then id. */
  readonly runs: string[];
  readonly runDetails: ImpactedRunDto[];
  /** Every artifact label in the union of footprints, sorted. */
  readonly artifacts: string[];
  /**
   * The same artifacts with their kind and classes (what the CSV export lists), and `node`: the
   * graph node that draws them (their artifact folder's when they are a file inside one).
   */
  readonly entries: { readonly artifact: string; readonly kind: NodeKind; readonly classes: FootprintClass[]; readonly node: string }[];
  readonly classes: FootprintClasses;
  readonly counts: FootprintCounts;
  readonly artifactClasses: FootprintClasses;
  readonly artifactCounts: FootprintCounts;
  /** Rolled-up artifacts in the union, per artifact kind. */
  readonly byKind: Partial<Record<NodeKind, number>>;
  readonly depth: number | null;
  /** The deepest level reached. */
  readonly maxDepthReached: number;
  readonly snapshot: number | null;
}

export type StaleReasonCode = 'INPUT_NEWER' | 'INPUT_DELETED' | 'CODE_CHANGED' | 'ENVIRONMENT_CHANGED';

export interface StaleReasonDto {
  readonly code: StaleReasonCode;
  /**
   * One human sentence, e.g. "data/train.csv has a newer version sha256:9f8e1a2b… (the producing
   * run read sha256:1a2b3c4d…)." or "The code of ns/train changed in run 3f2a9c1e: train.py modified."
   */
  readonly message: string;
  /** The input artifact (INPUT_*), or the later run (CODE_/ENVIRONMENT_CHANGED). */
  readonly artifact?: string;
  /**
   * Full values on both sides: versions (INPUT_*), git shas or code hashes (CODE_CHANGED: the git
   * shas when they differ, else the code versions' hashes), environment hashes. Never equal.
   */
  readonly readVersion?: string;
  readonly currentVersion?: string;
  /** Short forms of the two for display, long enough to differ from each other. */
  readonly readShort?: string;
  readonly currentShort?: string;
  readonly run?: string;
  /**
   * What differs, in full. CODE_CHANGED: `{from, to: {hash, gitSha, dirtyDiffHash}, files:
   * [{path, change: modified|added|removed, from, to}]}`; ENVIRONMENT_CHANGED: `{from, to: {hash,
   * interpreter, os, arch}, packages: [{name, from, to}]}` (null = absent on that side).
   */
  readonly details?: Record<string, unknown>;
}

export interface StalenessDto {
  readonly artifact: string;
  readonly id: string;
  readonly version: string;
  /** The run that produced this version; null for versions nobody produced (sources). */
  readonly producedBy: string | null;
  readonly stale: boolean;
  readonly reasons: StaleReasonDto[];
}

export interface UpstreamInputDto {
  readonly artifact: string;
  readonly version: string;
  /** The run that produced the version read, or null for a source. */
  readonly producedBy: string | null;
}

export interface UpstreamRunDto {
  readonly run: string;
  readonly job: string | null;
  readonly state: RunState;
  /** ISO time the run ended (or started), when known. */
  readonly at: string | null;
  readonly user: string | null;
  /** 1 = produced the version asked about. */
  readonly depth: number;
  readonly code: { readonly hash: string; readonly gitSha: string | null } | null;
  readonly environment: { readonly hash: string; readonly interpreter: string | null } | null;
  readonly inputs: UpstreamInputDto[];
  readonly outputs: { readonly artifact: string; readonly version: string }[];
}

/** "Where did this come from": producing runs back to the sources. */
export interface UpstreamDto {
  readonly of: { readonly artifact: string; readonly version: string };
  readonly runs: UpstreamRunDto[];
  /** Versions read somewhere upstream that no recorded run produced. */
  readonly sources: { readonly artifact: string; readonly version: string }[];
  readonly depth: number | null;
}

export interface SearchResultDto {
  readonly kind: NodeKind | 'user';
  /** Graph node id (`run:…`, `job:…`, `artifact:…`) or `user:<name>`. */
  readonly id: string;
  readonly label: string;
  /** Higher is better (negated bm25 when ranked; 0 when the hit set was too large to rank). */
  readonly score: number;
}

export interface SearchDto {
  readonly results: SearchResultDto[];
  /** False when there were too many hits to rank cheaply (results are then in index order). */
  readonly ranked: boolean;
}

export interface MostUsedDto {
  readonly artifact: string;
  readonly id: string;
  readonly kind: NodeKind;
  /** Distinct runs that read any version of it. */
  readonly readers: number;
}

export interface LatestPipelineDto {
  /** The pipeline (the top-level job of the run that read the dataset). */
  readonly pipeline: string;
  /** Graph node id of the pipeline's job (`job:<ns>/<name>`); null when only a parent facet named it. */
  readonly pipelineId: string | null;
  /** The pipeline run (the root of the reading run's parent chain). */
  readonly run: string;
  /** The run that read the dataset. */
  readonly consumerRun: string;
  /** `namespace/name` of the reading run's job (its stage). */
  readonly consumerJob: string | null;
  /** When the reading run ended (as of the snapshot asked about: else when it started). */
  readonly at: string;
}

export interface WhoRanDto {
  readonly user: string | null;
  readonly run: string;
  readonly at: string;
  /** The code version the run used (the pipeline's latest). */
  readonly code: string | null;
}

export interface RunRowDto {
  readonly run: string;
  readonly job: string | null;
  readonly state: RunState;
  readonly user: string | null;
  readonly host: string | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly parentRun: string | null;
  /** From START to the end, when both are known. */
  readonly durationMs: number | null;
  /** From the run's `retrace_command` facet, when it has one. */
  readonly exitCode: number | null;
}

export interface ArtifactRowDto {
  readonly artifact: string;
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind: NodeKind;
  readonly tags: string[];
  readonly version: string | null;
  /** The artifact folder it rolls up to, when it is a file inside one. */
  readonly rollup: string | null;
}

export interface GraphNodeChangeDto {
  readonly id: string;
  readonly before: { readonly version?: string; readonly state?: RunState; readonly stale?: boolean };
  readonly after: { readonly version?: string; readonly state?: RunState; readonly stale?: boolean };
}

/** What changed between two snapshots' graphs. */
export interface GraphDiffDto {
  readonly from: number | null;
  readonly to: number | null;
  readonly nodes: { readonly added: string[]; readonly removed: string[]; readonly changed: GraphNodeChangeDto[] };
  readonly edges: { readonly added: string[]; readonly removed: string[] };
  /** The "what changed" list behind the coloured nodes (present on diffSnapshots answers). */
  readonly changes?: SnapshotChangesDto;
}

/** A run that ended after snapshot A, up to and including snapshot B. */
export interface ChangedRunDto {
  readonly run: string;
  /** Graph node id in run granularity (`run:<id>`). */
  readonly id: string;
  /** `namespace/name` of its job and that job's graph node id (job granularity), when it has one. */
  readonly job: string | null;
  readonly jobId: string | null;
  /** How it ended. */
  readonly state: RunState;
  /** ISO time it ended. */
  readonly at: string;
  readonly user: string | null;
  /** The snapshot its ending is. */
  readonly snapshot: number;
}

/** An artifact (as the graph draws it) whose version at B differs from its version at A. */
export interface ChangedVersionDto {
  readonly artifact: string;
  readonly id: string;
  readonly kind: NodeKind;
  /** Full version labels (content hash or table version). */
  readonly before: string;
  readonly after: string;
  /** Short forms for display, long enough to differ from each other. */
  readonly beforeShort: string;
  readonly afterShort: string;
}

/** An artifact that is drawn at B but not at A (appeared), or at A but not at B (disappeared). */
export interface AppearedArtifactDto {
  readonly artifact: string;
  readonly id: string;
  readonly kind: NodeKind;
  /** Its version at B (appeared) or at A (disappeared), when known. */
  readonly version: string | null;
}

/** A table commit that is a snapshot in (A, B], with its row counts. */
export interface ChangedCommitDto {
  /** The table's artifact label and graph node id. */
  readonly table: string;
  readonly id: string;
  readonly version: number;
  /** ISO commit time. */
  readonly at: string;
  readonly operation: string;
  readonly rowsInserted: number;
  readonly rowsUpdated: number;
  readonly rowsDeleted: number;
  readonly snapshot: number;
}

/**
 * Everything that happened from snapshot A (exclusive) to snapshot B (inclusive): the runs that
 * ended, the artifact versions that moved, the artifacts that appeared or disappeared, and the
 * table commits — each row naming the graph node it focuses. Runs and commits in snapshot
 * order; artifacts by label.
 */
export interface SnapshotChangesDto {
  readonly runs: ChangedRunDto[];
  readonly versions: ChangedVersionDto[];
  readonly appeared: AppearedArtifactDto[];
  readonly disappeared: AppearedArtifactDto[];
  readonly commits: ChangedCommitDto[];
}

export type Granularity = 'job' | 'run';

export interface GraphOptions {
  /** `job` (default): jobs as nodes; `run`: runs as nodes with `instance_of` and `parent` edges. */
  readonly granularity?: Granularity;
}

export type { GraphDto };
