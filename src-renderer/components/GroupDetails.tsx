import type { NodeKind } from '../../shared/dto';
import { KIND_LABEL } from '../graph/elements';
import { KindSwatch } from '../graph/KindSwatch';
import { useApp } from '../state/use-app';

const KIND_OF_GROUP: Record<string, string> = {
  namespace: 'Namespace',
  pipeline: 'Pipeline',
  prefix: 'Name prefix',
  folder: 'Folder',
  runs: 'Runs of a stage',
  kind: 'Versions',
};

/** A closed group: what it holds, a way in, and its members by name. */
export function GroupDetails() {
  const view = useApp((s) => s.view);
  const selectedId = useApp((s) => s.selectedId);
  const toggleGroup = useApp((s) => s.toggleGroup);
  const reveal = useApp((s) => s.reveal);
  const select = useApp((s) => s.select);
  const graph = useApp((s) => s.graph);
  const g = selectedId ? view?.tree.groups.get(selectedId) : undefined;
  if (!g || !view) return null;
  const labels = new Map(graph?.nodes.map((n) => [n.id, n]) ?? []);
  const kinds = Object.entries(g.kinds).sort((a, b) => b[1] - a[1]) as [NodeKind, number][];
  const shown = [...g.children.map((c) => ({ id: c, label: view.tree.groups.get(c)!.label, kind: 'group' as const, size: view.tree.groups.get(c)!.size })),
    ...g.members.map((m) => ({ id: m, label: labels.get(m)?.label ?? m, kind: labels.get(m)?.kind ?? 'file', size: 1 }))];
  return (
    <div data-testid="group-details">
      <div className="panel-header">
        <span className="kind-chip">{KIND_OF_GROUP[g.kind] ?? 'Group'}</span>
        <button type="button" className="icon-button small" aria-label="Close details" onClick={() => select(null)}>✕</button>
      </div>
      <h2 className="panel-title">{g.label}</h2>
      <p className="muted">{g.size.toLocaleString('en-US')} nodes inside.</p>
      <ul className="kind-counts">
        {kinds.map(([k, n]) => (
          <li key={k}><KindSwatch kind={k} /> {n.toLocaleString('en-US')} {KIND_LABEL[k]?.toLowerCase() ?? k}</li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" className="button primary" onClick={() => toggleGroup(g.id, true)} data-testid="open-group">Open group</button>
      </div>
      <h3 className="section-title">Inside</h3>
      <ul className="member-list">
        {shown.slice(0, 60).map((m) => (
          <li key={m.id}>
            <button type="button" className="link-button" onClick={() => reveal(m.id)}>
              {m.kind === 'group' ? `▸ ${m.label} (${m.size.toLocaleString('en-US')})` : m.label}
            </button>
          </li>
        ))}
        {shown.length > 60 && <li className="muted">and {(shown.length - 60).toLocaleString('en-US')} more — open the group or search (Ctrl+K).</li>}
      </ul>
    </div>
  );
}
