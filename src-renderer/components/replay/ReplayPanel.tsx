import type { ReplayInputDto, ReplayPlanDto } from '../../../shared/replay-dto';
import { useApp } from '../../state/use-app';
import { StageLog, Verdicts } from '../rerun/RerunStageRow';
import { useExecutionDialog } from '../use-execution-dialog';
import './replay.css';

const SOURCE: Record<ReplayInputDto['restore'], string> = {
  store: 'from the content store',
  workspace: 'unchanged in the workspace',
  'time-travel': 'time travel',
  'in-place': 'read in place',
  current: 'the current version instead',
  absent: 'left out',
};

/**
 * The replay panel (issue 15): replays a past stage run in a sandbox with the inputs it read
 * restored. Before anything runs it shows what comes back from where, names what cannot (and
 * asks whether to go on without it), and the environment; then the live log; then, in one
 * place, whether it still reproduces — each output against the original's — and the
 * environment then and now. Opened by `openReplay(run)`.
 */
export function ReplayPanel() {
  const view = useApp((s) => s.replayView);
  const confirm = useApp((s) => s.confirmReplay);
  const cancel = useApp((s) => s.cancelReplay);
  const close = useApp((s) => s.closeReplay);
  const accept = useApp((s) => s.setReplayAcceptMissing);
  const phase = view?.phase;
  const ref = useExecutionDialog(phase, close);
  if (!view) return null;
  const { plan, result } = view;
  const busy = phase === 'running' || phase === 'starting';
  const verdict = result?.verdict ?? null;
  const reproduced = verdict?.verdict === 'bit-for-bit' || verdict?.verdict === 'reproduced';
  const canRun = phase === 'preflight' && plan !== null && !plan.blocked && (plan.missing === 0 || view.acceptMissing);
  return (
    <div className="modal-backdrop" role="presentation">
      <div ref={ref} tabIndex={-1} className="modal rerun-modal replay-modal" role="dialog" aria-modal="true" aria-labelledby="replay-title" data-testid="replay-panel" data-phase={view.phase}>
        <h2 id="replay-title">Replay {plan?.stage ?? 'run'} <span className="muted small">run {view.run.slice(0, 8)}{plan?.runAt ? ` of ${plan.runAt.replace('T', ' ').slice(0, 16)}` : ''}</span></h2>
        {phase === 'loading' && <p className="running"><span className="spinner small" /> Finding the inputs it read…</p>}
        {verdict && (
          <div className={`replay-verdict ${reproduced ? 'ok' : 'differs'}`} data-testid="replay-verdict" data-verdict={verdict.verdict ?? 'none'}>
            <p className="replay-verdict-line">{verdict.summary}</p>
            <Verdicts outputs={verdict.outputs} />
            <p className="small" data-testid="replay-environment">
              <span className="muted">Environment then → now: </span>
              <span className={verdict.environment.same ? 'ok-text' : 'warn'}>{verdict.environment.summary}</span>
            </p>
          </div>
        )}
        {result?.status === 'failed' && <p className="error-text" data-testid="replay-failed">{result.state === 'cancelled' ? 'Cancelled' : 'Failed'}: {result.reason}</p>}
        {view.error && <p className="error-text" data-testid="replay-error">{view.error}</p>}
        {plan && <PlanView plan={plan} />}
        {phase === 'preflight' && plan && plan.missing > 0 && !plan.blocked && (
          <label className="inline replay-accept">
            <input type="checkbox" checked={view.acceptMissing} onChange={(e) => accept(e.target.checked)} data-testid="replay-accept-missing" />
            Go on without {plan.missing === 1 ? 'this input' : `these ${plan.missing} inputs`} as the run read {plan.missing === 1 ? 'it' : 'them'}
          </label>
        )}
        {busy && <p className="running" data-testid="replay-progress"><span className="spinner small" /> {view.message ?? 'Restoring the inputs in a sandbox…'}</p>}
        {view.log && <StageLog text={view.log} />}
        {result?.newRun && <p className="muted small">Recorded as run <code>{result.newRun.slice(0, 8)}</code> ({plan?.stage ?? 'run'}.replay), linked to the run replayed; its outputs stayed in the sandbox.</p>}
        <div className="modal-actions">
          {busy ? (
            <button type="button" className="button" onClick={() => void cancel()} disabled={phase === 'starting'} data-testid="replay-cancel">Cancel replay</button>
          ) : (
            <button type="button" className="button" onClick={close}>{phase === 'finished' ? 'Close' : 'Cancel'}</button>
          )}
          {phase === 'preflight' && plan && !plan.blocked && (
            <button type="button" className="button primary" onClick={() => void confirm()} disabled={!canRun} data-testid="replay-confirm">
              {plan.missing ? 'Replay without them' : 'Replay exactly this'}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

function PlanView({ plan }: { plan: ReplayPlanDto }) {
  if (plan.blocked) return <p className="error-text">{plan.blocked.message}</p>;
  const env = plan.environment;
  return (
    <div className="replay-plan" data-testid="replay-plan">
      <p className="muted small">Runs in a temporary copy of the workspace layout with the inputs below; the workspace itself is not touched, and the outputs are compared with the original's, not kept.</p>
      <div className="rerun-command">
        <span className="argv" data-testid="replay-argv">{plan.argv.map((a, i) => <code key={i}>{a}</code>)}</span>
        <span className="muted small">in <code>{plan.cwd}</code></span>
      </div>
      <ul className="plain replay-inputs" data-testid="replay-inputs">
        {plan.inputs.map((i) => (
          <li key={i.artifact} className={i.problem ? 'warn' : ''} data-restore={i.restore}>
            <span aria-hidden="true">{i.problem ? '✗' : '✓'}</span> <code>{i.artifact}</code> <span className="muted">{i.version} · {SOURCE[i.restore]}</span>
            {i.problem && <div className="small">{i.problem.message}</div>}
          </li>
        ))}
      </ul>
      {plan.outputs.length > 0 && <p className="small"><span className="muted">Compares </span>{plan.outputs.map((o) => o.artifact).join(', ')}</p>}
      {plan.writesOutside.length > 0 && <p className="warn small">It also writes outside the workspace, which a sandbox cannot hold: {plan.writesOutside.join(', ')}</p>}
      {env && (
        <p className="small" data-testid="replay-plan-environment">
          <span className="muted">Environment </span>
          {env.recorded === env.now ? env.now ?? 'interpreter not recorded' : `${env.recorded ?? '?'} → ${env.now ?? 'not found'}`}
          {env.packages.length > 0 ? <span className="warn"> · {env.packages.length} {env.packages.length === 1 ? 'package differs' : 'packages differ'} from the run</span> : <span className="muted"> · packages as recorded</span>}
        </p>
      )}
    </div>
  );
}
