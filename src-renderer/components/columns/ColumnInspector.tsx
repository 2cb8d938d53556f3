import { useEffect, useState } from 'react';
import type { DatasetColumnDto } from '../../../shared/columns-dto';
import { useApp } from '../../state/use-app';
import { edgeKind, historyText, transformationText } from './column-format';

/**
 * The column picked in the list: its inputs with how each is used (solid = DIRECT, dotted =
 * INDIRECT), how far its lineage reaches both ways, what depends on it, and its history. The
 * graph draws the path from the same store fields (selectedColumn, columnUpNodes, columnDownNodes).
 */
export function ColumnInspector({ dataset, column }: { dataset: string; column: string }) {
  const api = useApp((s) => s.api);
  const snapshot = useApp((s) => s.snapshot);
  const [row, setRow] = useState<DatasetColumnDto | null>(null);
  // The column as it is at the snapshot shown (its inputs and history follow the time slider).
  useEffect(() => {
    let live = true;
    api.getDatasetColumns({ dataset, query: column, limit: 2000, ...(snapshot === null ? {} : { snapshot }) })
      .then((d) => { if (live) setRow(d.columns.find((c) => c.name === column) ?? null); })
      .catch(() => { if (live) setRow(null); });
    return () => { live = false; };
  }, [api, dataset, column, snapshot]);
  const state = useApp((s) => s.columnState);
  const error = useApp((s) => s.columnError);
  const up = useApp((s) => s.columnUpstream);
  const down = useApp((s) => s.columnDownstream);
  const impact = useApp((s) => s.columnImpact);
  const directOnly = useApp((s) => s.columnsDirectOnly);
  const setDirectOnly = useApp((s) => s.setColumnsDirectOnly);
  const selectColumn = useApp((s) => s.selectColumn);
  const farthest = (d: typeof up) => (d && d.columns.length ? d.columns[d.columns.length - 1]!.depth : 0);
  if (!row) {
    return (
      <div className="column-inspector" data-testid="column-inspector">
        <b>{column}</b> {error ? <p className="error-text" role="alert">{error}</p> : <p className="muted small">Loading…</p>}
      </div>
    );
  }
  return (
    <div className="column-inspector" data-testid="column-inspector">
      <div className="column-inspector-head">
        <b>{row.name}</b>
        {row.type && <span className="column-type">{row.type}</span>}
        <button type="button" className="icon-button small" aria-label="Clear the column" title="Clear the column" onClick={() => void selectColumn('', null)}>✕</button>
      </div>
      {row.referencedOnly && <p className="muted small">Not in this dataset's own schema: another dataset's column lineage names it.</p>}
      <h4 className="subsection-title">Inputs</h4>
      {row.inputs.length === 0 ? <p className="muted small">No declared inputs (a source column, or its writer declared none).</p> : (
        <ul className="column-inputs" data-testid="column-inputs">
          {row.inputs.map((i) => (
            <li key={i.id} className={`edge-${edgeKind(i.transformations)}`}>
              <span className="column-ref" title={i.id}>{i.dataset}.<b>{i.column}</b></span>{' '}
              <span className="transformations">{transformationText(i.transformations)}</span>
              {i.unknownDataset && <span className="muted small"> · seen only in column lineage</span>}
            </li>
          ))}
        </ul>
      )}
      <label className="inline small">
        <input type="checkbox" checked={directOnly} onChange={(e) => void setDirectOnly(e.target.checked)} data-testid="columns-direct-only" /> DIRECT edges only
      </label>
      {state === 'loading' && <p className="muted small" role="status">Following its lineage…</p>}
      {error && <p className="error-text" role="alert">{error}</p>}
      {up && down && (
        <p className="small" data-testid="column-reach">
          Comes from <b>{up.columns.length}</b> column{up.columns.length === 1 ? '' : 's'}{up.columns.length ? ` (up to ${farthest(up)} steps back)` : ''};
          feeds <b>{down.columns.length}</b>{down.columns.length ? ` (up to ${farthest(down)} steps on)` : ''}.
        </p>
      )}
      {impact && (
        <div data-testid="column-impact">
          <h4 className="subsection-title">Impact</h4>
          {impact.columns.length === 0 && impact.consumers.length === 0 ? <p className="muted small">Nothing depends on it.</p> : (
            <>
              <p className="small">
                {impact.counts.columns ? `${plural(impact.counts.columns, 'column')} in ${plural(impact.counts.datasets, 'dataset')} downstream` : 'No column downstream'}
                {' · '}{plural(impact.counts.trainingSets, 'training set')} · {plural(impact.counts.models, 'model')}
              </p>
              <ul className="column-impact-list">
                {impact.datasets.map((d) => <li key={d.node}><span className={`kind-dot kind-${d.kind ?? 'dataset'}`} />{d.dataset}: {d.columns.join(', ')}</li>)}
                {impact.consumers.filter((c) => c.kind === 'model' || c.kind === 'training_dataset').map((c) => <li key={c.node}><span className={`kind-dot kind-${c.kind}`} />{c.artifact}</li>)}
              </ul>
            </>
          )}
        </div>
      )}
      <h4 className="subsection-title">History</h4>
      {row.history.length === 0 ? <p className="muted small">No recorded changes.</p> : (
        <ol className="column-history" data-testid="column-history">
          {row.history.map((e, i) => <li key={i} title={e.at}>{historyText(e)}</li>)}
        </ol>
      )}
    </div>
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
