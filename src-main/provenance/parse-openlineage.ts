/**
 * OpenLineage RunEvent / JobEvent / DatasetEvent → normalised record (spec 2-0-x and 1-0-x).
 * Liberal in what it accepts, exact in what it reports: every accepted deviation adds a
 * warning kind; only what cannot be placed is rejected (one sentence naming the field).
 */
import type { RunState } from '../../shared/dto';
import {
  type DatasetRef,
  type Facets,
  type ParseResult,
  type WarningKind,
  RUN_STATES,
  fieldReason,
  isPlainObject,
  jsonType,
  reject,
} from './records';
import { parseEpoch, parseIsoTime } from './time';

/** Core spec versions that were published (openlineage.io/spec/<v>/OpenLineage.json). */
const PUBLISHED_CORE = new Set(['1-0-0', '1-0-1', '1-0-2', '1-0-3', '1-0-4', '1-0-5', '2-0-0', '2-0-1', '2-0-2']);
const SCHEMA_URL_RE = /^https?:\/\/openlineage\.io\/spec\/(\d+-\d+-\d+)\/OpenLineage\.json(#.*)?$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseOpenLineage(ev: Record<string, unknown>): ParseResult {
  const warnings: WarningKind[] = [];
  if (!('run' in ev) && !('job' in ev) && !('dataset' in ev)) {
    return reject('The object has none of "run", "job" or "dataset", so it is not an OpenLineage event.');
  }
  const time = readEventTime(ev.eventTime, warnings);
  if (typeof time === 'string') return reject(time);

  const specVersion = checkEnvelope(ev, warnings);

  if ('run' in ev) {
    const run = ev.run;
    if (!isPlainObject(run)) return reject(fieldReason('run', run, 'an object', 'the event cannot be placed in a run'));
    const runId = run.runId;
    if (typeof runId !== 'string' || runId.trim() === '') return reject(fieldReason('run.runId', runId, 'a string', 'the event cannot be placed in a run'));
    if (!UUID_RE.test(runId)) warnings.push('non_uuid_run_id');
    const job = readJob(ev.job, warnings);
    if (typeof job === 'string') return reject(job);
    const eventType = readEventType(ev.eventType, warnings);
    if (eventType === null) {
      return reject(typeof ev.eventType === 'string'
        ? `Field "eventType" is ${JSON.stringify(ev.eventType).slice(0, 40)}, not one of ${RUN_STATES.join(', ')}.`
        : `Field "eventType" must be a string, got ${jsonType(ev.eventType)}, so the run state is unknown.`);
    }
    if (eventType === 'RUNNING' && specVersion?.startsWith('1-')) warnings.push('running_in_1_0_x');
    const inputs = readDatasets(ev.inputs, 'inputFacets', warnings);
    const outputs = readDatasets(ev.outputs, 'outputFacets', warnings);
    if (inputs.some((i) => outputs.some((o) => o.namespace === i.namespace && o.name === i.name))) {
      warnings.push('dataset_both_input_and_output');
    }
    return {
      ok: true,
      warnings,
      record: {
        kind: 'ol_run',
        runId,
        eventType,
        eventTime: time,
        jobNamespace: job.namespace,
        jobName: job.name,
        runFacets: readFacets(run.facets, warnings),
        jobFacets: job.facets,
        inputs,
        outputs,
      },
    };
  }
  if ('job' in ev) {
    const job = readJob(ev.job, warnings);
    if (typeof job === 'string') return reject(job);
    warnings.push('job_event');
    return {
      ok: true,
      warnings,
      record: {
        kind: 'ol_job',
        eventTime: time,
        jobNamespace: job.namespace,
        jobName: job.name,
        jobFacets: job.facets,
        inputs: readDatasets(ev.inputs, 'inputFacets', warnings),
        outputs: readDatasets(ev.outputs, 'outputFacets', warnings),
      },
    };
  }
  // Neither "run" nor "job": the first check leaves only a DatasetEvent.
  const ds = readDataset(ev.dataset, 'facets', warnings);
  if (!ds) return reject('Field "dataset" has no namespace and name, so the DatasetEvent cannot be placed.');
  warnings.push('dataset_event');
  return { ok: true, warnings, record: { kind: 'ol_dataset', eventTime: time, dataset: ds } };
}

function readEventTime(v: unknown, warnings: WarningKind[]): number | string {
  if (v === undefined || v === null) return 'Field "eventTime" is missing, so the event cannot be placed in time.';
  if (typeof v === 'number') {
    const ms = parseEpoch(v);
    if (ms === null) return `Field "eventTime" is the number ${v}, which is not a time.`;
    warnings.push('time_as_number');
    return ms;
  }
  if (typeof v !== 'string') return `Field "eventTime" must be a string (ISO-8601) or epoch milliseconds, got ${jsonType(v)}, so the event cannot be placed in time.`;
  const t = parseIsoTime(v);
  if (!t) return `Field "eventTime" is ${JSON.stringify(v.slice(0, 60))}, which is not an ISO-8601 date-time.`;
  if (t.assumedUtc) warnings.push('time_without_zone');
  return t.ms;
}

/** Returns the declared core spec version when it resolves; counts envelope deviations. */
function checkEnvelope(ev: Record<string, unknown>, warnings: WarningKind[]): string | null {
  if (typeof ev.producer !== 'string' || ev.producer === '') warnings.push('missing_producer');
  const url = ev.schemaURL;
  if (typeof url !== 'string' || url === '') {
    warnings.push('missing_schema_url');
    return null;
  }
  const m = SCHEMA_URL_RE.exec(url);
  if (!m || !PUBLISHED_CORE.has(m[1]!)) {
    warnings.push('unresolvable_schema_url');
    return null;
  }
  return m[1]!;
}

function readEventType(v: unknown, warnings: WarningKind[]): RunState | null {
  if (v === undefined || v === null) {
    // eventType is optional in the spec; such an event only adds facets and datasets.
    warnings.push('missing_event_type');
    return 'OTHER';
  }
  return (RUN_STATES as readonly unknown[]).includes(v) ? (v as RunState) : null;
}

function readJob(v: unknown, warnings: WarningKind[]): { namespace: string; name: string; facets: Facets } | string {
  if (!isPlainObject(v)) return fieldReason('job', v, 'an object', 'the event has no job name');
  if (typeof v.name !== 'string' || v.name.trim() === '') return fieldReason('job.name', v.name, 'a string', 'the event has no job name');
  let namespace = v.namespace;
  if (typeof namespace !== 'string' || namespace === '') {
    warnings.push('missing_job_namespace');
    namespace = 'default';
  }
  return { namespace: namespace as string, name: v.name, facets: readFacets(v.facets, warnings) };
}

function readFacets(v: unknown, warnings: WarningKind[]): Facets {
  if (v === undefined || v === null) return {};
  if (!isPlainObject(v)) {
    warnings.push('invalid_facet');
    return {};
  }
  const out: Facets = {};
  for (const [k, f] of Object.entries(v)) {
    // A facet must be an object; a malformed one is dropped, the rest of the event kept.
    if (isPlainObject(f)) out[k] = f;
    else warnings.push('invalid_facet');
  }
  return out;
}

function readDatasets(v: unknown, ioKey: 'inputFacets' | 'outputFacets', warnings: WarningKind[]): DatasetRef[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    warnings.push('invalid_dataset');
    return [];
  }
  const out: DatasetRef[] = [];
  for (const d of v) {
    const ds = readDataset(d, ioKey, warnings);
    if (ds) out.push(ds);
  }
  return out;
}

function readDataset(d: unknown, ioKey: 'inputFacets' | 'outputFacets' | 'facets', warnings: WarningKind[]): DatasetRef | null {
  if (!isPlainObject(d) || typeof d.name !== 'string' || d.name === '') {
    warnings.push('invalid_dataset');
    return null;
  }
  let namespace = d.namespace;
  if (typeof namespace !== 'string' || namespace === '') {
    warnings.push('invalid_dataset');
    namespace = 'default';
  }
  return {
    namespace: namespace as string,
    name: d.name,
    facets: readFacets(d.facets, warnings),
    ioFacets: ioKey === 'facets' ? {} : readFacets(d[ioKey], warnings),
  };
}
