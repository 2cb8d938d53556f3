import type { StoreApi } from 'zustand/vanilla';
import type { RetraceClient } from '../../shared/api';
import { AppError } from '../../shared/errors';
import type { RerunExecutionDto, RerunPlanDto, RerunPlanKind, RerunProgressDto, RerunStageRunDto } from '../../shared/rerun-dto';
/** The store this slice lives in: it only reads and writes its own field. */
type Host = RerunSlice;

/** What a re-run dialog is about: one run, a run and its downstream, or everything stale (optionally only what some artifacts need). */
export interface RerunTarget {
  readonly kind: RerunPlanKind;
  readonly run?: string;
  readonly artifacts?: readonly string[];
}

/**
 * The re-run dialog's state: the plan being shown (pre-flight), the user's picks of other past
 * runs, then the live execution — per-stage status, log and verdicts — fed by onRerunProgress.
 */
export interface RerunView {
  readonly target: RerunTarget;
  readonly picks: readonly { readonly stage: string; readonly run: string }[];
  /** loading → preflight → starting → running → finished; error at any point. */
  readonly phase: 'loading' | 'preflight' | 'starting' | 'running' | 'finished' | 'error';
  readonly plan: RerunPlanDto | null;
  readonly error: string | null;
  readonly jobs: number;
  readonly execution: string | null;
  readonly runs: Readonly<Record<string, RerunStageRunDto>>;
  readonly logs: Readonly<Record<string, string>>;
  readonly summary: string | null;
  readonly cancelled: boolean;
}

export interface RerunSlice {
  rerunView: RerunView | null;
  /** Opens the dialog with a fresh plan (entry points: inspector, context menu, staleness view). */
  openRerunPlan(target: RerunTarget): Promise<void>;
  /** Repeat another past run of a planned stage: plans again, with a new token. */
  pickRerunRun(stage: string, run: string): Promise<void>;
  setRerunJobs(jobs: number): void;
  /** Runs exactly the plan on screen (its token and digest). */
  confirmRerunPlan(): Promise<void>;
  cancelRerunPlan(): Promise<void>;
  closeRerunPlan(): void;
}

type Set = StoreApi<Host>['setState'];
type Get = StoreApi<Host>['getState'];

const LOG_LIMIT = 64 * 1024;

export function createRerunSlice(client: RetraceClient, set: Set, get: Get): RerunSlice {
  let seq = 0;
  let unsubscribe: (() => void) | null = null;
  /** Events that arrive before startRerunPlan has answered with the execution id. */
  let early: RerunProgressDto[] = [];
  const message = (err: unknown) => (err instanceof AppError ? err.message : String((err as Error)?.message ?? err));
  const patch = (p: Partial<RerunView>) => {
    const v = get().rerunView;
    if (v) set({ rerunView: { ...v, ...p } });
  };

  const apply = (e: RerunProgressDto) => {
    const v = get().rerunView;
    if (!v) return;
    if (v.phase === 'starting') {
      early.push(e);
      return;
    }
    if (v.execution !== e.execution) return;
    if (e.type === 'stage') patch({ runs: { ...v.runs, [e.stage.id]: e.stage } });
    else if (e.type === 'output') {
      const log = (v.logs[e.stage] ?? '') + e.text;
      patch({ logs: { ...v.logs, [e.stage]: log.length > LOG_LIMIT ? log.slice(-LOG_LIMIT) : log } });
    } else finish(e.result);
  };

  const finish = (r: RerunExecutionDto) => {
    const v = get().rerunView;
    patch({
      phase: 'finished',
      runs: Object.fromEntries(r.stages.map((s) => [s.id, s])),
      // The execution's own tail is complete; a live log may have missed lines before the dialog subscribed.
      logs: Object.fromEntries(Object.keys({ ...r.logs, ...v?.logs }).map((id) => [id, longer(r.logs[id], v?.logs[id])])),
      summary: r.summary,
      cancelled: r.state === 'cancelled',
    });
  };

  async function load(target: RerunTarget, picks: RerunView['picks'], jobs: number): Promise<void> {
    const mine = ++seq;
    unsubscribe ??= client.on('onRerunProgress', apply);
    set({ rerunView: { target, picks, phase: 'loading', plan: null, error: null, jobs, execution: null, runs: {}, logs: {}, summary: null, cancelled: false } });
    try {
      const plan = await client.prepareRerunPlan({ kind: target.kind, ...(target.run ? { run: target.run } : {}), ...(target.artifacts?.length ? { artifacts: [...target.artifacts] } : {}), ...(picks.length ? { picks: [...picks] } : {}) });
      if (mine === seq) patch({ phase: 'preflight', plan });
    } catch (err) {
      if (mine === seq) patch({ phase: 'error', error: message(err) });
    }
  }

  return {
    rerunView: null,

    openRerunPlan: (target) => load(target, [], get().rerunView?.jobs ?? 1),

    async pickRerunRun(stage, run) {
      const v = get().rerunView;
      if (!v || v.phase !== 'preflight') return;
      await load(v.target, [...v.picks.filter((p) => p.stage !== stage), { stage, run }], v.jobs);
    },

    setRerunJobs: (jobs) => patch({ jobs }),

    async confirmRerunPlan() {
      const v = get().rerunView;
      if (!v || v.phase !== 'preflight' || !v.plan) return;
      early = [];
      patch({ phase: 'starting' });
      try {
        const started = await client.startRerunPlan({ token: v.plan.token, digest: v.plan.digest, jobs: v.jobs });
        patch({ phase: 'running', execution: started.execution, runs: Object.fromEntries(started.stages.map((s) => [s.id, s])), logs: { ...started.logs } });
        const queued = early;
        early = [];
        for (const e of queued) apply(e);
      } catch (err) {
        patch({ phase: 'error', error: message(err) });
      }
    },

    async cancelRerunPlan() {
      const v = get().rerunView;
      if (!v?.execution || v.phase !== 'running') return;
      try {
        await client.cancelRerunPlan({ execution: v.execution });
      } catch (err) {
        patch({ error: message(err) });
      }
    },

    closeRerunPlan() {
      const v = get().rerunView;
      if (v && (v.phase === 'running' || v.phase === 'starting')) return; // cancel first
      seq++;
      unsubscribe?.();
      unsubscribe = null;
      set({ rerunView: null });
    },
  };
}

function longer(a: string | undefined, b: string | undefined): string {
  return (a ?? '').length >= (b ?? '').length ? (a ?? '') : (b ?? '');
}
