/**
 * The lineage graph at a snapshot, from a HistoryState. Job granularity (default): artifacts
 * (files rolled up into their artifact folder) and jobs, `reads`/`writes` edges, the latest
 * run's code and environment. Run granularity: runs instead of jobs, plus `instance_of`
 * (run → job) and `parent` (run → parent run) edges. Node ids are stable across snapshots.
 */
import type { GraphDto, GraphEdgeDto, GraphNodeDto, RunState } from '../../../shared/dto';
import { type Catalog, shortRunId, shortVersion } from '../index-engine/catalog';
import { OP, RUN_STATE_NAMES } from '../index-engine/columns';
import { artifactNodes } from '../index-engine/artifact-nodes';
import { ALIVE, type HistoryState } from '../index-engine/history';
import type { LineageIndex } from '../index-engine/lineage-index';
import { runOrdinals } from '../index-engine/snapshots';
import type { Granularity } from '../../../shared/lineage-dto';

export function buildGraph(ix: LineageIndex, cat: Catalog, h: HistoryState, snapshot: number | null, granularity: Granularity = 'job'): GraphDto {
  cat.loadAll({ runs: granularity === 'run' });
  const nodes = new Map<string, GraphNodeDto>();
  const edges = new Map<string, GraphEdgeDto>();
  const addEdge = (source: string, target: string, kind: GraphEdgeDto['kind']) => {
    const id = `${source}|${target}|${kind}`;
    if (!edges.has(id)) edges.set(id, { id, source, target, kind });
  };

  // Rolled-up artifacts: alive when the folder (or file) itself is, or any file below it is.
  const rollup = ix.artRollup.data;
  const { alive: nodeAlive, repVer } = artifactNodes(ix, h);
  const stale = new Uint8Array(nodeAlive.length);
  cat.prefetchVersions(h.seen.map((a) => repVer[rollup[a] || a]!));
  for (const a of h.seen) {
    const key = rollup[a] || a;
    if (h.state[a] === ALIVE && h.curVer[a] && h.isStaleVersion(h.curVer[a]!)) stale[key] = 1;
  }

  const runState = (r: number): RunState => {
    const ended = h.endedState(r);
    if (ended) return RUN_STATE_NAMES[ended] as RunState;
    return h.maxSeq === null ? (RUN_STATE_NAMES[ix.runState.data[r]!] as RunState) : 'RUNNING';
  };
  // "train #3": the run's ordinal within its job.
  const ordinal = runOrdinals(ix);
  const runNodeId = (r: number) => `run:${cat.run(r).uuid}`;
  const ensureRun = (r: number): string => {
    const id = runNodeId(r);
    if (!nodes.has(id)) {
      const job = cat.job(ix.runJob.data[r]!);
      const pipeline = cat.pipelineOf(r);
      const rec = cat.run(r);
      // Times for a timeline of runs in their stage's lane; an end the snapshot had not seen yet is left out.
      const ended = rec.endedAt !== null && (h.maxSeq === null || h.endedState(r) !== 0);
      nodes.set(id, {
        id, kind: 'run', label: job ? `${job.name} #${ordinal[r]}` : shortRunId(rec.uuid), state: runState(r), ...(pipeline ? { pipeline } : {}),
        ...(job ? { job: `${job.namespace}/${job.name}` } : {}),
        ...(rec.startedAt !== null ? { startedAt: new Date(rec.startedAt).toISOString() } : {}),
        ...(ended ? { endedAt: new Date(rec.endedAt!).toISOString() } : {}),
      });
    }
    return id;
  };
  const ensureJob = (j: number): string => {
    const job = cat.job(j)!;
    if (!nodes.has(job.nodeId)) {
      const latest = h.jobLatest.get(j);
      const pipeline = latest ? cat.pipelineOf(latest) : null;
      nodes.set(job.nodeId, { id: job.nodeId, kind: 'job', label: job.name, ...(latest ? { state: runState(latest) } : {}), ...(pipeline ? { pipeline } : {}) });
    }
    return job.nodeId;
  };
  /** The process node of a run: its job (job granularity; a run without a job stands alone) or itself. */
  const proc = (r: number): string => {
    const j = ix.runJob.data[r]!;
    return granularity === 'job' && j ? ensureJob(j) : ensureRun(r);
  };
  const linkCodeEnv = (from: string, r: number) => {
    const code = cat.code(ix.runCode.data[r]!);
    if (code) {
      const id = `code:${code.hash}`;
      // "train.py @ f7abae1": which script at which commit (a sha alone repeats on every stage).
      const script = code.path ? code.path.split('/').pop()! : null;
      const at = code.gitSha ? code.gitSha.slice(0, 7) : code.hash.slice(0, 7);
      if (!nodes.has(id)) nodes.set(id, { id, kind: 'code', label: script ? `${script} @ ${at}` : at });
      addEdge(from, id, 'uses_code');
    }
    const env = cat.environment(ix.runEnv.data[r]!);
    if (env) {
      const id = `environment:${env.hash}`;
      const label = env.interpreter ? `${env.interpreter}${env.interpreterVersion ? ' ' + env.interpreterVersion : ''}` : `env ${env.hash.slice(0, 8)}`;
      if (!nodes.has(id)) nodes.set(id, { id, kind: 'environment', label });
      addEdge(from, id, 'uses_environment');
    }
  };
  const ensureArtifact = (key: number): string => {
    const a = cat.artifact(key);
    if (!nodes.has(a.nodeId)) {
      const v = repVer[key] ? { version: shortVersion(cat.version(repVer[key]!)) } : {};
      nodes.set(a.nodeId, { id: a.nodeId, kind: a.kind, label: a.label, ...v, ...(stale[key] ? { stale: true } : {}) });
    }
    return a.nodeId;
  };

  for (const r of h.runs) {
    const p = proc(r);
    if (granularity === 'run') {
      const j = ix.runJob.data[r]!;
      if (j) addEdge(p, ensureJob(j), 'instance_of');
      linkCodeEnv(p, r);
    }
  }
  if (granularity === 'job') {
    for (const [, r] of h.jobLatest) linkCodeEnv(proc(r), r);
  } else {
    for (const r of h.runs) {
      const parent = cat.run(r).parentUuid;
      const pid = parent ? cat.runIdByUuid(parent) : undefined;
      if (pid !== undefined && pid !== r && nodes.has(runNodeId(pid))) addEdge(runNodeId(r), runNodeId(pid), 'parent');
    }
  }

  const found = collectEdges(ix, h.limit, nodeAlive, granularity);
  for (const key of found.artifacts) ensureArtifact(key);
  for (let i = 0; i < found.runs.length; i++) {
    const an = cat.artifact(found.keys[i]!).nodeId;
    const p = proc(found.runs[i]!);
    if (found.reads[i]) addEdge(an, p, 'reads');
    else addEdge(p, an, 'writes');
  }
  return { snapshot, nodes: [...nodes.values()], edges: [...edges.values()] };
}

/**
 * One numeric pass over the history: the artifacts (rolled up, alive) that appear, in first-seen
 * order, and each distinct (process, artifact, direction) with one run that made it. Kept free
 * of closures and strings: this loop runs once per access, the object building once per edge.
 */
function collectEdges(ix: LineageIndex, limit: number, nodeAlive: Uint8Array, granularity: Granularity): { artifacts: number[]; runs: number[]; keys: number[]; reads: number[] } {
  const art = ix.accArt.data, accRun = ix.accRun.data, op = ix.accOp.data, job = ix.runJob.data, rollup = ix.artRollup.data;
  const artifacts: number[] = [], runs: number[] = [], keys: number[] = [], reads: number[] = [];
  const artDone = new Uint8Array(nodeAlive.length);
  const byJob = granularity === 'job';
  // Keys stay below 2^31 per process node, so V8 keeps them as small integers.
  const seenByJob = new Map<number, Set<number>>();
  const seenByRun = new Map<number, Set<number>>();
  for (let x = 1; x <= limit; x++) {
    const a = art[x]!;
    if (a === 0) continue;
    const key = rollup[a] || a;
    if (!nodeAlive[key]) continue;
    if (artDone[key] === 0) {
      artDone[key] = 1;
      artifacts.push(key);
    }
    const r = accRun[x]!;
    const o = op[x]!;
    if (r === 0 || o === OP.OTHER) continue;
    const j = byJob ? job[r]! : 0;
    const map = j !== 0 ? seenByJob : seenByRun;
    const p = j !== 0 ? j : r;
    const ek = key * 2 + (o === OP.READ ? 1 : 0);
    let seen = map.get(p);
    if (!seen) map.set(p, (seen = new Set()));
    if (seen.has(ek)) continue;
    seen.add(ek);
    runs.push(r);
    keys.push(key);
    reads.push(o === OP.READ ? 1 : 0);
  }
  return { artifacts, runs, keys, reads };
}
