/**
 * A deterministic workspace with column lineage for the benchmark, written as rows straight
 * into the provenance tables (as synth-lineage.ts does: ingesting 200k events would measure
 * ingest, not queries). `datasets` datasets of `columns` columns in pipelines of `stages`:
 * stage 0 of each pipeline is a source (its schema comes as an input facet), stage s reads stage
 * s-1 and, one time in five, a lookup (dimension) table: another pipeline's source. Each run rewrites one dataset
 * with its column lineage (per column: the same column upstream, IDENTITY / TRANSFORMATION /
 * AGGREGATION, sometimes a lookup column too; dataset level: a GROUP_BY or JOIN key), and every
 * dataset's facet changes once halfway through the history (a column added, one dropped), so a
 * snapshot before that answers differently. One extra dataset has `wide` columns.
 */
import type { WritableDb } from '../../db/open-db';
import { seededRandom } from '../../../shared/seeded-random';
import { sha1Base64 } from '../../provenance/facets';

export interface SynthColumnsOptions {
  readonly runs: number;
  readonly datasets: number;
  readonly columns: number;
  readonly stages?: number;
  /** Columns of the one wide dataset (written by the first run of the last pipeline's stage 1). */
  readonly wide?: number;
  readonly seed?: number;
}

export interface SynthColumnsReport {
  readonly runs: number;
  readonly datasets: number;
  readonly facets: number;
  readonly texts: number;
  readonly edges: number;
  readonly wideDataset: string;
}

const T0 = Date.UTC(2026, 1, 1);

export function synthColumns(db: WritableDb, opts: SynthColumnsOptions): SynthColumnsReport {
  const rnd = seededRandom(opts.seed ?? 19);
  const stages = opts.stages ?? 100;
  const pipelines = Math.max(1, Math.floor(opts.datasets / stages));
  const nCols = opts.columns;
  const wide = opts.wide ?? 1000;
  const p = (sql: string) => db.prepare(sql);
  const ins = {
    job: p('INSERT INTO jobs (id, namespace, name) VALUES (?, ?, ?)'),
    run: p(`INSERT INTO runs (id, run_uuid, origin, job_id, state, started_at, ended_at, last_event_at, first_seq, last_seq, end_seq)
      VALUES (?, ?, 'openlineage', ?, 'COMPLETE', ?, ?, ?, ?, ?, ?)`),
    event: p("INSERT INTO events (seq, source_id, line, byte_offset, hash, kind, event_type, event_time, run_id) VALUES (?, 1, ?, 0, ?, 'ol_run', ?, ?, ?)"),
    art: p("INSERT INTO artifacts (id, namespace, name, path, kind, current_version_id, first_seq) VALUES (?, 'bench', ?, NULL, 'dataset', ?, ?)"),
    ver: p('INSERT INTO artifact_versions (id, artifact_id, version, version_kind, producing_run_id, created_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    acc: p("INSERT INTO accesses (id, run_id, artifact_id, version_id, op, raw_op, origin, at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
    end: p('INSERT INTO run_endings (seq, run_id, state, at, event_seq) VALUES (?, ?, ?, ?, ?)'),
    text: p('INSERT INTO column_texts (id, hash, body, refs) VALUES (?, ?, ?, ?)'),
    facet: p("INSERT INTO column_facets (id, run_id, artifact_id, role, seq, schema_id, lineage_id) VALUES (?, ?, ?, ?, ?, ?, ?)"),
  };
  const name = (pl: number, s: number) => `p${pl}.s${s}`;
  const cols = (n: number) => Array.from({ length: n }, (_, j) => `c${j}`);
  const SUBTYPES = ['IDENTITY', 'IDENTITY', 'IDENTITY', 'IDENTITY', 'IDENTITY', 'IDENTITY', 'IDENTITY', 'TRANSFORMATION', 'TRANSFORMATION', 'AGGREGATION'];

  let textId = 0, facetId = 0, verId = 0, accId = 0, edges = 0;
  const texts = new Map<string, number>();
  const text = (body: string, refs: string | null = null): number => {
    let id = texts.get(body);
    if (id === undefined) {
      id = ++textId;
      texts.set(body, id);
      ins.text.run(id, sha1Base64(body), body, refs);
    }
    return id;
  };
  /** Per (pipeline, stage): its lookup (another pipeline's dataset) or -1, fixed for the whole history. */
  const lookup = new Int32Array(pipelines * stages).fill(-1);
  for (let pl = 0; pl < pipelines; pl++) {
    for (let s = 1; s < stages; s++) {
      // A dimension table: another pipeline's source (joining intermediate datasets of other
      // pipelines would tie every pipeline's upstream to every other's, which real ones are not).
      if (rnd() < 0.2) lookup[pl * stages + s] = ((pl + 1 + Math.floor(rnd() * (pipelines - 1))) % pipelines) * stages;
    }
  }
  const groupBy = Uint8Array.from({ length: pipelines * stages }, () => (rnd() < 0.1 ? 1 : 0));
  /** The lineage body of dataset `i` in variant 0 (first half) or 1 (second half: c<n> added, c<n-1> dropped). */
  const body = (i: number, variant: number, width: number): { lineage: string; refs: string; schema: string } => {
    const pl = Math.floor(i / stages), s = i % stages;
    const up = name(pl, s - 1);
    const lk = lookup[i]! >= 0 ? name(Math.floor(lookup[i]! / stages), lookup[i]! % stages) : null;
    const names = cols(width);
    if (variant === 1) names[names.length - 1] = `c${width}`;
    const sets: string[][][] = SUBTYPES.map((t) => [['DIRECT', t]]);
    sets.push([['INDIRECT', 'GROUP_BY']], [['INDIRECT', 'JOIN']]);
    const r = seededRandom(i * 7 + variant);
    const f = names.map((c, j) => {
      // The added column is derived from the one it replaced.
      const source = variant === 1 && j === names.length - 1 ? `c${width - 1}` : c;
      const es: unknown[] = [[0, source, Math.floor(r() * SUBTYPES.length)]];
      if (lk && r() < 0.1) es.push([1, `c${Math.floor(r() * nCols)}`, 7]);
      edges += es.length;
      return [c, ...es];
    });
    const x: unknown[] = [];
    if (groupBy[i]) x.push([0, 'c0', SUBTYPES.length]);
    if (lk) x.push([1, 'c0', SUBTYPES.length + 1]);
    edges += x.length;
    const d = lk ? [['bench', up], ['bench', lk]] : [['bench', up]];
    return { lineage: JSON.stringify({ d, t: sets, f, x }), refs: JSON.stringify(d), schema: JSON.stringify(names.map((c) => [c, 'double'])) };
  };

  let facets = 0;
  db.transaction(() => {
    const total = pipelines * stages;
    const artOf = (i: number) => i + 1;
    const cur = new Int32Array(total + 2);
    for (let i = 0; i < total; i++) {
      ins.art.run(artOf(i), name(Math.floor(i / stages), i % stages), null, 0);
      if (i % stages === 0) {
        ins.ver.run(++verId, artOf(i), 'initial', 'initial', null, T0, 0);
        cur[i] = verId;
      }
    }
    const wideArt = total + 1;
    ins.art.run(wideArt, 'wide', null, 0);
    for (let j = 1; j <= Math.ceil(stages / 10); j++) ins.job.run(j, 'bench', `job${j}`);
    const sourceSchema = text(JSON.stringify(cols(nCols).map((c) => [c, 'double'])));
    const sourceSeen = new Uint8Array(total);
    const written = new Uint8Array(total);
    for (let t = 0; t < opts.runs; t++) {
      const id = t + 1;
      // Round-robin over pipelines, stages in order within one: upstream versions always exist.
      const pl = t % pipelines;
      const s = 1 + (Math.floor(t / pipelines) % (stages - 1));
      const i = pl * stages + s;
      const startSeq = 2 * t + 1, endSeq = 2 * t + 2;
      const at = T0 + t * 60_000;
      ins.run.run(id, runUuid(t), 1 + Math.floor(s / 10), at, at + 30_000, at + 30_000, startSeq, endSeq, id);
      ins.event.run(startSeq, startSeq, `h${startSeq}`, 'START', at, id);
      ins.event.run(endSeq, endSeq, `h${endSeq}`, 'COMPLETE', at + 30_000, id);
      ins.end.run(id, id, 'COMPLETE', at + 30_000, endSeq);
      const reads = [i - 1, ...(lookup[i]! >= 0 ? [lookup[i]!] : [])];
      for (const r of reads) {
        if (!cur[r]) continue;
        ins.acc.run(++accId, id, artOf(r), cur[r], 'READ', 'READ', 'input', at, startSeq);
        if (r % stages === 0 && !sourceSeen[r]) {
          sourceSeen[r] = 1;
          ins.facet.run(++facetId, id, artOf(r), 'input', startSeq, sourceSchema, null);
          facets++;
        }
      }
      ins.ver.run(++verId, artOf(i), `run:${runUuid(t)}`, 'run', id, at, endSeq);
      cur[i] = verId;
      ins.acc.run(++accId, id, artOf(i), verId, written[i] ? 'MODIFY' : 'CREATE', 'OUTPUT', 'output', at, endSeq);
      written[i] = 1;
      const b = body(i, t < opts.runs / 2 ? 0 : 1, nCols);
      ins.facet.run(++facetId, id, artOf(i), 'output', endSeq, text(b.schema), text(b.lineage, b.refs));
      facets++;
      if (t === 0) {
        // The wide dataset, derived from the first stage-1 dataset (its columns repeat).
        ins.ver.run(++verId, wideArt, `run:${runUuid(t)}`, 'run', id, at, endSeq);
        ins.acc.run(++accId, id, wideArt, verId, 'CREATE', 'OUTPUT', 'output', at, endSeq);
        const names = cols(wide);
        const w = JSON.stringify({ d: [['bench', name(pl, 1)]], t: [[['DIRECT', 'IDENTITY']]], f: names.map((c, j) => [c, [0, `c${j % nCols}`, 0]]), x: [] });
        ins.facet.run(++facetId, id, wideArt, 'output', endSeq, text(JSON.stringify(names.map((c) => [c, 'double']))), text(w, JSON.stringify([['bench', name(pl, 1)]])));
        facets++;
      }
    }
  })();
  return { runs: opts.runs, datasets: pipelines * stages + 1, facets, texts: textId, edges, wideDataset: 'bench/wide' };
}

function runUuid(t: number): string {
  const h = (t + 1).toString(16).padStart(8, '0');
  return `${h}-0000-4000-8000-c01${(t * 2654435761 >>> 0).toString(16).padStart(9, '0')}`;
}
