/**
 * The view as a URL fragment, so a link or a reload opens the same view: selection, focus and
 * depth, open groups, overlay, snapshot, stages/runs and layout direction. Only view state goes
 * in here — never the access token (the server trades it for a cookie before the app loads).
 * Pure encode/decode; the browser glue is in url-sync.ts.
 */
import type { Granularity } from '../../shared/lineage-dto';
import type { Direction } from '../graph/layout/layered';
import type { GroupState } from '../graph/model/view-graph';

export interface UrlView {
  readonly selectedId: string | null;
  readonly focus: { readonly id: string; readonly extra: readonly string[] } | null;
  readonly depth: { readonly up: number | null; readonly down: number | null };
  readonly groups: GroupState | null;
  readonly overlay: 'impact' | 'footprint' | null;
  readonly snapshot: number | null;
  readonly granularity: Granularity;
  readonly direction: Direction | null;
}

export const DEFAULT_URL_VIEW: UrlView = {
  selectedId: null,
  focus: null,
  depth: { up: null, down: null },
  groups: null,
  overlay: null,
  snapshot: null,
  granularity: 'job',
  direction: null,
};

const enc = encodeURIComponent;

export function encodeView(v: UrlView): string {
  const parts: string[] = [];
  if (v.granularity !== 'job') parts.push(`view=${v.granularity}`);
  if (v.snapshot !== null) parts.push(`at=${v.snapshot}`);
  if (v.selectedId) parts.push(`sel=${enc(v.selectedId)}`);
  if (v.focus) {
    parts.push(`focus=${enc(v.focus.id)}`);
    if (v.focus.extra.length) parts.push(`more=${v.focus.extra.map(enc).join(',')}`);
  }
  if (v.depth.up !== null) parts.push(`up=${v.depth.up}`);
  if (v.depth.down !== null) parts.push(`down=${v.depth.down}`);
  if (v.groups) parts.push(`groups=${v.groups.base === 'expanded' ? 'open' : 'closed'}${v.groups.except.length ? ',' + v.groups.except.map(enc).join(',') : ''}`);
  if (v.overlay) parts.push(`overlay=${v.overlay}`);
  if (v.direction) parts.push(`dir=${v.direction}`);
  return parts.length ? `#${parts.join('&')}` : '';
}

/** Unknown or malformed parts are ignored: a hand-edited link still opens. */
export function decodeView(hash: string): UrlView {
  const params = new Map<string, string>();
  for (const part of hash.replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const dec = (s: string | undefined) => {
    if (s === undefined || s === '') return null;
    try {
      return decodeURIComponent(s);
    } catch {
      return null;
    }
  };
  const int = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : null);
  const list = (s: string | undefined) => (s ? s.split(',').map((x) => dec(x)).filter((x): x is string => Boolean(x)) : []);
  const focusId = dec(params.get('focus'));
  const groupsRaw = list(params.get('groups'));
  const base = groupsRaw[0];
  return {
    selectedId: dec(params.get('sel')),
    focus: focusId ? { id: focusId, extra: list(params.get('more')).filter((x) => /^[ud]:/.test(x)) } : null,
    depth: { up: int(params.get('up')), down: int(params.get('down')) },
    groups: base === 'open' || base === 'closed' ? { base: base === 'open' ? 'expanded' : 'collapsed', except: groupsRaw.slice(1) } : null,
    overlay: params.get('overlay') === 'impact' ? 'impact' : params.get('overlay') === 'footprint' ? 'footprint' : null,
    snapshot: int(params.get('at')),
    granularity: params.get('view') === 'run' ? 'run' : 'job',
    direction: params.get('dir') === 'TB' ? 'TB' : params.get('dir') === 'LR' ? 'LR' : null,
  };
}
