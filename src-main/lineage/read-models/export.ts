/**
 * Export of runs (one, a selection, or the workspace) as OpenLineage JSON lines — one RunEvent
 * per ingested event of each run, in ingest order, carrying that event's accesses, so that
 * ingesting the export rebuilds the same runs, versions and footprints — and as W3C PROV-JSON.
 */
import type { RunState } from '../../../shared/dto';
import type { LineageEngine } from './lineage-engine';
import { columnFacetsOf } from '../columns/column-export';

const PRODUCER = 'https://github.com/retrace/retrace/0.1.0';
const SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const FACET_SCHEMA = 'https://retrace.dev/spec/facets/1-0-0/RetraceFacet.json';
const OL_STATES = new Set(['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER']);
/** Hopsworks app states (kept raw in `events.event_type`) → OpenLineage event types. */
const APP_STATES: Record<string, RunState> = { FINISHED: 'COMPLETE', FAILED: 'FAIL', KILLED: 'ABORT', SUBMITTED: 'START' };

interface AccessRow {
  run_id: number; artifact_id: number; seq: number; op: string; raw_op: string; origin: string; at: number | null;
  namespace: string; name: string; path: string | null; facets: string;
  version: string; version_kind: string; size: number | null; row_count: number | null;
  from_ns: string | null; from_name: string | null; from_path: string | null;
}

/** Run ids (index ids) for RUN arguments, or every run in ingest order. */
function selectRuns(engine: LineageEngine, runs: readonly string[] | undefined): number[] {
  engine.refresh();
  if (runs && runs.length) return [...new Set(runs.map((r) => engine.catalog.resolveRun(r)))].sort((a, b) => a - b);
  return engine.db.prepare('SELECT id FROM runs ORDER BY id').pluck().all() as number[];
}

function accessesOf(engine: LineageEngine, run: number): AccessRow[] {
  return engine.db.prepare(`SELECT x.run_id, x.artifact_id, x.seq, x.op, x.raw_op, x.origin, x.at, a.namespace, a.name, a.path, a.facets,
      v.version, v.version_kind, v.size, v.row_count, f.namespace AS from_ns, f.name AS from_name, f.path AS from_path
    FROM accesses x JOIN artifacts a ON a.id = x.artifact_id JOIN artifact_versions v ON v.id = x.version_id
    LEFT JOIN artifacts f ON f.id = x.renamed_from_id WHERE x.run_id = ? ORDER BY x.id`).all(run) as AccessRow[];
}

/** OpenLineage RunEvents as JSON lines (no trailing newline per line). */
export function exportOpenLineage(engine: LineageEngine, runs?: readonly string[]): string[] {
  const ids = selectRuns(engine, runs);
  const db = engine.db;
  const runQ = db.prepare('SELECT r.*, j.namespace AS job_ns, j.name AS job_name, j.facets AS job_facets FROM runs r LEFT JOIN jobs j ON j.id = r.job_id WHERE r.id = ?');
  const endQ = db.prepare('SELECT event_seq, state FROM run_endings WHERE run_id = ?');
  const eventsQ = db.prepare('SELECT seq, event_type, event_time FROM events WHERE run_id = ? ORDER BY seq');
  const out: { seq: number; line: string }[] = [];
  for (const id of ids) {
    const r = runQ.get(id) as Record<string, unknown>;
    const ending = endQ.get(id) as { event_seq: number; state: RunState } | undefined;
    const bySeq = new Map<number, AccessRow[]>();
    for (const a of accessesOf(engine, id)) {
      const list = bySeq.get(a.seq) ?? [];
      list.push(a);
      bySeq.set(a.seq, list);
    }
    const runFacets = JSON.parse(r.facets as string) as Record<string, unknown>;
    delete runFacets.retrace_footprint;
    const job = { namespace: (r.job_ns as string | null) ?? 'default', name: (r.job_name as string | null) ?? (r.run_uuid as string) };
    const events = eventsQ.all(id) as { seq: number; event_type: string | null; event_time: number }[];
    // The schema and column-lineage facets each event carried, per dataset (stored apart from the artifact's facets).
    const columnFacets = columnFacetsOf(db, id);
    events.forEach((e, i) => {
      const type = e.seq === ending?.event_seq ? ending.state
        : e.event_type && OL_STATES.has(e.event_type) ? e.event_type
          : (e.event_type && APP_STATES[e.event_type]) ?? (i === 0 ? 'START' : 'RUNNING');
      const acc = bySeq.get(e.seq) ?? [];
      const ops = acc.filter((a) => (a.origin === 'footprint' || a.origin === 'file_op') && a.op !== 'OTHER').map((a) => ({
        path: a.path ?? a.name, op: a.op, ...(a.at !== null ? { at: new Date(a.at).toISOString() } : {}),
        ...(a.version_kind === 'hash' ? { hashAfter: a.version } : {}), ...(a.size !== null ? { size: a.size } : {}),
        ...(a.from_name !== null ? { renamedFrom: a.from_path ?? a.from_name } : {}),
      }));
      const facets: Record<string, unknown> = i === 0 ? { ...runFacets } : {};
      if (ops.length) facets.retrace_footprint = { _producer: PRODUCER, _schemaURL: FACET_SCHEMA, ops };
      const event = {
        eventType: type, eventTime: new Date(e.event_time).toISOString(), producer: PRODUCER, schemaURL: SCHEMA_URL,
        run: { runId: r.run_uuid, facets },
        job: { ...job, ...(i === 0 ? { facets: jobFacetsOfRun(engine, r) } : {}) },
        inputs: columnFacets.attach(e.seq, 'input', acc.filter((a) => a.origin === 'input').map((a) => ({ artifactId: a.artifact_id, dataset: dataset(a, false) }))),
        outputs: columnFacets.attach(e.seq, 'output', acc.filter((a) => a.origin === 'output').map((a) => ({ artifactId: a.artifact_id, dataset: dataset(a, true) }))),
      };
      out.push({ seq: e.seq, line: JSON.stringify(event) });
    });
  }
  return out.sort((a, b) => a.seq - b.seq).map((x) => x.line);
}

/**
 * The job facets as this run saw them: the job row keeps only the latest facets, so the code
 * facets are rebuilt from the run's own code version (same fields → same code hash on ingest).
 */
function jobFacetsOfRun(engine: LineageEngine, r: Record<string, unknown>): Record<string, unknown> {
  const facets = JSON.parse((r.job_facets as string | null) ?? '{}') as Record<string, unknown>;
  delete facets.sourceCodeLocation;
  delete facets.retrace_code;
  const code = r.code_version_id === null ? undefined
    : engine.db.prepare('SELECT * FROM code_versions WHERE id = ?').get(r.code_version_id) as Record<string, string | null> | undefined;
  if (code) {
    const scl: Record<string, unknown> = { _producer: PRODUCER, _schemaURL: 'https://openlineage.io/spec/facets/1-0-1/SourceCodeLocationJobFacet.json', type: 'git' };
    for (const [k, col] of [['version', 'git_sha'], ['repoUrl', 'repo_url'], ['url', 'url'], ['path', 'path'], ['branch', 'branch']] as const) {
      if (code[col] !== null && code[col] !== undefined) scl[k] = code[col];
    }
    facets.sourceCodeLocation = scl;
    const files = JSON.parse(code.files ?? '[]') as unknown[];
    if (code.dirty_diff_hash !== null || files.length) {
      facets.retrace_code = { _producer: PRODUCER, _schemaURL: FACET_SCHEMA, ...(code.dirty_diff_hash !== null ? { dirtyDiffHash: code.dirty_diff_hash } : {}), files };
    }
  }
  return facets;
}

function dataset(a: AccessRow, output: boolean): Record<string, unknown> {
  const facets = JSON.parse(a.facets) as Record<string, unknown>;
  // The artifact's latest schema is not this event's: column-export.ts puts back what the event said.
  delete facets.schema;
  if (a.version_kind === 'dataset_version' || a.version_kind === 'hash') {
    facets.version = { _producer: PRODUCER, _schemaURL: 'https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json', datasetVersion: a.version };
  }
  // Only an explicit lifecycle op is written back; otherwise ingest infers the same op again.
  if (output && a.raw_op.startsWith('lifecycle:')) {
    const change = { CREATE: 'CREATE', MODIFY: 'OVERWRITE', DELETE: 'DROP', RENAME: 'RENAME' }[a.op] ?? 'ALTER';
    facets.lifecycleStateChange = { _producer: PRODUCER, _schemaURL: 'https://openlineage.io/spec/facets/1-0-1/LifecycleStateChangeDatasetFacet.json',
      lifecycleStateChange: change, ...(a.from_ns !== null ? { previousIdentifier: { namespace: a.from_ns, name: a.from_name } } : {}) };
  }
  const stats = output && (a.size !== null || a.row_count !== null)
    ? { outputFacets: { outputStatistics: { _producer: PRODUCER, _schemaURL: 'https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json',
      ...(a.row_count !== null ? { rowCount: a.row_count } : {}), ...(a.size !== null ? { size: a.size } : {}) } } }
    : {};
  return { namespace: a.namespace, name: a.name, facets, ...stats };
}

/** W3C PROV-JSON: runs as activities, artifact versions as entities, users as agents. */
export function exportProvJson(engine: LineageEngine, runs?: readonly string[]): Record<string, unknown> {
  const ids = selectRuns(engine, runs);
  const cat = engine.catalog;
  const entity: Record<string, unknown> = {};
  const activity: Record<string, unknown> = {};
  const agent: Record<string, unknown> = {};
  const used: Record<string, unknown> = {};
  const wasGeneratedBy: Record<string, unknown> = {};
  const wasInvalidatedBy: Record<string, unknown> = {};
  const wasAssociatedWith: Record<string, unknown> = {};
  const wasInformedBy: Record<string, unknown> = {};
  let n = 0;
  const time = (t: number | null) => (t === null ? {} : { 'prov:time': new Date(t).toISOString() });
  for (const id of ids) {
    const r = cat.run(id);
    const act = `run:${r.uuid}`;
    activity[act] = {
      'prov:label': cat.jobLabelOfRun(id) ?? r.uuid, 'prov:type': 'retrace:Run', 'retrace:state': r.state,
      ...(r.startedAt !== null ? { 'prov:startTime': new Date(r.startedAt).toISOString() } : {}),
      ...(r.endedAt !== null ? { 'prov:endTime': new Date(r.endedAt).toISOString() } : {}),
    };
    if (r.user) {
      agent[`user:${r.user}`] = { 'prov:type': 'prov:Person', 'prov:label': r.user };
      wasAssociatedWith[`_:assoc${++n}`] = { 'prov:activity': act, 'prov:agent': `user:${r.user}` };
    }
    if (r.parentUuid) wasInformedBy[`_:inf${++n}`] = { 'prov:informed': act, 'prov:informant': `run:${r.parentUuid}` };
    for (const a of accessesOf(engine, id)) {
      if (a.op === 'OTHER') continue;
      const ent = `artifact:${a.namespace}/${a.name}@${a.version}`;
      const kind = cat.artifact(a.artifact_id).kind;
      entity[ent] ??= { 'prov:label': a.path ?? `${a.namespace}/${a.name}`, 'prov:type': `retrace:${kind}`, 'retrace:version': a.version };
      if (a.op === 'READ') used[`_:use${++n}`] = { 'prov:activity': act, 'prov:entity': ent, ...time(a.at) };
      else if (a.op === 'DELETE') wasInvalidatedBy[`_:inv${++n}`] = { 'prov:entity': ent, 'prov:activity': act, ...time(a.at) };
      else wasGeneratedBy[`_:gen${++n}`] = { 'prov:entity': ent, 'prov:activity': act, ...time(a.at) };
    }
  }
  return {
    prefix: { retrace: 'https://retrace.dev/ns/prov#', run: 'urn:retrace:run:', artifact: 'urn:retrace:artifact:', user: 'urn:retrace:user:' },
    entity, activity, agent, used, wasGeneratedBy, wasInvalidatedBy, wasAssociatedWith, wasInformedBy,
  };
}
