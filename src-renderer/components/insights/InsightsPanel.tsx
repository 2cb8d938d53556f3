import { useEffect, useMemo, useState } from 'react';
import type { NodeKind } from '../../../shared/dto';
import type { LatestPipelineDto, MostUsedDto, WhoRanDto } from '../../../shared/lineage-dto';
import { KIND_LABEL } from '../../graph/elements';
import { KindSwatch } from '../../graph/KindSwatch';
import { useApp } from '../../state/use-app';
import { formatTime } from '../details/format';

type Answer<T> = { state: 'idle' } | { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; message: string };

const KINDS: (NodeKind | 'all')[] = ['all', 'dataset', 'feature_group', 'training_dataset', 'model', 'file'];

/**
 * The three questions the Hopsworks paper asks of provenance, answered as of the shown
 * snapshot: which artifacts are used most, which pipeline last used a dataset, and who ran a
 * pipeline successfully. Every row selects its node on the graph.
 */
export function InsightsPanel() {
  return (
    <div className="insights" data-testid="insights">
      <MostUsed />
      <LatestPipeline />
      <WhoRan />
    </div>
  );
}

function useAnswer<T>(ask: (() => Promise<T>) | null, deps: unknown[]): Answer<T> {
  const [a, setA] = useState<{ key: string; answer: Answer<T> }>({ key: '', answer: { state: 'idle' } });
  const key = JSON.stringify(deps);
  useEffect(() => {
    if (!ask) return;
    let live = true;
    ask().then(
      (value) => live && setA({ key, answer: { state: 'ready', value } }),
      (e: Error) => live && setA({ key, answer: { state: 'error', message: e.message } }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  if (!ask) return { state: 'idle' };
  return a.key === key ? a.answer : { state: 'loading' };
}

const WINDOWS: { label: string; days: number | null }[] = [
  { label: 'all time', days: null },
  { label: 'the last 7 days', days: 7 },
  { label: 'the last 30 days', days: 30 },
];

/** `{ snapshot }` when travelling, else nothing: every answer is as of what the graph shows. */
function useAt(): { snapshot?: number } {
  const snapshot = useApp((s) => s.snapshot);
  return snapshot === null ? {} : { snapshot };
}

function MostUsed() {
  const api = useApp((s) => s.api);
  const at = useAt();
  const snapshots = useApp((s) => s.snapshots);
  const snapshot = useApp((s) => s.snapshot);
  const liveUpdates = useApp((s) => s.liveUpdates);
  const reveal = useApp((s) => s.reveal);
  const [kind, setKind] = useState<NodeKind | 'all'>('all');
  const [days, setDays] = useState<number | null>(null);
  // A window ends at the shown snapshot's time (now, when live).
  const end = (snapshot === null ? snapshots.at(-1) : snapshots.find((s) => s.seq === snapshot))?.at;
  const since = days !== null && end ? new Date(Date.parse(end) - days * 86_400_000).toISOString() : null;
  const answer = useAnswer<MostUsedDto[]>(
    () => api.mostUsed({ limit: 12, ...at, ...(kind === 'all' ? {} : { kind }), ...(since ? { since } : {}) }),
    [at, kind, since, liveUpdates],
  );
  const rows = answer.state === 'ready' ? answer.value : [];
  const max = Math.max(1, ...rows.map((r) => r.readers));
  return (
    <section className="section" data-testid="insight-most-used">
      <h3 className="section-title">Most used</h3>
      <label className="inline">
        kind{' '}
        <select value={kind} onChange={(e) => setKind(e.target.value as NodeKind | 'all')} data-testid="most-used-kind">
          {KINDS.map((k) => <option key={k} value={k}>{k === 'all' ? 'any kind' : KIND_LABEL[k].toLowerCase()}</option>)}
        </select>
        {' '}over{' '}
        <select value={days ?? ''} onChange={(e) => setDays(e.target.value ? Number(e.target.value) : null)} data-testid="most-used-window">
          {WINDOWS.map((w) => <option key={w.label} value={w.days ?? ''}>{w.label}</option>)}
        </select>
      </label>
      <p className="muted small">Ranked by how many distinct runs read each one{snapshot === null ? '' : `, as of snapshot #${snapshot}`}.</p>
      <AnswerState answer={answer} empty={rows.length === 0 ? 'No run has read anything yet.' : null}>
        <ol className="bars">
          {rows.map((m) => (
            <li key={m.id}>
              <button type="button" className="bar-row" onClick={() => reveal(m.id)} title={`${m.artifact}: read by ${m.readers} runs`}>
                <KindSwatch kind={m.kind} />
                <span className="bar-label">{m.artifact}</span>
                <span className="bar" style={{ width: `${(60 * m.readers) / max}px` }} />
                <span className="num">{m.readers}</span>
              </button>
            </li>
          ))}
        </ol>
      </AnswerState>
    </section>
  );
}

function LatestPipeline() {
  const api = useApp((s) => s.api);
  const graph = useApp((s) => s.graph);
  const selectedId = useApp((s) => s.selectedId);
  const reveal = useApp((s) => s.reveal);
  const datasets = useMemo(() => (graph?.nodes ?? []).filter((n) => n.id.startsWith('artifact:') && n.kind !== 'code').map((n) => n.label).sort(), [graph]);
  const selected = graph?.nodes.find((n) => n.id === selectedId && n.id.startsWith('artifact:'))?.label;
  const [picked, setPicked] = useState<string | null>(null);
  const dataset = picked ?? selected ?? datasets[0] ?? null;
  const at = useAt();
  const answer = useAnswer<LatestPipelineDto>(dataset ? () => api.latestPipelineUsing({ dataset, ...at }) : null, [dataset, at]);
  return (
    <section className="section" data-testid="insight-latest-pipeline">
      <h3 className="section-title">Latest pipeline using a dataset</h3>
      <select className="wide" value={dataset ?? ''} onChange={(e) => setPicked(e.target.value)} aria-label="Dataset" data-testid="latest-pipeline-dataset">
        {datasets.map((d) => <option key={d} value={d}>{d}</option>)}
      </select>
      <AnswerState answer={answer} empty={null}>
        {answer.state === 'ready' && (
          <p data-testid="latest-pipeline-answer">
            {answer.value.pipelineId ? (
              <button type="button" className="link-button" onClick={() => reveal(answer.value.pipelineId!)}>{answer.value.pipeline.split('/').pop()}</button>
            ) : (
              <b>{answer.value.pipeline.split('/').pop()}</b>
            )}{' '}
            read it last, {formatTime(answer.value.at)}
            {answer.value.consumerJob && (
              <>
                {' '}— its stage{' '}
                <button type="button" className="link-button" onClick={() => reveal(`job:${answer.value.consumerJob}`)}>{answer.value.consumerJob.split('/').pop()}</button>
              </>
            )}{' '}
            <span className="muted small">(pipeline run {answer.value.run.slice(0, 8)})</span>
          </p>
        )}
      </AnswerState>
    </section>
  );
}

function WhoRan() {
  const api = useApp((s) => s.api);
  const graph = useApp((s) => s.graph);
  const reveal = useApp((s) => s.reveal);
  const pipelines = useMemo(() => {
    const ps = new Set<string>();
    for (const n of graph?.nodes ?? []) {
      if (n.pipeline) ps.add(n.pipeline);
      if (n.kind === 'job') ps.add(n.id.slice(4));
    }
    return [...ps].sort((a, b) => Number(!graph?.nodes.some((n) => n.pipeline === a)) - Number(!graph?.nodes.some((n) => n.pipeline === b)) || a.localeCompare(b));
  }, [graph]);
  const [picked, setPicked] = useState<string | null>(null);
  const pipeline = picked ?? pipelines[0] ?? null;
  const at = useAt();
  const answer = useAnswer<WhoRanDto[]>(pipeline ? () => api.whoRan({ pipeline, ...at }) : null, [pipeline, at]);
  return (
    <section className="section" data-testid="insight-who-ran">
      <h3 className="section-title">Who ran a pipeline successfully</h3>
      <select className="wide" value={pipeline ?? ''} onChange={(e) => setPicked(e.target.value)} aria-label="Pipeline" data-testid="who-ran-pipeline">
        {pipelines.map((p) => <option key={p} value={p}>{p}</option>)}
      </select>
      <AnswerState answer={answer} empty={answer.state === 'ready' && answer.value.length === 0 ? 'No successful run of its latest code version yet.' : null}>
        {answer.state === 'ready' && (
          <ul className="member-list" data-testid="who-ran-answer">
            {answer.value.map((w) => (
              <li key={w.run}>
                <button type="button" className="link-button" onClick={() => pipeline && reveal(`job:${pipeline}`)}>
                  <b>{w.user ?? 'someone'}</b> · {formatTime(w.at)}
                </button>
                {w.code && <span className="muted small"> · code {w.code.slice(0, 10)}</span>}
              </li>
            ))}
          </ul>
        )}
      </AnswerState>
    </section>
  );
}

function AnswerState<T>({ answer, empty, children }: { answer: Answer<T>; empty: string | null; children: React.ReactNode }) {
  if (answer.state === 'loading') return <p className="muted" role="status">Asking…</p>;
  if (answer.state === 'error') return <p className="muted">{answer.message}</p>;
  if (answer.state === 'idle') return <p className="muted">Nothing to ask about yet: no artifacts in the graph.</p>;
  if (empty) return <p className="muted">{empty}</p>;
  return <>{children}</>;
}
