import { useState } from 'react';
import { useApp } from '../state/use-app';
import { useGraphController } from './controller-context';
import { exportFileName } from './export/svg';

/** Saves the view or the whole graph as PNG or SVG, named after the workspace and snapshot. */
export function ExportMenu() {
  const controller = useGraphController();
  const workspace = useApp((s) => s.status?.workspace ?? 'workspace');
  const snapshot = useApp((s) => s.snapshot);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async (format: 'png' | 'svg', scope: 'view' | 'graph') => {
    setOpen(false);
    const c = controller.current;
    if (!c) return;
    try {
      const name = exportFileName(workspace, snapshot, scope === 'graph' ? 'whole' : 'view', format);
      const blob = await c.view.exportImage(format, scope, `${workspace} — ${snapshot === null ? 'live' : `snapshot ${snapshot}`}`);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setError(null);
    } catch (err) {
      setError(`Could not export: ${(err as Error).message}`);
    }
  };
  return (
    <div className="menu-wrap">
      <button type="button" className="button small" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="export-menu" title="Save the graph as an image">
        Export ▾
      </button>
      {open && (
        <ul className="menu" role="menu" onMouseLeave={() => setOpen(false)}>
          <li role="none"><button type="button" role="menuitem" onClick={() => void save('png', 'view')} data-testid="export-png-view">PNG — this view</button></li>
          <li role="none"><button type="button" role="menuitem" onClick={() => void save('png', 'graph')} data-testid="export-png-graph">PNG — whole graph</button></li>
          <li role="none"><button type="button" role="menuitem" onClick={() => void save('svg', 'view')} data-testid="export-svg-view">SVG — this view</button></li>
          <li role="none"><button type="button" role="menuitem" onClick={() => void save('svg', 'graph')} data-testid="export-svg-graph">SVG — whole graph</button></li>
        </ul>
      )}
      {error && <span className="error-text small">{error}</span>}
    </div>
  );
}
