import { useState } from 'react';
import type { TableChangesDto, TableCommitDto, TableValueAsOfDto } from '../../../shared/table-dto';
import { useApp } from '../../state/use-app';
import { formatTime } from '../details/format';
import { CommandHint } from './CommandHint';
import { formatCell } from './table-math';

/** ISO (UTC) ↔ the value of a `datetime-local` input (local time, to the second). */
const toLocal = (iso: string) => {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};
const fromLocal = (v: string) => new Date(v).toISOString();

type Answer<T> = { state: 'idle' } | { state: 'asking' } | { state: 'ready'; value: T } | { state: 'error'; message: string };

/**
 * The two time-travel questions a feature table is for: the value of one key as of a time
 * (answered from the key index, with the version and commit it came from), and the rows that
 * changed between two times (the change feed). Each answer shows the same question as a CLI
 * command to copy.
 */
export function TableQueries({ artifact, commits }: { artifact: string; commits: readonly TableCommitDto[] }) {
  const api = useApp((s) => s.api);
  const first = commits[0]?.timestamp ?? new Date().toISOString();
  const last = commits.at(-1)?.timestamp ?? new Date().toISOString();
  const [key, setKey] = useState('');
  const [asOf, setAsOf] = useState(toLocal(last));
  const [value, setValue] = useState<Answer<TableValueAsOfDto>>({ state: 'idle' });
  const [t1, setT1] = useState(toLocal(first));
  const [t2, setT2] = useState(toLocal(last));
  const [changes, setChanges] = useState<Answer<TableChangesDto>>({ state: 'idle' });

  const askValue = () => {
    if (!key.trim()) return;
    setValue({ state: 'asking' });
    api.tableValueAsOf({ artifact, key: key.trim(), asOf: fromLocal(asOf) }).then(
      (v) => setValue({ state: 'ready', value: v }),
      (e: Error) => setValue({ state: 'error', message: e.message }),
    );
  };
  const askChanges = () => {
    setChanges({ state: 'asking' });
    api.tableChangesBetween({ artifact, fromTime: fromLocal(t1), toTime: fromLocal(t2), limit: 200 }).then(
      (v) => setChanges({ state: 'ready', value: v }),
      (e: Error) => setChanges({ state: 'error', message: e.message }),
    );
  };
  return (
    <div className="table-queries" data-testid="table-queries">
      <form className="query" onSubmit={(e) => (e.preventDefault(), askValue())}>
        <h4 className="sub-title">Value of a key as of a time</h4>
        <div className="query-row">
          <input type="text" placeholder="key, e.g. 1042" value={key} onChange={(e) => setKey(e.target.value)} aria-label="Key" data-testid="query-key" />
          <input type="datetime-local" step={1} value={asOf} onChange={(e) => setAsOf(e.target.value)} aria-label="As of" data-testid="query-as-of" />
          <button type="submit" className="button small" disabled={!key.trim()} data-testid="query-value">Ask</button>
        </div>
        {value.state === 'asking' && <p className="muted" role="status">Looking it up…</p>}
        {value.state === 'error' && <p className="error-text">{value.message}</p>}
        {value.state === 'ready' && (
          <div data-testid="query-value-answer">
            <p className="small">
              {value.value.row ? <>As of {formatTime(value.value.asOf)}, <b>{value.value.keyColumn} = {value.value.key}</b> was:</> : <>As of {formatTime(value.value.asOf)} no row had <b>{value.value.keyColumn} = {value.value.key}</b>.</>}{' '}
              <span className="muted">From version {value.value.version} ({value.value.commit.operation}, {formatTime(value.value.commit.timestamp)}).</span>
            </p>
            {value.value.note && <p className="muted small">{value.value.note}</p>}
            {value.value.row && (
              <table className="kv">
                <tbody>
                  {Object.entries(value.value.row).map(([k, v]) => <tr key={k}><th>{k}</th><td>{formatCell(v)}</td></tr>)}
                </tbody>
              </table>
            )}
            <CommandHint text={value.value.command} />
          </div>
        )}
      </form>
      <form className="query" onSubmit={(e) => (e.preventDefault(), askChanges())}>
        <h4 className="sub-title">Rows changed between two times</h4>
        <div className="query-row">
          <input type="datetime-local" step={1} value={t1} onChange={(e) => setT1(e.target.value)} aria-label="From" data-testid="query-from" />
          <input type="datetime-local" step={1} value={t2} onChange={(e) => setT2(e.target.value)} aria-label="To" data-testid="query-to" />
          <button type="submit" className="button small" data-testid="query-changes">Ask</button>
        </div>
        {changes.state === 'asking' && <p className="muted" role="status">Reading the change feed…</p>}
        {changes.state === 'error' && <p className="error-text">{changes.message}</p>}
        {changes.state === 'ready' && (
          <div data-testid="query-changes-answer">
            <p className="diff-counts small">
              {changes.value.fromVersion === null ? (
                <span className="muted">No commit between those times.</span>
              ) : (
                <>
                  versions {changes.value.fromVersion}–{changes.value.toVersion}: <span className="added">{changes.value.counts.inserted} inserted</span> · <span className="changed">{changes.value.counts.updated} updated</span> · <span className="removed">{changes.value.counts.deleted} deleted</span>
                </>
              )}
            </p>
            {changes.value.rows.length > 0 && <ChangeRows rows={changes.value.rows} total={changes.value.total} />}
            <CommandHint text={changes.value.command} />
          </div>
        )}
      </form>
    </div>
  );
}

function ChangeRows({ rows, total }: { rows: TableChangesDto['rows']; total: number }) {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)).filter((k) => !k.startsWith('_commit')))];
  return (
    <div className="grid-scroll" style={{ maxHeight: 240 }}>
      <table className="rows">
        <thead><tr>{columns.map((c) => <th key={c}>{c === '_change_type' ? 'change' : c}</th>)}<th>v</th></tr></thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} className={`feed-${String(r._change_type)}`}>
              {columns.map((c) => <td key={c}>{formatCell(r[c])}</td>)}
              <td>{formatCell(r._commit_version)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > rows.length && <p className="muted small">First {rows.length} of {total} change rows; the command prints all.</p>}
    </div>
  );
}
