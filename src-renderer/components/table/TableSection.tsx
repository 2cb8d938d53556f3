import { useEffect, useMemo, useState } from 'react';
import type { TableCommitDto, TableDiffDto } from '../../../shared/table-dto';
import { useApp } from '../../state/use-app';
import { formatTime } from '../details/format';
import { CopyIcon } from '../details/Hash';
import { RowGrid } from './RowGrid';
import { formatCell, pairChanges, rowsByVersion } from './table-math';

type Tab = 'history' | 'rows' | 'diff';

/**
 * A table artifact: named as what it is ("Delta table · version 4 · 12,000 rows"), its commits
 * with rows inserted / updated / deleted, its rows at any version, and the diff of any two.
 */
export function TableSection({ artifact, commits, format = 'Delta' }: { artifact: string; commits: readonly TableCommitDto[]; format?: string }) {
  const sorted = useMemo(() => [...commits].sort((a, b) => a.version - b.version), [commits]);
  const counts = useMemo(() => rowsByVersion(sorted), [sorted]);
  const latest = sorted.at(-1)?.version ?? 0;
  const [tab, setTab] = useState<Tab>('history');
  const [version, setVersion] = useState(latest);
  const [from, setFrom] = useState(Math.max(0, latest - 1));
  const [to, setTo] = useState(latest);
  const go = (t: Tab, v?: number) => {
    setTab(t);
    if (v !== undefined) setVersion(v);
  };
  return (
    <div className="table-section" data-testid="table-section">
      <p className="table-title" data-testid="table-title">
        <b>{format} table</b> · version {latest} · {(counts.get(latest) ?? 0).toLocaleString('en-US')} rows · {sorted.length} {sorted.length === 1 ? 'commit' : 'commits'}
      </p>
      <div className="tabs small" role="tablist">
        {(['history', 'rows', 'diff'] as const).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'on' : ''} onClick={() => go(t)} data-testid={`table-tab-${t}`}>
            {t === 'history' ? 'History' : t === 'rows' ? 'Rows' : 'Compare versions'}
          </button>
        ))}
      </div>
      {tab === 'history' && (
        <table className="commits" data-testid="table-history">
          <thead>
            <tr><th>v</th><th>when</th><th>operation</th><th className="num" title="rows inserted">+</th><th className="num" title="rows updated">~</th><th className="num" title="rows deleted">−</th><th className="num">rows</th><th /></tr>
          </thead>
          <tbody>
            {[...sorted].reverse().map((c) => (
              <tr key={c.version}>
                <td>{c.version}</td>
                <td title={c.timestamp}>{formatTime(c.timestamp)}</td>
                <td>{c.operation}</td>
                <td className="num">{c.rowsInserted}</td>
                <td className="num">{c.rowsUpdated}</td>
                <td className="num">{c.rowsDeleted}</td>
                <td className="num">{(counts.get(c.version) ?? 0).toLocaleString('en-US')}</td>
                <td className="row-actions">
                  <button type="button" className="link-button small" onClick={() => go('rows', c.version)} title={`Rows at version ${c.version}`}>rows</button>
                  {c.version > 0 && (
                    <button type="button" className="link-button small" onClick={() => { setFrom(c.version - 1); setTo(c.version); setTab('diff'); }} title={`What version ${c.version} changed`} data-testid={`commit-diff-${c.version}`}>diff</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {tab === 'rows' && (
        <>
          <label className="inline">
            at version{' '}
            <select value={version} onChange={(e) => setVersion(Number(e.target.value))} data-testid="rows-version">
              {[...sorted].reverse().map((c) => <option key={c.version} value={c.version}>v{c.version}{c.version === latest ? ' (latest)' : ''} · {formatTime(c.timestamp)}</option>)}
            </select>
          </label>
          <RowGrid key={`${artifact}@${version}`} artifact={artifact} version={version} total={counts.get(version) ?? null} />
          <CommandHint text={`retrace table read ${artifact} --version ${version}`} />
        </>
      )}
      {tab === 'diff' && <VersionDiff artifact={artifact} versions={sorted.map((c) => c.version)} from={from} to={to} setFrom={setFrom} setTo={setTo} />}
    </div>
  );
}

function VersionDiff(props: { artifact: string; versions: number[]; from: number; to: number; setFrom(v: number): void; setTo(v: number): void }) {
  const { artifact, versions, from, to } = props;
  const api = useApp((s) => s.api);
  const key = `${artifact}@${from}..${to}`;
  const [answer, setAnswer] = useState<{ key: string; diff?: TableDiffDto; error?: string } | null>(null);
  useEffect(() => {
    if (from >= to) return;
    let live = true;
    api.diffTable({ artifact, from, to, limit: 500 }).then(
      (diff) => live && setAnswer({ key, diff }),
      (e: Error) => live && setAnswer({ key, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [api, artifact, from, to, key]);
  // An answer for other versions than the ones picked is not shown.
  const diff = answer?.key === key ? (answer.diff ?? null) : null;
  const error = answer?.key === key ? (answer.error ?? null) : null;
  const rows = useMemo(() => (diff ? pairChanges(diff.changes) : []), [diff]);
  const columns = useMemo(() => [...new Set(rows.flatMap((r) => Object.keys(r.row)))], [rows]);
  return (
    <div data-testid="table-diff">
      <div className="inline">
        from <select value={from} onChange={(e) => props.setFrom(Number(e.target.value))} data-testid="diff-from">{versions.map((v) => <option key={v} value={v}>v{v}</option>)}</select>
        to <select value={to} onChange={(e) => props.setTo(Number(e.target.value))} data-testid="diff-to">{versions.map((v) => <option key={v} value={v}>v{v}</option>)}</select>
      </div>
      {from >= to && <p className="muted">Pick an older version on the left and a newer one on the right.</p>}
      {error && <p className="error-text">{error}</p>}
      {diff && (
        <>
          <p className="diff-counts" data-testid="diff-counts">
            <span className="added">+{diff.counts.inserted} added</span> · <span className="removed">−{diff.counts.deleted} removed</span> · <span className="changed">~{diff.counts.updated} changed</span>
            {diff.truncated && <span className="muted"> (first {rows.length} rows shown)</span>}
          </p>
          {rows.length > 0 && (
            <div className="grid-scroll" style={{ maxHeight: 300 }}>
              <table className="rows diff-rows">
                <thead><tr><th /> {columns.map((c) => <th key={c}>{c}</th>)}</tr></thead>
                <tbody>
                  {rows.map((r, i) => (
                    <tr key={i} className={`diff-${r.kind}`}>
                      <td className="diff-mark">{r.kind === 'added' ? '+' : r.kind === 'removed' ? '−' : '~'}</td>
                      {columns.map((c) => (
                        <td key={c} className={r.changed?.has(c) ? 'cell-changed' : ''} title={r.changed?.has(c) ? `was ${formatCell(r.before?.[c])}` : undefined}>
                          {r.changed?.has(c) && <s className="was">{formatCell(r.before?.[c])}</s>} {formatCell(r.row[c])}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <CommandHint text={`retrace table changes ${artifact} --from ${from} --to ${to}`} />
        </>
      )}
    </div>
  );
}

/** The equivalent command, for copying into a terminal. */
export function CommandHint({ text }: { text: string }) {
  return (
    <p className="command-hint small">
      <code>{text}</code>
      <button type="button" className="copy-button" aria-label="Copy the command" title="Copy the command" onClick={() => void navigator.clipboard?.writeText(text)}><CopyIcon /></button>
    </p>
  );
}
