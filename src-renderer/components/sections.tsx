import { useState, type ReactNode } from 'react';
import { FOOTPRINT_CLASSES, type FootprintClass, type FootprintDto, type StalenessDto, type UpstreamDto } from '../../shared/lineage-dto';
import type { AxisVerdict, ReproReportDto } from '../../shared/repro-dto';
import type { TableCommitDto } from '../../shared/table-dto';
import { useApp } from '../state/use-app';

/** Small building blocks of the details panel: each one shows one answer of the API. */

export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="section" data-testid={testId}>
      <h3 className="section-title">{title}</h3>
      {children}
    </section>
  );
}

const CLASS_LABEL: Record<FootprintClass, string> = {
  INPUT: 'Read',
  OUTPUT_ADDED: 'Created',
  OUTPUT_MODIFIED: 'Modified',
  OUTPUT_REMOVED: 'Deleted',
  OUTPUT_TMP: 'Temporary',
};

/** The five footprint classes with counts; click one to list its artifacts. */
export function FootprintView({ fp }: { fp: FootprintDto }) {
  const [open, setOpen] = useState<FootprintClass | null>(null);
  const rolled = fp.artifacts;
  return (
    <div className="footprint" data-testid="footprint">
      <div className="class-row">
        {FOOTPRINT_CLASSES.map((c) => (
          <button
            key={c}
            type="button"
            className={`class-chip fp-${c.toLowerCase()} ${open === c ? 'open' : ''}`}
            disabled={rolled[c].length === 0}
            onClick={() => setOpen(open === c ? null : c)}
            title={`${CLASS_LABEL[c]}: ${rolled[c].length} artifact(s), ${fp.classes[c].length} file(s)`}
          >
            <b>{rolled[c].length}</b> {CLASS_LABEL[c]}
          </button>
        ))}
      </div>
      {open && (
        <ul className="path-list">
          {rolled[open].slice(0, 50).map((a) => (
            <li key={a}>
              <code>{a}</code>
            </li>
          ))}
          {rolled[open].length > 50 && <li className="muted">… {rolled[open].length - 50} more</li>}
        </ul>
      )}
    </div>
  );
}

const AXIS_TEXT: Record<AxisVerdict, string> = { same: 'unchanged', changed: 'changed', unknown: 'not recorded' };

/** The three-axis reproducibility verdict and its warnings. */
export function ReproView({ repro }: { repro: ReproReportDto }) {
  return (
    <div data-testid="repro">
      <div className="axes">
        {(['code', 'data', 'environment'] as const).map((axis) => (
          <span key={axis} className={`axis axis-${repro.axes[axis]}`} title={`${axis}: ${AXIS_TEXT[repro.axes[axis]]}`}>
            {axis === 'environment' ? 'Env' : axis === 'code' ? 'Code' : 'Data'} {repro.axes[axis] === 'same' ? '✓' : repro.axes[axis] === 'changed' ? '!' : '?'}
          </span>
        ))}
      </div>
      {repro.warnings.length === 0 ? (
        <p className="ok-text">Reproducible: code, data and environment match this run.</p>
      ) : (
        <ul className="warnings">
          {repro.warnings.map((w, i) => (
            <li key={i} className={`warning warning-${w.code.toLowerCase()}`}>
              <span className="warning-code">{w.code.replace(/_/g, ' ').toLowerCase()}</span>
              {w.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function StalenessView({ s }: { s: StalenessDto }) {
  if (!s.stale) return <p className="ok-text">Up to date: nothing it was made from has changed.</p>;
  return (
    <ul className="warnings" data-testid="staleness">
      {s.reasons.map((r, i) => (
        <li key={i} className="warning">
          <span className="warning-code">{r.code.replace(/_/g, ' ').toLowerCase()}</span>
          {r.message}
        </li>
      ))}
    </ul>
  );
}

/** "Where did this come from": the producing runs back to the sources. */
export function UpstreamView({ up }: { up: UpstreamDto }) {
  if (up.runs.length === 0) return <p className="muted">A source: no recorded run produced this version.</p>;
  return (
    <ol className="upstream" data-testid="upstream">
      {up.runs.map((r) => (
        <li key={r.run} style={{ marginLeft: (r.depth - 1) * 12 }}>
          <div>
            <b>{r.job?.split('/').pop() ?? r.run.slice(0, 8)}</b> <span className={`state state-${r.state.toLowerCase()}`}>{r.state.toLowerCase()}</span>
            {r.user && <span className="muted"> · {r.user}</span>}
            {r.at && <span className="muted"> · {new Date(r.at).toLocaleString()}</span>}
          </div>
          {r.inputs.length > 0 && (
            <div className="muted small">
              read {r.inputs.slice(0, 4).map((i) => i.artifact.split('/').pop()).join(', ')}
              {r.inputs.length > 4 ? ` and ${r.inputs.length - 4} more` : ''}
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}

export function TableHistoryView({ commits }: { commits: TableCommitDto[] }) {
  return (
    <table className="commits" data-testid="table-history">
      <thead>
        <tr>
          <th>v</th>
          <th>when</th>
          <th>operation</th>
          <th title="rows inserted / updated / deleted">+ / ~ / −</th>
        </tr>
      </thead>
      <tbody>
        {[...commits].reverse().slice(0, 20).map((c) => (
          <tr key={c.version}>
            <td>{c.version}</td>
            <td>{new Date(c.timestamp).toLocaleDateString()}</td>
            <td>{c.operation}</td>
            <td className="num">
              {c.rowsInserted} / {c.rowsUpdated} / {c.rowsDeleted}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The first rows of a Delta table at a chosen version, with what that commit changed. */
export function TablePreview({ artifact, commits }: { artifact: string; commits: TableCommitDto[] }) {
  const preview = useApp((s) => s.tablePreview);
  const previewTable = useApp((s) => s.previewTable);
  const newest = commits.at(-1)?.version ?? 0;
  const shown = preview?.page.version;
  return (
    <div data-testid="table-preview">
      <label className="inline">
        Rows at version{' '}
        <select value={shown ?? ''} onChange={(e) => void previewTable(artifact, Number(e.target.value))}>
          {shown === undefined && <option value="">choose…</option>}
          {[...commits].reverse().map((c) => (
            <option key={c.version} value={c.version}>
              v{c.version}
              {c.version === newest ? ' (latest)' : ''}
            </option>
          ))}
        </select>
      </label>
      {preview && (
        <>
          {preview.diff && (
            <p className="muted small">
              v{preview.page.version} changed {preview.diff.counts.inserted} inserted, {preview.diff.counts.updated} updated, {preview.diff.counts.deleted} deleted rows.
            </p>
          )}
          <div className="table-scroll">
            <table className="rows">
              <thead>
                <tr>{preview.page.columns.map((c) => <th key={c.name} title={c.type}>{c.name}</th>)}</tr>
              </thead>
              <tbody>
                {preview.page.rows.map((r, i) => (
                  <tr key={i}>{preview.page.columns.map((c) => <td key={c.name}>{formatCell(r[c.name])}</td>)}</tr>
                ))}
              </tbody>
            </table>
          </div>
          {preview.page.hasMore && <p className="muted small">First {preview.page.rows.length} rows; `retrace table read` prints all.</p>}
        </>
      )}
    </div>
  );
}

function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '∅';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
