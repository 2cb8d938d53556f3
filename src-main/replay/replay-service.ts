import crypto from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { ReplayExecutionDto, ReplayPlanDto, ReplayProgressDto, StartReplayRequest } from '../../shared/replay-dto';
import { ContentStore } from '../content-store/content-store';
import { readStoreConfig } from '../content-store/store-config';
import type { ReadableDb } from '../db/open-db';
import { liveState, type CurrentState } from '../repro/current-state';
import type { WorkspacePaths } from '../workspace/workspace-paths';
import { ReplayExecution } from './replay-execution';
import { planReplay, type PreparedReplay } from './replay-planner';
import { ExecutionRegistry } from '../repro/execution-registry';
import { PlanTokens } from '../repro/plan-tokens';

/**
 * Replays behind the API, with the re-runs' confirmation rule: `prepare` shows the plan and
 * hands out a single-use token bound to its digest (the command, the folder, every input and
 * how it comes back, the variables set); `start` runs only that plan, and — when inputs cannot
 * be restored as read — only if the user said to go on without them. Progress goes out through
 * `emit` (the `onReplayProgress` event).
 */
export interface ReplayServiceDeps {
  readonly db: ReadableDb;
  readonly paths: WorkspacePaths;
  resolveRun(ref: string): number;
  emit(event: ReplayProgressDto): void;
  readonly clock?: () => number;
  readonly ttlMs?: number;
  readonly state?: () => CurrentState;
}

export class ReplayService {
  private readonly tokens: PlanTokens<{ readonly digest: string; readonly plan: ReplayPlanDto; readonly prepared: PreparedReplay }>;
  private readonly executions = new ExecutionRegistry<ReplayExecutionDto, ReplayExecution>('replay');
  private readonly clock: () => number;

  constructor(private readonly deps: ReplayServiceDeps) {
    this.clock = deps.clock ?? Date.now;
    this.tokens = new PlanTokens({ confirmation: 'replay', plan: 'replay' }, deps.ttlMs, this.clock);
  }

  private openStore(): ContentStore {
    return new ContentStore(this.deps.paths.dotDir, readStoreConfig(this.deps.paths.configFile));
  }

  async prepare(req: { run: string }): Promise<ReplayPlanDto> {
    const store = this.openStore();
    try {
      const now = this.deps.state?.() ?? liveState(this.deps.paths.root);
      const prepared = await planReplay({ db: this.deps.db, workspaceRoot: this.deps.paths.root, store, now }, this.deps.resolveRun(req.run));
      const digest = digestOf(prepared);
      return this.tokens.issue((token, expiresAt) => ({ digest, prepared, plan: { ...prepared.body, digest, token, expiresAt: new Date(expiresAt).toISOString() } })).plan;
    } finally {
      store.dispose();
    }
  }

  /** Starts a confirmed replay; resolves at once with its first state (progress follows as events). */
  start(req: StartReplayRequest): ReplayExecutionDto {
    const p = this.tokens.check(req.token, req.digest);
    if (p.plan.blocked) throw new AppError('UNSUPPORTED', p.plan.blocked.message);
    if (p.plan.missing > 0 && !req.acceptMissing) {
      // The token stays valid: the user may still decide to go on without them.
      const names = p.plan.inputs.filter((i) => i.problem).map((i) => `${i.artifact} (${i.problem!.code.toLowerCase().replace(/_/g, ' ')})`);
      throw new AppError('CONFLICT', `Not replayed: ${names.length === 1 ? 'an input' : `${names.length} inputs`} cannot be restored as the run read ${names.length === 1 ? 'it' : 'them'}: ${names.join(', ')}. Confirm again to go on without ${names.length === 1 ? 'it' : 'them'}.`, { missing: names });
    }
    this.tokens.spend(req.token);
    const execution = crypto.randomUUID();
    const store = this.openStore();
    const run = new ReplayExecution({
      execution,
      plan: p.plan,
      prepared: p.prepared,
      workspaceRoot: this.deps.paths.root,
      logsDir: this.deps.paths.logsDir,
      configFile: this.deps.paths.configFile,
      store,
      emit: (e) => this.deps.emit(e),
      ...(this.deps.clock ? { clock: this.deps.clock } : {}),
    });
    void run.done.finally(() => store.dispose());
    this.executions.add(execution, run);
    return run.snapshot();
  }

  cancel(execution: string): { cancelled: boolean } {
    return this.executions.cancel(execution);
  }

  get(execution: string): ReplayExecutionDto {
    return this.executions.get(execution);
  }

  finished(execution: string): Promise<ReplayExecutionDto> {
    return this.executions.finished(execution);
  }

  dispose(): Promise<void> {
    return this.executions.dispose();
  }
}

/** What identifies a replay plan: the run, command, folder, each input's version and source, the variables. */
function digestOf(p: PreparedReplay): string {
  const b = p.body;
  const canonical = JSON.stringify([b.run, b.argv, b.cwd, b.inputs.map((i) => [i.artifact, i.version, i.restore, i.problem?.code ?? null]), p.variables]);
  return 'sha256:' + crypto.createHash('sha256').update(canonical).digest('hex');
}
