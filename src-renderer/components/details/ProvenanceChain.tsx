import type { UpstreamDto, UpstreamRunDto } from '../../../shared/lineage-dto';
import { useApp } from '../../state/use-app';
import { formatTime } from './format';

/**
 * "Where it came from", compact: each stage once (nearest first), with how many of its runs
 * took part, the newest one's time and user, and what it read; names are links to their nodes.
 */
export function ProvenanceChain({ up }: { up: UpstreamDto }) {
  const reveal = useApp((s) => s.reveal);
  const graph = useApp((s) => s.graph);
  if (up.runs.length === 0) return <p className="muted">A source: no recorded run produced this version.</p>;
  const byLabel = new Map(graph?.nodes.map((n) => [n.label, n.id]) ?? []);
  const stages = new Map<string, UpstreamRunDto[]>();
  for (const r of [...up.runs].sort((a, b) => a.depth - b.depth)) {
    const key = r.job ?? `run ${r.run.slice(0, 8)}`;
    stages.set(key, [...(stages.get(key) ?? []), r]);
  }
  const link = (label: string, id: string | undefined) =>
    id ? <button type="button" className="link-button" onClick={() => reveal(id)} title={label}>{label.split('/').pop()}</button> : <span title={label}>{label.split('/').pop()}</span>;
  return (
    <ol className="chain" data-testid="upstream">
      {[...stages].map(([job, runs]) => {
        const newest = runs.reduce((a, b) => ((a.at ?? '') > (b.at ?? '') ? a : b));
        const inputs = [...new Set(runs.flatMap((r) => r.inputs.map((i) => i.artifact)))];
        const failed = runs.some((r) => r.state === 'FAIL' || r.state === 'ABORT');
        return (
          <li key={job} className="chain-stage">
            <div>
              <span className={`dot state-${newest.state.toLowerCase()}`} /> <b>{runs[0]!.job ? link(job, `job:${job}`) : job}</b>
              <span className="muted small">
                {' '}· {runs.length} {runs.length === 1 ? 'run' : 'runs'} · {formatTime(newest.at)}
                {newest.user ? ` · ${newest.user}` : ''}
                {failed ? ' · a run failed' : ''}
              </span>
            </div>
            {inputs.length > 0 && (
              <div className="chain-inputs small">
                <span className="muted">read </span>
                {inputs.slice(0, 6).map((a, i) => (
                  <span key={a}>{i > 0 ? ', ' : ''}{link(a, byLabel.get(a))}</span>
                ))}
                {inputs.length > 6 && <span className="muted"> and {inputs.length - 6} more</span>}
              </div>
            )}
          </li>
        );
      })}
      {up.sources.length > 0 && (
        <li className="chain-stage muted small">
          sources: {up.sources.slice(0, 8).map((s, i) => <span key={s.artifact}>{i > 0 ? ', ' : ''}{link(s.artifact, byLabel.get(s.artifact))}</span>)}
          {up.sources.length > 8 ? ` and ${up.sources.length - 8} more` : ''}
        </li>
      )}
    </ol>
  );
}
