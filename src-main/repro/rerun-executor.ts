import type { RerunExecutionDto, RerunPlanDto, RerunProgressDto, RerunStageRunDto } from '../../shared/rerun-dto';
import { captureRun } from '../capture/capture-run';
import type { OutputSink } from '../capture/process-group';
import type { CurrentState } from './current-state';
import { captureBaselines, judgeOutputs } from './output-verdict';
import { batchedOutput, tail } from './output-stream';
import type { PlannedStage } from './rerun-planner';
import { stageVerdict, summarize } from '../../shared/rerun-summary';

/**
 * Runs a confirmed plan (issue 14): every stage under capture — so each re-run is itself a
 * recorded run, linked to the run it repeats by a `retrace_rerun` facet — in topological order,
 * up to `jobs` independent stages at a time. A stage starts when everything it waits for is
 * done; a failure skips the failed stage's descendants and the rest completes; cancelling stops
 * the running stages' process groups (recorded as FAIL with the reason) and skips the rest.
 * Progress, output and verdicts are pushed through `emit` as they happen.
 */
export interface ExecutablePlan {
  readonly dto: RerunPlanDto;
  readonly stages: readonly PlannedStage[];
  readonly waitsFor: ReadonlyMap<string, ReadonlySet<string>>;
  /** Variables each stage gets on top of this process's environment (as shown in the plan). */
  readonly variables: ReadonlyMap<string, readonly { name: string; value: string }[]>;
}

export interface ExecuteOptions {
  readonly execution: string;
  readonly workspaceRoot: string;
  readonly jobs: number;
  readonly now: CurrentState;
  emit(event: RerunProgressDto): void;
  readonly clock?: () => number;
}

const LOG_TAIL_CHARS = 64 * 1024;
const FLUSH_MS = 100;
export const CANCEL_REASON = 'Cancelled by the user before it finished.';

export class RerunExecution {
  private readonly controller = new AbortController();
  private readonly runs = new Map<string, RerunStageRunDto>();
  private readonly logs = new Map<string, string>();
  private readonly startedAt: number;
  private endedAt: number | null = null;
  private summary: string | null = null;
  readonly done: Promise<RerunExecutionDto>;

  constructor(private readonly plan: ExecutablePlan, private readonly opts: ExecuteOptions) {
    const clock = opts.clock ?? Date.now;
    this.startedAt = clock();
    for (const s of plan.stages) {
      this.runs.set(s.id, blank(s.id, s.blocked ? 'skipped' : 'queued', s.blocked ? s.blocked.message : null));
      this.logs.set(s.id, '');
    }
    this.done = this.runAll();
  }

  get cancelled(): boolean {
    return this.controller.signal.aborted;
  }

  /** Stops the running stages (their whole process groups) and skips the rest. */
  cancel(): boolean {
    if (this.endedAt !== null || this.cancelled) return false;
    this.controller.abort(CANCEL_REASON);
    return true;
  }

  snapshot(): RerunExecutionDto {
    return {
      execution: this.opts.execution,
      plan: this.plan.dto,
      jobs: this.opts.jobs,
      state: this.endedAt === null ? 'running' : this.cancelled ? 'cancelled' : 'finished',
      stages: this.plan.stages.map((s) => this.runs.get(s.id)!),
      summary: this.summary,
      logs: Object.fromEntries(this.logs),
      startedAt: new Date(this.startedAt).toISOString(),
      endedAt: this.endedAt === null ? null : new Date(this.endedAt).toISOString(),
    };
  }

  private update(id: string, patch: Partial<RerunStageRunDto>): void {
    const next = { ...this.runs.get(id)!, ...patch };
    this.runs.set(id, next);
    this.opts.emit({ execution: this.opts.execution, type: 'stage', stage: next });
  }

  private async runAll(): Promise<RerunExecutionDto> {
    const running = new Map<string, Promise<void>>();
    const byId = new Map(this.plan.stages.map((s) => [s.id, s]));
    for (;;) {
      for (const s of this.plan.stages) {
        const r = this.runs.get(s.id)!;
        if (r.status !== 'queued') continue;
        if (this.cancelled) {
          this.update(s.id, { status: 'skipped', reason: 'Cancelled before it started.' });
          continue;
        }
        const waits = [...(this.plan.waitsFor.get(s.id) ?? [])];
        const broken = waits.find((w) => ['failed', 'skipped'].includes(this.runs.get(w)!.status));
        if (broken) {
          const b = this.runs.get(broken)!;
          this.update(s.id, { status: 'skipped', reason: `Skipped: ${byId.get(broken)!.run.jobName ?? broken} ${b.status === 'failed' ? 'failed' : 'was skipped'}.` });
          continue;
        }
        if (running.size < this.opts.jobs && waits.every((w) => this.runs.get(w)!.status === 'done')) {
          const p = this.runStage(s).finally(() => running.delete(s.id));
          running.set(s.id, p);
        }
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
    this.endedAt = (this.opts.clock ?? Date.now)();
    this.summary = summarize([...this.runs.values()], this.cancelled);
    const result = this.snapshot();
    this.opts.emit({ execution: this.opts.execution, type: 'finished', result });
    return result;
  }

  private async runStage(s: PlannedStage): Promise<void> {
    const clock = this.opts.clock ?? Date.now;
    const t0 = clock();
    this.update(s.id, { status: 'running', startedAt: new Date(t0).toISOString() });
    const out = this.outputSink(s.id);
    try {
      const baselines = await captureBaselines(s.run, this.opts.workspaceRoot, this.opts.now);
      const vars = Object.fromEntries((this.plan.variables.get(s.id) ?? []).map((v) => [v.name, v.value]));
      const r = await captureRun({
        argv: s.run.argv!,
        workspaceRoot: this.opts.workspaceRoot,
        cwd: this.plan.dto.stages.find((d) => d.id === s.id)!.cwd!,
        ...(s.run.jobName ? { stage: s.run.jobName } : {}),
        ...(s.run.jobNamespace && s.run.jobNamespace !== s.run.jobName ? { pipeline: s.run.jobNamespace } : {}),
        env: { ...process.env, ...vars },
        stdio: out.sink,
        signal: this.controller.signal,
        warn: (m) => out.sink.stderr(Buffer.from(`retrace: warning: ${m}\n`)),
        runFacets: { retrace_rerun: { rerunOf: s.run.uuid, execution: this.opts.execution, plan: this.plan.dto.kind, stage: s.id } },
      });
      out.flush();
      const elapsedMs = clock() - t0;
      const base = { newRun: r.runId, exitCode: r.exitCode, signal: r.signal, elapsedMs };
      if (this.cancelled) return this.update(s.id, { ...base, status: 'failed', reason: CANCEL_REASON });
      if (r.exitCode !== 0 || r.signal) {
        return this.update(s.id, { ...base, status: 'failed', reason: r.signal ? `Terminated by ${r.signal}.` : `Exited with code ${r.exitCode}.` });
      }
      const outputs = await judgeOutputs(baselines, r.footprint, this.opts.workspaceRoot);
      this.update(s.id, { ...base, status: 'done', outputs, stageVerdict: stageVerdict(outputs) });
    } catch (err) {
      out.flush();
      this.update(s.id, { status: 'failed', elapsedMs: clock() - t0, reason: (err as Error).message });
    }
  }

  /** Collects a stage's output: kept as a tail for late joiners, pushed in small batches. */
  private outputSink(id: string): { sink: OutputSink; flush(): void } {
    return batchedOutput({
      emit: (stream, text) => this.opts.emit({ execution: this.opts.execution, type: 'output', stage: id, stream, text }),
      keep: (text) => this.logs.set(id, tail(this.logs.get(id)! + text, LOG_TAIL_CHARS)),
      flushMs: FLUSH_MS,
    });
  }
}

function blank(id: string, status: RerunStageRunDto['status'], reason: string | null): RerunStageRunDto {
  return { id, status, startedAt: null, elapsedMs: null, newRun: null, exitCode: null, signal: null, reason, outputs: [], stageVerdict: null };
}
