import { useEffect, useState } from 'react';
import type { VersionChoiceDto, VersionRefDto } from '../../../shared/version-diff-dto';
import { useApp } from '../../state/use-app';
import { DiffStageCard, valueText } from './DiffStageCard';
import './diff.css';

const keyOf = (r: VersionRefDto | null) => (r ? JSON.stringify([r.artifact, r.version ?? null]) : '');
const refOf = (c: VersionChoiceDto): VersionRefDto => (c.version ? { artifact: c.artifact, version: c.version } : { artifact: c.artifact });

/** A is what was asked about (or the first choice), B the one asked for, else the newest other choice. */
function defaultPicks(cs: readonly VersionChoiceDto[], a: VersionRefDto | null, b: VersionRefDto | null, artifact: string): { a: string; b: string } {
  const first = cs.find((c) => keyOf(refOf(c)) === keyOf(a)) ?? cs.find((c) => c.artifact === artifact) ?? cs[0];
  const ka = first ? keyOf(refOf(first)) : '';
  const kb = b ? keyOf(b) : [...cs].reverse().map((c) => keyOf(refOf(c))).find((k) => k !== ka);
  return { a: ka, b: kb ?? '' };
}

/**
 * "What changed between these two versions?" (issue 15): pick an artifact and two of its
 * versions (or version folders: model 3 and model 5), and see one summary line, then every
 * aligned stage along both provenance chains — code, parameters, environment, inputs — the
 * stages one side only has, and the metric files key by key. Each item links to its node.
 * Opened by `openVersionDiff(a, b)` or `openVersionPicker(artifact)`.
 */
export function VersionDiffView() {
  const view = useApp((s) => s.versionDiff);
  const openDiff = useApp((s) => s.openVersionDiff);
  const choose = useApp((s) => s.chooseDiffArtifact);
  const close = useApp((s) => s.closeVersionDiff);
  const reveal = useApp((s) => s.reveal);
  const showChains = useApp((s) => s.showChainsOnGraph);
  // What the user typed and picked, kept only while the view they were made for is on screen.
  const viewKey = `${view?.artifact}|${keyOf(view?.a ?? null)}|${keyOf(view?.b ?? null)}|${view?.choices?.length ?? -1}`;
  const [draft, setDraft] = useState<{ for: string; text: string } | null>(null);
  const [pick, setPick] = useState<{ for: string; a: string; b: string } | null>(null);
  const artifact = draft && draft.for === view?.artifact ? draft.text : (view?.artifact ?? '');
  const defaults = defaultPicks(view?.choices ?? [], view?.a ?? null, view?.b ?? null, view?.artifact ?? '');
  const a = pick?.for === viewKey ? pick.a : defaults.a;
  const b = pick?.for === viewKey ? pick.b : defaults.b;
  const setA = (v: string) => setPick({ for: viewKey, a: v, b });
  const setB = (v: string) => setPick({ for: viewKey, a, b: v });
  const setArtifact = (text: string) => setDraft({ for: view?.artifact ?? '', text });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [close]);
  if (!view) return null;
  const choices = view.choices ?? [];
  const byKey = new Map(choices.map((c) => [keyOf(refOf(c)), c]));
  const d = view.diff;
  const show = (nodeId: string) => {
    close();
    reveal(nodeId);
  };
  const compare = () => {
    const ca = byKey.get(a);
    const cb = byKey.get(b);
    if (ca && cb) void openDiff(refOf(ca), refOf(cb));
  };
  return (
    <div className="modal-backdrop" role="presentation">
      <div className="modal diff-modal" role="dialog" aria-modal="true" aria-labelledby="diff-title" data-testid="version-diff" data-phase={view.phase}>
        <h2 id="diff-title">What changed between two versions</h2>
        <form className="diff-picker" onSubmit={(e) => { e.preventDefault(); if (artifact.trim() && artifact.trim() !== view.artifact) void choose(artifact.trim()); else compare(); }}>
          <label className="inline">Artifact <input value={artifact} onChange={(e) => setArtifact(e.target.value)} onBlur={() => artifact.trim() && artifact.trim() !== view.artifact && void choose(artifact.trim())} placeholder="Models/churn/3" data-testid="diff-artifact" /></label>
          <label className="inline">A <select value={a} onChange={(e) => setA(e.target.value)} data-testid="diff-pick-a" disabled={!choices.length}>{choices.map((c) => <option key={keyOf(refOf(c))} value={keyOf(refOf(c))}>{c.label}</option>)}</select></label>
          <label className="inline">B <select value={b} onChange={(e) => setB(e.target.value)} data-testid="diff-pick-b" disabled={!choices.length}>{choices.map((c) => <option key={keyOf(refOf(c))} value={keyOf(refOf(c))}>{c.label}</option>)}</select></label>
          <button type="button" className="button primary" onClick={compare} disabled={!a || !b || a === b} data-testid="diff-compare">Compare</button>
        </form>
        {view.phase === 'loading' && <p className="running"><span className="spinner small" /> Walking both provenance chains…</p>}
        {view.error && <p className="error-text" data-testid="diff-error">{view.error}</p>}
        {d && (
          <>
            <p className="diff-heading"><code>{d.a.artifact}</code> → <code>{d.b.artifact}</code></p>
            <p className="diff-summary" data-testid="diff-summary">{d.summary}</p>
            <p><button type="button" className="button" onClick={showChains} data-testid="diff-show-chains" title="Close this view and colour what made A, what made B and what both share">Show both chains on the graph</button></p>
            <ol className="plain diff-stages">
              {d.stages.map((s) => <DiffStageCard key={`${s.a.run}:${s.b.run}`} s={s} show={show} />)}
            </ol>
            {(d.onlyA.length > 0 || d.onlyB.length > 0) && (
              <div className="diff-only" data-testid="diff-only">
                {d.onlyA.map((o) => <p key={`a${o.stage}`}>Only upstream of A: <button type="button" className="link-button" onClick={() => show(o.runs[0]!.jobNodeId ?? o.runs[0]!.nodeId)}>{o.stage}</button> <span className="muted small">({o.runs.length} {o.runs.length === 1 ? 'run' : 'runs'})</span></p>)}
                {d.onlyB.map((o) => <p key={`b${o.stage}`}>Only upstream of B: <button type="button" className="link-button" onClick={() => show(o.runs[0]!.jobNodeId ?? o.runs[0]!.nodeId)}>{o.stage}</button> <span className="muted small">({o.runs.length} {o.runs.length === 1 ? 'run' : 'runs'})</span></p>)}
              </div>
            )}
            {(d.unaligned.a.length > 0 || d.unaligned.b.length > 0) && (
              <p className="muted small">Earlier runs upstream of one side only (history, not compared): {[...d.unaligned.a, ...d.unaligned.b].map((r) => `${r.job ?? 'run'} ${r.at ? r.at.slice(0, 10) : r.run.slice(0, 8)}`).join(', ')}.</p>
            )}
            {d.outputs.length > 0 && (
              <div className="diff-outputs" data-testid="diff-outputs">
                <h3 className="section-title">Metrics</h3>
                <ul className="plain">
                  {d.outputs.map((o) => (
                    <li key={`${o.a}|${o.b}`}><code>{o.b ?? o.a}</code>: {o.changes.length ? o.changes.map(valueText).join(', ') : (o.note ?? 'the same values')}{o.moreChanges ? ` and ${o.moreChanges} more` : ''}</li>
                  ))}
                </ul>
              </div>
            )}
          </>
        )}
        <div className="modal-actions">
          <button type="button" className="button" onClick={close}>Close</button>
        </div>
      </div>
    </div>
  );
}
