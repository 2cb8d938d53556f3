/** Reproducibility verdicts and re-runs (DESIGN §4, §7): plain JSON crossing the API. */

export type ReproCode = 'CODE_CHANGED' | 'INPUT_DATA_CHANGED' | 'INPUT_MISSING' | 'ENVIRONMENT_CHANGED';
/** Per axis: nothing changed, something changed, or the run recorded too little to tell. */
export type AxisVerdict = 'same' | 'changed' | 'unknown';

export interface ReproWarningDto {
  readonly code: ReproCode;
  /** One human sentence ("numpy 1.26.4 → 2.1.0"). */
  readonly message: string;
  readonly details: Record<string, unknown>;
}

export interface ReproReportDto {
  readonly run: string;
  readonly job: string | null;
  readonly state: string;
  /** The three-axis verdict: code, data, environment. */
  readonly axes: { readonly code: AxisVerdict; readonly data: AxisVerdict; readonly environment: AxisVerdict };
  readonly warnings: ReproWarningDto[];
  /** What a re-run would execute (never through a shell). */
  readonly command: { readonly argv: string[]; readonly cwd: string } | null;
}

/** Exactly what a re-run executes, shown to the user before they confirm. */
export interface RerunPlanDto {
  readonly run: string;
  readonly stage: string | null;
  readonly pipeline: string | null;
  readonly argv: readonly string[];
  /** Absolute working directory, inside the workspace. */
  readonly cwd: string;
  /** For display only: the command as a user would type it (quoted). */
  readonly display: string;
}

/** A plan plus the single-use token that confirms exactly this plan. */
export interface RerunOfferDto extends RerunPlanDto {
  readonly token: string;
  /** ISO time after which the token no longer works. */
  readonly expiresAt: string;
}

export interface RerunResultDto {
  /** The new run's id (it is captured like any run). */
  readonly run: string;
  readonly rerunOf: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
}
