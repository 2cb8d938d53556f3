import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../db/open-db';
import { listCatalog } from '../../lineage/read-models/catalog-rows';
import { LineageEngine } from '../../lineage/read-models/lineage-engine';
import { search } from '../../lineage/read-models/search';
import { synthLineage } from '../../lineage/synthetic/synth-lineage';
import { ensureWorkspace } from '../../workspace/workspace-paths';
import { type BenchCase, type BenchMetric, nowMs, percentile } from '../bench-case';
import { seededRandom } from '../../../shared/seeded-random';

/**
 * Lineage queries on a generated workspace (100,000 runs, 1,000,000 accesses, shaped as 50
 * pipelines of 10 stages with cross-pipeline fan-in; `--quick`: 5,000 / 50,000): index rebuild
 * from rows vs cold start from the stored index, footprint and unbounded impact latency over
 * random starting points, snapshot-graph build, search; then impact on a dense mesh (worst case).
 */
const lineageBench: BenchCase = {
  name: 'lineage',
  description: 'footprint, impact, cold start, snapshot graph and search on a generated 100k-run / 1M-access workspace',
  async run(ctx) {
    const runs = ctx.quick ? 5_000 : 100_000;
    const samples = ctx.quick ? 200 : 1_000;
    const metrics: BenchMetric[] = [];
    const add = (name: string, value: number, unit: string, goal?: { max: number; text: string }, note?: string) =>
      metrics.push({ name, value: round(value), unit, ...(goal ? { goal: goal.text, met: value <= goal.max } : {}), ...(note ? { note } : {}) });
    const paths = ensureWorkspace(ctx.tmpDir);
    const indexFile = path.join(paths.dotDir, 'lineage-index.bin');
    const rnd = seededRandom(11);
    const pickRun = () => 1 + Math.floor(rnd() * runs);

    let db = openDb(paths.dbFile);
    let t = nowMs();
    const gen = synthLineage(db, { runs });
    add('generate workspace (rows)', (nowMs() - t) / 1000, 's', undefined, `${gen.runs} runs, ${gen.accesses} accesses, ${gen.artifacts} artifacts, ${gen.versions} versions`);
    ctx.log(`lineage: generated ${gen.runs} runs / ${gen.accesses} accesses`);

    t = nowMs();
    let engine = LineageEngine.open(db, { indexFile });
    add('index rebuild from rows', nowMs() - t, 'ms');
    t = nowMs();
    engine.save();
    add('index save', nowMs() - t, 'ms', undefined, `${(fs.statSync(indexFile).size / 2 ** 20).toFixed(1)} MiB`);
    db.close();

    // Cold start: open the DB, load the stored index, answer one footprint (names included).
    // Repeated with fresh connections and engines (page cache warm, as after an app restart).
    const colds: number[] = [];
    let parts = '';
    for (let k = 0; k < 5; k++) {
      t = nowMs();
      db = openDb(paths.dbFile);
      const opened = nowMs();
      engine = LineageEngine.open(db, { indexFile });
      const loaded = nowMs();
      engine.footprintOf(pickRun());
      colds.push(nowMs() - t);
      if (k === 0) parts = `${engine.coldStart}; first: DB open ${round(opened - t)} ms, index load ${round(loaded - opened)} ms, first footprint ${round(nowMs() - loaded)} ms`;
      if (k < 4) db.close();
    }
    add('cold start (open DB + load index + first footprint) median of 5', percentile(colds, 50), 'ms', { max: 50, text: '≤ 50 ms' },
      `${parts}; worst ${round(Math.max(...colds))} ms`);
    const time = (n: number, fn: () => void) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const s = nowMs();
        fn();
        out.push(nowMs() - s);
      }
      return out;
    };
    time(20, () => engine.footprintOf(pickRun())); // JIT warm-up
    const fp = time(samples, () => engine.footprintOf(pickRun()));
    add('footprint p50', percentile(fp, 50), 'ms');
    add('footprint p95', percentile(fp, 95), 'ms', { max: 2, text: '≤ 2 ms' });

    const closure: number[] = [];
    time(10, () => engine.impactRaw({ run: pickRun() }));
    const imp = time(samples, () => closure.push(engine.impactRaw({ run: pickRun() }).runs.length));
    add('impact (unbounded, ids + counts) p50', percentile(imp, 50), 'ms');
    add('impact (unbounded, ids + counts) p95', percentile(imp, 95), 'ms', { max: 30, text: '≤ 30 ms' },
      `impacted runs p50 ${percentile(closure, 50)}, p95 ${percentile(closure, 95)}, max ${Math.max(...closure)}`);
    const uuids = Array.from({ length: Math.min(100, samples) }, () => engine.catalog.run(pickRun()).uuid);
    let i = 0;
    const impDto = time(uuids.length, () => engine.impact({ run: uuids[i++]! }));
    add('impact (unbounded, full DTO with names) p50', percentile(impDto, 50), 'ms');
    add('impact (unbounded, full DTO with names) p95', percentile(impDto, 95), 'ms');

    const snaps = engine.listSnapshots().length;
    t = nowMs();
    const mid = engine.graphAt(Math.ceil(snaps / 2));
    add('snapshot graph build (k = n/2, job granularity)', nowMs() - t, 'ms', undefined, `${mid.nodes.length} nodes, ${mid.edges.length} edges`);
    t = nowMs();
    const last = engine.graphAt(undefined);
    add('snapshot graph build (newest, job granularity)', nowMs() - t, 'ms', undefined, `${last.nodes.length} nodes, ${last.edges.length} edges`);

    // The catalogue (issue 13): one page of 100 rows of every run / every artifact, sorted and
    // filtered on the server. The first call builds the columns; sorting by a new column ranks it once.
    t = nowMs();
    const firstRuns = listCatalog(engine, { what: 'runs', limit: 100 });
    add('catalogue: first page of runs (builds the columns)', nowMs() - t, 'ms', undefined, `${firstRuns.total} runs`);
    t = nowMs();
    const firstArts = listCatalog(engine, { what: 'artifacts', limit: 100 });
    add('catalogue: first page of artifacts (builds the columns)', nowMs() - t, 'ms', undefined, `${firstArts.total} artifacts`);
    const runSorts = ['startedAt', 'job', 'user', 'durationMs', 'state'] as const;
    for (const sort of runSorts) listCatalog(engine, { what: 'runs', sort, limit: 1 }); // rank each column once
    const pages = time(samples, () => listCatalog(engine, { what: 'runs', sort: runSorts[Math.floor(rnd() * runSorts.length)]!, desc: rnd() < 0.5,
      offset: Math.floor(rnd() * (firstRuns.total - 100)), limit: 100 }));
    add('catalogue: a page of 100 runs (scrolling, any sort) p95', percentile(pages, 95), 'ms', { max: 50, text: '≤ 50 ms' }, `p50 ${round(percentile(pages, 50))} ms over ${firstRuns.total} runs`);
    const filters = time(Math.min(100, samples), () => listCatalog(engine, { what: 'runs', filter: `user${Math.floor(rnd() * 40)}${Math.floor(rnd() * 10)}`, limit: 100 }));
    add('catalogue: a new filter over all runs (first page) p95', percentile(filters, 95), 'ms', { max: 100, text: '≤ 100 ms' });
    const artPages = time(samples, () => listCatalog(engine, { what: 'artifacts', sort: rnd() < 0.5 ? 'artifact' : 'lastWrite', offset: Math.floor(rnd() * Math.max(1, firstArts.total - 100)), limit: 100 }));
    add('catalogue: a page of 100 artifacts (scrolling) p95', percentile(artPages, 95), 'ms', { max: 50, text: '≤ 50 ms' }, `over ${firstArts.total} artifacts`);

    const queries = Array.from({ length: samples }, () => {
      const k = rnd();
      return k < 0.3 ? `stage_${1 + Math.floor(rnd() * 500)}` : k < 0.5 ? `user${Math.floor(rnd() * 40)}` : k < 0.8 ? `ds${1 + Math.floor(rnd() * runs)}` : `area${Math.floor(rnd() * 50)} parquet`;
    });
    i = 0;
    const unranked = time(queries.length, () => search(db, queries[i++]!, { rank: false }));
    add('search unranked top-50 p50', percentile(unranked, 50), 'ms');
    add('search unranked top-50 p95', percentile(unranked, 95), 'ms', { max: 10, text: '≤ 10 ms' });
    i = 0;
    const ranked = time(queries.length, () => search(db, queries[i++]!));
    add('search ranked (bm25 below 10k hits) p95', percentile(ranked, 95), 'ms');
    db.close();

    // Worst case: a dense mesh where most of the history is downstream of a typical run.
    const meshDb = openDb(path.join(ctx.tmpDir, 'mesh.db'));
    try {
      synthLineage(meshDb, { runs, shape: 'mesh' });
      const mesh = LineageEngine.open(meshDb);
      const sizes: number[] = [];
      time(5, () => mesh.impactRaw({ run: pickRun() }));
      const lat = time(Math.min(200, samples), () => sizes.push(mesh.impactRaw({ run: pickRun() }).runs.length));
      add('impact worst case (dense mesh) p50', percentile(lat, 50), 'ms');
      add('impact worst case (dense mesh) p95', percentile(lat, 95), 'ms', undefined,
        `impacted runs p50 ${percentile(sizes, 50)}, p95 ${percentile(sizes, 95)} of ${runs}`);
    } finally {
      meshDb.close();
    }
    return metrics;
  },
};

const round = (x: number) => Math.round(x * 1000) / 1000;

export default lineageBench;
