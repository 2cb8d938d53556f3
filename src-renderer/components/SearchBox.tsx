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
  const focusRun = useApp((s) => s.focusRun);
  const graph = useApp((s) => s.graph);
  useEffect(() => {
    const t = setTimeout(() => void runSearch(q), 120);
    return () => clearTimeout(t);
  }, [q, runSearch]);
  const inGraph = new Set(graph?.nodes.map((n) => n.id));
  // A hit that is not drawn may still have a home: a run lives in its stage, a file in the
  // artifact folder it rolls up to.
  const target = (r: { id: string; label: string }): (() => void) | null => {
    if (inGraph.has(r.id)) return () => select(r.id);
    if (r.id.startsWith('run:')) return () => void focusRun(r.id.slice(4));
    const folder = graph?.nodes.find((n) => n.id.startsWith('artifact:') && r.label.startsWith(n.label + '/'));
    return folder ? () => select(folder.id) : null;
  };
  return (
    <div className="search" onBlur={() => setTimeout(() => setOpen(false), 150)}>
      <input
        type="search"
        placeholder="Search…  (Ctrl K)"
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
          {results.map((r) => {
            const go = target(r);
            return (
            <li key={r.id} role="option" aria-selected={false}>
              <button
                type="button"
                disabled={!go}
                title={go ? 'Show in the graph' : 'Not in the graph at this snapshot'}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => {
                  go?.();
                  setOpen(false);
                }}
              >
                <span className="search-kind">{r.kind === 'user' ? 'User' : KIND_LABEL[r.kind]}</span>
                <span className="search-label">{r.label}</span>
              </button>
            </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
