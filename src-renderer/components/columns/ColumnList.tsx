import { type ReactElement, useEffect, useMemo, useRef, useState } from 'react';
import type { DatasetColumnDto, DatasetColumnsDto } from '../../../shared/columns-dto';
import { useApp } from '../../state/use-app';
import { edgeKind, visibleRange } from './column-format';

const ROW = 24;
const VIEWPORT = 264;
const PAGE = 200;

/**
 * A dataset's columns at the snapshot shown: searchable, and virtualised — only the rows in view
 * are drawn, and pages of 200 are asked for as they scroll into view, so a 1,000-column table
 * opens as fast as a 10-column one. Clicking a row selects the column (store: selectColumn).
 */
export function ColumnList({ dataset, onPick }: { dataset: string; onPick(c: DatasetColumnDto, page: DatasetColumnsDto): void }) {
  const api = useApp((s) => s.api);
  const snapshot = useApp((s) => s.snapshot);
  const selected = useApp((s) => s.selectedColumn);
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  const [pages, setPages] = useState<Map<number, DatasetColumnsDto>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const asked = useRef(new Set<number>());
  const epoch = useRef(0);

  useEffect(() => {
    const t = setTimeout(() => setDebounced(query.trim()), 150);
    return () => clearTimeout(t);
  }, [query]);

  // A new dataset, snapshot or search starts over from the first page.
  useEffect(() => {
    epoch.current++;
    asked.current = new Set();
    setPages(new Map());
    setError(null);
    setScrollTop(0);
  }, [dataset, snapshot, debounced]);

  const first = pages.get(0) ?? null;
  const total = first?.total ?? 0;
  const [from, to] = visibleRange(scrollTop, VIEWPORT, ROW, total);
  const want = useMemo(() => {
    const out = new Set<number>([0]);
    for (let p = Math.floor(from / PAGE); p * PAGE < to; p++) out.add(p);
    return [...out];
  }, [from, to]);

  useEffect(() => {
    const mine = epoch.current;
    for (const p of want) {
      if (asked.current.has(p)) continue;
      asked.current.add(p);
      api.getDatasetColumns({ dataset, offset: p * PAGE, limit: PAGE, ...(debounced ? { query: debounced } : {}), ...(snapshot === null ? {} : { snapshot }) })
        .then((d) => { if (mine === epoch.current) setPages((m) => new Map(m).set(p, d)); })
        .catch((err: Error) => { if (mine === epoch.current) setError(err.message); });
    }
  }, [want, api, dataset, debounced, snapshot]);

  const rowAt = (i: number): DatasetColumnDto | undefined => pages.get(Math.floor(i / PAGE))?.columns[i % PAGE];
  const rows: ReactElement[] = [];
  for (let i = from; i < to; i++) {
    const c = rowAt(i);
    const on = c !== undefined && selected?.column === c.name && selected.dataset === first?.dataset;
    rows.push(
      <li key={i} className={`column-row${on ? ' on' : ''}${c?.referencedOnly ? ' referenced' : ''}`} style={{ top: i * ROW, height: ROW }}
        data-testid={c ? `column-row-${c.name}` : undefined} aria-selected={on}
        onClick={() => c && first && onPick(c, pages.get(Math.floor(i / PAGE)) ?? first)}>
        {c ? (
          <>
            <span className="column-name" title={c.name}>{c.name}</span>
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
    <div className="column-list" data-testid="columns-list">
      <div className="column-list-head">
        <input type="search" placeholder={first ? `Search ${first.count} columns` : 'Search columns'} value={query} onChange={(e) => setQuery(e.target.value)}
          aria-label="Search columns" data-testid="columns-search" />
        {first && <span className="muted small" data-testid="columns-count">{debounced ? `${total} of ${first.count}` : `${first.count} columns`}</span>}
      </div>
      {error && <p className="error-text" role="alert">{error}</p>}
      {first && first.count === 0 && <p className="muted">No columns known {snapshot === null ? 'now' : `at snapshot ${snapshot}`}: no completed run declared a schema or column lineage for it.</p>}
      {first && first.datasetInputs.length > 0 && (
        <p className="muted small" data-testid="dataset-inputs">
          Every column also depends on {first.datasetInputs.map((d) => `${d.dataset}.${d.column}`).join(', ')}.
        </p>
      )}
      <div className="column-rows" style={{ height: Math.min(VIEWPORT, Math.max(ROW, total * ROW)) }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <ul role="listbox" aria-label="Columns" style={{ height: total * ROW }}>{rows}</ul>
      </div>
    </div>
  );
}
