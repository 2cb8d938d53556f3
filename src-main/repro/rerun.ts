import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { RerunPlanDto } from '../../shared/repro-dto';
import { captureRun, type CaptureResult } from '../capture/capture-run';
import type { ReadableDb } from '../db/open-db';
import { readRecordedRun } from './recorded-run';

/** Exactly what a re-run executes: shown to the user, confirmed, then run without a shell. */
export type RerunPlan = RerunPlanDto;

/** Builds the plan from what the run recorded; refuses runs that recorded no command. */
export function planRerun(db: ReadableDb, runId: number, workspaceRoot: string): RerunPlan {
  const rec = readRecordedRun(db, runId);
  if (!rec.argv || rec.argv.length === 0) {
    throw new AppError('UNSUPPORTED', `Run ${rec.runUuid} recorded no command (it was not captured by \`retrace run\`), so it cannot be re-run.`);
  }
  const root = path.resolve(workspaceRoot);
  const cwd = path.resolve(root, rec.cwd ?? '.');
  if (cwd !== root && !cwd.startsWith(root + path.sep)) {
    throw new AppError('FORBIDDEN', `Run ${rec.runUuid} ran in ${cwd}, outside the workspace ${root}; re-runs stay inside the workspace.`);
  }
  if (!fs.existsSync(cwd)) throw new AppError('NOT_FOUND', `The folder the run ran in, ${cwd}, no longer exists.`);
  // A stage's namespace is its pipeline; a top-level run's namespace is its own name.
  const stage = rec.job?.name ?? null;
  const pipeline = rec.job && rec.job.namespace !== rec.job.name ? rec.job.namespace : null;
  return { run: rec.runUuid, stage, pipeline, argv: rec.argv, cwd, display: rec.argv.map(shellQuote).join(' ') };
}

/** Runs the plan under capture, so the re-run is itself recorded (and linked by its stage). */
export function executeRerun(plan: RerunPlan, workspaceRoot: string, opts: { quiet?: boolean } = {}): Promise<CaptureResult> {
  return captureRun({
    argv: plan.argv,
    workspaceRoot,
    cwd: plan.cwd,
    ...(plan.stage ? { stage: plan.stage } : {}),
    ...(plan.pipeline ? { pipeline: plan.pipeline } : {}),
    ...(opts.quiet ? { stdio: 'quiet' as const, warn: () => undefined } : {}),
  });
}

/**
 * Pending confirmations for the app: `prepare` hands out a single-use token bound to one exact
 * plan; `take` returns that plan once, within the time limit. The UI can only confirm what it
 * was shown; it can never send an argv of its own.
 */
export class RerunConfirmations {
  private readonly pending = new Map<string, { plan: RerunPlan; expires: number }>();
  constructor(private readonly ttlMs = 5 * 60_000, private readonly clock: () => number = Date.now) {}

  prepare(plan: RerunPlan): { token: string; expiresAt: number } {
    const token = crypto.randomBytes(18).toString('base64url');
    const expiresAt = this.clock() + this.ttlMs;
    this.pending.set(token, { plan, expires: expiresAt });
    return { token, expiresAt };
  }

  take(token: string): RerunPlan {
    const p = this.pending.get(token);
    this.pending.delete(token);
    if (!p) throw new AppError('NOT_FOUND', 'This re-run confirmation is unknown or was already used; ask for the re-run again.');
    if (p.expires < this.clock()) throw new AppError('CANCELLED', 'This re-run confirmation expired; ask for the re-run again.');
    return p.plan;
  }
}

/** POSIX-shell quoting, for showing a command; nothing here is ever passed to a shell. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
