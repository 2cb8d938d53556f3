import type { ValueChangeDto } from '../../../shared/rerun-dto';
import type { InputDiffDto, RunRefDto, StageDiffDto } from '../../../shared/version-diff-dto';

/**
 * One aligned stage of a version diff: the two runs compared, then what differs — code (with
 * the unified diff), parameters, environment, inputs — each item linked to its node on the graph.
 */
export function DiffStageCard({ s, show }: { s: StageDiffDto; show(nodeId: string): void }) {
  return (
    <li className={`diff-stage ${s.same ? 'same' : 'differs'}`} data-testid="diff-stage" data-stage={s.stage}>
      <div className="diff-stage-head">
        <b>{s.stage}</b>
        {s.same && <span className="muted small">no difference of its own</span>}
        <span className="diff-runs small">
          <RunLink r={s.a} show={show} /> <span className="muted">→</span> <RunLink r={s.b} show={show} />
        </span>
      </div>
      {s.code.changed && (
        <div className="diff-axis" data-testid="diff-code">
          <span className="diff-axis-name">Code</span>
          {s.code.files.length === 0 && <span>git <code>{s.code.gitA?.slice(0, 7)}</code> → <code>{s.code.gitB?.slice(0, 7)}</code></span>}
          {s.code.files.map((f) => (
            <details key={f.path} className="diff-file" open>
              <summary>
                <code>{f.path}</code> {f.added !== null ? <span><span className="diff-add">+{f.added}</span> <span className="diff-del">−{f.removed}</span></span> : <span className="muted">{f.change}</span>}
              </summary>
              {f.diff ? <UnifiedDiff text={f.diff} /> : <p className="muted small">{f.note}</p>}
            </details>
          ))}
        </div>
      )}
      {(s.parameters.args.length > 0 || s.parameters.configs.length > 0) && (
        <div className="diff-axis" data-testid="diff-parameters">
          <span className="diff-axis-name">Parameters</span>
          <ul className="plain">
            {s.parameters.args.map((a) => (
              <li key={a.position}>argv[{a.position}] <code>{a.a ?? '(none)'}</code> → <code>{a.b ?? '(none)'}</code></li>
            ))}
            {s.parameters.configs.map((c) => (
              <li key={c.file}><code>{c.file}</code>: {c.changes.length ? c.changes.map(valueText).join(', ') : c.note}{c.moreChanges ? ` and ${c.moreChanges} more` : ''}</li>
            ))}
          </ul>
        </div>
      )}
      {!s.environment.same && (
        <div className="diff-axis" data-testid="diff-environment">
          <span className="diff-axis-name">Environment</span>
          <span className="warn">{s.environment.summary}</span>
        </div>
      )}
      {s.inputs.length > 0 && (
        <div className="diff-axis" data-testid="diff-inputs">
          <span className="diff-axis-name">Inputs</span>
          <ul className="plain">
            {s.inputs.map((i) => <InputRow key={i.artifact + (i.artifactA ?? '')} i={i} show={show} />)}
          </ul>
          {s.sameInputs > 0 && <span className="muted small">{s.sameInputs} more read in the very same version</span>}
        </div>
      )}
    </li>
  );
}

function InputRow({ i, show }: { i: InputDiffDto; show(nodeId: string): void }) {
  const mark = i.change === 'only-b' ? '+' : i.change === 'only-a' ? '−' : '~';
  const why = i.cause === 'upstream' ? `follows from ${i.producedByB?.job ?? 'upstream'}` : i.cause === 'own-history' ? 'the state it updates' : null;
  return (
    <li className={`diff-input cause-${i.cause}`} data-change={i.change} data-cause={i.cause}>
      <span className="diff-mark" aria-hidden="true">{mark}</span>{' '}
      <button type="button" className="link-button" onClick={() => show(i.nodeId)} title="Show on the graph">{i.artifactA ? `${i.artifactA} → ${i.artifact}` : i.artifact}</button>{' '}
      <span className="muted">{i.change === 'changed' ? `${i.versionA} → ${i.versionB}` : i.change === 'only-b' ? `only in B (${i.versionB})` : `only in A (${i.versionA})`}</span>
      {why && <span className="muted small"> · {why}</span>}
      {i.table && (
        <div className="small">
          {i.table.commits.length} {i.table.commits.length === 1 ? 'commit' : 'commits'} between:{' '}
          {i.table.commits.map((c) => `v${c.version} ${c.operation.toLowerCase()} (+${c.rowsInserted} ~${c.rowsUpdated} −${c.rowsDeleted} rows)`).join(', ')}
          {i.table.note && <span className="muted"> — {i.table.note}</span>}
        </div>
      )}
      {i.file?.changes && i.file.changes.length > 0 && <div className="small muted">{i.file.changes.slice(0, 4).map(valueText).join(', ')}{i.file.changes.length + (i.file.moreChanges ?? 0) > 4 ? ` and ${i.file.changes.length + (i.file.moreChanges ?? 0) - 4} more` : ''}</div>}
      {i.file?.diff && <details className="diff-file"><summary className="small">+{i.file.added} −{i.file.removed} lines</summary><UnifiedDiff text={i.file.diff} /></details>}
    </li>
  );
}

function RunLink({ r, show }: { r: RunRefDto; show(nodeId: string): void }) {
  return (
    <button type="button" className="link-button" onClick={() => show(r.jobNodeId ?? r.nodeId)} title={`Run ${r.run}`}>
      {r.at ? r.at.replace('T', ' ').slice(0, 16) : r.run.slice(0, 8)}
    </button>
  );
}

export function UnifiedDiff({ text }: { text: string }) {
  return (
    <pre className="unified-diff" data-testid="unified-diff">
      {text.trimEnd().split('\n').map((l, k) => (
        <span key={k} className={`line ${l.startsWith('@@') ? 'hunk' : l.startsWith('+') && !l.startsWith('+++') ? 'add' : l.startsWith('-') && !l.startsWith('---') ? 'del' : ''}`}>{l || ' '}</span>
      ))}
    </pre>
  );
}

export function valueText(c: ValueChangeDto): string {
  return c.change === 'added' ? `${c.key} added (${c.after})` : c.change === 'removed' ? `${c.key} removed (${c.before})` : `${c.key} ${c.before} → ${c.after}`;
}
