import type { StoreApi } from 'zustand/vanilla';
import type { RetraceClient } from '../../shared/api';
import { AppError } from '../../shared/errors';
import type { ReplayExecutionDto, ReplayPlanDto, ReplayProgressDto, ReplayStatus } from '../../shared/replay-dto';

/** What the replay panel needs from the API: nothing else is reachable from here. */
export type ReplayDeps = Pick<RetraceClient, 'prepareReplay' | 'startReplay' | 'cancelReplay' | 'on'>;

/** The store this slice lives in: it only reads and writes its own field. */
type Host = ReplaySlice;

/**
 * The replay panel (issue 15): the plan for one run (what is restored from where, what cannot
 * be, the environment), confirmed as shown — going on without missing inputs only when the
 * user ticked that — then the live status and log, and the verdict: outputs against the
 * original's, and the environment then and now.
 */
export interface ReplayView {
  readonly run: string;
  /** loading → preflight → starting → running → finished; error at any point. */
  readonly phase: 'loading' | 'preflight' | 'starting' | 'running' | 'finished' | 'error';
  readonly plan: ReplayPlanDto | null;
  /** The user's decision to go on although some inputs cannot be restored as read. */
  readonly acceptMissing: boolean;
  readonly error: string | null;
  readonly execution: string | null;
  readonly status: ReplayStatus | null;
  readonly message: string | null;
  readonly log: string;
  readonly result: ReplayExecutionDto | null;
}

export interface ReplaySlice {
  replayView: ReplayView | null;
  /** Opens the replay panel for a run with a fresh plan (the inspector's "Replay" action). */
  openReplay(run: string): Promise<void>;
  setReplayAcceptMissing(accept: boolean): void;
  /** Runs exactly the plan on screen (its token and digest). */
  confirmReplay(): Promise<void>;
  cancelReplay(): Promise<void>;
  closeReplay(): void;
}

type Set = StoreApi<Host>['setState'];
type Get = StoreApi<Host>['getState'];

const LOG_LIMIT = 64 * 1024;

export function createReplaySlice(deps: ReplayDeps, set: Set, get: Get): ReplaySlice {
  let seq = 0;
  let unsubscribe: (() => void) | null = null;
  /** Events that arrive before startReplay has answered with the execution id. */
  let early: ReplayProgressDto[] = [];
  const message = (err: unknown) => (err instanceof AppError ? err.message : String((err as Error)?.message ?? err));
  const patch = (p: Partial<ReplayView>) => {
    const v = get().replayView;
    if (v) set({ replayView: { ...v, ...p } });
  };

  const apply = (e: ReplayProgressDto) => {
    const v = get().replayView;
    if (!v) return;
    if (v.phase === 'starting') {
      early.push(e);
      return;
    }
    if (v.execution !== e.execution) return;
    if (e.type === 'status') patch({ status: e.status, message: e.message });
    else if (e.type === 'output') {
      const log = v.log + e.text;
      patch({ log: log.length > LOG_LIMIT ? log.slice(-LOG_LIMIT) : log });
    } else finish(e.result);
  };

  const finish = (r: ReplayExecutionDto) => {
    const v = get().replayView;
    // The execution's own tail is complete; the live log may have missed lines before the panel subscribed.
    patch({ phase: 'finished', result: r, status: r.status, log: r.log.length >= (v?.log.length ?? 0) ? r.log : v!.log });
  };

  return {
    replayView: null,

    async openReplay(run) {
      const mine = ++seq;
      unsubscribe ??= deps.on('onReplayProgress', apply);
      set({ replayView: { run, phase: 'loading', plan: null, acceptMissing: false, error: null, execution: null, status: null, message: null, log: '', result: null } });
      try {
        const plan = await deps.prepareReplay({ run });
        if (mine === seq) patch({ phase: 'preflight', plan });
      } catch (err) {
        if (mine === seq) patch({ phase: 'error', error: message(err) });
      }
    },

    setReplayAcceptMissing: (accept) => patch({ acceptMissing: accept }),

    async confirmReplay() {
      const v = get().replayView;
      if (!v || v.phase !== 'preflight' || !v.plan || v.plan.blocked) return;
      if (v.plan.missing > 0 && !v.acceptMissing) return; // the panel asks first
      early = [];
      patch({ phase: 'starting', error: null });
      try {
        const started = await deps.startReplay({ token: v.plan.token, digest: v.plan.digest, ...(v.plan.missing ? { acceptMissing: true } : {}) });
        patch({ phase: 'running', execution: started.execution, status: started.status, log: started.log });
        const queued = early;
        early = [];
        for (const e of queued) apply(e);
        if (started.state !== 'running') finish(started);
      } catch (err) {
        patch({ phase: 'error', error: message(err) });
      }
    },

    async cancelReplay() {
      const v = get().replayView;
      if (!v?.execution || v.phase !== 'running') return;
      try {
        await deps.cancelReplay({ execution: v.execution });
      } catch (err) {
        patch({ error: message(err) });
      }
    },

    closeReplay() {
      const v = get().replayView;
      if (v && (v.phase === 'running' || v.phase === 'starting')) return; // cancel first
      seq++;
      unsubscribe?.();
      unsubscribe = null;
      set({ replayView: null });
    },
  };
}
