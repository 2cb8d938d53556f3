import { useEffect, useRef, useState } from 'react';
import { CANVAS_COLUMNS_PAGE, type CanvasColumnsCard } from '../state/canvas-columns-slice';
import { useApp } from '../state/use-app';
import type { AnchorBox } from './model/column-anchors';
import { shortLabel } from './model/labels';

/** How a column row is drawn: on the selected column's path upstream, downstream, the column itself, or not. */
export type ColumnSide = 'up' | 'down' | 'own';

/**
 * One dataset node expanded on the canvas: a page of its columns with a search field and a pager
 * ("13–24 of 1,000"), so a 1,000-column table draws 12 rows, not 1,000. A row click picks the
 * column (its path is drawn across the graph); ▴ collapses the node.
 */
export function ColumnCard({ card, box, sideOf }: { card: CanvasColumnsCard; box: AnchorBox; sideOf: ReadonlyMap<string, ColumnSide> }) {
  const collapse = useApp((s) => s.collapseColumns);
  const search = useApp((s) => s.searchCanvasColumns);
  const pageTo = useApp((s) => s.pageCanvasColumns);
  const pick = useApp((s) => s.pickCanvasColumn);
  const [query, setQuery] = useState(card.query);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const t = setTimeout(() => void search(card.node, query), 150);
    return () => clearTimeout(t);
  }, [query, search, card.node]);

  const page = card.page;
  const total = page?.total ?? 0;
  const from = total === 0 ? 0 : card.offset + 1;
  const to = Math.min(total, card.offset + CANVAS_COLUMNS_PAGE);
  return (
    <div className={`cc-card${card.state === 'loading' ? ' loading' : ''}`} data-testid="canvas-columns" data-node={card.node} data-state={card.state}
      style={{ left: box.left, top: box.top, transform: `scale(${box.scale})` }}>
      <div className="cc-head">
        <span className="cc-title" title={card.dataset}>{shortLabel(card.dataset)}</span>
        {page && <span className="cc-count">{page.count.toLocaleString('en-US')} col{page.count === 1 ? '' : 's'}</span>}
        <button type="button" className="cc-collapse" aria-label="Collapse the columns" title="Collapse the columns" data-testid="collapse-columns" onClick={() => collapse(card.node)}>▴</button>
      </div>
      <div className="cc-search">
        <input type="search" placeholder="Search columns" aria-label={`Search the columns of ${card.dataset}`} value={query}
          onChange={(e) => setQuery(e.target.value)} data-testid="canvas-columns-search" />
      </div>
      <ul className="cc-rows" role="listbox" aria-label={`Columns of ${card.dataset}`}>
        {page?.columns.map((c) => {
          const side = sideOf.get(c.id);
          return (
            <li key={c.id} role="option" aria-selected={side === 'own'} className={`cc-row${side ? ` side-${side}` : ''}${c.referencedOnly ? ' referenced' : ''}`} data-testid={`canvas-column-${c.name}`}
              title={`${c.name}${c.type ? ` · ${c.type}` : ''}${c.referencedOnly ? ' — named only by another dataset\'s column lineage' : ''}`} onClick={() => void pick(card.node, c.name)}>
              <span className="cc-name">{c.name}</span>
              <span className="cc-type">{c.type ?? ''}</span>
            </li>
          );
        })}
        {card.state === 'error' && <li className="cc-note error-text" role="alert">{card.error}</li>}
        {page && page.count === 0 && <li className="cc-note muted">No columns known at this snapshot.</li>}
        {page && page.count > 0 && total === 0 && <li className="cc-note muted">No column matches.</li>}
        {!page && card.state === 'loading' && <li className="cc-note muted">Loading…</li>}
      </ul>
      {total > CANVAS_COLUMNS_PAGE && (
        <div className="cc-foot">
          <button type="button" aria-label="Previous columns" disabled={card.offset === 0} onClick={() => void pageTo(card.node, card.offset - CANVAS_COLUMNS_PAGE)} data-testid="canvas-columns-prev">‹</button>
          <span data-testid="canvas-columns-range">{from}–{to} of {total.toLocaleString('en-US')}</span>
          <button type="button" aria-label="More columns" disabled={to >= total} onClick={() => void pageTo(card.node, card.offset + CANVAS_COLUMNS_PAGE)} data-testid="canvas-columns-next">›</button>
        </div>
      )}
    </div>
  );
}
