import crypto from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { RerunExecutionDto, RerunPlanDto, RerunPlanRequest, RerunProgressDto, StartRerunRequest } from '../../shared/rerun-dto';
import type { ReadableDb } from '../db/open-db';
import { liveState, type CurrentState } from './current-state';
import { RerunExecution, type ExecutablePlan } from './rerun-executor';
import { planStages, type PlannerContext } from './rerun-planner';
import { describeStage } from './rerun-preflight';
import { ExecutionRegistry } from './execution-registry';
import { PlanTokens } from './plan-tokens';
import { RunIoReader } from './run-io';

/**
 * Re-run plans behind the API: `prepare` plans and describes them and hands out a single-use
 * token bound to that exact plan (its digest); `start` runs a plan only for its own token and
 * digest — a token issued for another plan, reused or expired is refused and nothing runs —
 * and executions report through `emit` (the `onRerunProgress` event). One plan runs at a time
 * per workspace: two plans writing the same outputs at once would make both verdicts meaningless.
 */
export interface RerunServiceDeps {
  readonly db: ReadableDb;
  readonly workspaceRoot: string;
  /** Lineage lookups the planner needs (run and artifact names, impact, staleness). */
  planner(): Omit<PlannerContext, 'workspaceRoot' | 'io' | 'now'>;
  emit(event: RerunProgressDto): void;
  readonly clock?: () => number;
  readonly ttlMs?: number;
  /** Tests replace the live machine state (hashes, interpreter probes). */
  readonly state?: () => CurrentState;
}


export class RerunService {
  private readonly tokens: PlanTokens<{ readonly digest: string; readonly plan: ExecutablePlan }>;
  private readonly executions = new ExecutionRegistry<RerunExecutionDto, RerunExecution>('re-run execution');
  private readonly clock: () => number;

  constructor(private readonly deps: RerunServiceDeps) {
    this.clock = deps.clock ?? Date.now;
    this.tokens = new PlanTokens({ confirmation: 're-run', plan: 'plan' }, deps.ttlMs, this.clock);
  }

  async prepare(req: RerunPlanRequest): Promise<RerunPlanDto> {
    const now = this.deps.state?.() ?? liveState(this.deps.workspaceRoot);
    const io = new RunIoReader(this.deps.db);
    const planned = await planStages({ ...this.deps.planner(), workspaceRoot: this.deps.workspaceRoot, io, now }, req);
    const stages = [];
    for (const s of planned.stages) stages.push(await describeStage(this.deps.db, io, s, now, this.deps.workspaceRoot));
    const digest = digestOf(req.kind, stages);
    const base = { kind: req.kind, of: req.run ?? (req.artifacts?.length ? req.artifacts.join(', ') : null), stages, notes: planned.notes, digest };
    const variables = new Map(stages.map((s) => [s.id, s.environment?.variables ?? []]));
    const issued = this.tokens.issue((token, expiresAt) => {
      const dto: RerunPlanDto = { ...base, token, expiresAt: new Date(expiresAt).toISOString() };
      return { digest, plan: { dto, stages: planned.stages, waitsFor: planned.waitsFor, variables } };
    });
    return issued.plan.dto;
  }

  /** Starts a confirmed plan; resolves at once with its first state (progress follows as events). */
  start(req: StartRerunRequest): RerunExecutionDto {
    const busy = this.executions.running()[0];
    if (busy) throw new AppError('CONFLICT', `A re-run plan is already running (${busy.snapshot().execution}); wait for it or cancel it first.`);
    const p = this.tokens.check(req.token, req.digest);
    this.tokens.spend(req.token);
    if (!p.plan.stages.some((s) => !s.blocked)) throw new AppError('UNSUPPORTED', 'No stage of this plan can run; nothing ran.');
    const execution = crypto.randomUUID();
    const run = new RerunExecution(p.plan, {
      execution,
      workspaceRoot: this.deps.workspaceRoot,
      jobs: req.jobs ?? 1,
      now: this.deps.state?.() ?? liveState(this.deps.workspaceRoot),
      emit: (e) => this.deps.emit(e),
      ...(this.deps.clock ? { clock: this.deps.clock } : {}),
    });
    this.executions.add(execution, run);
    return run.snapshot();
  }

  cancel(execution: string): { cancelled: boolean } {
    return this.executions.cancel(execution);
  }

  get(execution: string): RerunExecutionDto {
    return this.executions.get(execution);
  }

  /** Resolves when the execution has ended (the CLI waits on this). */
  finished(execution: string): Promise<RerunExecutionDto> {
    return this.executions.finished(execution);
  }

  /** Cancels whatever still runs (the core is closing). */
  dispose(): Promise<void> {
    return this.executions.dispose();
  }
}

/** What identifies a plan: every stage's run, command, folder, environment, order and blocking. */
function digestOf(kind: string, stages: RerunPlanDto['stages']): string {
  const canonical = JSON.stringify([kind, stages.map((s) => [s.id, s.run, s.argv, s.cwd, s.blocked?.code ?? null, s.after, s.environment?.variables ?? []])]);
  return 'sha256:' + crypto.createHash('sha256').update(canonical).digest('hex');
}
