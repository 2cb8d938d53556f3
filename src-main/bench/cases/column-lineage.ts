import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../db/open-db';
import { columnLineage, datasetColumns } from '../../lineage/columns/column-answers';
import { ColumnsService } from '../../lineage/columns/columns-service';
import { LineageEngine } from '../../lineage/read-models/lineage-engine';
import { synthColumns } from '../../lineage/synthetic/synth-columns';
import { ingestOnce } from '../../provenance/ingest';
import { synthLines } from '../../provenance/synth';
import { ensureWorkspace } from '../../workspace/workspace-paths';
import { seededRandom } from '../../../shared/seeded-random';
import { type BenchContext, type BenchMetric, nowMs, percentile } from '../bench-case';

/**
 * Column lineage (issue 19), part of `retrace bench lineage`: upstream / downstream latency on
 * a generated workspace of 10,000 datasets × 100 columns over 100,000 runs (`--quick`: 1,000 ×
 * 100 over 5,000), now and as of a snapshot before every dataset's facet changed; a 1,000-column
 * dataset's columns as the inspector asks for them; and ingest with the columnLineage facet
 * against the same events without it.
 */
export async function columnLineageMetrics(ctx: BenchContext): Promise<BenchMetric[]> {
  const out: BenchMetric[] = [];
  const add = (name: string, value: number, unit: string, goal?: { max?: number; min?: number; text: string }, note?: string) =>
    out.push({ name: `columns: ${name}`, value: Math.round(value * 1000) / 1000, unit,
      ...(goal ? { goal: goal.text, met: goal.max !== undefined ? value <= goal.max : value >= goal.min! } : {}), ...(note ? { note } : {}) });
  await queries(ctx, add);
  ingestRates(ctx, add);
  return out;
}

type Add = (name: string, value: number, unit: string, goal?: { max?: number; min?: number; text: string }, note?: string) => void;

async function queries(ctx: BenchContext, add: Add): Promise<void> {
  const runs = ctx.quick ? 5_000 : 100_000;
  const stages = 20;
  const datasets = ctx.quick ? 1_000 : 10_000;
  const samples = ctx.quick ? 200 : 1_000;
  const paths = ensureWorkspace(path.join(ctx.tmpDir, 'columns-bench'));
  const db = openDb(paths.dbFile);
  try {
    let t = nowMs();
    const gen = synthColumns(db, { runs, datasets, columns: 100, stages, wide: 1000 });
    add('generate workspace (rows)', (nowMs() - t) / 1000, 's', undefined,
      `${gen.datasets} datasets × 100 columns, ${gen.runs} runs, ${gen.facets} facets, ${gen.texts} distinct bodies, ${gen.edges} edges`);
    ctx.log(`columns: generated ${gen.runs} runs over ${gen.datasets} datasets`);
    const engine = LineageEngine.open(db);
    const svc = new ColumnsService(engine, { workspaceRoot: paths.root });
    const rnd = seededRandom(5);
    const pipelines = Math.floor(datasets / stages);
    const pick = () => ({ dataset: `bench/p${Math.floor(rnd() * pipelines)}.s${1 + Math.floor(rnd() * (stages - 1))}`, column: `c${Math.floor(rnd() * 99)}` });
    t = nowMs();
    await columnLineage(svc, { ...pick(), direction: 'upstream' });
    add('first query (loads facets, parses lineage)', nowMs() - t, 'ms', undefined, `${svc.facets.rows} facet rows, ${svc.datasets.size} datasets`);

    const time = async (n: number, fn: () => Promise<number>): Promise<{ ms: number[]; sizes: number[] }> => {
      const ms: number[] = [];
      const sizes: number[] = [];
      for (let i = 0; i < n; i++) {
        const s = nowMs();
        sizes.push(await fn());
        ms.push(nowMs() - s);
      }
      return { ms, sizes };
    };
    const snaps = engine.listSnapshots().length;
    const half = Math.floor(snaps / 2) - 1;
    for (const [direction, at, label] of [['upstream', undefined, 'upstream now'], ['downstream', undefined, 'downstream now'], ['upstream', half, 'upstream as of a past snapshot'], ['downstream', half, 'downstream as of a past snapshot']] as const) {
      const req = () => ({ ...pick(), direction, ...(at !== undefined ? { snapshot: at } : {}) });
      await time(20, async () => (await columnLineage(svc, req())).columns.length); // JIT and view warm-up
      const r = await time(samples, async () => (await columnLineage(svc, req())).columns.length);
      const goal = at === undefined ? { max: 10, text: '≤ 10 ms' } : undefined;
      add(`${label} p50`, percentile(r.ms, 50), 'ms');
      add(`${label} p95`, percentile(r.ms, 95), 'ms', goal, `full DTO; columns reached p50 ${percentile(r.sizes, 50)}, p95 ${percentile(r.sizes, 95)}, max ${Math.max(...r.sizes)}`);
    }
    // What the inspector asks when a 1,000-column node opens: the first page, cold, then again.
    const wideAsk = async (limit: number) => (await datasetColumns(svc, { dataset: gen.wideDataset, limit })).columns.length;
    t = nowMs();
    await wideAsk(200);
    add('1,000-column dataset: first page of 200 columns, first ask', nowMs() - t, 'ms', { max: 50, text: '≤ 50 ms (the lead\'s first paint ≤ 200 ms)' });
    add('1,000-column dataset: a page of 200, asked again p50', percentile((await time(20, () => wideAsk(200))).ms, 50), 'ms');
    add('1,000-column dataset: all 1,000 columns p50', percentile((await time(20, () => wideAsk(1000))).ms, 50), 'ms', undefined, 'each with its inputs and history');
  } finally {
    db.close();
  }
}

/** The same events with and without a 100-column columnLineage facet on every output, ingested end to end. */
function ingestRates(ctx: BenchContext, add: Add): void {
  const events = ctx.quick ? 4_000 : 20_000;
  const base = [...synthLines({ events, datasets: 10_000, seed: 7 })];
  const rate = (name: string, withLineage: boolean): { perSec: number; mbPerSec: number; bytes: number; beyondParseUs: number } => {
    const paths = ensureWorkspace(path.join(ctx.tmpDir, `columns-ingest-${name}`));
    const file = path.join(paths.logsDir, 'bench.jsonl');
    const fd = fs.openSync(file, 'w');
    let bytes = 0;
    for (const line of base) {
      const text = decorate(line, withLineage) + '\n';
      bytes += fs.writeSync(fd, text);
    }
    fs.closeSync(fd);
    // What merely reading the lines and JSON.parse-ing them costs (the facet makes lines ~5× longer).
    let t = nowMs();
    for (const l of fs.readFileSync(file, 'utf8').split('\n')) if (l) JSON.parse(l);
    const parseMs = nowMs() - t;
    const db = openDb(paths.dbFile);
    try {
      t = nowMs();
      const r = ingestOnce({ paths, db });
      const ms = nowMs() - t;
      return { perSec: (r.events / ms) * 1000, mbPerSec: bytes / 2 ** 20 / (ms / 1000), bytes, beyondParseUs: ((ms - parseMs) * 1000) / r.events };
    } finally {
      db.close();
    }
  };
  ctx.log(`columns: ingesting ${events} events without and with column lineage`);
  const without = rate('without', false);
  const withIt = rate('with', true);
  const beyond = (r: typeof without) => `${r.beyondParseUs.toFixed(0)} µs/event beyond reading + JSON.parse`;
  add('ingest without columnLineage', without.perSec, 'events/s', undefined, `schema facets only; ${(without.bytes / events).toFixed(0)} B/event, ${without.mbPerSec.toFixed(1)} MiB/s, ${beyond(without)}`);
  add('ingest with columnLineage', withIt.perSec, 'events/s', undefined, `100 columns per output, Spark-style transformations; ${(withIt.bytes / events).toFixed(0)} B/event, ${withIt.mbPerSec.toFixed(1)} MiB/s, ${beyond(withIt)}`);
  add('ingest rate with / without the facet', (withIt.perSec / without.perSec) * 100, '%', { min: 80, text: '≥ 80 %' },
    `bytes/s with / without ${((withIt.mbPerSec / without.mbPerSec) * 100).toFixed(0)} %`);
}

/** Adds a schema facet (both variants) and a columnLineage facet (one) to every output of a synthetic event. */
function decorate(line: string, withLineage: boolean): string {
  const ev = JSON.parse(line) as { outputs?: { name: string; facets?: Record<string, unknown> }[] };
  if (!ev.outputs?.length) return line;
  for (const o of ev.outputs) {
    const d = Number(/ds(\d+)/.exec(o.name)?.[1] ?? 0);
    const up = `data/area${(d + 1) % 50}/ds${(d * 7 + 1) % 10_000}.parquet`;
    const cols = Array.from({ length: 100 }, (_, j) => `c${j}`);
    const facets: Record<string, unknown> = { ...o.facets, schema: { _producer: 'bench', _schemaURL: 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json', fields: cols.map((name) => ({ name, type: 'double' })) } };
    if (withLineage) {
      const field = (c: string, type: string, subtype: string) => ({ namespace: 'file', name: up, field: c, transformations: [{ type, subtype, description: '', masking: false }] });
      facets.columnLineage = {
        _producer: 'bench', _schemaURL: 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json',
        fields: Object.fromEntries(cols.map((c, j) => [c, { inputFields: [field(c, 'DIRECT', j % 10 === 0 ? 'AGGREGATION' : 'IDENTITY')] }])),
        dataset: [field('c0', 'INDIRECT', 'JOIN')],
      };
    }
    o.facets = facets;
  }
  return JSON.stringify(ev);
}
