import { useEffect } from 'react';
import { useStoreApi } from '../state/use-app';
import { useGraphController } from './controller-context';
import { nearestTo, nextByArrow, type Arrow } from './model/keyboard-nav';

const typing = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

/**
 * The keyboard for the graph: Ctrl/Cmd+K search, arrows walk to a connected node, Enter opens
 * (a group, a stub, or the details panel), Esc clears, F fits, Z zooms to the selection,
 * "." focuses the selection's lineage, +/− zoom.
 */
export function useGraphKeyboard(): void {
  const store = useStoreApi();
  const controller = useGraphController();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = store.getState();
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        s.setPaletteOpen(true);
        return;
      }
      if (s.paletteOpen || s.rerun || typing(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
      if ((e.target as HTMLElement | null)?.closest?.('[role=dialog], .panel')) {
        if (e.key !== 'Escape') return;
      }
      const c = controller.current;
      if (!c) return;
      switch (e.key) {
        case 'ArrowLeft':
        case 'ArrowRight':
        case 'ArrowUp':
        case 'ArrowDown': {
          const v = s.view;
          if (!v) return;
          e.preventDefault();
          const positions = c.view.positions();
          let next: string | null;
          if (!s.selectedId || !positions.has(s.selectedId)) {
            const vp = c.view.viewport();
            const el = document.querySelector('[data-testid=lineage-graph]');
            const centre = { x: ((el?.clientWidth ?? 800) / 2 - vp.pan.x) / vp.zoom, y: ((el?.clientHeight ?? 600) / 2 - vp.pan.y) / vp.zoom };
            next = nearestTo(centre, positions);
          } else next = nextByArrow(s.selectedId, e.key as Arrow, positions, v.edges);
          if (next) {
            s.select(next);
            const r = c.view.renderedPositionOf(next);
            const el = document.querySelector('[data-testid=lineage-graph]');
            if (r && el && (r.x < 40 || r.y < 40 || r.x > el.clientWidth - 40 || r.y > el.clientHeight - 40)) c.view.centre(next);
          }
          return;
        }
        case 'Enter': {
          const id = s.selectedId;
          if (!id) return;
          e.preventDefault();
          if (id.startsWith('stub:')) return s.openStub(id);
          if (s.view?.tree.groups.has(id)) return s.toggleGroup(id, true);
          (document.querySelector('[data-testid=details-panel]') as HTMLElement | null)?.focus();
          return;
        }
        case 'Escape':
          if (s.selectedId) s.select(null);
          else if (s.focus) s.setFocus(null);
          (document.querySelector('[data-testid=lineage-graph]') as HTMLElement | null)?.focus();
          return;
        case 'f':
        case 'F':
          s.requestFit();
          return;
        case 'z':
        case 'Z':
          if (s.selectedId) c.view.centre(s.selectedId, { legible: true });
          return;
        case '.':
          if (s.selectedId && !s.selectedId.startsWith('group:')) s.setFocus(s.focus?.id === s.selectedId ? null : s.selectedId);
          return;
        case '+':
        case '=':
          c.view.zoomBy(1.25);
          return;
        case '-':
          c.view.zoomBy(0.8);
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, controller]);
}
