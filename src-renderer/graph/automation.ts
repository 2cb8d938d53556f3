/**
 * A read-only automation handle for tests and the benchmark (web shell only):
 * `window.__retrace.graph()` returns what the canvas draws now — zoom and, per node, its id,
 * kind, group, rendered position (x, y), model position (mx, my), whether it is on screen, and
 * its classes. Nothing here can change the app.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from '../state/app-store';
import type { GraphController } from './graph-controller';
import { shownColumnPath } from './model/column-path';

export interface AutomationHandle {
  graph(): ReturnType<GraphController['view']['automation']> | null;
  /** Resolves once no layout or drawing is pending. */
  idle(): Promise<void>;
  /** A summary of the view: snapshot, selection, focus, groups, drawn counts, last layout. */
  state(): Record<string, unknown>;
  /** Columns on the canvas: the expanded nodes with the page each shows, and the picked column's drawn path. */
  columns(): ColumnsReadout;
}

export interface ColumnsReadout {
  readonly expanded: readonly {
    readonly node: string;
    readonly dataset: string;
    readonly state: string;
    readonly query: string;
    readonly offset: number;
    /** Columns matching the search, and all columns at the snapshot (null until the first page arrives). */
    readonly total: number | null;
    readonly count: number | null;
    /** The names on the page shown. */
    readonly shown: readonly string[];
  }[];
  /** Null unless a column's path is drawn (picked, answered, its node selected, no other overlay). */
  readonly path: {
    readonly dataset: string;
    readonly column: string;
    readonly node: string;
    /** Graph node ids upstream / downstream (the column's own node excluded), as the API answered. */
    readonly up: readonly string[];
    readonly down: readonly string[];
    /** Column ids upstream / downstream. */
    readonly upColumns: readonly string[];
    readonly downColumns: readonly string[];
  } | null;
}

export function installAutomation(win: Window, store: StoreApi<AppState>, controller: { current: GraphController | null }): void {
  const handle: AutomationHandle = {
    graph: () => controller.current?.view.automation() ?? null,
    idle: async () => {
      for (let i = 0; i < 400 && !controller.current; i++) await new Promise((r) => setTimeout(r, 25));
      await controller.current?.whenIdle();
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    },
    state: () => {
      const s = store.getState();
      return {
        snapshot: s.snapshot,
        selectedId: s.selectedId,
        focus: s.focus ? { ...s.focus } : null,
        depth: { ...s.depth },
        direction: s.direction,
        groups: s.groups ? { ...s.groups } : null,
        summary: s.view ? { ...s.view.summary } : null,
        loadState: s.loadState,
        layout: controller.current?.layoutStatus() ?? null,
        lastDrawAt: controller.current?.lastDrawAt() ?? 0,
        marks: Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('retrace:')).map((m) => [m.name.slice(8), Math.round(m.startTime)])),
      };
    },
    columns: () => {
      const s = store.getState();
      const p = shownColumnPath(s);
      return {
        expanded: Object.values(s.canvasColumns).map((c) => ({
          node: c.node, dataset: c.dataset, state: c.state, query: c.query, offset: c.offset,
          total: c.page?.total ?? null, count: c.page?.count ?? null, shown: c.page?.columns.map((x) => x.name) ?? [],
        })),
        path: p ? {
          dataset: p.up.dataset, column: p.up.column, node: p.up.node,
          up: s.columnUpNodes, down: s.columnDownNodes, upColumns: s.columnUpIds, downColumns: s.columnDownIds,
        } : null,
      };
    },
  };
  Object.defineProperty(win, '__retrace', { value: Object.freeze(handle), configurable: false, writable: false });
}
