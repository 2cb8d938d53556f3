import path from 'node:path';
import { nowMs, percentile, type BenchCase, type BenchMetric } from '../bench-case';
import { loadSnapshot } from '../../lake/delta-log';
import { readAllRows, scanSlices } from '../../lake/delta-scan';
import type { DeltaField, Row } from '../../lake/delta-types';
import { writeTable } from '../../lake/delta-writer';
import { clearLookupCaches, lookupKey } from '../../lake/lookup';
import { commitTimeline, versionAtTime } from '../../lake/time-travel';
import { embeddingMetrics } from './lake-embeddings';

/**
 * The commit store's point lookups ("value of key K as of version/time T") on a table built by
 * upsert commits, against DuckDB (@duckdb/node-api) answering the same lookups over the same
 * version's Parquet files with the same key filter, and against our own full scan.
 *
 * Churn: each commit upserts a contiguous block of keys (1% of the table). Copy-on-write cost is
 * proportional to the files touched; uniformly random keys would rewrite every file each commit.
 */
const FIELDS: DeltaField[] = [
  { name: 'key', type: 'long', nullable: false }, { name: 'entity', type: 'integer', nullable: true },
  { name: 'f1', type: 'double', nullable: true }, { name: 'f2', type: 'double', nullable: true }, { name: 'f3', type: 'double', nullable: true },
  { name: 'cnt', type: 'integer', nullable: true }, { name: 'ts', type: 'timestamp', nullable: true }, { name: 'flag', type: 'boolean', nullable: true },
  { name: 'cat', type: 'string', nullable: true }, { name: 'label', type: 'string', nullable: true },
];

function makeRow(key: number, commit: number): Row {
  return {
    key, entity: key % 10_000, f1: key * 0.5 + commit, f2: Math.sin(key + commit), f3: commit, cnt: commit,
    ts: new Date(1_700_000_000_000 + key * 1000).toISOString(), flag: (key + commit) % 2 === 0,
    cat: `c${key % 100}`, label: `k${key.toString(36)}-${commit}`,
  };
}

const metric = (name: string, value: number, unit: string, goal?: string, met?: boolean, note?: string): BenchMetric =>
  ({ name, value: Math.round(value * 1000) / 1000, unit, ...(goal ? { goal } : {}), ...(met !== undefined ? { met } : {}), ...(note ? { note } : {}) });

interface DuckSamples { readonly cold: number[]; readonly hot: number[] }

/**
 * The same lookups answered by DuckDB over the same version's Parquet files with the same key
 * filter: cold = first query in a fresh DuckDB instance, hot = the query repeated.
 */
async function duckDbLookups(dir: string, picks: readonly { key: number; version: number }[], ctx: { log(m: string): void }): Promise<DuckSamples | null> {
  let api: typeof import('@duckdb/node-api');
  try {
    api = await import('@duckdb/node-api');
  } catch {
    ctx.log('lake: @duckdb/node-api is not installed; skipping the DuckDB peer');
    return null;
  }
  const sqlFor = async (p: { key: number; version: number }): Promise<string> => {
    const snap = await loadSnapshot(dir, p.version);
    const files = snap.files.map((f) => `'${path.join(dir, decodeURIComponent(f.path)).replace(/'/g, "''")}'`);
    return `SELECT * FROM read_parquet([${files.join(', ')}]) WHERE key = ${p.key}`;
  };
  const cold: number[] = [], hot: number[] = [];
  for (const p of picks) {
    const sql = await sqlFor(p);
    const instance = await api.DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    let t0 = nowMs();
    const first = (await conn.runAndReadAll(sql)).getRowObjects();
    cold.push(nowMs() - t0);
    if (first.length !== 1) throw new Error(`DuckDB found ${first.length} rows for key ${p.key}`);
    t0 = nowMs();
    (await conn.runAndReadAll(sql)).getRowObjects();
    hot.push(nowMs() - t0);
    conn.closeSync();
    instance.closeSync();
  }
  return { cold, hot };
}

function duckMetrics(duck: DuckSamples | null, cold: readonly number[], hot: readonly number[]): BenchMetric[] {
  if (!duck) return [metric('DuckDB peer', NaN, '', undefined, undefined, '@duckdb/node-api not installed')];
  const coldRatio = percentile(duck.cold, 50) / percentile(cold, 50);
  const hotRatio = percentile(duck.hot, 50) / percentile(hot, 50);
  return [
    metric('DuckDB row read cold p50', percentile(duck.cold, 50), 'ms'),
    metric('DuckDB row read cold p95', percentile(duck.cold, 95), 'ms'),
    metric('DuckDB row read hot p50', percentile(duck.hot, 50), 'ms'),
    metric('DuckDB row read hot p95', percentile(duck.hot, 95), 'ms'),
    metric('lookup-vs-DuckDB ratio cold (p50/p50)', coldRatio, '×', '≥ 2×', coldRatio >= 2),
    metric('lookup-vs-DuckDB ratio hot (p50/p50)', hotRatio, '×', '≥ 10×', hotRatio >= 10),
  ];
}

const lake: BenchCase = {
  name: 'lake',
  description: 'Delta commit store: key-as-of-version/time lookups vs a full scan; 1M-row commit write; full version read; a 1M-row embedding table beside DuckDB',
  async run(ctx) {
    // The embedding table first: measured after the 1M-row flat table below, its JS-side steps
    // would pay for the collector walking those millions of live rows, which DuckDB never sees.
    const embeddings = await embeddingMetrics(ctx);
    const rows = ctx.quick ? 20_000 : 1_000_000;
    const commits = ctx.quick ? 10 : 100;
    const churn = rows / 100;
    const layout = { rowsPerFile: ctx.quick ? 2000 : 16_384, rowGroupRows: ctx.quick ? 500 : 4096 };
    const dir = path.join(ctx.tmpDir, 'lake-bench');
    const lookups = ctx.quick ? 50 : 300;

    ctx.log(`lake: writing ${rows} rows`);
    const base: Row[] = Array.from({ length: rows }, (_, k) => makeRow(k, 0));
    let t0 = nowMs();
    await writeTable(dir, { mode: 'append', rows: base, fields: FIELDS, keyColumns: ['key'], ...layout });
    const writeMs = nowMs() - t0;

    const commitMs: number[] = [];
    for (let c = 1; c <= commits; c++) {
      const start = Math.floor(Math.random() * (rows - churn));
      const batch = Array.from({ length: churn }, (_, i) => makeRow(start + i, c));
      t0 = nowMs();
      await writeTable(dir, { mode: 'upsert', rows: batch, keyColumns: ['key'], ...layout });
      commitMs.push(nowMs() - t0);
      if (c % 10 === 0) ctx.log(`lake: ${c}/${commits} upsert commits`);
    }

    // Version resolution: time → version over the cached, immutable commit timeline.
    const { times } = commitTimeline(dir);
    const first = times[0]!, last = times[times.length - 1]!;
    const resolveUs: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const t = first + Math.random() * (last - first);
      const s = process.hrtime.bigint();
      versionAtTime(dir, t);
      resolveUs.push(Number(process.hrtime.bigint() - s) / 1000);
    }

    const picks = Array.from({ length: lookups }, () => ({ key: Math.floor(Math.random() * rows), version: Math.floor(Math.random() * (commits + 1)) }));
    // Cold: no decoded row group cached (the table's log state is, as in an app that opened it);
    // "first touch" also replays the log of that version.
    const cold: number[] = [], hot: number[] = [], firstTouch: number[] = [];
    for (const p of picks) {
      clearLookupCaches();
      t0 = nowMs();
      await lookupKey(dir, { keyColumn: 'key', key: p.key, version: p.version });
      firstTouch.push(nowMs() - t0);
      clearLookupCaches({ keepSnapshots: true });
      t0 = nowMs();
      const r = await lookupKey(dir, { keyColumn: 'key', key: p.key, version: p.version });
      cold.push(nowMs() - t0);
      if (r.rows.length !== 1) throw new Error(`lookup of key ${p.key} at v${p.version} found ${r.rows.length} rows`);
    }
    for (const p of picks) await lookupKey(dir, { keyColumn: 'key', key: p.key, version: p.version });
    for (const p of picks) {
      t0 = nowMs();
      await lookupKey(dir, { keyColumn: 'key', key: p.key, version: p.version });
      hot.push(nowMs() - t0);
    }

    const duck = await duckDbLookups(dir, picks.slice(0, ctx.quick ? 20 : 60), ctx);

    // Baseline: read the whole version and filter on the key (what a scan without our index does).
    const snap = await loadSnapshot(dir, commits);
    const scanMs: number[] = [];
    for (let i = 0; i < (ctx.quick ? 3 : 2); i++) {
      const key = picks[i]!.key;
      t0 = nowMs();
      const all = await readAllRows(snap, { columns: FIELDS.map((f) => f.name) });
      const hits = all.filter((r) => r.key === key);
      scanMs.push(nowMs() - t0);
      if (hits.length !== 1) throw new Error(`scan found ${hits.length} rows for key ${key}`);
    }
    // Full read into Arrow columns, 3 times: the first also grows parquet-wasm's memory.
    const fullReads: number[] = [];
    for (let run = 0; run < 3; run++) {
      t0 = nowMs();
      let arrowRows = 0;
      for await (const { slice } of scanSlices(snap)) for (let i = 0; i < slice.numRows; i++) if (slice.isLive(i)) arrowRows++;
      fullReads.push(nowMs() - t0);
      if (arrowRows !== rows) throw new Error(`full read returned ${arrowRows} rows, expected ${rows}`);
    }
    const fullReadMs = percentile(fullReads, 50);
    t0 = nowMs();
    const full = await readAllRows(snap);
    const fullRowsMs = nowMs() - t0;
    if (full.length !== rows) throw new Error(`full read returned ${full.length} rows, expected ${rows}`);

    // The same 1M × 10 commit again, now that parquet-wasm is warm (the first write above also
    // paid WASM compilation and memory growth).
    const warmRows: Row[] = Array.from({ length: rows }, (_, k) => makeRow(k, 1));
    t0 = nowMs();
    await writeTable(path.join(ctx.tmpDir, 'lake-bench-2'), { mode: 'append', rows: warmRows, fields: FIELDS, keyColumns: ['key'], ...layout });
    const warmWriteMs = nowMs() - t0;

    const coldP95 = percentile(cold, 95), hotP95 = percentile(hot, 95), scanP50 = percentile(scanMs, 50);
    const sizeNote = `${rows} rows × 10 cols, ${commits} upsert commits of ${churn} rows`;
    const big = rows >= 1_000_000;
    return [
      metric('version resolution p50', percentile(resolveUs, 50), 'µs', '≤ 20 µs', percentile(resolveUs, 50) <= 20),
      metric('row read cold p50', percentile(cold, 50), 'ms'),
      metric('row read cold p95', coldP95, 'ms', '≤ 20 ms', coldP95 <= 20),
      metric('row read hot p95', hotP95, 'ms', '≤ 1 ms', hotP95 <= 1),
      metric('row read first touch p95 (incl. log replay)', percentile(firstTouch, 95), 'ms'),
      metric('full scan + key filter p50 (our reader)', scanP50, 'ms'),
      metric('lookup-vs-scan ratio (cold, our full scan)', scanP50 / percentile(cold, 50), '×'),
      ...duckMetrics(duck, cold, hot),
      metric(`write of a ${rows / 1000}k × 10 commit (first, cold WASM)`, writeMs, 'ms', undefined, undefined, sizeNote),
      metric(`write of a ${rows / 1000}k × 10 commit`, warmWriteMs, 'ms', big ? '≤ 2000 ms' : undefined, big ? warmWriteMs <= 2000 : undefined),
      metric('upsert commit p50', percentile(commitMs, 50), 'ms'),
      metric('full read of a version (Arrow columns, median of 3)', fullReadMs, 'ms', big ? '≤ 500 ms' : undefined, big ? fullReadMs <= 500 : undefined),
      metric('full read of a version (Arrow columns, first)', fullReads[0]!, 'ms'),
      metric('full read of a version (JSON rows)', fullRowsMs, 'ms'),
      ...embeddings,
    ];
  },
};

export default lake;
