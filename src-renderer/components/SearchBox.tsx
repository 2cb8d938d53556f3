import { useEffect, useState } from 'react';
import { useApp } from '../state/use-app';
import { KIND_LABEL } from '../graph/elements';

/** Search over artifacts, runs, jobs and users (prefix matching); picking a hit selects its node. */
export function SearchBox() {
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const results = useApp((s) => s.searchResults);
  const runSearch = useApp((s) => s.runSearch);
  const select = useApp((s) => s.select);
  const graph = useApp((s) => s.graph);
  useEffect(() => {
    const t = setTimeout(() => void runSearch(q), 120);
    return () => clearTimeout(t);
  }, [q, runSearch]);
  const inGraph = new Set(graph?.nodes.map((n) => n.id));
  return (
    <div className="search" onBlur={() => setTimeout(() => setOpen(false), 150)}>
      <input
        type="search"
        placeholder="Search datasets, models, runs, users…"
        aria-label="Search"
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        data-testid="search"
      />
      {open && q && (
        <ul className="search-results" role="listbox">
          {results.length === 0 && <li className="muted">No matches</li>}
          {results.map((r) => (
            <li key={r.id} role="option" aria-selected={false}>
              <button
                type="button"
                disabled={!inGraph.has(r.id)}
                title={inGraph.has(r.id) ? 'Select in the graph' : 'Not in the graph at this snapshot'}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => {
                  select(r.id);
                  setOpen(false);
                }}
              >
                <span className="search-kind">{r.kind === 'user' ? 'User' : KIND_LABEL[r.kind]}</span>
                <span className="search-label">{r.label}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
