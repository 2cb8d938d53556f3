import { useMemo } from 'react';
import type { GraphNodeDto } from '../../../shared/dto';
import { KIND_LABEL } from '../../graph/elements';
import { KindSwatch } from '../../graph/KindSwatch';
import { useApp } from '../../state/use-app';
import { formatTime } from '../details/format';
import { Hash } from '../details/Hash';

/**
 * What changed between two snapshots: added, removed and changed nodes (a new version, a run
 * that ended differently), each row selecting its node. Without a comparison it offers one.
 */
export function ChangesPanel() {
  const compare = useApp((s) => s.compare);
  const startCompare = useApp((s) => s.startCompare);
  const snapshots = useApp((s) => s.snapshots);
  const snapshot = useApp((s) => s.snapshot);
  const graph = useApp((s) => s.graph);
  const reveal = useApp((s) => s.reveal);
  const hiddenKinds = useApp((s) => s.hiddenKinds);
  const nodes = useMemo(() => {
    const m = new Map<string, GraphNodeDto>();
    for (const n of compare?.base?.nodes ?? []) m.set(n.id, n);
    for (const n of graph?.nodes ?? []) m.set(n.id, n);
    return m;
  }, [compare, graph]);
  if (!compare) {
    return (
      <div className="changes" data-testid="changes">
        <p className="muted">Compare the workspace at two points in time: what was added, removed and changed in between.</p>
        <button type="button" className="button primary" disabled={snapshots.length < 2} onClick={() => void startCompare()} data-testid="changes-start-compare">
          Compare with the snapshot before
        </button>
        {snapshots.length < 2 && <p className="muted small">There is only one snapshot so far.</p>}
      </div>
    );
  }
  if (compare.error) return <p className="error-text">{compare.error}</p>;
  const d = compare.diff;
  if (!d) return <p className="muted" role="status">Comparing…</p>;
  // Kinds the legend hides (code versions, at first) are counted, not listed.
  const shown = (id: string) => !hiddenKinds.includes(nodes.get(id)?.kind ?? 'file');
  const hiddenCount = [...d.nodes.added, ...d.nodes.removed, ...d.nodes.changed.map((c) => c.id)].filter((id) => !shown(id)).length;
  const added = d.nodes.added.filter(shown);
  const removed = d.nodes.removed.filter(shown);
  const changed = d.nodes.changed.filter((c) => shown(c.id));
  const a = snapshots.find((s) => s.seq === compare.from);
  const b = snapshot === null ? snapshots.at(-1) : snapshots.find((s) => s.seq === snapshot);
  const row = (id: string, extra?: React.ReactNode) => {
    const n = nodes.get(id);
    return (
      <li key={id}>
        <button type="button" className="link-button change-row" onClick={() => reveal(id)} title={n?.label ?? id}>
          {n && n.kind in KIND_LABEL ? <KindSwatch kind={n.kind} /> : null} {n?.label ?? id}
        </button>
        {extra}
      </li>
    );
  };
  return (
    <div className="changes" data-testid="changes">
      <p className="compare-span">
        <b>A</b> #{a?.seq} · {formatTime(a?.at)} <span className="muted">({a?.label})</span>
        <br />
        <b>B</b> #{b?.seq} · {formatTime(b?.at)} <span className="muted">({b?.label})</span>
      </p>
      <p className="diff-counts" data-testid="compare-counts">
        <span className="added">+{d.nodes.added.length} added</span> · <span className="removed">−{d.nodes.removed.length} removed</span> · <span className="changed">~{d.nodes.changed.length} changed</span>
      </p>
      <div className="mark-legend small"><span className="mk mk-added" /> added <span className="mk mk-removed" /> removed (ghost) <span className="mk mk-changed" /> changed</div>
      {hiddenCount > 0 && <p className="muted small">{hiddenCount} changes among hidden kinds ({hiddenKinds.map((k) => KIND_LABEL[k].toLowerCase()).join(', ')}) are not listed; show the kind in the legend to list them.</p>}
      {added.length > 0 && (
        <>
          <h4 className="sub-title">Added</h4>
          <ul className="member-list" data-testid="compare-added">{added.map((id) => row(id))}</ul>
        </>
      )}
      {removed.length > 0 && (
        <>
          <h4 className="sub-title">Removed</h4>
          <ul className="member-list" data-testid="compare-removed">{removed.map((id) => row(id))}</ul>
        </>
      )}
      {changed.length > 0 && (
        <>
          <h4 className="sub-title">Changed</h4>
          <ul className="member-list" data-testid="compare-changed">
            {changed.map((c) =>
              row(
                c.id,
                <span className="muted small change-detail">
                  {c.before.version !== c.after.version && c.before.version && c.after.version && (
                    <> <Hash value={c.before.version} against={c.after.version} /> → <Hash value={c.after.version} against={c.before.version} /></>
                  )}
                  {c.before.state !== c.after.state && <> {(c.before.state ?? 'none').toLowerCase()} → {(c.after.state ?? 'none').toLowerCase()}</>}
                  {c.before.stale !== c.after.stale && <> {c.after.stale ? 'became stale' : 'up to date again'}</>}
                </span>,
              ),
            )}
          </ul>
        </>
      )}
      {d.nodes.added.length + d.nodes.removed.length + d.nodes.changed.length === 0 && <p className="muted">Nothing in the graph changed between A and B.</p>}
      {d.changes && d.changes.runs.length > 0 && (
        <>
          <h4 className="sub-title">Runs that ended in between ({d.changes.runs.length})</h4>
          <ul className="member-list" data-testid="compare-runs">
            {d.changes.runs.map((r) => (
              <li key={r.run}>
                <button type="button" className="link-button" disabled={!r.jobId} onClick={() => r.jobId && reveal(r.jobId)} title={`run ${r.run}`}>
                  <span className={`dot state-${r.state.toLowerCase()}`} /> {r.job?.split('/').pop() ?? r.run.slice(0, 8)}
                </button>
                <span className="muted small"> · {formatTime(r.at)}{r.user ? ` · ${r.user}` : ''} · {r.state.toLowerCase()}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {d.changes && d.changes.commits.length > 0 && (
        <>
          <h4 className="sub-title">Table commits</h4>
          <ul className="member-list" data-testid="compare-commits">
            {d.changes.commits.map((c) => (
              <li key={`${c.table}@${c.version}`}>
                <button type="button" className="link-button" onClick={() => reveal(c.id)}>{c.table}</button>
                <span className="muted small"> v{c.version} · {c.operation} · +{c.rowsInserted} ~{c.rowsUpdated} −{c.rowsDeleted} rows</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
