import { useState } from 'react';
import type { DatasetColumnDto } from '../../../shared/columns-dto';
import { useApp } from '../../state/use-app';
import { ColumnInspector } from './ColumnInspector';
import { ColumnList } from './ColumnList';
import { SchemaTab } from './SchemaTab';
import './columns.css';

/**
 * A dataset's Columns section in the inspector (issue 19): its columns at the snapshot shown,
 * searchable; a picked column's inputs, reach, impact and history; and a Schema tab with a diff
 * against another snapshot. `dataset` is what the API takes (`<ns>/<name>` of the node).
 */
export function DatasetColumnsSection({ dataset }: { dataset: string }) {
  const [tab, setTab] = useState<'columns' | 'schema'>('columns');
  /** The dataset's label, as the API returns it (the selected column names its dataset so). */
  const [label, setLabel] = useState<string | null>(null);
  const selectColumn = useApp((s) => s.selectColumn);
  const selected = useApp((s) => s.selectedColumn);
  const pick = (c: DatasetColumnDto, page: { dataset: string }) => {
    setLabel(page.dataset);
    void selectColumn(page.dataset, c.name);
  };
  const mine = selected !== null && (selected.dataset === label || selected.node === `artifact:${dataset}`);
  return (
    <div className="dataset-columns" data-testid="columns-section">
      <div className="tabs small" role="tablist">
        {(['columns', 'schema'] as const).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'on' : ''} onClick={() => setTab(t)} data-testid={`columns-tab-${t}`}>
            {t === 'columns' ? 'Columns' : 'Schema'}
          </button>
        ))}
      </div>
      {tab === 'columns' ? (
        <>
          <ColumnList key={dataset} dataset={dataset} onPick={pick} />
          {mine && <ColumnInspector dataset={dataset} column={selected.column} />}
        </>
      ) : <SchemaTab dataset={dataset} />}
    </div>
  );
}
