import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { CatalogArtifactRowDto, CatalogPageDto, CatalogRequest, CatalogRunRowDto } from '../../../shared/catalog-dto';
import type { NodeKind, RunState } from '../../../shared/dto';
import { KIND_LABEL } from '../../graph/elements';
import { KindSwatch } from '../../graph/KindSwatch';
import { useApp } from '../../state/use-app';
import { formatDuration, formatTime } from '../details/format';

const ROW_PX = 28;
const PAGE = 100;

type What = 'artifacts' | 'runs';
interface Column {
  readonly key: string;
  readonly label: string;
  /** The server's sort key, when the column sorts. */
  readonly sort?: string;
  readonly width: string;
}

const ARTIFACT_COLUMNS: Column[] = [
  { key: 'artifact', label: 'Name', sort: 'artifact', width: 'minmax(220px, 3fr)' },
  { key: 'kind', label: 'Kind', sort: 'kind', width: '120px' },
  { key: 'format', label: 'Format', sort: 'format', width: '80px' },
  { key: 'version', label: 'Latest version', sort: 'version', width: '150px' },
  { key: 'lastWrite', label: 'Last writer', sort: 'lastWrite', width: 'minmax(140px, 1.2fr)' },
  { key: 'lastRead', label: 'Last reader', sort: 'lastRead', width: 'minmax(140px, 1.2fr)' },
  { key: 'stale', label: 'Staleness', sort: 'stale', width: 'minmax(120px, 1.5fr)' },
];
const RUN_COLUMNS: Column[] = [
  { key: 'job', label: 'Stage', sort: 'job', width: 'minmax(160px, 2fr)' },
  { key: 'run', label: 'Run', sort: 'run', width: '110px' },
  { key: 'state', label: 'Status', sort: 'state', width: '100px' },
  { key: 'user', label: 'User', sort: 'user', width: '100px' },
  { key: 'startedAt', label: 'Started', sort: 'startedAt', width: '170px' },
  { key: 'durationMs', label: 'Duration', sort: 'durationMs', width: '100px' },
  { key: 'exitCode', label: 'Exit', sort: 'exitCode', width: '60px' },
  { key: 'repro', label: 'Reproducible (code · data · env)', width: 'minmax(160px, 1.2fr)' },
];

/**
 * Every artifact and every run as a table: sortable, filterable, virtualised (pages of 100 are
 * fetched as the reader scrolls, so 100,000 rows scroll as easily as 100), and keyboard
 * navigable — ↑/↓ move, Enter shows the row's node on the graph. The accessible path to every
 * node the canvas cannot give.
 */
export function Catalogue() {
  const [what, setWhat] = useState<What>('artifacts');
  const [sort, setSort] = useState<{ key: string; desc: boolean } | null>(null);
  const [filter, setFilter] = useState('');
  const [debounced, setDebounced] = useState('');
  const [kind, setKind] = useState<NodeKind | ''>('');
  const [state, setState] = useState<RunState | ''>('');
  const [staleOnly, setStaleOnly] = useState(false);
  const snapshot = useApp((s) => s.snapshot);
  const liveUpdates = useApp((s) => s.liveUpdates);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(filter), 200);
    return () => clearTimeout(t);
  }, [filter]);
  const request: Omit<CatalogRequest, 'offset' | 'limit'> = useMemo(
    () => ({
      what,
      ...(sort ? { sort: sort.key as CatalogRequest['sort'], desc: sort.desc } : {}),
      ...(debounced ? { filter: debounced } : {}),
      ...(what === 'artifacts' && kind ? { kind } : {}),
      ...(what === 'artifacts' && staleOnly ? { stale: true } : {}),
      ...(what === 'runs' && state ? { state } : {}),
      ...(snapshot === null ? {} : { snapshot }),
    }),
    [what, sort, debounced, kind, staleOnly, state, snapshot],
  );
  const columns = what === 'artifacts' ? ARTIFACT_COLUMNS : RUN_COLUMNS;
  return (
    <div className="catalogue" data-testid="catalogue">
      <div className="catalogue-bar">
        <div className="segmented" role="group" aria-label="What to list">
          {(['artifacts', 'runs'] as const).map((w) => (
            <button key={w} type="button" className={what === w ? 'on' : ''} aria-pressed={what === w} onClick={() => { setWhat(w); setSort(null); }} data-testid={`catalogue-${w}`}>
              {w === 'artifacts' ? 'Artifacts' : 'Runs'}
            </button>
          ))}
        </div>
        <input type="search" placeholder={what === 'artifacts' ? 'Filter by name, kind, format, version…' : 'Filter by stage, run, user, status…'} value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter" data-testid="catalogue-filter" />
        {what === 'artifacts' ? (
          <>
            <select value={kind} onChange={(e) => setKind(e.target.value as NodeKind | '')} aria-label="Kind" data-testid="catalogue-kind">
              <option value="">any kind</option>
              {(Object.keys(KIND_LABEL) as NodeKind[]).filter((k) => k !== 'job' && k !== 'run').map((k) => <option key={k} value={k}>{KIND_LABEL[k]}</option>)}
            </select>
            <label className="inline"><input type="checkbox" checked={staleOnly} onChange={(e) => setStaleOnly(e.target.checked)} /> stale only</label>
          </>
        ) : (
          <select value={state} onChange={(e) => setState(e.target.value as RunState | '')} aria-label="Status" data-testid="catalogue-state">
            <option value="">any status</option>
            {(['COMPLETE', 'FAIL', 'ABORT', 'RUNNING', 'START'] as const).map((s) => <option key={s} value={s}>{s.toLowerCase()}</option>)}
          </select>
        )}
      </div>
      <Grid key={`${JSON.stringify(request)}|${liveUpdates}`} request={request} columns={columns} sort={sort} onSort={(key) => setSort(sort?.key === key ? { key, desc: !sort.desc } : { key, desc: false })} />
    </div>
  );
}

function Grid({ request, columns, sort, onSort }: { request: Omit<CatalogRequest, 'offset' | 'limit'>; columns: Column[]; sort: { key: string; desc: boolean } | null; onSort(key: string): void }) {
  const api = useApp((s) => s.api);
  const reveal = useApp((s) => s.reveal);
  const setMainView = useApp((s) => s.setMainView);
  const [pages, setPages] = useState<Map<number, CatalogPageDto>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(600);
  const [active, setActive] = useState(0);
  const loading = useRef(new Set<number>());
  const scroller = useRef<HTMLDivElement>(null);
  const total = pages.get(0)?.total ?? null;
  const from = Math.max(0, Math.floor(top / ROW_PX) - 10);
  const to = Math.min(total ?? PAGE, from + Math.ceil(height / ROW_PX) + 20);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    for (let p = Math.floor(from / PAGE); p <= Math.floor(Math.max(from, to - 1) / PAGE); p++) {
      if (pages.has(p) || loading.current.has(p)) continue;
      loading.current.add(p);
      api.listCatalog({ ...request, offset: p * PAGE, limit: PAGE }).then(
        (page) => setPages((m) => new Map(m).set(p, page)),
        (err: Error) => setError(err.message),
      );
    }
  }, [from, to, pages, api, request]);

  const rowAt = (i: number) => pages.get(Math.floor(i / PAGE))?.rows[i % PAGE] as CatalogArtifactRowDto | CatalogRunRowDto | undefined;
  const open = (i: number) => {
    const r = rowAt(i);
    if (!r) return;
    setMainView('graph');
    reveal(r.id);
  };
  const move = (i: number) => {
    const next = Math.max(0, Math.min((total ?? 1) - 1, i));
    setActive(next);
    const el = scroller.current;
    if (el) {
      const y = next * ROW_PX;
      if (y < el.scrollTop + ROW_PX) el.scrollTop = Math.max(0, y - ROW_PX);
      else if (y + ROW_PX > el.scrollTop + el.clientHeight) el.scrollTop = y + 2 * ROW_PX - el.clientHeight;
    }
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const pageRows = Math.max(1, Math.floor(height / ROW_PX) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(active + 1),
      ArrowUp: () => move(active - 1),
      PageDown: () => move(active + pageRows),
      PageUp: () => move(active - pageRows),
      Home: () => move(0),
      End: () => move((total ?? 1) - 1),
      Enter: () => open(active),
    };
    const k = keys[e.key];
    if (k) {
      e.preventDefault();
      k();
    }
  };
  const template = columns.map((c) => c.width).join(' ');
  return (
    <div className="catalogue-grid">
      <div className="cat-row cat-head" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div key={c.key} role="columnheader" aria-sort={sort && sort.key === c.sort ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
            {c.sort ? (
              <button type="button" className="sort-button" onClick={() => onSort(c.sort!)} data-testid={`sort-${c.key}`}>
                {c.label} {sort?.key === c.sort ? (sort.desc ? '▾' : '▴') : ''}
              </button>
            ) : (
              c.label
            )}
          </div>
        ))}
      </div>
      <div
        ref={scroller}
        className="cat-scroll"
        role="grid"
        aria-rowcount={total ?? -1}
        aria-activedescendant={`cat-row-${active}`}
        tabIndex={0}
        onKeyDown={onKey}
        onScroll={(e) => setTop(e.currentTarget.scrollTop)}
        data-testid="catalogue-grid"
      >
        {error && <p className="error-text">{error}</p>}
        {total === 0 && <p className="muted cat-empty">Nothing matches. Clear the filter, or pick another kind or status.</p>}
        {total === null && !error && <p className="muted cat-empty" role="status">Loading…</p>}
        <div style={{ height: (total ?? 0) * ROW_PX, position: 'relative' }}>
          {Array.from({ length: Math.max(0, to - from) }, (_, k) => {
            const i = from + k;
            const r = rowAt(i);
            return (
              <div
                key={i}
                id={`cat-row-${i}`}
                role="row"
                aria-rowindex={i + 1}
                aria-selected={i === active}
                className={`cat-row ${i === active ? 'active' : ''}`}
                style={{ gridTemplateColumns: template, position: 'absolute', top: i * ROW_PX, left: 0, right: 0, height: ROW_PX }}
                onClick={() => setActive(i)}
                onDoubleClick={() => open(i)}
                data-testid="catalogue-row"
              >
                {r ? (request.what === 'artifacts' ? <ArtifactCells r={r as CatalogArtifactRowDto} /> : <RunCells r={r as CatalogRunRowDto} />) : <div className="muted">…</div>}
              </div>
            );
          })}
        </div>
      </div>
      <p className="muted small cat-foot">
        {total === null ? '' : `${total.toLocaleString('en-US')} ${total === 1 ? 'row' : 'rows'}${pages.get(0) && pages.get(0)!.all !== total ? ` of ${pages.get(0)!.all.toLocaleString('en-US')}` : ''}`} · ↑ ↓ to move, Enter (or double-click) to show it on the graph
      </p>
    </div>
  );
}

const ref = (r: { job: string | null; at: string | null; run: string } | null) =>
  r ? <span title={`run ${r.run} · ${r.at ?? ''}`}>{r.job?.split('/').pop() ?? r.run.slice(0, 8)} <span className="muted">{formatTime(r.at)}</span></span> : <span className="muted">—</span>;

function ArtifactCells({ r }: { r: CatalogArtifactRowDto }) {
  return (
    <>
      <div role="gridcell" className="cat-name" title={r.artifact}><KindSwatch kind={r.kind} /> <span className="ellipsis-start">{r.artifact}</span></div>
      <div role="gridcell">{KIND_LABEL[r.kind]}</div>
      <div role="gridcell">{r.format}</div>
      <div role="gridcell" title={r.version ?? ''}><code>{r.versionShort ?? '—'}</code></div>
      <div role="gridcell">{ref(r.lastWriter)}</div>
      <div role="gridcell">{ref(r.lastReader)}</div>
      <div role="gridcell" className={r.stale ? 'warn' : 'muted'} title={r.staleReason ?? ''}>{r.stale ? r.staleReason ?? 'stale' : 'up to date'}</div>
    </>
  );
}

function RunCells({ r }: { r: CatalogRunRowDto }) {
  const axis = (v: string | undefined) => (v === 'same' ? '✓' : v === 'changed' ? '≠' : '?');
  return (
    <>
      <div role="gridcell" className="cat-name" title={r.job ?? ''}>{r.job?.split('/').pop() ?? '—'}</div>
      <div role="gridcell" title={r.run}><code>{r.run.slice(0, 8)}</code></div>
      <div role="gridcell"><span className={`dot state-${r.state.toLowerCase()}`} /> {r.state.toLowerCase()}</div>
      <div role="gridcell">{r.user ?? '—'}</div>
      <div role="gridcell">{formatTime(r.startedAt)}</div>
      <div role="gridcell">{formatDuration(r.durationMs)}</div>
      <div role="gridcell" className={r.exitCode ? 'warn' : ''}>{r.exitCode ?? '—'}</div>
      <div role="gridcell" title="code · data · environment, against the setup now">
        {r.repro ? `${axis(r.repro.code)} · ${axis(r.repro.data)} · ${axis(r.repro.environment)}` : <span className="muted">—</span>}
      </div>
    </>
  );
}
