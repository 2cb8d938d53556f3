import { FOOTPRINT_CLASSES, type FootprintClass } from '../../../shared/lineage-dto';
import type { NodeKind } from '../../../shared/dto';
import { KIND_LABEL } from '../../graph/elements';
import { CLASS_LABEL } from '../../state/footprint-tree';
import { useApp } from '../../state/use-app';

const IMPACT_CLASS_LABEL: Record<FootprintClass, string> = { ...CLASS_LABEL, INPUT: 'Read' };

/**
 * What the selection's impact covers: downstream (version-aware, what consumed what it made)
 * and upstream (what it came from), counts per class and kind, and the runs and artifacts by
 * name; each row selects its node.
 */
export function ImpactSection() {
  const overlay = useApp((s) => s.overlay);
  const reveal = useApp((s) => s.reveal);
  const graph = useApp((s) => s.graph);
  if (overlay?.kind !== 'impact') return null;
  const { impact } = overlay;
  const byLabel = new Map(graph?.nodes.map((n) => [n.label, n.id]) ?? []);
  const kinds = Object.entries(impact.byKind) as [NodeKind, number][];
  const upKinds = Object.entries(overlay.upByKind) as [NodeKind, number][];
  return (
    <div className="impact" data-testid="impact-panel">
      <p className="impact-summary" data-testid="impact-summary">
        <span className="sw-down" /> Downstream: <b>{impact.runs.length}</b> {impact.runs.length === 1 ? 'run' : 'runs'} touching <b>{impact.artifactCounts.ALL}</b>{' '}
        {impact.artifactCounts.ALL === 1 ? 'artifact' : 'artifacts'} ({impact.counts.ALL} {impact.counts.ALL === 1 ? 'file' : 'files'}).
        <br />
        <span className="sw-up" /> Upstream: <b>{overlay.up.length}</b> {overlay.up.length === 1 ? 'node' : 'nodes'} it came from.
      </p>
      <table className="fp-counts">
        <thead><tr><th>downstream</th><th>files</th><th>artifacts</th></tr></thead>
        <tbody>
          {FOOTPRINT_CLASSES.map((c) => (
            <tr key={c}><th>{IMPACT_CLASS_LABEL[c]}</th><td className="num">{impact.counts[c]}</td><td className="num">{impact.artifactCounts[c]}</td></tr>
          ))}
        </tbody>
      </table>
      {kinds.length > 0 && <p className="muted small">By kind: {kinds.map(([k, n]) => `${n} ${KIND_LABEL[k]?.toLowerCase() ?? k}`).join(', ')}.</p>}
      {upKinds.length > 0 && <p className="muted small">Upstream by kind: {upKinds.map(([k, n]) => `${n} ${KIND_LABEL[k]?.toLowerCase() ?? k}`).join(', ')}.</p>}
      {impact.runDetails.length > 0 && (
        <>
          <h4 className="sub-title">Impacted runs</h4>
          <ul className="member-list" data-testid="impact-runs">
            {impact.runDetails.map((r) => (
              <li key={r.run}>
                <button type="button" className="link-button" onClick={() => r.job && reveal(`job:${r.job}`)} title={`run ${r.run}, ${r.depth} ${r.depth === 1 ? 'hop' : 'hops'} down`}>
                  <span className={`dot state-${r.state.toLowerCase()}`} /> {r.job?.split('/').pop() ?? r.run.slice(0, 8)} <span className="muted small">· depth {r.depth}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {impact.entries.length > 0 && (
        <>
          <h4 className="sub-title">Impacted artifacts</h4>
          <ul className="member-list" data-testid="impact-artifacts">
            {impact.entries.slice(0, 200).map((e) => {
              const id = byLabel.get(e.artifact);
              return (
                <li key={e.artifact}>
                  {id ? <button type="button" className="link-button" onClick={() => reveal(id)}>{e.artifact}</button> : <span>{e.artifact}</span>}
                  <span className="muted small"> · {e.classes.map((c) => IMPACT_CLASS_LABEL[c].toLowerCase()).join(', ')}</span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}
