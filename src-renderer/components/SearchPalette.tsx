import { useEffect, useMemo, useRef, useState } from 'react';
import type { NodeKind } from '../../shared/dto';
import { KIND_LABEL } from '../graph/elements';
import { localSearch } from '../graph/model/local-search';
import { useApp } from '../state/use-app';

interface Row {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
  readonly go: (() => void) | null;
}

/**
 * Ctrl/Cmd+K: find any node, group, run or user; ↑/↓ to choose, Enter to select it and bring it
 * into view (opening the groups it hides in), Esc to close.
 */
export function SearchPalette() {
  const open = useApp((s) => s.paletteOpen);
  // A fresh palette (empty query, first row) each time it opens.
  return open ? <Palette /> : null;
}

function Palette() {
  const open = true;
  const setOpen = useApp((s) => s.setPaletteOpen);
  const graph = useApp((s) => s.graph);
  const view = useApp((s) => s.view);
  const reveal = useApp((s) => s.reveal);
  const focusRun = useApp((s) => s.focusRun);
  const runSearch = useApp((s) => s.runSearch);
  const remote = useApp((s) => s.searchResults);
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (open) setTimeout(() => input.current?.focus(), 0);
  }, [open]);
  useEffect(() => {
    const t = setTimeout(() => void runSearch(q), 120);
    return () => clearTimeout(t);
  }, [q, runSearch]);

  const rows: Row[] = useMemo(() => {
    if (!graph) return [];
    const local = localSearch(q, graph.nodes, view?.tree ?? null, 14).map((h) => ({ id: h.id, label: h.label, kind: h.kind, go: () => reveal(h.id) }));
    const seen = new Set(local.map((r) => r.id));
    const extra = remote
      .filter((r) => !seen.has(r.id))
      .map((r) => ({
        id: r.id,
        label: r.label,
        kind: r.kind,
        go: r.id.startsWith('run:') ? () => void focusRun(r.id.slice(4)) : graph.nodes.some((n) => n.id === r.id) ? () => reveal(r.id) : null,
      }));
    return [...local, ...extra].slice(0, 20);
  }, [q, graph, view, remote, reveal, focusRun]);

  const choose = (r: Row | undefined) => {
    if (!r?.go) return;
    setOpen(false);
    r.go();
  };
  return (
    <div className="palette-backdrop" onMouseDown={() => setOpen(false)}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Search the graph" onMouseDown={(e) => e.stopPropagation()} data-testid="palette">
        <input
          ref={input}
          type="search"
          value={q}
          placeholder="Find a dataset, stage, model, run, group…"
          aria-label="Search the graph"
          aria-controls="palette-results"
          aria-activedescendant={rows[active] ? `palette-row-${active}` : undefined}
          onChange={(e) => {
            setQ(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive((a) => Math.min(rows.length - 1, a + 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((a) => Math.max(0, a - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              choose(rows[active]);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              setOpen(false);
            }
          }}
          data-testid="palette-input"
        />
        <ul id="palette-results" role="listbox" className="palette-results">
          {q && rows.length === 0 && <li className="muted palette-empty">No matches for “{q}”.</li>}
          {!q && <li className="muted palette-empty">Type part of a name or path. ↑ ↓ to choose, Enter to go, Esc to close.</li>}
          {rows.map((r, i) => (
            <li
              key={r.id}
              id={`palette-row-${i}`}
              role="option"
              aria-selected={i === active}
              aria-disabled={!r.go}
              className={`palette-row ${i === active ? 'active' : ''} ${r.go ? '' : 'disabled'}`}
              onMouseEnter={() => setActive(i)}
              onClick={() => choose(r)}
            >
              <span className="search-kind">{r.kind === 'group' ? 'Group' : r.kind === 'user' ? 'User' : KIND_LABEL[r.kind as NodeKind] ?? r.kind}</span>
              <span className="search-label">{r.label}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
