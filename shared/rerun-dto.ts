/**
 * Re-run plans (issue 14): one run, a run and everything downstream of it, or everything stale,
 * as a DAG of stages in topological order; its single-use confirmation; the live execution and
 * the verdict on every output. Plain JSON crossing the API.
 */
import type { ReproWarningDto } from './repro-dto';

export type RerunPlanKind = 'run' | 'downstream' | 'stale';

export interface RerunPlanRequest {
  readonly kind: RerunPlanKind;
  /** The run (id or unique prefix) for `run` and `downstream`. */
  readonly run?: string;
  /** `stale` only: just what these artifacts need to be current again (default: everything stale). */
  readonly artifacts?: readonly string[];
  /** Repeat another past run of a planned stage: `stage` is the stage's id in the plan. */
  readonly picks?: readonly { readonly stage: string; readonly run: string }[];
}

/** Why a planned stage cannot run. Blocked stages hold back their descendants, nothing else. */
export type RerunBlockCode = 'NOT_CAPTURED' | 'OUTSIDE_WORKSPACE' | 'FOLDER_MISSING' | 'UPSTREAM_BLOCKED';

export type PackageChangeDto =
  | { readonly kind: 'added'; readonly name: string; readonly to: string }
  | { readonly kind: 'removed'; readonly name: string; readonly from: string }
  | { readonly kind: 'upgraded' | 'downgraded'; readonly name: string; readonly from: string; readonly to: string };

/** The environment a re-run of the stage will have, compared with the run it repeats. */
export interface RerunEnvironmentDto {
  /** "python 3.11.7" as recorded, and as found now (null: not recorded / not found). */
  readonly recorded: string | null;
  readonly now: string | null;
  readonly executable: string | null;
  /** Packages that differ from the recorded run (empty = the same set). */
  readonly packages: readonly PackageChangeDto[];
  /** Variables set for the re-run on top of this process's environment. */
  readonly variables: readonly { readonly name: string; readonly value: string }[];
}

/** A file or table the stage will write over: its version now. */
export interface OverwriteDto {
  readonly artifact: string;
  readonly kind: 'file' | 'table';
  /** Content hash (files) or table version now; null when it does not exist now. */
  readonly version: string | null;
}

export interface PastRunDto {
  readonly run: string;
  readonly at: string | null;
  readonly state: string;
  /** The command as typed (quoted for display); null when the run recorded none. */
  readonly display: string | null;
}

export interface RerunStageDto {
  /** The stage's id in this plan (the run the planner chose; stays the same when another run is picked). */
  readonly id: string;
  /** The stage (job) name and its pipeline (namespace), as recorded. */
  readonly stage: string | null;
  readonly pipeline: string | null;
  /** The past run this stage repeats. */
  readonly run: string;
  readonly runAt: string | null;
  readonly runState: string;
  /** Exactly what runs (no shell); null when the run recorded no command. */
  readonly argv: readonly string[] | null;
  /** Absolute working directory inside the workspace. */
  readonly cwd: string | null;
  readonly display: string | null;
  /** null = will run. */
  readonly blocked: { readonly code: RerunBlockCode; readonly message: string } | null;
  /** Why the stage is in the plan, one sentence each. */
  readonly reasons: readonly string[];
  /** Ids of the stages it waits for (transitively reduced: the arrows to draw). */
  readonly after: readonly string[];
  /** Depth in the DAG (0 = waits for nothing), for indenting the ordered list. */
  readonly level: number;
  /** The current reproducibility warnings of the run it repeats. */
  readonly warnings: readonly ReproWarningDto[];
  readonly environment: RerunEnvironmentDto | null;
  readonly overwrites: readonly OverwriteDto[];
  /** Other past runs of this stage that could be repeated instead, newest first. */
  readonly alternatives: readonly PastRunDto[];
}

export interface RerunPlanDto {
  readonly kind: RerunPlanKind;
  /** What the plan was asked for: a run id, or the artifacts (empty = everything stale). */
  readonly of: string | null;
  /** Topological order: every stage comes after the stages in its `after`. */
  readonly stages: readonly RerunStageDto[];
  /** Things the user should know that are not stages (what was left out and why). */
  readonly notes: readonly string[];
  /** Identifies this exact plan; confirming must name it together with the token. */
  readonly digest: string;
  /** Single-use confirmation for exactly this plan. */
  readonly token: string;
  readonly expiresAt: string;
}

export interface StartRerunRequest {
  readonly token: string;
  /** The digest of the plan the user was shown: a token issued for another plan is refused. */
  readonly digest: string;
  /** Independent stages run in parallel up to this many at a time (default 1). */
  readonly jobs?: number;
}

export type RerunStageStatus = 'queued' | 'running' | 'done' | 'failed' | 'skipped';

/** A leaf value that changed between two versions of a JSON / CSV / JSONL file. */
export interface ValueChangeDto {
  /** `accuracy`, `params.lr`, `[3].score`, `row 4 · accuracy`. */
  readonly key: string;
  readonly change: 'changed' | 'added' | 'removed';
  readonly before: string | null;
  readonly after: string | null;
}

export type OutputVerdict = 'bit-for-bit' | 'same-rows' | 'differs' | 'not-written' | 'new';

export interface OutputVerdictDto {
  readonly artifact: string;
  readonly kind: 'file' | 'table';
  /**
   * `bit-for-bit`: identical content hash; `same-rows`: a table's new commit holds the same rows;
   * `differs`; `not-written`: the repeated run wrote it, the re-run did not; `new`: only the re-run wrote it.
   */
  readonly verdict: OutputVerdict;
  /** Version written by the repeated run, and by the re-run. */
  readonly before: string | null;
  readonly after: string | null;
  /** First changed values (JSON / CSV / JSONL files). */
  readonly changes: readonly ValueChangeDto[];
  readonly moreChanges: number;
  /** Delta tables: rows between the two versions. */
  readonly rows?: { readonly inserted: number; readonly updated: number; readonly deleted: number };
  /** Why no details are given, when they are not. */
  readonly note?: string;
}

export interface RerunStageRunDto {
  readonly id: string;
  readonly status: RerunStageStatus;
  readonly startedAt: string | null;
  readonly elapsedMs: number | null;
  /** The new run (it is captured like any run) and how it ended. */
  readonly newRun: string | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Why it failed or was skipped. */
  readonly reason: string | null;
  /** Per output, once the stage is done; `stageVerdict` sums them up. */
  readonly outputs: readonly OutputVerdictDto[];
  readonly stageVerdict: 'bit-for-bit' | 'reproduced' | 'differs' | null;
}

export interface RerunExecutionDto {
  readonly execution: string;
  readonly plan: RerunPlanDto;
  readonly jobs: number;
  readonly state: 'running' | 'finished' | 'cancelled';
  readonly stages: readonly RerunStageRunDto[];
  /** "5 stages, 4 bit-for-bit, 1 differs: Models/churn/5/metrics.json accuracy 0.912 → 0.915". */
  readonly summary: string | null;
  /** The last part of each stage's output, by stage id (for a UI that joins late). */
  readonly logs: Readonly<Record<string, string>>;
  readonly startedAt: string;
  readonly endedAt: string | null;
}

/** Pushed while a plan executes, to every connected UI. */
export type RerunProgressDto =
  | { readonly execution: string; readonly type: 'stage'; readonly stage: RerunStageRunDto }
  | { readonly execution: string; readonly type: 'output'; readonly stage: string; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly execution: string; readonly type: 'finished'; readonly result: RerunExecutionDto };
