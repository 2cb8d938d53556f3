import { useMemo } from 'react';
import type { NodeKind } from '../../shared/dto';
import { countByKind, KIND_LABEL } from '../graph/elements';
import { KindSwatch } from '../graph/KindSwatch';
import { useApp } from '../state/use-app';
import { GroupDetails } from './GroupDetails';
import { FootprintView, ReproView, Section, StalenessView, TableHistoryView, TablePreview, UpstreamView } from './sections';

/** Right-hand panel: the selected node's story, or the legend with counts per kind. */
export function DetailsPanel() {
  const graph = useApp((s) => s.graph);
  const selectedId = useApp((s) => s.selectedId);
  const isGroup = useApp((s) => Boolean(selectedId && s.view?.tree.groups.has(selectedId)));
  const node = useMemo(() => graph?.nodes.find((n) => n.id === selectedId) ?? null, [graph, selectedId]);
  return (
    <aside className="panel" data-testid="details-panel" tabIndex={-1} aria-label="Details">
      {isGroup ? <GroupDetails /> : node ? <NodeDetailsView /> : <Legend />}
    </aside>
  );
}

function Legend() {
  const graph = useApp((s) => s.graph);
  const hiddenKinds = useApp((s) => s.hiddenKinds);
  const toggleKind = useApp((s) => s.toggleKind);
  const counts = useMemo(() => (graph ? countByKind(graph) : {}), [graph]);
  const stale = useMemo(() => graph?.nodes.filter((n) => n.stale).length ?? 0, [graph]);
  return (
    <>
      <h2 className="panel-heading">Legend</h2>
      <ul className="legend">
        {(Object.keys(KIND_LABEL) as NodeKind[]).map((k) => (
          <li key={k} className={counts[k] ? '' : 'muted'}>
            <button
              type="button"
              className={`legend-toggle ${hiddenKinds.includes(k) ? 'off' : ''}`}
              aria-pressed={!hiddenKinds.includes(k)}
              title={hiddenKinds.includes(k) ? `Show ${KIND_LABEL[k].toLowerCase()} nodes` : `Hide ${KIND_LABEL[k].toLowerCase()} nodes`}
              onClick={() => toggleKind(k)}
              data-testid={`legend-${k}`}
            >
              <KindSwatch kind={k} />
              <span className="legend-name">{KIND_LABEL[k]}</span>
              <span className="legend-count">{counts[k] ?? 0}</span>
            </button>
          </li>
        ))}
        <li className={`legend-static ${stale ? '' : 'muted'}`}>
          <span className="swatch stale-swatch" />
          <span className="legend-name">Stale</span>
          <span className="legend-count">{stale}</span>
        </li>
      </ul>
      <p className="hint">Click a kind to show or hide it. Click a node to see what it read and wrote, where it came from, what depends on it, and whether it still reproduces.</p>
    </>
  );
}

function NodeDetailsView() {
  const graph = useApp((s) => s.graph);
  const selectedId = useApp((s) => s.selectedId);
  const select = useApp((s) => s.select);
  const details = useApp((s) => s.details);
  const detailsState = useApp((s) => s.detailsState);
  const detailsError = useApp((s) => s.detailsError);
  const overlay = useApp((s) => s.overlay);
  const showImpact = useApp((s) => s.showImpact);
  const clearOverlay = useApp((s) => s.clearOverlay);
  const inspectRun = useApp((s) => s.inspectRun);
  const openRerunPlan = useApp((s) => s.openRerunPlan);
  const node = graph?.nodes.find((n) => n.id === selectedId);
  if (!node) return null;
  const run = details && (details.kind === 'job' || details.kind === 'run') ? details.run : null;
  const canImpact = details?.kind === 'artifact' || Boolean(run);

  return (
    <>
      <div className="panel-header">
        <span className={`kind-chip kind-${node.kind}`}>{KIND_LABEL[node.kind]}</span>
        <button type="button" className="icon-button small" aria-label="Close details" onClick={() => select(null)}>
          ✕
        </button>
      </div>
      <h2 className="panel-title">{node.label}</h2>
      <dl className="facts">
        {node.version && (<><dt>Version</dt><dd><code>{node.version}</code></dd></>)}
        {node.state && (<><dt>Last run</dt><dd className={`state state-${node.state.toLowerCase()}`}>{node.state.toLowerCase()}</dd></>)}
        {node.stale && (<><dt>Staleness</dt><dd className="warn">stale</dd></>)}
      </dl>
      <div className="actions">
        {canImpact && (
          <button type="button" className={overlay ? 'button primary' : 'button'} onClick={() => (overlay?.kind === 'impact' ? clearOverlay() : void showImpact())} data-testid="impact-toggle">
            {overlay?.kind === 'impact' ? 'Hide impact' : 'Show impact'}
          </button>
        )}
        {run && (
          <button type="button" className="button" onClick={() => void openRerunPlan({ kind: 'run', run })} data-testid="rerun-button">
            Re-run…
          </button>
        )}
      </div>
      {overlay?.kind === 'impact' && (
        <p className="impact-summary" data-testid="impact-summary">
          Downstream: <b>{overlay.impact.runs.length}</b> {overlay.impact.runs.length === 1 ? 'run' : 'runs'} touching <b>{overlay.impact.counts.ALL}</b> {overlay.impact.counts.ALL === 1 ? 'artifact' : 'artifacts'}.
        </p>
      )}
      {detailsState === 'loading' && !details && <p className="muted">Loading…</p>}
      {detailsError && <p className="error-text">{detailsError}</p>}
      {details?.kind === 'job' && (
        <Section title={`Runs (${details.runs.length})`} testId="runs">
          <ol className="runs">
            {details.runs.slice(0, 12).map((r) => (
              <li key={r.run}>
                <button type="button" className={`run-row ${r.run === details.run ? 'current' : ''}`} onClick={() => void inspectRun(r.run)}>
                  <span className={`dot state-${r.state.toLowerCase()}`} />
                  <span className="run-time">{r.endedAt || r.startedAt ? new Date((r.endedAt ?? r.startedAt)!).toLocaleString() : r.run.slice(0, 8)}</span>
                  <span className="muted">{r.user ?? ''}</span>
                </button>
              </li>
            ))}
          </ol>
        </Section>
      )}
      {details && (details.kind === 'job' || details.kind === 'run') && (
        <>
          {details.repro && (
            <Section title="Reproducibility" testId="repro-section">
              <ReproView repro={details.repro} />
            </Section>
          )}
          {details.footprint && (
            <Section title="Footprint" testId="footprint-section">
              <FootprintView fp={details.footprint} />
            </Section>
          )}
        </>
      )}
      {details?.kind === 'artifact' && (
        <>
          {details.staleness && (
            <Section title="Staleness">
              <StalenessView s={details.staleness} />
            </Section>
          )}
          {details.upstream && (
            <Section title="Where it came from">
              <UpstreamView up={details.upstream} />
            </Section>
          )}
          {details.table && details.table.length > 0 && (
            <>
              <Section title={`Table history (${details.table.length} commits)`}>
                <TableHistoryView commits={details.table} />
              </Section>
              <Section title="Data">
                <TablePreview artifact={details.artifact} commits={details.table} />
              </Section>
            </>
          )}
        </>
      )}
    </>
  );
}
