import type { StoreApi } from 'zustand/vanilla';
import type { RetraceClient } from '../../shared/api';
import type { DatasetColumnsDto } from '../../shared/columns-dto';
import type { GraphDto, NodeKind } from '../../shared/dto';
import { AppError } from '../../shared/errors';

/**
 * Dataset nodes expanded into their columns on the canvas (issue 19). Lazy: nothing is asked
 * until a node is expanded, and then one page of CANVAS_COLUMNS_PAGE columns at a time — a
 * 1,000-column table costs what a 12-column one does; search and paging ask the API again.
 * Expanded cards follow the time slider (the columns as of the snapshot shown). Clicking a
 * column selects its node and the column (the columns slice answers its path).
 */
export const CANVAS_COLUMNS_PAGE = 12;

/** Kinds of node that have columns. */
export const COLUMN_KINDS: ReadonlySet<NodeKind | string> = new Set<NodeKind>(['dataset', 'feature_group', 'training_dataset']);

export interface CanvasColumnsCard {
  /** The graph node the card hangs off. */
  readonly node: string;
  /** The dataset as the API names it (the node's label). */
  readonly dataset: string;
  readonly query: string;
  readonly offset: number;
  readonly state: 'loading' | 'ready' | 'error';
  /** The page shown (kept while the next one loads, so the card does not flicker). */
  readonly page: DatasetColumnsDto | null;
  readonly error: string | null;
}

export interface CanvasColumnsSlice {
  /** Expanded nodes, in the order they were expanded. */
  canvasColumns: Readonly<Record<string, CanvasColumnsCard>>;
  /** Expands a dataset node into its columns (no-op for other kinds); a second call collapses it. */
  toggleColumns(node: string): Promise<void>;
  expandColumns(node: string): Promise<void>;
  collapseColumns(node: string): void;
  /** Filters an expanded node's columns by part of a name (from the first page). */
  searchCanvasColumns(node: string, query: string): Promise<void>;
  /** Shows the page starting at `offset` (clamped to the columns there are). */
  pageCanvasColumns(node: string, offset: number): Promise<void>;
  /** Asks every expanded node again at the snapshot now shown. */
  refreshCanvasColumns(): Promise<void>;
  /** A click on a column on the canvas: selects its node and the column. */
  pickCanvasColumn(node: string, column: string): Promise<void>;
}

/** What this slice reads from the rest of the store. */
export interface CanvasColumnsDeps {
  graph: GraphDto | null;
  snapshot: number | null;
  select(id: string | null): void;
  selectColumn(dataset: string, column: string | null): Promise<void>;
  setSideTab(tab: 'details' | 'insights' | 'changes'): void;
}

type Host = CanvasColumnsSlice & CanvasColumnsDeps;

export function createCanvasColumnsSlice(client: RetraceClient, set: StoreApi<Host>['setState'], get: StoreApi<Host>['getState']): CanvasColumnsSlice {
  /** Newest request per node: an older answer arriving late is dropped. */
  const seq = new Map<string, number>();
  const patch = (node: string, p: Partial<CanvasColumnsCard>) => {
    const cur = get().canvasColumns[node];
    if (cur) set({ canvasColumns: { ...get().canvasColumns, [node]: { ...cur, ...p } } });
  };

  async function load(node: string, query: string, offset: number): Promise<void> {
    const card = get().canvasColumns[node];
    if (!card) return;
    const mine = (seq.get(node) ?? 0) + 1;
    seq.set(node, mine);
    patch(node, { query, offset, state: 'loading', error: null });
    const { snapshot } = get();
    try {
      const page = await client.getDatasetColumns({
        dataset: card.dataset, offset, limit: CANVAS_COLUMNS_PAGE,
        ...(query ? { query } : {}), ...(snapshot === null ? {} : { snapshot }),
      });
      if (seq.get(node) !== mine) return;
      // Past the end (fewer columns at another snapshot, or a narrower search): the last page.
      if (page.total > 0 && offset >= page.total) return load(node, query, lastPageStart(page.total));
      patch(node, { page, state: 'ready' });
    } catch (err) {
      if (seq.get(node) === mine) patch(node, { state: 'error', error: err instanceof AppError ? err.message : String((err as Error)?.message ?? err) });
    }
  }

  const slice: CanvasColumnsSlice = {
    canvasColumns: {},
    async toggleColumns(node) {
      if (get().canvasColumns[node]) slice.collapseColumns(node);
      else await slice.expandColumns(node);
    },
    async expandColumns(node) {
      if (get().canvasColumns[node]) return;
      const n = get().graph?.nodes.find((x) => x.id === node);
      if (!n || !COLUMN_KINDS.has(n.kind)) return;
      const card: CanvasColumnsCard = { node, dataset: n.label, query: '', offset: 0, state: 'loading', page: null, error: null };
      set({ canvasColumns: { ...get().canvasColumns, [node]: card } });
      await load(node, '', 0);
    },
    collapseColumns(node) {
      if (!get().canvasColumns[node]) return;
      seq.delete(node);
      const { [node]: _gone, ...rest } = get().canvasColumns;
      set({ canvasColumns: rest });
    },
    searchCanvasColumns: (node, query) => load(node, query.trim(), 0),
    async pageCanvasColumns(node, offset) {
      const card = get().canvasColumns[node];
      if (!card) return;
      const total = card.page?.total ?? 0;
      await load(node, card.query, Math.max(0, Math.min(offset, lastPageStart(total))));
    },
    async refreshCanvasColumns() {
      await Promise.all(Object.values(get().canvasColumns).map((c) => load(c.node, c.query, c.offset)));
    },
    async pickCanvasColumn(node, column) {
      const card = get().canvasColumns[node];
      const dataset = card?.page?.dataset ?? card?.dataset ?? get().graph?.nodes.find((x) => x.id === node)?.label;
      if (!dataset) return;
      get().select(node);
      get().setSideTab('details');
      await get().selectColumn(dataset, column);
    },
  };
  return slice;
}

/** The offset of the last page of `total` columns. */
export function lastPageStart(total: number): number {
  return total <= 0 ? 0 : Math.floor((total - 1) / CANVAS_COLUMNS_PAGE) * CANVAS_COLUMNS_PAGE;
}
