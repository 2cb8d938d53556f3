import type { RunRowDto } from '../../../shared/lineage-dto';
import { useApp } from '../../state/use-app';
import { durationOf, formatDuration, formatTime } from './format';

/** A stage's runs, newest first: status colour, when, how long, who; click one to inspect it. */
export function RunList({ runs, current }: { runs: readonly RunRowDto[]; current: string | null }) {
  const inspectRun = useApp((s) => s.inspectRun);
  if (runs.length === 0) return <p className="muted">No runs of this stage at this point in time.</p>;
  return (
    <ol className="runs" data-testid="runs">
      {runs.slice(0, 30).map((r) => {
        const row = r as RunRowDto & { durationMs?: number | null; exitCode?: number | null };
        const ms = row.durationMs ?? durationOf(r.startedAt, r.endedAt);
        return (
          <li key={r.run}>
            <button type="button" className={`run-row ${r.run === current ? 'current' : ''}`} onClick={() => void inspectRun(r.run)} title={`run ${r.run}`}>
              <span className={`dot state-${r.state.toLowerCase()}`} aria-label={r.state.toLowerCase()} />
              <span className="run-time">{formatTime(r.endedAt ?? r.startedAt)}</span>
              <span className="run-meta muted">
                {formatDuration(ms)}
                {r.user ? ` · ${r.user}` : ''}
                {row.exitCode !== undefined && row.exitCode !== null && row.exitCode !== 0 ? ` · exit ${row.exitCode}` : ''}
              </span>
            </button>
          </li>
        );
      })}
      {runs.length > 30 && <li className="muted small">and {runs.length - 30} older runs</li>}
    </ol>
  );
}
