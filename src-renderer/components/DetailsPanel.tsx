import { useMemo } from 'react';
import type { NodeKind } from '../../shared/dto';
import { countByKind, KIND_LABEL } from '../graph/elements';
import { KindSwatch } from '../graph/KindSwatch';
import { useApp } from '../state/use-app';
import { ChangesPanel } from './compare/ChangesPanel';
import { GroupDetails } from './GroupDetails';
import { InsightsPanel } from './insights/InsightsPanel';
import { FootprintSection } from './details/FootprintSection';
import { CompareVersionsButton } from './diff/CompareVersionsButton';
import { ReplayButton } from './replay/ReplayButton';
import { Hash } from './details/Hash';
import { ImpactSection } from './details/ImpactSection';
import { ProvenanceChain } from './details/ProvenanceChain';
import { ReproSection } from './details/ReproSection';
import { RunList } from './details/RunList';
import { Section, StalenessView } from './sections';
import { TableSection } from './table/TableSection';
import { DatasetColumnsSection } from './columns/DatasetColumnsSection';

/** Right-hand panel: the selected node's story, or the legend with counts per kind. */
export function DetailsPanel() {
  const graph = useApp((s) => s.graph);
  const selectedId = useApp((s) => s.selectedId);
  const isGroup = useApp((s) => Boolean(selectedId && s.view?.tree.groups.has(selectedId)));
  const node = useMemo(() => graph?.nodes.find((n) => n.id === selectedId) ?? null, [graph, selectedId]);
  const tab = useApp((s) => s.sideTab);
  const setTab = useApp((s) => s.setSideTab);
  const comparing = useApp((s) => s.compare !== null);
  return (
    <aside className="panel" aria-label="Side panel">
      <div className="tabs panel-tabs" role="tablist">
        {(['details', 'insights', 'changes'] as const).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'on' : ''} onClick={() => setTab(t)} data-testid={`tab-${t}`}>
            {t === 'details' ? 'Details' : t === 'insights' ? 'Insights' : comparing ? 'Changes ●' : 'Changes'}
          </button>
        ))}
      </div>
      <div className="panel-body" data-testid="details-panel" tabIndex={-1}>
        {tab === 'insights' ? <InsightsPanel /> : tab === 'changes' ? <ChangesPanel /> : isGroup ? <GroupDetails /> : node ? <NodeDetailsView /> : <Legend />}
      </div>
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
  const overlayError = useApp((s) => s.overlayError);
  const showImpact = useApp((s) => s.showImpact);
  const clearOverlay = useApp((s) => s.clearOverlay);
  const openRerunPlan = useApp((s) => s.openRerunPlan);
  const setFocus = useApp((s) => s.setFocus);
  const focus = useApp((s) => s.focus);
  const node = graph?.nodes.find((n) => n.id === selectedId);
  if (!node) return null;
  const run = details && (details.kind === 'job' || details.kind === 'run') ? details.run : null;
  const canImpact = details?.kind === 'artifact' || Boolean(run);
  const impactOn = overlay?.kind === 'impact';

  return (
    <>
      <div className="panel-header">
        <span className={`kind-chip kind-${node.kind}`}>{KIND_LABEL[node.kind]}</span>
        <button type="button" className="icon-button small" aria-label="Close details" title="Close (Esc)" onClick={() => select(null)}>
          ✕
        </button>
      </div>
      <h2 className="panel-title" title={node.label}>{node.label}</h2>
      <dl className="facts">
        {node.version && (<><dt>Version</dt><dd><Hash value={node.version} /></dd></>)}
        {node.state && (<><dt>Last run</dt><dd className={`state state-${node.state.toLowerCase()}`}>{node.state.toLowerCase()}</dd></>)}
        {node.pipeline && (<><dt>Pipeline</dt><dd>{node.pipeline.split('/').pop()}</dd></>)}
        {node.stale && (<><dt>Staleness</dt><dd className="warn">stale</dd></>)}
      </dl>
      <div className="actions">
        {canImpact && (
          <button type="button" className={impactOn ? 'button primary' : 'button'} onClick={() => (impactOn ? clearOverlay() : void showImpact())} data-testid="impact-toggle" title="Colour everything downstream and upstream of this on the graph">
            {impactOn ? 'Hide impact' : 'Show impact'}
          </button>
        )}
        <button type="button" className={focus?.id === node.id ? 'button primary' : 'button'} onClick={() => setFocus(focus?.id === node.id ? null : node.id)} data-testid="focus-button" title="Show only this node's lineage (.)">
          {focus?.id === node.id ? 'Show all' : 'Focus'}
        </button>
        {run && (
          <button type="button" className="button" onClick={() => void openRerunPlan({ kind: 'run', run })} data-testid="rerun-button">
            Re-run…
          </button>
        )}
        {run && <ReplayButton run={run} />}
        {details?.kind === 'artifact' && <CompareVersionsButton testId="inspector-compare-versions" />}
      </div>
      {overlayError && <p className="error-text">{overlayError}</p>}
      {impactOn && (
        <Section title="Impact" testId="impact-section">
          <ImpactSection />
        </Section>
      )}
      {detailsState === 'loading' && !details && <p className="muted" role="status">Loading details…</p>}
      {detailsError && <p className="error-text" role="alert">Could not load the details: {detailsError}</p>}
      {details?.kind === 'job' && (
        <Section title={`Runs (${details.runs.length})`}>
          <RunList runs={details.runs} current={details.run} />
        </Section>
      )}
      {details && (details.kind === 'job' || details.kind === 'run') && (
        <>
          {details.repro ? (
            <Section title="Reproducibility" testId="repro-section">
              <ReproSection repro={details.repro} />
            </Section>
          ) : (
            details.run && <p className="muted">No reproducibility verdict: this run recorded no code or environment.</p>
          )}
          {details.footprint && (
            <Section title="Footprint" testId="footprint-section">
              <FootprintSection fp={details.footprint} />
            </Section>
          )}
        </>
      )}
      {details?.kind === 'artifact' && (
        <>
          {details.table && details.table.length > 0 && (
            <Section title="Table" testId="table">
              <TableSection artifact={details.artifact} commits={details.table} />
            </Section>
          )}
          {['dataset', 'feature_group', 'training_dataset', 'file'].includes(node.kind) && (
            <Section title="Columns" testId="columns"><DatasetColumnsSection dataset={details.artifact} /></Section>
          )}
          {details.staleness && (
            <Section title="Staleness">
              <StalenessView s={details.staleness} />
            </Section>
          )}
          {details.upstream && (
            <Section title="Where it came from">
              <ProvenanceChain up={details.upstream} />
            </Section>
          )}
        </>
      )}
    </>
  );
}
