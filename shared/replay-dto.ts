/**
 * Replays (issue 15): a past stage run again in a scratch copy of the workspace layout, with
 * the exact input versions it read restored, so "does it still produce what it produced then?"
 * has an answer after the workspace moved on. Plain JSON crossing the API.
 */
import type { OutputVerdictDto, PackageChangeDto, RerunEnvironmentDto, RerunStageRunDto } from './rerun-dto';

/** How an input reaches the sandbox. */
export type ReplayRestore =
  /** The content store's copy of the version read. */
  | 'store'
  /** The workspace still holds exactly the version read. */
  | 'workspace'
  /** A Delta table at the version read (its log cut there). */
  | 'time-travel'
  /** Read in place (outside the workspace), unchanged since. */
  | 'in-place'
  /** Cannot be restored: the sandbox gets the version there is now … */
  | 'current'
  /** … or nothing at all. */
  | 'absent';

/** Why an input cannot be restored as it was read. */
export type ReplayProblemCode =
  | 'EVICTED'
  | 'HASH_ONLY'
  | 'NOT_STORED'
  | 'NO_CONTENT_HASH'
  | 'OUTSIDE_WORKSPACE'
  | 'TABLE_VERSION_GONE'
  | 'NOT_A_FILE';

export interface ReplayInputDto {
  /** Workspace-relative path (absolute outside it), or namespace/name for non-file datasets. */
  readonly artifact: string;
  readonly kind: 'file' | 'code' | 'table' | 'dataset';
  /** The version the run read: a short content hash or `vN`. */
  readonly version: string;
  readonly restore: ReplayRestore;
  /** null = restored exactly as read. */
  readonly problem: { readonly code: ReplayProblemCode; readonly message: string } | null;
}

export interface ReplayPlanDto {
  /** The run replayed. */
  readonly run: string;
  readonly stage: string | null;
  readonly pipeline: string | null;
  readonly runAt: string | null;
  /** Exactly what runs (no shell). */
  readonly argv: readonly string[];
  readonly display: string;
  /** The folder it ran in, relative to the workspace (the sandbox mirrors it). */
  readonly cwd: string;
  readonly inputs: readonly ReplayInputDto[];
  /** How many inputs cannot be restored as read (their `problem`s): confirming goes on without them. */
  readonly missing: number;
  /** What the run wrote, which the replay's outputs are compared with. */
  readonly outputs: readonly { readonly artifact: string; readonly kind: 'file' | 'table'; readonly version: string }[];
  /** Paths outside the workspace the run wrote: a replay writes there too (the sandbox cannot hold them). */
  readonly writesOutside: readonly string[];
  /** The environment the replay will run in, against the one recorded. */
  readonly environment: RerunEnvironmentDto | null;
  /** Why the run cannot be replayed at all (no recorded command, a pipeline run, …); null = it can. */
  readonly blocked: { readonly code: 'NOT_CAPTURED' | 'PIPELINE_RUN' | 'OUTSIDE_WORKSPACE'; readonly message: string } | null;
  /** Identifies this exact plan (command, inputs and how each is restored); confirming must name it with the token. */
  readonly digest: string;
  readonly token: string;
  readonly expiresAt: string;
}

export interface StartReplayRequest {
  readonly token: string;
  readonly digest: string;
  /** Required when the plan has `missing` inputs: the user decided to go on without them. */
  readonly acceptMissing?: boolean;
}

/** The environment then (the run replayed) and now (the replay), and the packages between. */
export interface EnvironmentDiffDto {
  readonly then: { readonly interpreter: string | null; readonly os: string | null; readonly arch: string | null };
  readonly now: { readonly interpreter: string | null; readonly os: string | null; readonly arch: string | null };
  readonly packages: readonly PackageChangeDto[];
  readonly same: boolean;
  /** "the same environment", "python 3.11.7 → 3.12.1; numpy 1.26.4 → 2.1.0". */
  readonly summary: string;
}

export interface ReplayVerdictDto {
  /** bit-for-bit: every output identical; reproduced: tables with the same rows; differs. */
  readonly verdict: RerunStageRunDto['stageVerdict'];
  /** "Reproduced bit-for-bit (2 outputs)", "Differs: Models/…/metrics.json auc 0.81 → 0.79". */
  readonly summary: string;
  readonly outputs: readonly OutputVerdictDto[];
  readonly environment: EnvironmentDiffDto;
  /** Inputs that could not be restored as read: the verdict holds with this caveat. */
  readonly missingInputs: readonly string[];
}

export type ReplayStatus = 'preparing' | 'running' | 'done' | 'failed';

export interface ReplayExecutionDto {
  readonly execution: string;
  readonly plan: ReplayPlanDto;
  readonly state: 'running' | 'finished' | 'cancelled';
  readonly status: ReplayStatus;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly elapsedMs: number | null;
  /** The replay's own run (recorded with a `retrace_replay` facet linking it to the run replayed). */
  readonly newRun: string | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Why it failed, when it did. */
  readonly reason: string | null;
  /** The last part of the command's output. */
  readonly log: string;
  readonly verdict: ReplayVerdictDto | null;
}

/** Pushed while a replay runs, to every connected UI. */
export type ReplayProgressDto =
  | { readonly execution: string; readonly type: 'status'; readonly status: ReplayStatus; readonly message: string | null }
  | { readonly execution: string; readonly type: 'output'; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly execution: string; readonly type: 'finished'; readonly result: ReplayExecutionDto };
