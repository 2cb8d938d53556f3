import fs from 'node:fs';
import path from 'node:path';
import { nowMs, percentile, type BenchContext, type BenchMetric } from '../bench-case';
import { loadSnapshot } from '../../lake/delta-log';
import { scanSlices } from '../../lake/delta-scan';
import type { DeltaField } from '../../lake/delta-types';
import { writeTable } from '../../lake/delta-writer';
import { clearLookupCaches, lookupKey } from '../../lake/lookup';
import { readParquetLayout } from '../../lake/parquet-io';

/**
 * A feature table with an embedding column (issue 18): key, a 128-float vector, a label. Each
 * step beside DuckDB doing the same on the same data in the same run:
 * - write: our commit of the rows held in memory against DuckDB's `COPY … TO parquet` of the
 *   same rows held in a DuckDB table (both from memory to compressed Parquet files);
 * - full read of the version: our Arrow decode of every live file against DuckDB reading the
 *   same Parquet files into its result chunks (neither converts to JS values);
 * - key lookup: ours (key index → one row group) against DuckDB's filtered query on the same
 *   files, cold (nothing decoded cached; DuckDB in a fresh instance) and hot (repeated).
 */
const DIM = 128;
const FIELDS: DeltaField[] = [
  { name: 'key', type: 'long', nullable: false },
  { name: 'emb', type: { type: 'array', elementType: 'float', containsNull: false }, nullable: true },
  { name: 'label', type: 'string', nullable: true },
];

function embedding(key: number): Float32Array {
  const v = new Float32Array(DIM);
  let x = (key * 2654435761) >>> 0;
  for (let i = 0; i < DIM; i++) { x = (x * 1664525 + 1013904223) >>> 0; v[i] = x / 4294967296 - 0.5; }
  return v;
}

const metric = (name: string, value: number, unit: string, goal?: string, met?: boolean, note?: string): BenchMetric =>
  ({ name, value: Math.round(value * 1000) / 1000, unit, ...(goal ? { goal } : {}), ...(met !== undefined ? { met } : {}), ...(note ? { note } : {}) });

type Duck = typeof import('@duckdb/node-api');

export async function embeddingMetrics(ctx: BenchContext): Promise<BenchMetric[]> {
  let duck: Duck;
  try {
    duck = await import('@duckdb/node-api');
  } catch {
    return [metric('embedding table vs DuckDB', NaN, '', undefined, undefined, '@duckdb/node-api not installed')];
  }
  const rows = ctx.quick ? 20_000 : 1_000_000;
  // Row groups sized by the writer (~1 MiB each: ~1800 rows of this table).
  const layout = { rowsPerFile: ctx.quick ? 5000 : 65_536 };
  const dir = path.join(ctx.tmpDir, 'lake-embeddings');
  ctx.log(`lake: building ${rows} rows with a ${DIM}-float embedding`);
  const data = Array.from({ length: rows }, (_, key) => ({ key, emb: embedding(key), label: `item-${key % 1000}` }));

  // Write: ours, from JS rows to a committed Delta version; best of two, as for DuckDB below.
  ctx.log('lake: writing the embedding table (twice)');
  const oursWrites: number[] = [];
  let t0 = 0;
  for (const target of [dir, `${dir}-again`]) {
    t0 = nowMs();
    await writeTable(target, { mode: 'append', rows: data, fields: FIELDS, keyColumns: ['key'], ...layout });
    oursWrites.push(nowMs() - t0);
  }
  fs.rmSync(`${dir}-again`, { recursive: true, force: true });
  const oursWrite = Math.min(...oursWrites);
  const snap = await loadSnapshot(dir);
  const rowGroupRows = (await readParquetLayout(path.join(dir, decodeURIComponent(snap.files[0]!.path)))).rowGroupRows[0]!;
  const files = snap.files.map((f) => `'${path.join(dir, decodeURIComponent(f.path)).replace(/'/g, "''")}'`).join(', ');

  // DuckDB: the same rows in a DuckDB table, then COPY TO parquet (same codec, same row groups).
  const instance = await duck.DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(`CREATE TABLE t AS SELECT * FROM read_parquet([${files}])`);
  const duckWrites: number[] = [];
  for (let run = 0; run < 2; run++) {
    const out = path.join(ctx.tmpDir, `duck-copy-${run}`);
    fs.mkdirSync(out);
    t0 = nowMs();
    await conn.run(`COPY t TO '${out}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${rowGroupRows}, PER_THREAD_OUTPUT true)`);
    duckWrites.push(nowMs() - t0);
  }
  await conn.run('DROP TABLE t');
  const duckWrite = Math.min(...duckWrites);

  // Full read of the version, three times each, medians.
  const ours: number[] = [], theirs: number[] = [];
  for (let run = 0; run < 3; run++) {
    t0 = nowMs();
    let live = 0;
    for await (const { slice } of scanSlices(snap)) for (let i = 0; i < slice.numRows; i++) if (slice.isLive(i)) live++;
    ours.push(nowMs() - t0);
    if (live !== rows) throw new Error(`embedding read returned ${live} rows, expected ${rows}`);
    t0 = nowMs();
    const r = await conn.run(`SELECT * FROM read_parquet([${files}])`);
    let n = 0;
    for (let chunk = await r.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await r.fetchChunk()) n += chunk.rowCount;
    theirs.push(nowMs() - t0);
    if (n !== rows) throw new Error(`DuckDB read ${n} rows, expected ${rows}`);
  }
  conn.closeSync();
  instance.closeSync();
  const readRatio = percentile(ours, 50) / percentile(theirs, 50);

  // Key lookups: cold (no decoded row group cached, snapshot cached as in an app that opened the
  // table) and hot; DuckDB cold in a fresh instance, hot repeated.
  const picks = Array.from({ length: ctx.quick ? 20 : 40 }, (_, i) => Math.floor(((i + 0.5) / (ctx.quick ? 20 : 40)) * rows));
  const cold: number[] = [], hot: number[] = [], duckCold: number[] = [], duckHot: number[] = [];
  for (const key of picks) {
    clearLookupCaches({ keepSnapshots: true });
    t0 = nowMs();
    const r = await lookupKey(dir, { keyColumn: 'key', key });
    cold.push(nowMs() - t0);
    if (r.rows.length !== 1 || (r.rows[0]!.emb as number[]).length !== DIM) throw new Error(`lookup of ${key} found ${r.rows.length} rows`);
    t0 = nowMs();
    await lookupKey(dir, { keyColumn: 'key', key });
    hot.push(nowMs() - t0);
    const inst = await duck.DuckDBInstance.create(':memory:');
    const c = await inst.connect();
    const sql = `SELECT * FROM read_parquet([${files}]) WHERE key = ${key}`;
    t0 = nowMs();
    const first = (await c.runAndReadAll(sql)).getRowObjects();
    duckCold.push(nowMs() - t0);
    if (first.length !== 1) throw new Error(`DuckDB found ${first.length} rows for ${key}`);
    t0 = nowMs();
    (await c.runAndReadAll(sql)).getRowObjects();
    duckHot.push(nowMs() - t0);
    c.closeSync();
    inst.closeSync();
  }
  const coldRatio = percentile(duckCold, 50) / percentile(cold, 50);
  const hotRatio = percentile(duckHot, 50) / percentile(hot, 50);
  const note = `${rows} rows × (key, ${DIM}-float embedding, label), ${snap.files.length} files, row groups of ${rowGroupRows}`;
  return [
    metric('embeddings: write (ours, best of 2)', oursWrite, 'ms', undefined, undefined, note),
    metric('embeddings: write (DuckDB COPY TO parquet, best of 2)', duckWrite, 'ms'),
    metric('embeddings: write ours / DuckDB', oursWrite / duckWrite, '×', '≤ 2×', oursWrite / duckWrite <= 2),
    metric('embeddings: full read p50 (ours, Arrow)', percentile(ours, 50), 'ms'),
    metric('embeddings: full read p50 (DuckDB, result chunks)', percentile(theirs, 50), 'ms'),
    metric('embeddings: full read ours / DuckDB', readRatio, '×', '≤ 1.5×', readRatio <= 1.5),
    metric('embeddings: lookup cold p50 (ours)', percentile(cold, 50), 'ms'),
    metric('embeddings: lookup cold p50 (DuckDB)', percentile(duckCold, 50), 'ms'),
    metric('embeddings: lookup DuckDB / ours, cold', coldRatio, '×', '≥ 2×', coldRatio >= 2),
    metric('embeddings: lookup hot p50 (ours)', percentile(hot, 50), 'ms'),
    metric('embeddings: lookup hot p50 (DuckDB)', percentile(duckHot, 50), 'ms'),
    metric('embeddings: lookup DuckDB / ours, hot', hotRatio, '×', '≥ 10×', hotRatio >= 10),
  ];
}
