/**
 * Generated OpenLineage workspaces for the UI benchmark and the large-graph browser tests: a
 * layered DAG of jobs and datasets the way a data platform grows one. Jobs live in team
 * namespaces with dotted names (`team3.job_00042`) and belong to pipelines (parent runs);
 * datasets live in folders (`data/raw/…`, `data/staged/…`, `features/…`, `Models/<name>/<v>`).
 * Each job runs once a day for two days, so the workspace has history to travel through.
 *
 * Deterministic for a given size and seed; the node count (jobs + datasets) is exact.
 */
import fs from 'node:fs';
import path from 'node:path';
import { seededRandom } from '../../shared/seeded-random';

export interface UiWorkspaceOptions {
  /** Graph nodes at job granularity: jobs + datasets. */
  readonly nodes: number;
  readonly seed?: number;
  /** Days of runs (every job runs once a day). */
  readonly days?: number;
  /**
   * Columns declared (schema facet, and columnLineage for the first hundred) on one dataset,
   * `wideDataset` in the report: the 1,000-column table of the "expand a node" benchmark.
   */
  readonly wideColumns?: number;
}

export interface UiWorkspaceReport {
  readonly jobs: number;
  readonly datasets: number;
  readonly events: number;
  readonly logFile: string;
  /** The dataset carrying `wideColumns` columns (its name), or null. */
  readonly wideDataset: string | null;
}

const PRODUCER = 'https://github.com/retrace/retrace/0.1.0';
const SCHEMA = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const PARENT = 'https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json';
const NS_FOLDERS = ['data/raw', 'data/staged', 'data/clean', 'features', 'reports'] as const;

/** Writes `.retrace/logs/generated.jsonl` in `dir` (creating the workspace); ingest it afterwards. */
export function writeUiWorkspace(dir: string, opts: UiWorkspaceOptions): UiWorkspaceReport {
  const rnd = seededRandom(opts.seed ?? 7);
  const pick = (n: number) => Math.floor(rnd() * n);
  const days = opts.days ?? 2;
  const jobs = Math.max(1, Math.round(opts.nodes * 0.45));
  const datasets = Math.max(1, opts.nodes - jobs);
  const teams = Math.max(2, Math.round(Math.sqrt(jobs) / 3));
  const pipelinesPerTeam = Math.max(1, Math.round(jobs / teams / 40));

  // Datasets in creation order: sources first, then one or more outputs per job.
  const dsName: string[] = [];
  const sources = Math.max(1, Math.round(datasets * 0.15));
  for (let d = 0; d < datasets; d++) {
    if (d < sources) dsName.push(`data/raw/src${d % 40}/raw_${pad(d)}.csv`);
    else if (rnd() < 0.06) dsName.push(`Models/model_${pad(d % 997, 3)}/${1 + Math.floor(d / 997)}`);
    else {
      const folder = NS_FOLDERS[1 + pick(NS_FOLDERS.length - 1)];
      dsName.push(`${folder}/area${pick(30)}/ds_${pad(d)}.parquet`);
    }
  }
  // Jobs in layers: job j writes the datasets assigned to it and reads 1–3 datasets created
  // earlier, mostly recent ones, so the DAG is deep as well as wide.
  const writes: number[][] = Array.from({ length: jobs }, () => []);
  for (let d = sources; d < datasets; d++) writes[Math.min(jobs - 1, Math.floor(((d - sources) / (datasets - sources)) * jobs))]!.push(d);
  const reads: number[][] = [];
  for (let j = 0; j < jobs; j++) {
    const firstOut = writes[j]![0] ?? datasets;
    const avail = Math.max(1, Math.min(firstOut, datasets));
    const r = new Set<number>();
    // Every source is read by someone, so each dataset is a graph node.
    if (j < sources) r.add(j);
    else if (j === jobs - 1) for (let s = jobs; s < sources; s++) r.add(s);
    const k = 1 + pick(3);
    for (let i = 0; i < k; i++) {
      const back = Math.floor(Math.abs(rnd() - rnd()) * Math.min(avail, 400));
      r.add(Math.max(0, avail - 1 - back));
    }
    reads.push([...r]);
  }

  // The wide table: the first written dataset that is not a model; its columns come from its
  // writer's first input (a hundred with lineage, the rest declared by the schema only).
  const wideIdx = opts.wideColumns ? dsName.findIndex((n, d) => d >= sources && !n.startsWith('Models/')) : -1;
  const wideFacets = (reader: string) => wideIdx < 0 ? {} : wideColumnFacets(opts.wideColumns!, reader);

  const logs = path.join(dir, '.retrace', 'logs');
  fs.mkdirSync(logs, { recursive: true });
  const logFile = path.join(logs, 'generated.jsonl');
  const fd = fs.openSync(logFile, 'w');
  let events = 0;
  let buf: string[] = [];
  const flush = () => {
    if (buf.length) fs.writeSync(fd, buf.join('\n') + '\n');
    buf = [];
  };
  const t0 = Date.UTC(2026, 0, 1, 6);
  try {
    for (let day = 0; day < days; day++) {
      for (let j = 0; j < jobs; j++) {
        const team = j % teams;
        const pipeline = `team${team}.pipeline_${Math.floor(j / teams) % pipelinesPerTeam}`;
        const at = new Date(t0 + day * 86_400_000 + j * 1000).toISOString();
        const runId = uuid(rnd);
        buf.push(JSON.stringify({
          eventType: rnd() < 0.03 ? 'FAIL' : 'COMPLETE',
          eventTime: at,
          producer: PRODUCER,
          schemaURL: SCHEMA,
          run: { runId, facets: { parent: { _producer: PRODUCER, _schemaURL: PARENT, run: { runId: pipelineRunId(team, day, pipeline) }, job: { namespace: `team${team}`, name: pipeline } } } },
          job: { namespace: `team${team}`, name: `team${team}.job_${pad(j)}`, facets: {} },
          inputs: reads[j]!.map((d) => ({ namespace: 'file', name: dsName[d]!, facets: {} })),
          outputs: writes[j]!.map((d) => ({ namespace: 'file', name: dsName[d]!, facets: d === wideIdx ? wideFacets(dsName[reads[j]![0]!]!) : {} })),
        }));
        events++;
        if (buf.length >= 2000) flush();
      }
    }
    flush();
  } finally {
    fs.closeSync(fd);
  }
  return { jobs, datasets, events, logFile, wideDataset: wideIdx < 0 ? null : dsName[wideIdx]! };
}

/** Schema facet with `n` columns, and column lineage for the first hundred from `input`. */
function wideColumnFacets(n: number, input: string): Record<string, unknown> {
  const names = Array.from({ length: n }, (_, i) => `feature_${pad(i, 4)}`);
  const lineage: Record<string, unknown> = {};
  for (const name of names.slice(0, 100)) {
    lineage[name] = { inputFields: [{ namespace: 'file', name: input, field: 'value', transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION' }] }] };
  }
  return {
    schema: { _producer: PRODUCER, _schemaURL: 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json', fields: names.map((name, i) => ({ name, type: i % 3 ? 'double' : 'long' })) },
    columnLineage: { _producer: PRODUCER, _schemaURL: 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json', fields: lineage },
  };
}

const pad = (n: number, width = 5) => String(n).padStart(width, '0');

function pipelineRunId(team: number, day: number, pipeline: string): string {
  let h = 0;
  for (const c of `${team}/${day}/${pipeline}`) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return `01900000-${pad(day, 4)}-7000-8000-${h.toString(16).padStart(12, '0').slice(-12)}`;
}

function uuid(rnd: () => number): string {
  let h = '';
  for (let i = 0; i < 16; i++) h += Math.floor(rnd() * 256).toString(16).padStart(2, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
