/**
 * Keeps the address bar and the store in step (web shell): a change of view pushes a history
 * entry (rapid changes, like dragging the time slider, replace the last one instead), and
 * back/forward or an edited fragment put the store back in that state.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from './app-store';
import { decodeView, encodeView } from './url-state';

/** Changes closer together than this share one history entry. */
const COALESCE_MS = 700;

export function syncUrl(store: StoreApi<AppState>, win: Window = window): () => void {
  let applying = false;
  let lastPush = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const write = () => {
    timer = null;
    if (applying) return;
    const hash = encodeView(store.getState().urlView());
    if (hash === win.location.hash || (hash === '' && win.location.hash === '')) return;
    const url = `${win.location.pathname}${win.location.search}${hash}`;
    const now = Date.now();
    if (now - lastPush < COALESCE_MS) win.history.replaceState(null, '', url || win.location.pathname);
    else win.history.pushState(null, '', url || win.location.pathname);
    lastPush = now;
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.selectedId === prev.selectedId && s.focus === prev.focus && s.depth === prev.depth && s.groups === prev.groups &&
      s.overlay === prev.overlay && s.snapshot === prev.snapshot && s.granularity === prev.granularity && s.direction === prev.direction) return;
    if (!timer) timer = setTimeout(write, 60);
  });
  const onPop = () => {
    const target = decodeView(win.location.hash);
    if (encodeView(target) === encodeView(store.getState().urlView())) return;
    applying = true;
    void store.getState().applyUrlView(target).finally(() => {
      applying = false;
    });
  };
  win.addEventListener('popstate', onPop);
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    win.removeEventListener('popstate', onPop);
  };
}

/** The view the page was opened with (before the first load). */
export function initialUrlView(win: Window = window) {
  return decodeView(win.location.hash);
}
