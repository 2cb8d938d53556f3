import { useEffect, useRef } from 'react';
import type { OutputVerdictDto, RerunStageDto, RerunStageRunDto } from '../../../shared/rerun-dto';
import { describeChange } from '../../../shared/rerun-summary';

const STATUS_LABEL: Record<string, string> = { queued: 'queued', running: 'running', done: 'done', failed: 'failed', skipped: 'skipped' };

export interface RerunStageRowProps {
  readonly index: number;
  readonly stage: RerunStageDto;
  /** Step numbers of the stages it waits for. */
  readonly after: readonly string[];
  readonly run: RerunStageRunDto | undefined;
  readonly log: string;
  readonly preflight: boolean;
  readonly now: number;
  onPick(run: string): void;
}

/**
 * One stage of a re-run plan, in the plan's order and indented by its depth in the DAG: why it
 * is there, exactly what runs where, in which environment, what it overwrites, its warnings;
 * then, once confirmed, its status, elapsed time, live output and the verdict on each output.
 */
export function RerunStageRow({ index, stage: s, after, run, log, preflight, now, onPick }: RerunStageRowProps) {
  const status = run?.status ?? (s.blocked ? 'skipped' : 'queued');
  const elapsed = run?.elapsedMs ?? (run?.status === 'running' && run.startedAt ? Math.max(0, now - Date.parse(run.startedAt)) : null);
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    // Follow the plan as it runs: the stage that starts comes into view.
    if (status === 'running') ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [status]);
  return (
    <li ref={ref} className={`rerun-stage status-${status}`} style={{ marginLeft: `${Math.min(s.level, 6) * 16}px` }} data-testid="rerun-stage" data-stage={s.stage ?? ''} data-status={status}>
      <div className="rerun-stage-head">
        <span className="rerun-step">{index + 1}</span>
        {s.level > 0 && <span className="rerun-arrow" aria-hidden="true">↳</span>}
        <b className="rerun-name">{s.stage ?? `run ${s.run.slice(0, 8)}`}</b>
        {after.length > 0 && <span className="muted small">after {after.join(', ')}</span>}
        <span className={`rerun-status rerun-status-${status}`} data-testid="rerun-stage-status">
          {status === 'running' && <span className="spinner small" />}
          {STATUS_LABEL[status]}
        </span>
        {elapsed !== null && <span className="rerun-elapsed">{(elapsed / 1000).toFixed(1)} s</span>}
      </div>
      {s.blocked && <p className="error-text small">{s.blocked.message}</p>}
      {run?.reason && run.status !== 'queued' && !s.blocked && <p className={run.status === 'failed' ? 'error-text small' : 'muted small'}>{run.reason}</p>}
      {s.reasons.map((r, i) => (
        <p key={i} className="rerun-why small">{r}</p>
      ))}
      {s.argv && (
        <>
          <div className="rerun-command">
            <span className="argv" data-testid="rerun-argv">
              {s.argv.map((a, i) => (
                <code key={i}>{a}</code>
              ))}
            </span>
            <span className="muted small">in <code data-testid="rerun-cwd">{s.cwd}</code></span>
          </div>
          <div className="rerun-facts small">
            <span data-testid="rerun-overwrites">
              <span className="muted">Overwrites </span>
              {s.overwrites.length === 0 ? <span className="muted">nothing recorded</span> : s.overwrites.map((o, i) => (
                <span key={o.artifact}>{i > 0 && ', '}<code>{o.artifact}</code> <span className="muted">{o.kind === 'table' ? `(table at ${o.version ?? '?'}: a new commit)` : `(${o.version ?? 'new'})`}</span></span>
              ))}
            </span>
            {s.environment && (
              <span data-testid="rerun-environment">
                <span className="muted">Environment </span>
                {interpreterOf(s.environment)}
                {s.environment.packages.length > 0 ? <span className="warn"> · {s.environment.packages.length} {s.environment.packages.length === 1 ? 'package differs' : 'packages differ'}</span> : <span className="muted"> · packages as recorded</span>}
              </span>
            )}
            {s.warnings.length > 0 && <span className="warn">{s.warnings.length} {s.warnings.length === 1 ? 'warning' : 'warnings'}</span>}
          </div>
          <details className="rerun-details" open={preflight && (s.warnings.length > 0 || (s.environment?.packages.length ?? 0) > 0)}>
            <summary>Details: which run, environment, warnings</summary>
            <dl className="facts small">
              <dt>Repeats</dt>
              <dd>
                {preflight && s.alternatives.length > 0 ? (
                  <select value={s.run} onChange={(e) => onPick(e.target.value)} data-testid="rerun-pick" aria-label={`Which run of ${s.stage} to repeat`}>
                    <option value={s.run}>{runLabel(s.run, s.runAt, s.runState, null)}</option>
                    {s.alternatives.map((a) => (
                      <option key={a.run} value={a.run} disabled={!a.display}>{runLabel(a.run, a.at, a.state, a.display)}</option>
                    ))}
                  </select>
                ) : (
                  <span>{runLabel(s.run, s.runAt, s.runState, null)}</span>
                )}
              </dd>
              {s.environment && <Environment env={s.environment} />}
              {s.warnings.length > 0 && (
                <>
                  <dt>Warnings</dt>
                  <dd>
                    <ul className="plain">
                      {s.warnings.map((w, i) => (
                        <li key={i} className="warn">{w.message}</li>
                      ))}
                    </ul>
                  </dd>
                </>
              )}
            </dl>
          </details>
        </>
      )}
      {log && <StageLog text={log} />}
      {run && run.outputs.length > 0 && <Verdicts outputs={run.outputs} />}
    </li>
  );
}

function interpreterOf(env: NonNullable<RerunStageDto['environment']>): string {
  return env.recorded === env.now ? env.now ?? 'interpreter not recorded' : `${env.recorded ?? '?'} → ${env.now ?? 'not found'}`;
}

function Environment({ env }: { env: NonNullable<RerunStageDto['environment']> }) {
  const interpreter = interpreterOf(env);
  return (
    <>
      <dt>Environment</dt>
      <dd>
        <div>{interpreter}{env.executable && <span className="muted"> ({env.executable})</span>}</div>
        {env.packages.length === 0 ? <div className="muted">packages as recorded</div> : (
          <ul className="plain">
            {env.packages.map((p) => (
              <li key={p.name} className="warn">{p.kind === 'added' ? `${p.name} added (${p.to})` : p.kind === 'removed' ? `${p.name} removed (${p.from})` : `${p.name} ${p.from} → ${p.to}`}</li>
            ))}
          </ul>
        )}
        {env.variables.length > 0 && <div className="muted">sets {env.variables.map((v) => `${v.name}=${v.value}`).join(' ')}</div>}
      </dd>
    </>
  );
}

export function StageLog({ text }: { text: string }) {
  const ref = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.scrollTop = ref.current.scrollHeight;
  }, [text]);
  return <pre ref={ref} className="rerun-log" data-testid="rerun-log">{text}</pre>;
}

export function Verdicts({ outputs }: { outputs: readonly OutputVerdictDto[] }) {
  return (
    <ul className="rerun-verdicts" data-testid="rerun-verdicts">
      {outputs.map((o) => {
        const same = o.verdict === 'bit-for-bit' || o.verdict === 'same-rows';
        return (
          <li key={o.artifact} className={same ? 'ok-text' : 'warn'}>
            <span aria-hidden="true">{same ? '=' : '≠'}</span> <code>{o.artifact}</code> {describeChange(o)}
            {o.changes.length > 1 && (
              <ul className="plain rerun-changes">
                {o.changes.slice(1).map((c) => (
                  <li key={c.key}>{c.key}: {c.change === 'added' ? `${c.after} (added)` : c.change === 'removed' ? `${c.before} (removed)` : `${c.before} → ${c.after}`}</li>
                ))}
                {o.moreChanges > 0 && <li className="muted">and {o.moreChanges} more</li>}
              </ul>
            )}
            {o.note && o.verdict !== 'bit-for-bit' && <div className="muted small">{o.note}</div>}
          </li>
        );
      })}
    </ul>
  );
}

function runLabel(run: string, at: string | null, state: string, display: string | null): string {
  const when = at ? at.replace('T', ' ').slice(0, 16) : 'unknown time';
  return `${run.slice(0, 8)} · ${when} · ${state.toLowerCase()}${display ? ` · ${display.length > 60 ? display.slice(0, 59) + '…' : display}` : display === null ? '' : ''}`;
}
