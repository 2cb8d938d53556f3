import { useState } from 'react';
import type { NodeKind } from '../../../shared/dto';
import { impactCsv } from '../../../shared/impact-csv';
import { FOOTPRINT_CLASSES, type FootprintClass, type ImpactDto } from '../../../shared/lineage-dto';
import { KIND_LABEL } from '../../graph/elements';
import { CLASS_LABEL } from '../../state/footprint-tree';
import { useApp } from '../../state/use-app';
import { exportFileName } from '../../graph/export/svg';

const IMPACT_CLASS_LABEL: Record<FootprintClass, string> = { ...CLASS_LABEL, INPUT: 'Read' };

/**
 * What the selection's impact covers, both ways: downstream (what consumed what it made) and
 * upstream (what it was made from), version-aware; counts per class and kind; the runs and
 * artifacts by name (each row selects its node); and the same rows as a CSV file.
 */
export function ImpactSection() {
  const overlay = useApp((s) => s.overlay);
  const workspace = useApp((s) => s.status?.workspace ?? 'workspace');
  const snapshot = useApp((s) => s.snapshot);
  const [side, setSide] = useState<'downstream' | 'upstream'>('downstream');
  if (overlay?.kind !== 'impact') return null;
  const shown = side === 'downstream' ? overlay.impact : overlay.upstream;
  const download = () => {
    const blob = new Blob([impactCsv(overlay.impact, overlay.upstream)], { type: 'text/csv' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = exportFileName(workspace, snapshot, `impact ${overlay.of.replace(/^[a-z]+:/, '')}`, 'csv');
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <div className="impact" data-testid="impact-panel">
      <p className="impact-summary" data-testid="impact-summary">
        <span className="sw-down" /> Downstream: <b>{overlay.impact.runs.length}</b> {overlay.impact.runs.length === 1 ? 'run' : 'runs'} touching <b>{overlay.impact.artifactCounts.ALL}</b>{' '}
        {overlay.impact.artifactCounts.ALL === 1 ? 'artifact' : 'artifacts'}.
        <br />
        <span className="sw-up" /> Upstream: <b>{overlay.upstream.runs.length}</b> {overlay.upstream.runs.length === 1 ? 'run' : 'runs'} and <b>{overlay.upstream.artifactCounts.ALL}</b>{' '}
        {overlay.upstream.artifactCounts.ALL === 1 ? 'artifact' : 'artifacts'} it came from.
      </p>
      <div className="actions">
        <div className="segmented small" role="group" aria-label="Which side">
          {(['downstream', 'upstream'] as const).map((d) => (
            <button key={d} type="button" className={side === d ? 'on' : ''} aria-pressed={side === d} onClick={() => setSide(d)} data-testid={`impact-side-${d}`}>
              {d === 'downstream' ? 'Downstream' : 'Upstream'}
            </button>
          ))}
        </div>
        <button type="button" className="button small" onClick={download} data-testid="impact-csv" title="Both sides as CSV, the same rows `retrace impact … --format csv` prints">
          Export CSV
        </button>
      </div>
      <ImpactSide dto={shown} />
    </div>
  );
}

function ImpactSide({ dto }: { dto: ImpactDto }) {
  const reveal = useApp((s) => s.reveal);
  const kinds = Object.entries(dto.byKind) as [NodeKind, number][];
  return (
    <>
      <table className="fp-counts">
        <thead><tr><th /><th>files</th><th>artifacts</th></tr></thead>
        <tbody>
          {FOOTPRINT_CLASSES.map((c) => (
            <tr key={c}><th>{IMPACT_CLASS_LABEL[c]}</th><td className="num">{dto.counts[c]}</td><td className="num">{dto.artifactCounts[c]}</td></tr>
          ))}
        </tbody>
      </table>
      {kinds.length > 0 && <p className="muted small">By kind: {kinds.map(([k, n]) => `${n} ${KIND_LABEL[k]?.toLowerCase() ?? k}`).join(', ')}.</p>}
      {dto.runDetails.length > 0 && (
        <>
          <h4 className="sub-title">Runs</h4>
          <ul className="member-list" data-testid="impact-runs">
            {dto.runDetails.map((r) => (
              <li key={r.run}>
                <button type="button" className="link-button" onClick={() => r.job && reveal(`job:${r.job}`)} title={`run ${r.run}, ${r.depth} ${r.depth === 1 ? 'hop' : 'hops'} away`}>
                  <span className={`dot state-${r.state.toLowerCase()}`} /> {r.job?.split('/').pop() ?? r.run.slice(0, 8)} <span className="muted small">· run {r.run.slice(0, 8)} · depth {r.depth}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {dto.entries.length > 0 && (
        <>
          <h4 className="sub-title">Artifacts</h4>
          <ul className="member-list" data-testid="impact-artifacts">
            {dto.entries.slice(0, 300).map((e) => (
              <li key={e.artifact}>
                <button type="button" className="link-button" onClick={() => reveal(e.node)}>{e.artifact}</button>
                <span className="muted small"> · {e.classes.map((c) => IMPACT_CLASS_LABEL[c].toLowerCase()).join(', ')}</span>
              </li>
            ))}
            {dto.entries.length > 300 && <li className="muted small">and {dto.entries.length - 300} more (all of them are in the CSV)</li>}
          </ul>
        </>
      )}
      {dto.runDetails.length === 0 && dto.entries.length === 0 && <p className="muted">Nothing on this side.</p>}
    </>
  );
}
