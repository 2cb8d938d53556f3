import { useApp } from '../state/use-app';
import { useGraphController } from './controller-context';
import { ExportMenu } from './ExportMenu';

const DEPTHS: { label: string; value: number | null }[] = [
  { label: '1', value: 1 },
  { label: '2', value: 2 },
  { label: '3', value: 3 },
  { label: 'all', value: null },
];

/** Canvas controls: fit, zoom, zoom to selection, direction, re-layout, lineage depth. */
export function GraphToolbar() {
  const controller = useGraphController();
  const direction = useApp((s) => s.direction);
  const setDirection = useApp((s) => s.setDirection);
  const relayout = useApp((s) => s.relayout);
  const requestFit = useApp((s) => s.requestFit);
  const selectedId = useApp((s) => s.selectedId);
  const depth = useApp((s) => s.depth);
  const setDepth = useApp((s) => s.setDepth);
  const focus = useApp((s) => s.focus);
  const setFocus = useApp((s) => s.setFocus);
  return (
    <div className="graph-toolbar" role="toolbar" aria-label="Graph view">
      <div className="tool-group">
        <button type="button" className="icon-button" title="Fit the graph to the window (F)" aria-label="Fit" onClick={requestFit} data-testid="fit">⤢</button>
        <button type="button" className="icon-button" title="Zoom in (+)" aria-label="Zoom in" onClick={() => controller.current?.view.zoomBy(1.25)}>+</button>
        <button type="button" className="icon-button" title="Zoom out (−)" aria-label="Zoom out" onClick={() => controller.current?.view.zoomBy(0.8)}>−</button>
        <button
          type="button"
          className="icon-button"
          title="Zoom to the selection (Z)"
          aria-label="Zoom to selection"
          disabled={!selectedId}
          onClick={() => selectedId && controller.current?.view.centre(selectedId, { legible: true })}
        >
          ◎
        </button>
      </div>
      <div className="tool-group segmented small" role="group" aria-label="Layout direction">
        {(['LR', 'TB'] as const).map((d) => (
          <button key={d} type="button" className={direction === d ? 'on' : ''} aria-pressed={direction === d} title={d === 'LR' ? 'Left to right' : 'Top to bottom'} onClick={() => setDirection(d)} data-testid={`dir-${d}`}>
            {d === 'LR' ? '→' : '↓'}
          </button>
        ))}
      </div>
      <button type="button" className="button small" title="Lay the whole view out again (moves nodes)" onClick={relayout} data-testid="relayout">
        Re-layout
      </button>
      <ExportMenu />
      <div className="tool-group depth" role="group" aria-label="Lineage depth">
        <span className="tool-label" title="Hops upstream that selection and focus show">↑</span>
        {DEPTHS.map((d) => (
          <button key={`u${d.label}`} type="button" className={depth.up === d.value ? 'on' : ''} aria-pressed={depth.up === d.value} title={`Upstream: ${d.label === 'all' ? 'all hops' : `${d.label} hop${d.label === '1' ? '' : 's'}`}`} onClick={() => setDepth({ up: d.value })} data-testid={`depth-up-${d.label}`}>
            {d.label}
          </button>
        ))}
        <span className="tool-label" title="Hops downstream that selection and focus show">↓</span>
        {DEPTHS.map((d) => (
          <button key={`d${d.label}`} type="button" className={depth.down === d.value ? 'on' : ''} aria-pressed={depth.down === d.value} title={`Downstream: ${d.label === 'all' ? 'all hops' : `${d.label} hop${d.label === '1' ? '' : 's'}`}`} onClick={() => setDepth({ down: d.value })} data-testid={`depth-down-${d.label}`}>
            {d.label}
          </button>
        ))}
      </div>
      {focus ? (
        <button type="button" className="button small primary" onClick={() => setFocus(null)} title="Show the whole graph again (Esc)" data-testid="unfocus">
          Show all
        </button>
      ) : (
        <button type="button" className="button small" disabled={!selectedId || selectedId.startsWith('group:')} onClick={() => selectedId && setFocus(selectedId)} title="Show only the selection's lineage (.)" data-testid="focus">
          Focus
        </button>
      )}
    </div>
  );
}
