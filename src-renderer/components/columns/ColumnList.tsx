import { type ReactElement, useEffect, useMemo, useRef, useState } from 'react';
import type { DatasetColumnDto, DatasetColumnsDto } from '../../../shared/columns-dto';
import { useApp } from '../../state/use-app';
import { edgeKind, visibleRange } from './column-format';

const ROW = 24;
const VIEWPORT = 264;
const PAGE = 200;

type Pick = (c: DatasetColumnDto, page: DatasetColumnsDto) => void;

/**
 * A dataset's columns at the snapshot shown: searchable, and virtualised — only the rows in view
 * are drawn, and pages of 200 are asked for as they scroll into view, so a 1,000-column table
 * opens as fast as a 10-column one. Clicking a row selects the column (store: selectColumn).
 */
export function ColumnList({ dataset, onPick }: { dataset: string; onPick: Pick }) {
  const snapshot = useApp((s) => s.snapshot);
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setDebounced(query.trim()), 150);
    return () => clearTimeout(t);
  }, [query]);
  return (
    <div className="column-list" data-testid="columns-list">
      <div className="column-list-head">
        <input type="search" placeholder="Search columns" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search columns" data-testid="columns-search" />
      </div>
      {/* A new dataset, snapshot or search starts over: fresh pages, scrolled to the top. */}
      <ColumnRows key={`${dataset}\u0000${snapshot}\u0000${debounced}`} dataset={dataset} snapshot={snapshot} query={debounced} onPick={onPick} />
    </div>
  );
}

function ColumnRows({ dataset, snapshot, query, onPick }: { dataset: string; snapshot: number | null; query: string; onPick: Pick }) {
  const api = useApp((s) => s.api);
  const selected = useApp((s) => s.selectedColumn);
  const [pages, setPages] = useState<ReadonlyMap<number, DatasetColumnsDto>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const asked = useRef(new Set<number>());
  const live = useRef(true);
  useEffect(() => () => { live.current = false; }, []);

  const first = pages.get(0) ?? null;
  const total = first?.total ?? 0;
  const [from, to] = visibleRange(scrollTop, VIEWPORT, ROW, total);
  const want = useMemo(() => {
    const out = new Set<number>([0]);
    for (let p = Math.floor(from / PAGE); p * PAGE < to; p++) out.add(p);
    return [...out];
  }, [from, to]);

  useEffect(() => {
    for (const p of want) {
      if (asked.current.has(p)) continue;
      asked.current.add(p);
      api.getDatasetColumns({ dataset, offset: p * PAGE, limit: PAGE, ...(query ? { query } : {}), ...(snapshot === null ? {} : { snapshot }) })
        .then((d) => { if (live.current) setPages((m) => new Map(m).set(p, d)); })
        .catch((err: Error) => { if (live.current) setError(err.message); });
    }
  }, [want, api, dataset, query, snapshot]);

  const rows: ReactElement[] = [];
  for (let i = from; i < to; i++) {
    const page = pages.get(Math.floor(i / PAGE));
    const c = page?.columns[i % PAGE];
    const on = c !== undefined && selected?.column === c.name && selected.dataset === first?.dataset;
    rows.push(
      <li key={i} className={`column-row${on ? ' on' : ''}${c?.referencedOnly ? ' referenced' : ''}`} style={{ top: i * ROW, height: ROW }}
        role="option" aria-selected={on} data-testid={c ? `column-row-${c.name}` : undefined} onClick={() => c && page && onPick(c, page)}>
        {c ? (
          <>
            <span className="column-name" title={c.referencedOnly ? `${c.name} — named only by another dataset's column lineage` : c.name}>{c.name}</span>
            <span className="column-type">{c.type ?? ''}</span>
            <span className="column-links" title={`${c.inputs.length} direct input${c.inputs.length === 1 ? '' : 's'}`}>
              {c.inputs.slice(0, 3).map((inp, k) => <i key={k} className={`edge-mark ${edgeKind(inp.transformations)}`} />)}
              {c.inputs.length > 3 ? `+${c.inputs.length - 3}` : ''}
            </span>
          </>
        ) : <span className="muted">…</span>}
      </li>,
    );
  }
  return (
    <>
      {first && <p className="muted small" data-testid="columns-count">{query ? `${total} of ${first.count} columns match` : `${first.count} columns`}{first.tableVersion !== undefined ? ` · Delta table version ${first.tableVersion}` : ''}</p>}
      {error && <p className="error-text" role="alert">{error}</p>}
      {first && first.count === 0 && <p className="muted">No columns known {snapshot === null ? 'now' : `at snapshot ${snapshot}`}: no completed run declared a schema or column lineage for it.</p>}
      {first && first.datasetInputs.length > 0 && (
        <p className="muted small" data-testid="dataset-inputs">Every column also depends on {first.datasetInputs.map((d) => `${d.dataset}.${d.column}`).join(', ')}.</p>
      )}
      <div className="column-rows" style={{ height: Math.min(VIEWPORT, Math.max(ROW, total * ROW)) }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <ul role="listbox" aria-label="Columns" style={{ height: total * ROW }}>{rows}</ul>
      </div>
    </>
  );
}
