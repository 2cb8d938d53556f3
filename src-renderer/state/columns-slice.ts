import type { StoreApi } from 'zustand/vanilla';
import type { RetraceClient } from '../../shared/api';
import type { ColumnImpactDto, ColumnLineageDto } from '../../shared/columns-dto';
import { AppError } from '../../shared/errors';

/**
 * The column the user picked in a dataset's Columns section (issue 19), and its answers at the
 * snapshot shown: upstream, downstream and impact. The graph reads the node ids on each side
 * (`columnUpNodes` / `columnDownNodes`: dataset nodes as the graph draws them, to colour in the
 * two lineage colours) and the column ids (`columnUpIds` / `columnDownIds`, with `columnEdges`,
 * to draw column nodes and their edges). Stepping the time slider asks again (see app-store).
 */
export interface SelectedColumn {
  /** The dataset as the API names it (its label). */
  readonly dataset: string;
  readonly column: string;
  /** Its column id (`column:<ns>/<name>#<column>`) and the graph node it belongs to. */
  readonly id: string;
  readonly node: string;
}

export interface ColumnsSlice {
  selectedColumn: SelectedColumn | null;
  columnState: 'idle' | 'loading' | 'ready' | 'error';
  /** One sentence, e.g. the column does not exist at the snapshot shown. */
  columnError: string | null;
  columnUpstream: ColumnLineageDto | null;
  columnDownstream: ColumnLineageDto | null;
  columnImpact: ColumnImpactDto | null;
  /** Graph node ids upstream / downstream of the selected column (its own node excluded). */
  columnUpNodes: readonly string[];
  columnDownNodes: readonly string[];
  /** Column ids upstream / downstream (the selected column excluded). */
  columnUpIds: readonly string[];
  columnDownIds: readonly string[];
  /** Edges of both walks, as data flows (source feeds target). */
  columnEdges: readonly { readonly source: string; readonly target: string; readonly direct: boolean; readonly datasetLevel: boolean }[];
  /** Follow DIRECT edges only (the UI's filter). */
  columnsDirectOnly: boolean;

  /** Picks a column (null column = clear) and loads its upstream, downstream and impact at the snapshot shown. */
  selectColumn(dataset: string, column: string | null): Promise<void>;
  setColumnsDirectOnly(directOnly: boolean): Promise<void>;
  /** Asks again for the selected column at the snapshot now shown (after time travel or new runs). */
  refreshColumn(): Promise<void>;
}

/** What this slice reads from the rest of the store (no import of the store itself). */
export interface ColumnsDeps {
  /** The snapshot shown; null = the newest. */
  snapshot: number | null;
}

type Host = ColumnsSlice & ColumnsDeps;
type Set = StoreApi<Host>['setState'];
type Get = StoreApi<Host>['getState'];

const CLEARED = {
  columnUpstream: null, columnDownstream: null, columnImpact: null,
  columnUpNodes: [], columnDownNodes: [], columnUpIds: [], columnDownIds: [], columnEdges: [],
} as const;

export function createColumnsSlice(client: RetraceClient, set: Set, get: Get): ColumnsSlice {
  let seq = 0;
  const message = (err: unknown) => (err instanceof AppError ? err.message : String((err as Error)?.message ?? err));

  async function load(dataset: string, column: string): Promise<void> {
    const mine = ++seq;
    const { snapshot, columnsDirectOnly } = get();
    const at = snapshot === null ? {} : { snapshot };
    set({ columnState: 'loading', columnError: null });
    try {
      const [up, down, impact] = await Promise.all([
        client.getColumnLineage({ dataset, column, direction: 'upstream', directOnly: columnsDirectOnly, ...at }),
        client.getColumnLineage({ dataset, column, direction: 'downstream', directOnly: columnsDirectOnly, ...at }),
        client.getColumnImpact({ dataset, column, ...at }),
      ]);
      if (mine !== seq) return;
      const others = (d: ColumnLineageDto) => d.nodes.filter((n) => n !== d.node);
      const edges = [...up.edges, ...down.edges].map((e) => ({
        source: e.source, target: e.target, direct: e.transformations.some((t) => t.type === 'DIRECT'), datasetLevel: e.datasetLevel === true,
      }));
      set({
        selectedColumn: { dataset: up.dataset, column, id: up.id, node: up.node },
        columnState: 'ready', columnUpstream: up, columnDownstream: down, columnImpact: impact,
        columnUpNodes: others(up), columnDownNodes: others(down),
        columnUpIds: up.columns.map((c) => c.id), columnDownIds: down.columns.map((c) => c.id), columnEdges: edges,
      });
    } catch (err) {
      if (mine === seq) set({ columnState: 'error', columnError: message(err), ...CLEARED });
    }
  }

  return {
    selectedColumn: null,
    columnState: 'idle',
    columnError: null,
    ...CLEARED,
    columnsDirectOnly: false,

    async selectColumn(dataset, column) {
      if (column === null) {
        seq++;
        set({ selectedColumn: null, columnState: 'idle', columnError: null, ...CLEARED });
        return;
      }
      // Shown as picked at once; the answers follow.
      set({ selectedColumn: { dataset, column, id: '', node: '' } });
      await load(dataset, column);
    },

    async setColumnsDirectOnly(directOnly) {
      set({ columnsDirectOnly: directOnly });
      await get().refreshColumn();
    },

    async refreshColumn() {
      const c = get().selectedColumn;
      if (c) await load(c.dataset, c.column);
    },
  };
}
