import { useMemo } from 'react';
import { useApp } from '../state/use-app';
import { countByKind, KIND_LABEL } from '../graph/elements';
import type { NodeKind } from '../../shared/dto';

/** Right-hand panel: the selected node, or the legend with counts per kind. */
export function DetailsPanel() {
  const graph = useApp((s) => s.graph);
  const selectedId = useApp((s) => s.selectedId);
  const select = useApp((s) => s.select);
  const node = useMemo(() => graph?.nodes.find((n) => n.id === selectedId) ?? null, [graph, selectedId]);
  const counts = useMemo(() => (graph ? countByKind(graph) : {}), [graph]);
  const degree = useMemo(() => {
    if (!graph || !node) return { in: 0, out: 0 };
    return {
      in: graph.edges.filter((e) => e.target === node.id).length,
      out: graph.edges.filter((e) => e.source === node.id).length,
    };
  }, [graph, node]);

  return (
    <aside className="panel" data-testid="details-panel">
      {node ? (
        <>
          <div className="panel-header">
            <span className={`kind-chip kind-${node.kind}`}>{KIND_LABEL[node.kind]}</span>
            <button type="button" className="icon-button small" aria-label="Close details" onClick={() => select(null)}>
              ✕
            </button>
          </div>
          <h2 className="panel-title">{node.label}</h2>
          <dl className="facts">
            {node.version && (<><dt>Version</dt><dd><code>{node.version}</code></dd></>)}
            {node.state && (<><dt>State</dt><dd className={`state state-${node.state.toLowerCase()}`}>{node.state}</dd></>)}
            <dt>Reads / feeds</dt>
            <dd>{degree.in} in · {degree.out} out</dd>
            {node.stale && (<><dt>Staleness</dt><dd className="warn">Stale: an input, code or environment changed</dd></>)}
          </dl>
        </>
      ) : (
        <>
          <h2 className="panel-heading">Legend</h2>
          <ul className="legend">
            {(Object.keys(KIND_LABEL) as NodeKind[]).map((k) => (
              <li key={k} className={counts[k] ? '' : 'muted'}>
                <span className={`swatch kind-${k}`} />
                <span className="legend-name">{KIND_LABEL[k]}</span>
                <span className="legend-count">{counts[k] ?? 0}</span>
              </li>
            ))}
          </ul>
          <p className="hint">Click a node to see its details. Drag to pan, scroll to zoom.</p>
        </>
      )}
    </aside>
  );
}
