import type { ReactElement } from 'react';
import type { AxisVerdict, ReproReportDto, ReproWarningDto } from '../../../shared/repro-dto';
import { Hash } from './Hash';

const AXIS_TEXT: Record<AxisVerdict, string> = { same: 'unchanged', changed: 'changed', unknown: 'not recorded' };
const AXIS_NAME = { code: 'Code', data: 'Data', environment: 'Environment' } as const;

/**
 * The three-axis verdict and, under each warning, what exactly differs: commits and files for
 * code, the version read and the one there now for data, packages for the environment.
 */
export function ReproSection({ repro }: { repro: ReproReportDto }) {
  return (
    <div data-testid="repro">
      <div className="axes">
        {(['code', 'data', 'environment'] as const).map((axis) => (
          <span key={axis} className={`axis axis-${repro.axes[axis]}`} title={`${AXIS_NAME[axis]}: ${AXIS_TEXT[repro.axes[axis]]}`}>
            {AXIS_NAME[axis]} {repro.axes[axis] === 'same' ? '✓' : repro.axes[axis] === 'changed' ? '≠' : '?'}
          </span>
        ))}
      </div>
      {repro.warnings.length === 0 ? (
        <p className="ok-text">Reproducible: code, data and environment match this run.</p>
      ) : (
        <ul className="warnings">
          {repro.warnings.map((w, i) => (
            <li key={i} className={`warning warning-${w.code.toLowerCase()}`}>
              <span className="warning-code">{w.code.replace(/_/g, ' ').toLowerCase()}</span>
              <span className="warning-text">{w.message}</span>
              <WarningDetails w={w} />
            </li>
          ))}
        </ul>
      )}
      {repro.command && (
        <p className="muted small command-line" title="What a re-run executes, argument by argument (never through a shell)">
          <code>{repro.command.argv.join(' ')}</code>
        </p>
      )}
    </div>
  );
}

interface Pair {
  readonly recorded?: string | null;
  readonly now?: string | null;
}

function WarningDetails({ w }: { w: ReproWarningDto }) {
  const d = w.details as {
    gitSha?: Pair;
    dirtyDiff?: Pair;
    files?: { path: string; change: string }[];
    packages?: { kind: string; name: string; from?: string; to?: string }[];
    artifact?: string;
    recorded?: string;
    now?: string;
    pinned?: number;
  };
  const rows: ReactElement[] = [];
  if (d.gitSha?.recorded || d.gitSha?.now) rows.push(<Change key="git" label="commit" a={d.gitSha.recorded} b={d.gitSha.now} />);
  if (d.dirtyDiff && d.dirtyDiff.recorded !== d.dirtyDiff.now) rows.push(<Change key="dirty" label="uncommitted diff" a={d.dirtyDiff.recorded} b={d.dirtyDiff.now} none="clean" />);
  for (const f of d.files ?? []) rows.push(<div key={`f${f.path}`} className="detail-row"><span className="muted">{f.change}</span> <code>{f.path}</code></div>);
  for (const p of d.packages ?? []) {
    rows.push(
      <div key={`p${p.name}`} className="detail-row">
        <code>{p.name}</code> <span className="muted">{p.kind}</span> {p.from ?? ''}{p.from && p.to ? ' → ' : ''}{p.to ?? ''}
      </div>,
    );
  }
  if (d.artifact && (d.recorded || d.now)) rows.push(<Change key="data" label={d.artifact} a={d.recorded} b={d.now} none="gone" />);
  if (!rows.length) return null;
  return <div className="warning-details">{rows}</div>;
}

/** "commit c2243e0 → f7abae1": both sides short, but never the same characters on both. */
function Change({ label, a, b, none = '—' }: { label: string; a?: string | null; b?: string | null; none?: string }) {
  return (
    <div className="detail-row">
      <span className="muted">{label}</span>{' '}
      {a ? <Hash value={a} against={b ?? undefined} min={7} /> : <span className="muted">{none}</span>} →{' '}
      {b ? <Hash value={b} against={a ?? undefined} min={7} /> : <span className="muted">{none}</span>}
    </div>
  );
}
