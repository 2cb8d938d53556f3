import { useApp } from '../state/use-app';

/**
 * What the colours on the canvas mean right now: the selection's lineage, an overlay (a run's
 * footprint, an impact), or a comparison of two snapshots. Nothing when none is shown.
 */
export function CanvasLegend() {
  const overlay = useApp((s) => s.overlay);
  const comparing = useApp((s) => s.compare !== null);
  const travelled = useApp((s) => s.snapshotDiff !== null);
  const selected = useApp((s) => s.selectedId !== null);
  const clearOverlay = useApp((s) => s.clearOverlay);
  let items: [string, string][] = [];
  let title = '';
  if (overlay?.kind === 'footprint') {
    title = 'Footprint';
    items = [['ov-input', 'read'], ['ov-added', 'created'], ['ov-modified', 'modified'], ['ov-removed', 'deleted'], ['ov-tmp', 'temporary']];
  } else if (overlay?.kind === 'impact') {
    title = 'Impact';
    items = [['ov-impact-up', 'upstream'], ['ov-impact-down', 'downstream']];
  } else if (overlay?.kind === 'chains') {
    title = 'Versions';
    items = [['ov-chain-a', 'made A only'], ['ov-chain-b', 'made B only'], ['ov-chain-both', 'both']];
  } else if (comparing) {
    title = 'A → B';
    items = [['mk-added', 'added'], ['mk-removed', 'removed'], ['mk-changed', 'changed']];
  } else if (selected) {
    title = 'Lineage';
    items = [['ov-impact-up', 'upstream'], ['ov-impact-down', 'downstream']];
  } else if (travelled) {
    title = 'This snapshot';
    items = [['mk-added', 'new'], ['mk-changed', 'changed']];
  }
  if (!items.length) return null;
  return (
    <div className="canvas-legend" data-testid="canvas-legend" aria-label={`${title} colours`}>
      <b>{title}</b>
      {items.map(([cls, label]) => (
        <span key={cls} className="legend-item"><span className={`lg ${cls}`} /> {label}</span>
      ))}
      {overlay?.kind === 'chains' && (
        <button type="button" className="icon-button small" onClick={clearOverlay} aria-label="Stop showing the two chains" title="Stop showing the two chains" data-testid="legend-clear">✕</button>
      )}
    </div>
  );
}
