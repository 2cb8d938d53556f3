/**
 * A read-only automation handle for tests and the benchmark (web shell only):
 * `window.__retrace.graph()` returns what the canvas draws now — zoom and, per node, its id,
 * kind, group, rendered position (x, y), model position (mx, my), whether it is on screen, and
 * its classes. Nothing here can change the app.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from '../state/app-store';
import type { GraphController } from './graph-controller';

export interface AutomationHandle {
  graph(): ReturnType<GraphController['view']['automation']> | null;
  /** Resolves once no layout or drawing is pending. */
  idle(): Promise<void>;
  /** A summary of the view: snapshot, selection, focus, groups, drawn counts, last layout. */
  state(): Record<string, unknown>;
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
  };
  Object.defineProperty(win, '__retrace', { value: Object.freeze(handle), configurable: false, writable: false });
}
