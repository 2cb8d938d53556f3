/**
 * A deterministic generator of a large lineage workspace for the benchmark, written as rows
 * straight into the provenance tables (ingesting 200k OpenLineage events would take minutes and
 * measure ingest, not lineage). Every run makes 10 accesses: 4 reads (see `shape`), 1 read of
 * its job's config, 2 outputs (new versions), a temporary file created and deleted, and a part
 * file inside the job's model folder (roll-up).
 */
import type { WritableDb } from '../../db/open-db';
import { seededRandom } from '../../../shared/seeded-random';

export interface SynthLineageOptions {
  readonly runs: number;
  /**
   * `pipelines` (default): 50 pipelines of 10 stages, each stage reading the previous stages'
   * current outputs and overwriting its own (so later runs read newer versions), with fan-in
   * from 20 hot sources and from other pipelines' shared first-stage outputs. `mesh`: every run
   * reads outputs of recent runs anywhere (exponential look-back) — a worst case where most of
   * the history is downstream of a typical run.
   */
  readonly shape?: 'pipelines' | 'mesh';
  readonly seed?: number;
}

export interface SynthLineageReport {
  readonly runs: number;
  readonly accesses: number;
  readonly artifacts: number;
  readonly versions: number;
}

const T0 = Date.UTC(2026, 0, 1);

export function synthLineage(db: WritableDb, opts: SynthLineageOptions): SynthLineageReport {
  const rnd = seededRandom(opts.seed ?? 7);
  const nJobs = 500;
  const PIPELINES = 50, STAGES = 10;
  const mesh = opts.shape === 'mesh';
  const cursor = new Int32Array(PIPELINES);
  const p = (sql: string) => db.prepare(sql);
  const ins = {
    job: p('INSERT INTO jobs (id, namespace, name) VALUES (?, ?, ?)'),
    run: p(`INSERT INTO runs (id, run_uuid, origin, job_id, state, started_at, ended_at, last_event_at, user, host, first_seq, last_seq, end_seq)
      VALUES (?, ?, 'openlineage', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    event: p("INSERT INTO events (seq, source_id, line, byte_offset, hash, kind, event_type, event_time, run_id) VALUES (?, 1, ?, 0, ?, 'ol_run', ?, ?, ?)"),
    art: p("INSERT INTO artifacts (id, namespace, name, path, kind, rollup_id, current_version_id, first_seq) VALUES (?, 'file', ?, ?, ?, ?, ?, ?)"),
    artCur: p('UPDATE artifacts SET current_version_id = ? WHERE id = ?'),
    ver: p('INSERT INTO artifact_versions (id, artifact_id, version, version_kind, producing_run_id, created_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    acc: p("INSERT INTO accesses (id, run_id, artifact_id, version_id, op, raw_op, origin, at, seq) VALUES (?, ?, ?, ?, ?, ?, 'footprint', ?, ?)"),
    end: p('INSERT INTO run_endings (seq, run_id, state, at, event_seq) VALUES (?, ?, ?, ?, ?)'),
    fts: p('INSERT INTO prov_search (rowid, name, path, job, command, user, tags, facets) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
  };
  let artId = 0, verId = 0, accId = 0;
  const cur: number[] = []; // artifact id → current version id
  const artifact = (path: string, kind: string, rollup: number | null, seq: number): number => {
    const id = ++artId;
    ins.art.run(id, path, path, kind, rollup, null, seq);
    ins.fts.run(id * 4 + 2, `file ${path} ${kind}`, path, '', '', '', '', '');
    cur[id] = 0;
    return id;
  };
  const version = (a: number, label: string, kind: string, run: number | null, at: number, seq: number): number => {
    const id = ++verId;
    ins.ver.run(id, a, label, kind, run, at, seq);
    cur[a] = id;
    return id;
  };
  const access = (run: number, a: number, v: number, op: string, at: number, seq: number) => ins.acc.run(++accId, run, a, v, op, op, at, seq);

  db.transaction(() => {
    for (let j = 1; j <= nJobs; j++) {
      ins.job.run(j, 'bench', `stage_${j}`);
      ins.fts.run(j * 4 + 3, `stage_${j}`, '', `bench stage_${j}`, '', '', '', '');
    }
    // Hot sources, job configs, model folders with their part files, and per-job temp files.
    const sources = Array.from({ length: 20 }, (_, i) => {
      const a = artifact(`data/source/src${i}.parquet`, 'dataset', null, 0);
      version(a, 'initial', 'initial', null, T0, 0);
      return a;
    });
    const configs: number[] = [0];
    const folders: number[] = [0];
    const parts: number[][] = [[]];
    const tmps: number[] = [0];
    for (let j = 1; j <= nJobs; j++) {
      const c = artifact(`conf/stage_${j}.yaml`, 'file', null, 0);
      version(c, 'initial', 'initial', null, T0, 0);
      configs.push(c);
      const f = artifact(`models/stage_${j}`, 'model', null, 0);
      folders.push(f);
      parts.push(Array.from({ length: 8 }, (_, k) => artifact(`models/stage_${j}/part-${k}.bin`, 'file', f, 0)));
      tmps.push(artifact(`tmp/stage_${j}.tmp`, 'file', null, 0));
    }
    const outputsOfRun: number[][] = [];
    const outputsOfJob: number[][] = Array.from({ length: nJobs + 1 }, () => []);
    /** pipelines: the fixed output artifacts of each stage (job), overwritten by every run of it. */
    const stageOutputs: number[][] = [[]];
    for (let j = 1; j <= nJobs; j++) {
      const pl = Math.floor((j - 1) / STAGES), st = (j - 1) % STAGES;
      stageOutputs.push([0, 1].map((k) => artifact(`data/p${pl}/s${st}_out${k}.parquet`, 'dataset', null, 0)));
    }
    const hot = () => sources[Math.floor(rnd() * sources.length)]!;
    const sharedOfOther = (pl: number) => {
      const other = (pl + 1 + Math.floor(rnd() * (PIPELINES - 1))) % PIPELINES;
      const a = stageOutputs[other * STAGES + 1]![0]!;
      return cur[a] ? a : hot();
    };
    for (let t = 0; t < opts.runs; t++) {
      const id = t + 1;
      const pl = Math.floor(rnd() * PIPELINES);
      const st = cursor[pl]!;
      if (!mesh) cursor[pl] = (st + 1) % STAGES;
      const job = mesh ? 1 + Math.floor(rnd() * nJobs) : pl * STAGES + st + 1;
      const uuid = runUuid(t);
      const startSeq = 2 * t + 1;
      const endSeq = 2 * t + 2;
      const at = T0 + t * 60_000;
      const state = rnd() < 0.05 ? 'FAIL' : 'COMPLETE';
      const user = `user${Math.floor(rnd() * 40)}`;
      ins.run.run(id, uuid, job, state, at, at + 30_000, at + 30_000, user, `host${t % 7}`, startSeq, endSeq, id);
      ins.event.run(startSeq, startSeq, `h${startSeq}`, 'START', at, id);
      ins.event.run(endSeq, endSeq, `h${endSeq}`, state, at + 30_000, id);
      ins.end.run(id, id, state, at + 30_000, endSeq);
      ins.fts.run(id * 4 + 1, uuid, '/ws', `bench stage_${job}`, `python stage_${job}.py --seed ${t}`, `${user} host${t % 7}`, '', '');
      const when = at + 15_000;
      const reads: number[] = [];
      if (mesh) {
        for (let k = 0; k < 4; k++) {
          if (rnd() < 0.1 || t < 5) reads.push(hot());
          else {
            const back = 1 + Math.floor(-Math.log(1 - rnd()) * 300);
            const outs = outputsOfRun[Math.max(0, t - back)]!;
            reads.push(outs[Math.floor(rnd() * outs.length)]!);
          }
        }
      } else if (st === 0) {
        reads.push(hot(), hot(), hot(), rnd() < 0.5 ? sharedOfOther(pl) : hot());
      } else {
        const prev = stageOutputs[job - 1]!;
        const earlier = stageOutputs[job - 1 - Math.floor(rnd() * st)]!;
        for (const a of [prev[0]!, prev[1]!, earlier[Math.floor(rnd() * 2)]!, rnd() < 0.2 ? sharedOfOther(pl) : hot()]) reads.push(cur[a] ? a : hot());
      }
      for (const a of reads) access(id, a, cur[a]!, 'READ', when, endSeq);
      access(id, configs[job]!, cur[configs[job]!]!, 'READ', when, endSeq);
      const outs: number[] = [];
      for (let k = 0; k < 2; k++) {
        let a: number;
        let modify: boolean;
        if (mesh) {
          const prev = outputsOfJob[job]!;
          const pick = prev.length > 0 && rnd() < 0.4 ? prev[Math.floor(rnd() * prev.length)]! : 0;
          // One version per artifact per run: a second pick of the same artifact makes a new one.
          modify = pick !== 0 && !outs.includes(pick);
          a = modify ? pick : artifact(`data/area${job % 50}/ds${id}_${k}.parquet`, 'dataset', null, endSeq);
          if (!modify) prev.push(a);
        } else {
          a = stageOutputs[job]![k]!;
          modify = cur[a] !== 0;
        }
        access(id, a, version(a, `run:${uuid}`, 'run', id, when, endSeq), modify ? 'MODIFY' : 'CREATE', when, endSeq);
        outs.push(a);
      }
      outputsOfRun.push(outs);
      const tmp = tmps[job]!;
      const tv = version(tmp, `run:${uuid}`, 'run', id, when, endSeq);
      access(id, tmp, tv, 'CREATE', when, endSeq);
      access(id, tmp, tv, 'DELETE', when, endSeq);
      const part = parts[job]![t % 8]!;
      const partOp = cur[part] ? 'MODIFY' : 'CREATE';
      access(id, part, version(part, `run:${uuid}`, 'run', id, when, endSeq), partOp, when, endSeq);
    }
    for (let a = 1; a <= artId; a++) if (cur[a]) ins.artCur.run(cur[a], a);
  })();
  return { runs: opts.runs, accesses: accId, artifacts: artId, versions: verId };
}

export function runUuid(t: number): string {
  const h = (t + 1).toString(16).padStart(8, '0');
  return `${h}-0000-4000-8000-${(t * 2654435761 >>> 0).toString(16).padStart(12, '0')}`;
}

