/**
 * "What changed between these two versions?" (issue 15): two artifact versions compared along
 * their whole upstream provenance. Both chains are walked back to the sources and aligned —
 * stage with stage (by job name) and input with input (by path, or by role: the same path with
 * other version numbers in it) — and every aligned stage is compared for code, parameters,
 * environment and input data. Plain JSON crossing the API.
 */
import type { PackageChangeDto, ValueChangeDto } from './rerun-dto';

/** An artifact (path or namespace/name) and, optionally, one of its versions (label or unique prefix). */
export interface VersionRefDto {
  readonly artifact: string;
  readonly version?: string;
}

export interface RunRefDto {
  readonly run: string;
  readonly job: string | null;
  readonly at: string | null;
  /** The run's node in the lineage graph (`run:<uuid>`), and its stage's (`job:<ns>/<name>`, the node the stages view draws). */
  readonly nodeId: string;
  readonly jobNodeId: string | null;
}

export interface CodeFileDiffDto {
  readonly path: string;
  readonly change: 'changed' | 'added' | 'removed';
  readonly a: string | null;
  readonly b: string | null;
  /** Lines added and removed, when both versions' text is in the content store. */
  readonly added: number | null;
  readonly removed: number | null;
  /** A unified diff of the text (3 lines of context), when both versions are in the store. */
  readonly diff: string | null;
  readonly note?: string;
}

export interface ArgDiffDto {
  /** Position in argv (0 = the program). */
  readonly position: number;
  readonly a: string | null;
  readonly b: string | null;
}

export interface ConfigDiffDto {
  /** The config file (A's path; B's when only B read one). */
  readonly file: string;
  readonly fileB?: string;
  readonly changes: readonly ValueChangeDto[];
  readonly moreChanges: number;
  readonly note?: string;
}

export interface EnvComparisonDto {
  readonly a: { readonly interpreter: string | null; readonly os: string | null; readonly arch: string | null };
  readonly b: { readonly interpreter: string | null; readonly os: string | null; readonly arch: string | null };
  readonly packages: readonly PackageChangeDto[];
  readonly same: boolean;
  /** "fastmath added (1.4.0)", "python 3.11.7 → 3.12.1; numpy 1.26.4 → 2.1.0", "the same environment". */
  readonly summary: string;
}

/**
 * Why an input differs. `source`: not made by any stage both chains share — a root cause
 * (new or changed source data, or data from stages on one side only). `upstream`: made by an
 * aligned stage that differs, so it follows from that stage's differences. `own-history`: the
 * table or file the stage itself updates (its state before the run).
 */
export type InputCause = 'source' | 'upstream' | 'own-history';

export interface TableCommitSummaryDto {
  readonly version: number;
  readonly operation: string;
  readonly rowsInserted: number;
  readonly rowsUpdated: number;
  readonly rowsDeleted: number;
}

export interface InputDiffDto {
  /** The input (B's path when both sides have it). */
  readonly artifact: string;
  /** A's path when the two are aligned by role under different paths (churn_td_2/train.csv ↔ churn_td_4/train.csv). */
  readonly artifactA?: string;
  readonly kind: 'file' | 'table' | 'dataset';
  readonly change: 'changed' | 'only-a' | 'only-b';
  readonly versionA: string | null;
  readonly versionB: string | null;
  readonly cause: InputCause;
  /** Who made each version (null: a source). */
  readonly producedByA: RunRefDto | null;
  readonly producedByB: RunRefDto | null;
  readonly nodeId: string;
  /** Delta tables: the commits between the two versions read, with their row counts. */
  readonly table?: { readonly from: number; readonly to: number; readonly commits: readonly TableCommitSummaryDto[]; readonly note?: string };
  /** Files: sizes, and the values or lines that differ when both versions are stored and small. */
  readonly file?: {
    readonly sizeA: number | null;
    readonly sizeB: number | null;
    readonly changes?: readonly ValueChangeDto[];
    readonly moreChanges?: number;
    readonly diff?: string;
    readonly added?: number;
    readonly removed?: number;
    readonly note?: string;
  };
}

export interface StageDiffDto {
  /** The stage (job name) both runs belong to. */
  readonly stage: string;
  readonly a: RunRefDto;
  readonly b: RunRefDto;
  /** Run hops from the compared versions (1 = made them). */
  readonly depth: number;
  /** Nothing differs but (possibly) derived inputs. */
  readonly same: boolean;
  /** `changed`: a code file differs, or — for a stage that recorded no code files — the git sha. */
  readonly code: { readonly gitA: string | null; readonly gitB: string | null; readonly files: readonly CodeFileDiffDto[]; readonly changed: boolean };
  readonly parameters: { readonly argvA: readonly string[] | null; readonly argvB: readonly string[] | null; readonly args: readonly ArgDiffDto[]; readonly configs: readonly ConfigDiffDto[] };
  readonly environment: EnvComparisonDto;
  /** Inputs that differ (code files are under `code`). */
  readonly inputs: readonly InputDiffDto[];
  /** Inputs read in the very same version on both sides. */
  readonly sameInputs: number;
}

export interface OutputDiffDto {
  readonly a: string | null;
  readonly b: string | null;
  readonly changes: readonly ValueChangeDto[];
  readonly moreChanges: number;
  readonly note?: string;
}

export interface VersionDiffDto {
  readonly a: { readonly artifact: string; readonly version: string };
  readonly b: { readonly artifact: string; readonly version: string };
  /** One line: "3 stages differ: prepare (code: pipeline/prepare.py +4 −1), train (…); only in B: redeliver". */
  readonly summary: string;
  /** Aligned stages, upstream first. */
  readonly stages: readonly StageDiffDto[];
  /** Stages (jobs) in one chain only, with their runs. */
  readonly onlyA: readonly { readonly stage: string; readonly runs: readonly RunRefDto[] }[];
  readonly onlyB: readonly { readonly stage: string; readonly runs: readonly RunRefDto[] }[];
  /** Other runs upstream of one side only, of stages both chains have (earlier history, not compared). */
  readonly unaligned: { readonly a: readonly RunRefDto[]; readonly b: readonly RunRefDto[] };
  /** Metric files of the two versions, key by key. */
  readonly outputs: readonly OutputDiffDto[];
  /** Graph node ids of each chain (runs, jobs and artifacts), for highlighting both on the graph. */
  readonly chains: { readonly a: readonly string[]; readonly b: readonly string[] };
}

/** One version a user can pick for a diff: a version of the artifact, or a sibling version folder (Models/churn/3). */
export interface VersionChoiceDto {
  readonly artifact: string;
  readonly version: string | null;
  /** "Models/churn/3", "customer_features_1 v4", "production.json 3f2a91c0". */
  readonly label: string;
  readonly at: string | null;
  readonly producedBy: string | null;
}
