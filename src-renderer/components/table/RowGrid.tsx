import { useEffect, useMemo, useRef, useState } from 'react';
import type { TablePageDto } from '../../../shared/table-dto';
import { useApp } from '../../state/use-app';
import { formatCell } from './table-math';

const ROW_PX = 22;
const PAGE = 200;
const VIEW_PX = 300;

/**
 * The rows of a table at one version, virtualised: only the rows in view are in the DOM, and
 * pages of 200 are fetched as the reader scrolls. `total` (from the history) sizes the scroll.
 * Keyed by table and version by its parent, so another version starts from a clean slate.
 */
export function RowGrid({ artifact, version, total }: { artifact: string; version: number; total: number | null }) {
  const api = useApp((s) => s.api);
  const [pages, setPages] = useState<Map<number, TablePageDto>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [top, setTop] = useState(0);
  const loading = useRef(new Set<number>());
  const first = pages.get(0);
  const known = total ?? (first ? (first.hasMore ? (pages.size + 1) * PAGE : first.rows.length) : PAGE);
  const from = Math.max(0, Math.floor(top / ROW_PX) - 10);
  const to = Math.min(known, from + Math.ceil(VIEW_PX / ROW_PX) + 20);

  useEffect(() => {
    for (let p = Math.floor(from / PAGE); p <= Math.floor(Math.max(from, to - 1) / PAGE); p++) {
      if (pages.has(p) || loading.current.has(p)) continue;
      loading.current.add(p);
      api.readTablePage({ artifact, version, offset: p * PAGE, limit: PAGE }).then(
        (page) => setPages((m) => new Map(m).set(p, page)),
        (err: Error) => setError(err.message),
      );
    }
  }, [from, to, pages, artifact, version, api]);
  const columns = useMemo(() => first?.columns ?? [], [first]);
  const rowAt = (i: number) => pages.get(Math.floor(i / PAGE))?.rows[i % PAGE];

  if (error) return <p className="error-text">{error}</p>;
  if (!first) return <p className="muted">Loading rows…</p>;
  if (first.rows.length === 0) return <p className="muted">The table has no rows at version {version}.</p>;
  return (
    <div className="grid-scroll" style={{ height: VIEW_PX }} onScroll={(e) => setTop(e.currentTarget.scrollTop)} data-testid="row-grid" tabIndex={0} aria-label={`Rows at version ${version}`}>
      <table className="rows" style={{ height: known * ROW_PX + ROW_PX }}>
        <thead>
          <tr>
            <th className="rownum">#</th>
            {columns.map((c) => <th key={c.name} title={c.type}>{c.name}</th>)}
          </tr>
        </thead>
        <tbody>
          {from > 0 && <tr style={{ height: from * ROW_PX }} aria-hidden="true" />}
          {Array.from({ length: Math.max(0, to - from) }, (_, k) => {
            const i = from + k;
            const r = rowAt(i);
            return (
              <tr key={i} style={{ height: ROW_PX }}>
                <td className="rownum">{i + 1}</td>
                {columns.map((c) => <td key={c.name} title={r ? formatCell(r[c.name]) : ''}>{r ? formatCell(r[c.name]) : '…'}</td>)}
              </tr>
            );
          })}
          {to < known && <tr style={{ height: (known - to) * ROW_PX }} aria-hidden="true" />}
        </tbody>
      </table>
    </div>
  );
}
