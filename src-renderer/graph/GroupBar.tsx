import { useMemo } from 'react';
import { ancestry } from './model/groups';
import { useApp } from '../state/use-app';

/**
 * One line over the canvas: what the view hides in groups (and how to see more), and a
 * breadcrumb of the groups the selection sits in — click a crumb to close that group again.
 */
export function GroupBar() {
  const view = useApp((s) => s.view);
  const selectedId = useApp((s) => s.selectedId);
  const toggleGroup = useApp((s) => s.toggleGroup);
  const collapseAll = useApp((s) => s.collapseAll);
  const focus = useApp((s) => s.focus);
  const crumbs = useMemo(() => {
    if (!view || !selectedId) return [];
    const chain = view.tree.groups.has(selectedId) ? [...ancestry(view.tree, selectedId), selectedId] : ancestry(view.tree, selectedId);
    return chain.map((g) => view.tree.groups.get(g)!).filter(Boolean);
  }, [view, selectedId]);
  if (!view) return null;
  const opened = view.groups.base === 'expanded' ? view.tree.groups.size - view.groups.except.length : view.groups.except.length;
  const message = view.summary.message;
  if (!message && crumbs.length === 0 && !focus) return null;
  return (
    <div className="group-bar" data-testid="group-bar">
      {focus && <span className="focus-note">Focused on one node's lineage ·</span>}
      {message && <span data-testid="group-message">{message}</span>}
      {crumbs.length > 0 && (
        <nav className="crumbs" aria-label="Groups of the selection">
          <span className="muted">in</span>
          {crumbs.map((g) => (
            <button key={g.id} type="button" className="crumb" title={`Close ${g.label} (${g.size.toLocaleString('en-US')} nodes)`} onClick={() => toggleGroup(g.id, false)}>
              {g.label} ✕
            </button>
          ))}
        </nav>
      )}
      {opened > 0 && view.tree.groups.size > 0 && view.summary.totalNodes > 200 && (
        <button type="button" className="link-button" onClick={collapseAll} data-testid="collapse-all">
          Close all groups
        </button>
      )}
    </div>
  );
}
