import { useEffect, useMemo, useState } from 'react';
import type { SchemaNodeDto, TableCommitDto, TableDiffDto, TableInfoDto } from '../../../shared/table-dto';
import { useApp } from '../../state/use-app';
import { formatTime } from '../details/format';
import { CommandHint } from './CommandHint';
import { RowGrid } from './RowGrid';
import { TableQueries } from './TableQueries';
import { formatCell, pairChanges, rowsByVersion, type DiffRow } from './table-math';

type Tab = 'history' | 'rows' | 'diff' | 'ask' | 'schema';

/**
 * A table artifact: named as what it is ("Delta table · version 4 · 12,000 rows"), its commits
 * with rows inserted / updated / deleted, its rows at any version, and the diff of any two.
 */
export function TableSection({ artifact, commits }: { artifact: string; commits: readonly TableCommitDto[] }) {
  const info = useTableInfo(artifact);
  const format = info?.format === 'hudi' ? 'Hudi' : 'Delta';
  const sorted = useMemo(() => [...commits].sort((a, b) => a.version - b.version), [commits]);
  // Row counts from the files' statistics when the history has them, else from its row counts.
  const counts = useMemo(() => {
    const m = rowsByVersion(sorted);
    for (const c of sorted) if (typeof c.rowCount === 'number') m.set(c.version, c.rowCount);
    return m;
  }, [sorted]);
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
      {info && <p className="muted small" data-testid="table-features" title="Format, protocol and the features the table uses">{info.summary}</p>}
      {info?.warnings.map((w) => <p key={w} className="warn small">{w}</p>)}
      <div className="tabs small" role="tablist">
        {(['history', 'rows', 'diff', 'ask', 'schema'] as const).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'on' : ''} onClick={() => go(t)} data-testid={`table-tab-${t}`}>
            {t === 'history' ? 'History' : t === 'rows' ? 'Rows' : t === 'diff' ? 'Compare' : t === 'ask' ? 'Ask' : 'Schema'}
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
      {tab === 'schema' && (info ? <SchemaTree nodes={info.schema} /> : <p className="muted" role="status">Reading the schema…</p>)}
      {tab === 'ask' && <TableQueries key={artifact} artifact={artifact} commits={sorted} />}
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
  // The net difference matched by the table's key when the core gives it; else the change rows paired.
  const rows = useMemo((): DiffRow[] => {
    if (!diff) return [];
    if (diff.rows) {
      return diff.rows.map((r) => ({
        kind: r.change,
        row: (r.after ?? r.before ?? {}) as DiffRow['row'],
        ...(r.before && r.change === 'changed' ? { before: r.before as DiffRow['row'] } : {}),
        changed: new Set(r.changedColumns),
      }));
    }
    return pairChanges(diff.changes);
  }, [diff]);
  const counts = diff?.rowCounts ? { inserted: diff.rowCounts.added, deleted: diff.rowCounts.removed, updated: diff.rowCounts.changed } : diff?.counts;
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
            <span className="added">+{counts!.inserted} added</span> · <span className="removed">−{counts!.deleted} removed</span> · <span className="changed">~{counts!.updated} changed</span>
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

/** The table's format, features and schema (asked once per table). */
function useTableInfo(artifact: string): TableInfoDto | null {
  const api = useApp((s) => s.api);
  const [info, setInfo] = useState<{ artifact: string; info: TableInfoDto } | null>(null);
  useEffect(() => {
    let live = true;
    api.getTableInfo({ artifact }).then((i) => live && setInfo({ artifact, info: i }), () => undefined);
    return () => {
      live = false;
    };
  }, [api, artifact]);
  return info?.artifact === artifact ? info.info : null;
}

/** Nested types as a tree: structs open into their fields; embeddings are marked. */
function SchemaTree({ nodes, depth = 0 }: { nodes: readonly SchemaNodeDto[]; depth?: number }) {
  return (
    <ul className={depth === 0 ? 'schema-tree' : ''} role={depth === 0 ? 'tree' : 'group'} data-testid={depth === 0 ? 'schema-tree' : undefined}>
      {nodes.map((n) => (
        <li key={n.name} role="treeitem" style={{ paddingLeft: depth ? 12 : 0 }}>
          <code>{n.name}</code> <span className="muted small">{n.vector ? `embedding · ${n.type}` : n.type}{n.nullable ? '' : ' · not null'}</span>
          {n.physicalName && n.physicalName !== n.name && <span className="muted small"> · stored as {n.physicalName}</span>}
          {n.children && n.children.length > 0 && <SchemaTree nodes={n.children} depth={depth + 1} />}
        </li>
      ))}
    </ul>
  );
}
