import { useEffect, useState } from 'react';
import type { DatasetSchemaDto } from '../../../shared/columns-dto';
import { useApp } from '../../state/use-app';

/** A dataset's schema at the snapshot shown, with a diff against any other snapshot. */
export function SchemaTab({ dataset }: { dataset: string }) {
  const api = useApp((s) => s.api);
  const snapshot = useApp((s) => s.snapshot);
  const snapshots = useApp((s) => s.snapshots);
  const shown = snapshot ?? snapshots.at(-1)?.seq ?? null;
  const [against, setAgainst] = useState<number | null>(null);
  const [schema, setSchema] = useState<DatasetSchemaDto | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.getDatasetSchema({ dataset, ...(snapshot === null ? {} : { snapshot }), ...(against !== null ? { against } : {}) })
      .then((s) => {
        if (!live) return;
        setSchema(s);
        setError(null);
      })
      .catch((err: Error) => { if (live) setError(err.message); });
    return () => { live = false; };
  }, [api, dataset, snapshot, against]);

  const diff = schema?.diff;
  const changed = new Map<string, string>();
  for (const c of diff?.added ?? []) changed.set(c.name, 'added');
  for (const r of diff?.renamed ?? []) changed.set(r.to, `renamed from ${r.from}`);
  for (const t of diff?.typeChanged ?? []) changed.set(t.column, `type was ${t.from}`);
  return (
    <div className="schema-tab" data-testid="schema-tab">
      <label className="inline small">
        compare with{' '}
        <select value={against ?? ''} onChange={(e) => setAgainst(e.target.value === '' ? null : Number(e.target.value))} data-testid="schema-against">
          <option value="">—</option>
          {[...snapshots].reverse().filter((s) => s.seq !== shown).map((s) => <option key={s.seq} value={s.seq}>#{s.seq} · {s.label}</option>)}
        </select>
      </label>
      {error && <p className="error-text" role="alert">{error}</p>}
      {schema && (
        <>
          <p className="muted small">
            {schema.columns.length} columns at {snapshot === null ? 'the newest snapshot' : `snapshot ${snapshot}`}
            {schema.tableVersion !== undefined ? ` · Delta table version ${schema.tableVersion}` : ''}
          </p>
          <table className="schema" data-testid="schema-table">
            <thead><tr><th>column</th><th>type</th>{diff && <th>since #{diff.against.snapshot}</th>}</tr></thead>
            <tbody>
              {schema.columns.map((c) => (
                <tr key={c.name} className={changed.has(c.name) ? 'changed' : ''}>
                  <td title={c.physicalName ? `physical name ${c.physicalName}` : undefined}>{c.name}</td>
                  <td>{c.type ?? ''}</td>
                  {diff && <td className="small">{changed.get(c.name) ?? ''}</td>}
                </tr>
              ))}
              {diff?.dropped.map((c) => (
                <tr key={`dropped-${c.name}`} className="dropped"><td>{c.name}</td><td>{c.type ?? ''}</td><td className="small">dropped</td></tr>
              ))}
            </tbody>
          </table>
          {diff && diff.added.length + diff.dropped.length + diff.renamed.length + diff.typeChanged.length === 0 && <p className="muted small" data-testid="schema-same">Same schema at both snapshots.</p>}
          {schema.warnings.map((w) => <p key={w} className="warn small">{w}</p>)}
        </>
      )}
    </div>
  );
}
