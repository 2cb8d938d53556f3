import { useEffect, useRef, useState } from 'react';
import { useStoreApi } from '../state/use-app';
import { useGraphController } from './controller-context';
import type { LayoutStatus } from './graph-controller';
import { loadCanvasModule } from './canvas-module';
import { GraphToolbar } from './GraphToolbar';
import { CanvasColumns } from './CanvasColumns';
import { CanvasLegend } from './CanvasLegend';
import { GroupBar } from './GroupBar';
import { HoverCard } from './HoverCard';
import { Minimap } from './Minimap';

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Mounts the canvas once and hands it to the controller; React never re-renders Cytoscape's DOM. */
export function LineageGraph() {
  const ref = useRef<HTMLDivElement>(null);
  const store = useStoreApi();
  const slot = useGraphController();
  const [layout, setLayout] = useState<LayoutStatus | null>(null);
  const [mounted, setMounted] = useState(0);

  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    void loadCanvasModule().then(({ createGraphController }) => {
      if (disposed) return;
      const c = createGraphController(ref.current!, store, safeStorage());
      slot.set(c);
      const off = c.onLayoutStatus((s) => setLayout(s));
      setMounted((m) => m + 1);
      cleanup = () => {
        off();
        c.dispose();
        slot.set(null);
      };
    });
    return () => {
      disposed = true;
      cleanup();
    };
  }, [store, slot]);

  return (
    <div className="graph-wrap">
      <div ref={ref} className="lineage-graph" data-testid="lineage-graph" tabIndex={-1} aria-label="Lineage graph" />
      <GroupBar />
      <CanvasLegend />
      <GraphToolbar />
      {mounted > 0 && <Minimap key={`m${mounted}`} />}
      {mounted > 0 && <CanvasColumns key={`c${mounted}`} />}
      {mounted > 0 && <HoverCard key={`h${mounted}`} />}
      {layout?.running && layout.nodes > 400 && (
        <div className="layout-busy" role="status" data-testid="layout-busy">
          <span className="spinner small" /> Laying out {layout.nodes.toLocaleString('en-US')} nodes…
        </div>
      )}
    </div>
  );
}
