import fs from 'node:fs';
import path from 'node:path';
import type { ReplayExecutionDto, ReplayPlanDto, ReplayProgressDto, ReplayStatus, ReplayVerdictDto } from '../../shared/replay-dto';
import { captureRun, ENV_PARENT_JOB_NAME, ENV_PARENT_JOB_NAMESPACE, ENV_PARENT_RUN_ID } from '../capture/capture-run';
import type { EnvironmentFacet } from '../capture/environment';
import { appendEventLine, RUNS_LOG_NAME } from '../capture/events';
import type { ContentStore } from '../content-store/content-store';
import { batchedOutput, tail } from '../repro/output-stream';
import { CANCEL_REASON } from '../repro/rerun-executor';
import type { PreparedReplay } from './replay-planner';
import { replayVerdict } from './replay-verdict';
import { buildSandbox, type Sandbox } from './sandbox';

/**
 * One replay (issue 15): builds the sandbox, runs the recorded command there under capture
 * (streaming its output, cancellable like a re-run), judges what it wrote against what the
 * replayed run wrote, and records it in the workspace's log as a run of `<stage>.replay` linked
 * to the original by a `retrace_replay` facet. The recorded event carries no footprint and no
 * datasets: what the replay wrote lived in the sandbox, and must not become a new version of
 * any workspace artifact. The sandbox is removed at the end, whatever happened.
 */
export interface ReplayExecutionOptions {
  readonly execution: string;
  readonly plan: ReplayPlanDto;
  readonly prepared: PreparedReplay;
  readonly workspaceRoot: string;
  readonly logsDir: string;
  readonly configFile: string;
  readonly store: ContentStore;
  emit(event: ReplayProgressDto): void;
  readonly clock?: () => number;
}

const LOG_TAIL_CHARS = 64 * 1024;
export const REPLAY_JOB_SUFFIX = '.replay';

export class ReplayExecution {
  private readonly controller = new AbortController();
  private readonly startedAt: number;
  private state: Omit<ReplayExecutionDto, 'execution' | 'plan' | 'startedAt'> = {
    state: 'running', status: 'preparing', endedAt: null, elapsedMs: null, newRun: null, exitCode: null, signal: null, reason: null, log: '', verdict: null,
  };
  readonly done: Promise<ReplayExecutionDto>;

  constructor(private readonly o: ReplayExecutionOptions) {
    this.startedAt = this.now();
    this.done = this.run();
  }

  private now(): number {
    return (this.o.clock ?? Date.now)();
  }

  cancel(): boolean {
    if (this.state.state !== 'running' || this.controller.signal.aborted) return false;
    this.controller.abort(CANCEL_REASON);
    return true;
  }

  snapshot(): ReplayExecutionDto {
    return { execution: this.o.execution, plan: this.o.plan, startedAt: new Date(this.startedAt).toISOString(), ...this.state };
  }

  private status(status: ReplayStatus, message: string | null, patch: Partial<ReplayExecutionDto> = {}): void {
    this.state = { ...this.state, ...patch, status };
    this.o.emit({ execution: this.o.execution, type: 'status', status, message });
  }

  private async run(): Promise<ReplayExecutionDto> {
    const { prepared } = this.o;
    let sandbox: Sandbox | null = null;
    try {
      sandbox = await buildSandbox({ workspaceRoot: this.o.workspaceRoot, sources: prepared.sources, folders: prepared.folders, store: this.o.store, configFile: this.o.configFile });
      if (this.controller.signal.aborted) throw new Error(CANCEL_REASON);
      this.status('running', `Restored ${prepared.sources.filter((s) => !s.dto.problem).length} inputs in a sandbox; running ${this.o.plan.display}`);
      const out = batchedOutput({
        emit: (stream, text) => this.o.emit({ execution: this.o.execution, type: 'output', stream, text }),
        keep: (text) => (this.state = { ...this.state, log: tail(this.state.log + text, LOG_TAIL_CHARS) }),
      });
      const env: NodeJS.ProcessEnv = { ...process.env, ...Object.fromEntries(prepared.variables.map((v) => [v.name, v.value])) };
      for (const k of [ENV_PARENT_RUN_ID, ENV_PARENT_JOB_NAME, ENV_PARENT_JOB_NAMESPACE]) delete env[k];
      const link = { replayOf: this.o.plan.run, execution: this.o.execution };
      const r = await captureRun({
        argv: [...this.o.plan.argv],
        workspaceRoot: sandbox.root,
        cwd: path.join(sandbox.root, this.o.plan.cwd),
        stage: `${prepared.run.jobName ?? 'run'}${REPLAY_JOB_SUFFIX}`,
        ...(this.o.plan.pipeline ? { pipeline: this.o.plan.pipeline } : {}),
        env,
        stdio: out.sink,
        signal: this.controller.signal,
        warn: (m) => out.sink.stderr(Buffer.from(`retrace: warning: ${m}\n`)),
        runFacets: { retrace_replay: link },
      });
      out.flush();
      const base = { newRun: r.runId, exitCode: r.exitCode, signal: r.signal, elapsedMs: this.now() - this.startedAt };
      const events = readRunEvents(sandbox.root, r.runId);
      if (this.controller.signal.aborted || r.exitCode !== 0 || r.signal) {
        this.record(events, null);
        const reason = this.controller.signal.aborted ? CANCEL_REASON : r.signal ? `Terminated by ${r.signal}.` : `Exited with code ${r.exitCode}.`;
        return this.finish('failed', { ...base, reason });
      }
      const final = events.at(-1) as { run?: { facets?: { retrace_environment?: EnvironmentFacet } } } | undefined;
      const verdict = await replayVerdict({
        writes: prepared.writes,
        tables: prepared.tables,
        footprint: r.footprint,
        sandboxRoot: sandbox.root,
        workspaceRoot: this.o.workspaceRoot,
        store: this.o.store,
        then: prepared.environment,
        now: final?.run?.facets?.retrace_environment ?? null,
        missingInputs: prepared.sources.filter((s) => s.dto.problem).map((s) => s.dto.artifact),
      });
      this.record(events, verdict);
      return this.finish('done', { ...base, verdict });
    } catch (err) {
      if (process.env.RETRACE_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
      return this.finish('failed', { reason: (err as Error).message, elapsedMs: this.now() - this.startedAt });
    } finally {
      sandbox?.dispose();
    }
  }

  /**
   * Appends the replay's events to the workspace's log, without what would make its sandbox
   * files look like workspace versions (the footprint, the table datasets); the verdict goes
   * into the final event's `retrace_replay` facet.
   */
  private record(events: Record<string, unknown>[], verdict: ReplayVerdictDto | null): void {
    events.forEach((e, i) => {
      // Events a stage writes itself (the demo's column lineage) may carry no run facets.
      const run = (e.run ??= {}) as { facets?: Record<string, Record<string, unknown>> };
      run.facets ??= {};
      delete run.facets.retrace_footprint;
      e.inputs = [];
      e.outputs = [];
      if (i === events.length - 1 && verdict && run.facets.retrace_replay) {
        run.facets.retrace_replay = {
          ...run.facets.retrace_replay,
          verdict: verdict.verdict,
          summary: verdict.summary,
          outputs: verdict.outputs.map((o) => ({ artifact: o.artifact, verdict: o.verdict, before: o.before, after: o.after })),
          environment: verdict.environment.summary,
          missingInputs: verdict.missingInputs,
        };
      }
      appendEventLine(this.o.logsDir, e);
    });
  }

  private finish(status: 'done' | 'failed', patch: Partial<ReplayExecutionDto>): ReplayExecutionDto {
    const cancelled = this.controller.signal.aborted;
    this.state = { ...this.state, ...patch, status, state: cancelled ? 'cancelled' : 'finished', endedAt: new Date(this.now()).toISOString() };
    const result = this.snapshot();
    this.o.emit({ execution: this.o.execution, type: 'finished', result });
    return result;
  }
}

function readRunEvents(sandboxRoot: string, runId: string): Record<string, unknown>[] {
  try {
    return fs
      .readFileSync(path.join(sandboxRoot, '.retrace', 'logs', RUNS_LOG_NAME), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => (e.run as { runId?: string } | undefined)?.runId === runId);
  } catch {
    return [];
  }
}
