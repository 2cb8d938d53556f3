/**
 * Positions and viewports remembered per workspace and view (stages or runs, direction, focus),
 * so a reload shows the graph exactly as it was left. Kept in localStorage: it survives reloads
 * in both shells and needs no API. Writes are batched; a full or disabled storage only means
 * positions last for this session.
 */
import type { Direction, Point } from './layered';

export interface Viewport {
  readonly zoom: number;
  readonly pan: Point;
}

export interface PositionMemory {
  /** Every position known for this view (including nodes not drawn now: they return there). */
  positions(view: string): Map<string, Point>;
  remember(view: string, positions: ReadonlyMap<string, Point>): void;
  forget(view: string): void;
  viewport(view: string): Viewport | null;
  rememberViewport(view: string, vp: Viewport): void;
  /** The direction the remembered positions were laid out in. */
  direction(view: string): Direction | null;
  rememberDirection(view: string, dir: Direction): void;
}

const PREFIX = 'retrace.layout.v1';
/** Views remembered per workspace before the least recently used is dropped. */
const MAX_VIEWS = 24;

export function createPositionMemory(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null, workspace: string): PositionMemory {
  const cache = new Map<string, Map<string, Point>>();
  const viewports = new Map<string, Viewport>();
  const directions = new Map<string, Direction>();
  const dirty = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const key = (view: string) => `${PREFIX}:${workspace}:${view}`;
  const indexKey = `${PREFIX}:${workspace}:index`;

  const read = <T>(k: string): T | null => {
    try {
      const raw = storage?.getItem(k);
      return raw ? (JSON.parse(raw) as T) : null;
    } catch {
      return null;
    }
  };
  const touch = (view: string) => {
    const index = (read<string[]>(indexKey) ?? []).filter((v) => v !== view);
    index.unshift(view);
    for (const old of index.splice(MAX_VIEWS)) storage?.removeItem(key(old));
    storage?.setItem(indexKey, JSON.stringify(index));
  };
  const flush = () => {
    timer = null;
    for (const view of dirty) {
      const ps = cache.get(view);
      const vp = viewports.get(view);
      try {
        const flat: Record<string, [number, number]> = {};
        for (const [id, p] of ps ?? []) flat[id] = [Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10];
        storage?.setItem(key(view), JSON.stringify({ positions: flat, viewport: vp ?? null, direction: directions.get(view) ?? null }));
        touch(view);
      } catch {
        // Quota or disabled storage: positions last for this session.
      }
    }
    dirty.clear();
  };
  const schedule = (view: string) => {
    dirty.add(view);
    timer ??= setTimeout(flush, 400);
  };
  const load = (view: string): Map<string, Point> => {
    let ps = cache.get(view);
    if (ps) return ps;
    const stored = read<{ positions?: Record<string, [number, number]>; viewport?: Viewport | null; direction?: Direction | null }>(key(view));
    ps = new Map(Object.entries(stored?.positions ?? {}).map(([id, [x, y]]) => [id, { x, y }]));
    cache.set(view, ps);
    if (stored?.viewport) viewports.set(view, stored.viewport);
    if (stored?.direction === 'LR' || stored?.direction === 'TB') directions.set(view, stored.direction);
    return ps;
  };

  return {
    positions: (view) => new Map(load(view)),
    remember(view, positions) {
      const ps = load(view);
      for (const [id, p] of positions) ps.set(id, { x: p.x, y: p.y });
      schedule(view);
    },
    forget(view) {
      cache.set(view, new Map());
      viewports.delete(view);
      directions.delete(view);
      schedule(view);
    },
    direction(view) {
      load(view);
      return directions.get(view) ?? null;
    },
    rememberDirection(view, dir) {
      load(view);
      directions.set(view, dir);
      schedule(view);
    },
    viewport(view) {
      load(view);
      return viewports.get(view) ?? null;
    },
    rememberViewport(view, vp) {
      load(view);
      viewports.set(view, vp);
      schedule(view);
    },
  };
}
