import { useApp } from '../state/use-app';

/** Log lines ingestion could not place: file, line, reason — never silently dropped. */
export function RejectedPanel() {
  const rejected = useApp((s) => s.rejected);
  const showPanel = useApp((s) => s.showPanel);
  return (
    <aside className="panel" data-testid="rejected-panel">
      <div className="panel-header">
        <h2 className="panel-heading">Rejected log lines {rejected ? `(${rejected.total})` : ''}</h2>
        <button type="button" className="icon-button small" aria-label="Close rejected lines" onClick={() => void showPanel('details')}>
          ✕
        </button>
      </div>
      {!rejected ? (
        <p className="muted">Loading…</p>
      ) : rejected.total === 0 ? (
        <p className="muted">Every log line was read.</p>
      ) : (
        <ol className="rejected-list">
          {rejected.items.map((r) => (
            <li key={`${r.file}:${r.line}`}>
              <div className="rejected-where" title={r.file}>
                {r.file.split('/').slice(-2).join('/')}:{r.line}
              </div>
              <div className="rejected-reason">{r.reason}</div>
              {r.excerpt && <code className="rejected-excerpt">{r.excerpt}</code>}
            </li>
          ))}
          {rejected.total > rejected.items.length && <li className="muted">… and {rejected.total - rejected.items.length} more (see `retrace ingest --json`).</li>}
        </ol>
      )}
    </aside>
  );
}
