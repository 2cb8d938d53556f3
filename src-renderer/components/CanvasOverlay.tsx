import { useApp } from '../state/use-app';

/** Loading, error and empty states drawn over the graph canvas. */
export function CanvasOverlay() {
  const loadState = useApp((s) => s.loadState);
  const error = useApp((s) => s.error);
  const empty = useApp((s) => s.graph !== null && s.graph.nodes.length === 0);
  const load = useApp((s) => s.load);

  if (loadState === 'loading' || loadState === 'idle') {
    return (
      <div className="overlay" role="status" data-testid="loading">
        <div className="spinner" />
        <p>Loading the lineage graph…</p>
      </div>
    );
  }
  if (loadState === 'error' && error) {
    return (
      <div className="overlay" role="alert" data-testid="error">
        <h2>Could not load the graph</h2>
        <p className="error-text">{error.message}</p>
        <button type="button" className="button primary" onClick={() => void load()}>Try again</button>
      </div>
    );
  }
  if (empty) {
    return (
      <div className="overlay empty" data-testid="empty-state">
        <svg viewBox="0 0 120 60" className="empty-art" aria-hidden="true">
          <rect x="4" y="20" width="26" height="20" rx="5" />
          <rect x="90" y="20" width="26" height="20" rx="5" />
          <circle cx="60" cy="30" r="9" />
          <path d="M30 30 H51 M69 30 H90" />
        </svg>
        <h2>No provenance yet</h2>
        <p>Capture a pipeline stage and its reads and writes appear here, live:</p>
        <pre>retrace run -- python train.py</pre>
        <p>or read existing OpenLineage logs with <code>retrace ingest PATH</code>.</p>
      </div>
    );
  }
  return null;
}
