import { useEffect, useState } from 'react';
import { useApp } from '../../state/use-app';
import { RerunStageRow } from './RerunStageRow';
import { useExecutionDialog } from '../use-execution-dialog';

/**
 * The re-run dialog (issue 14): the plan for one run, its downstream or everything stale, as an
 * ordered list indented by dependency, with each stage's pre-flight. Nothing runs until the user
 * confirms this exact plan (its single-use token and digest); then every stage's status, elapsed
 * time and output stream in, each output gets its verdict, and the plan ends with a summary.
 */
export function RerunPlanDialog() {
  const view = useApp((s) => s.rerunView);
  const open = useApp((s) => s.openRerunPlan);
  const pick = useApp((s) => s.pickRerunRun);
  const confirm = useApp((s) => s.confirmRerunPlan);
  const cancel = useApp((s) => s.cancelRerunPlan);
  const close = useApp((s) => s.closeRerunPlan);
  const setJobs = useApp((s) => s.setRerunJobs);
  const now = useNow(view?.phase === 'running');
  const phase = view?.phase;
  const dialogRef = useExecutionDialog(phase, close);
  if (!view) return null;
  const { plan, target } = view;
  const steps = new Map(plan?.stages.map((s, i) => [s.id, String(i + 1)]) ?? []);
  const first = plan?.stages[0];
  const title =
    target.kind === 'stale'
      ? target.artifacts?.length ? `Re-run what ${target.artifacts.join(', ')} needs` : 'Re-run everything stale'
      : `Re-run ${first?.stage ?? 'this run'}${target.kind === 'downstream' ? ' and its downstream' : ''}`;
  const runnable = plan?.stages.filter((s) => !s.blocked).length ?? 0;
  const busy = view.phase === 'running' || view.phase === 'starting';
  return (
    <div className="modal-backdrop" role="presentation">
      <div ref={dialogRef} tabIndex={-1} className="modal rerun-modal" role="dialog" aria-modal="true" aria-labelledby="rerun-plan-title" data-testid="rerun-plan-dialog" data-phase={view.phase}>
        <h2 id="rerun-plan-title">{title}</h2>
        {view.phase === 'preflight' && plan && (
          <p className="muted">
            {plan.stages.length === 0
              ? 'Nothing to re-run.'
              : `${plan.stages.length} ${plan.stages.length === 1 ? 'stage' : 'stages'} in this order. Each runs its recorded command exactly as shown (no shell) and is recorded as a new run.`}
          </p>
        )}
        {(view.phase === 'running' || view.phase === 'starting') && plan && (
          <p className="running" data-testid="rerun-progress">
            <span className="spinner small" /> {Object.values(view.runs).filter((r) => r.status === 'done' || r.status === 'failed' || r.status === 'skipped').length} of {plan.stages.length} stages finished…
          </p>
        )}
        {view.summary && (
          <p className={view.cancelled || /failed|skipped|differ/.test(view.summary) ? 'rerun-summary warn' : 'rerun-summary ok-text'} data-testid="rerun-summary">
            {view.summary}
          </p>
        )}
        {target.kind !== 'stale' && target.run && view.phase === 'preflight' && (
          <label className="inline rerun-downstream">
            <input type="checkbox" checked={target.kind === 'downstream'} onChange={(e) => void open({ kind: e.target.checked ? 'downstream' : 'run', run: target.run! })} />
            Also re-run everything downstream (every stage that consumed what it produced)
          </label>
        )}
        {view.phase === 'loading' && <p className="running"><span className="spinner small" /> Planning…</p>}
        {view.error && <p className="error-text" data-testid="rerun-error">{view.error}</p>}
        {plan && plan.stages.length > 0 && (
          <ol className="rerun-plan" data-testid="rerun-plan">
            {plan.stages.map((s, i) => (
              <RerunStageRow
                key={s.id}
                index={i}
                stage={s}
                after={s.after.map((a) => steps.get(a) ?? '?')}
                run={view.runs[s.id]}
                log={view.logs[s.id] ?? ''}
                preflight={view.phase === 'preflight'}
                now={now}
                onPick={(run) => void pick(s.id, run)}
              />
            ))}
          </ol>
        )}
        {plan?.notes.map((n, i) => (
          <p key={i} className="muted small">{n}</p>
        ))}
        <div className="modal-actions">
          {view.phase === 'preflight' && runnable > 0 && (
            <label className="inline">
              Parallel stages
              <select value={view.jobs} onChange={(e) => setJobs(Number(e.target.value))} aria-label="How many independent stages may run at once">
                {[1, 2, 3, 4].map((n) => (
                  <option key={n} value={n}>{n}</option>
                ))}
              </select>
            </label>
          )}
          {busy ? (
            <button type="button" className="button" onClick={() => void cancel()} disabled={view.phase === 'starting'} data-testid="rerun-cancel">
              Cancel run
            </button>
          ) : (
            <button type="button" className="button" onClick={close}>{view.phase === 'finished' ? 'Close' : 'Cancel'}</button>
          )}
          {view.phase === 'preflight' && runnable > 0 && (
            <button type="button" className="button primary" onClick={() => void confirm()} data-testid="rerun-confirm">
              {runnable === 1 ? 'Run exactly this' : `Run these ${runnable} stages`}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

/** The current time, ticking while `active` (elapsed time of running stages). */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [active]);
  return now;
}
