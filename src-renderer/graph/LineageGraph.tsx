import { useEffect, useMemo, useRef } from 'react';
import { useApp } from '../state/use-app';
import { createGraphView, type GraphView } from './cy/graph-view';
import { toCyElements } from './elements';

/** Mounts one div and drives the GraphView; React never re-renders Cytoscape's DOM. */
export function LineageGraph() {
  const ref = useRef<HTMLDivElement>(null);
  const view = useRef<GraphView | null>(null);
  const graph = useApp((s) => s.graph);
  const selectedId = useApp((s) => s.selectedId);
  const theme = useApp((s) => s.theme);
  const overlay = useApp((s) => s.overlay);
  const snapshotDiff = useApp((s) => s.snapshotDiff);
  const select = useApp((s) => s.select);
  const hiddenKinds = useApp((s) => s.hiddenKinds);
  const elements = useMemo(() => (graph ? toCyElements(graph, hiddenKinds) : []), [graph, hiddenKinds]);

  useEffect(() => {
    const v = createGraphView(ref.current!, { onSelect: select, theme });
    view.current = v;
    return () => {
      v.dispose();
      view.current = null;
    };
    // The view is created once; theme changes go through setTheme below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [select]);
  useEffect(() => view.current?.setElements(elements), [elements]);
  useEffect(() => view.current?.setSelected(selectedId), [selectedId, elements]);
  useEffect(() => view.current?.setTheme(theme), [theme]);
  useEffect(() => view.current?.setOverlay(overlay ? overlay.ids : null), [overlay, elements]);
  useEffect(() => {
    const marked = snapshotDiff ? [...snapshotDiff.nodes.added, ...snapshotDiff.nodes.changed.map((c) => c.id)] : [];
    view.current?.setMarked(marked);
  }, [snapshotDiff, elements]);

  return (
    <div className="graph-wrap">
      <div ref={ref} className="lineage-graph" data-testid="lineage-graph" data-nodes={graph?.nodes.length ?? 0} />
      <button type="button" className="icon-button fit-button" title="Fit the graph to the window" onClick={() => view.current?.fit()}>
        ⤢
      </button>
    </div>
  );
}
