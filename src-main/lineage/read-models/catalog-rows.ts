/**
 * The catalogue's rows (issue 13 §6): every artifact as the graph draws it and every run, as of
 * a snapshot, with server-side sort, filter and paging. The columns of a whole snapshot are
 * computed once (one pass over the accesses, one query for the runs) and kept per engine until
 * the index changes; a page then costs a slice and the names of its own rows. Reproducibility is
 * not computed here: it needs the files on disk, and the API adds it for the page's runs.
 */
import type { NodeKind, RunState } from '../../../shared/dto';
import { AppError } from '../../../shared/errors';
import {
  CATALOG_ARTIFACT_SORTS, CATALOG_RUN_SORTS, type ArtifactFormat, type CatalogArtifactRowDto, type CatalogPageDto, type CatalogRequest, type CatalogRunRefDto, type CatalogRunRowDto,
} from '../../../shared/catalog-dto';
import { NODE_KINDS } from '../../../shared/dto';
import { shortHash } from '../../../shared/short-hash';
import { artifactNodes } from '../index-engine/artifact-nodes';
import { OP, RUN_STATE_NAMES } from '../index-engine/columns';
import { ALIVE } from '../index-engine/history';
import { eventSeqOf } from '../index-engine/snapshots';
import { ArtifactFormats, loadRunTable, type RunTable } from './catalog-sources';
import { MAX_CATALOG_ROWS, SortableRows } from './catalog-sort';
import type { LineageEngine } from './lineage-engine';
import { staleReasonDtos } from './stale-reasons';

interface ArtifactModel {
  readonly keys: Int32Array;
  readonly writer: Int32Array;
  readonly reader: Int32Array;
  readonly repVer: Int32Array;
  readonly stale: Uint8Array;
  /** Per row: the producing run of a stale version of it (what the first reason is about). */
  readonly staleProducer: Int32Array;
  readonly formats: ArtifactFormat[];
  readonly rows: SortableRows;
}

interface RunModel {
  readonly ids: Int32Array;
  /** As of the snapshot: state, end time (NaN = had not ended) and exit code. */
  readonly state: RunState[];
  readonly endedAt: Float64Array;
  readonly exitCode: Float64Array;
  readonly rows: SortableRows;
}

interface EngineCache {
  key: string;
  runs: RunTable | null;
  artifacts: Map<string, ArtifactModel>;
  runModels: Map<string, RunModel>;
  formats: ArtifactFormats;
}

const caches = new WeakMap<LineageEngine, EngineCache>();

function cacheOf(engine: LineageEngine): EngineCache {
  const m = engine.index.meta;
  const key = `${m.lastAccessId}:${m.lastEventSeq}:${m.lastEnding}:${engine.snapshots().length}`;
  let c = caches.get(engine);
  if (!c) caches.set(engine, (c = { key, runs: null, artifacts: new Map(), runModels: new Map(), formats: new ArtifactFormats(engine.db, engine.workspaceRoot) }));
  if (c.key !== key) Object.assign(c, { key, runs: null, artifacts: new Map(), runModels: new Map() });
  return c;
}

/** One page of the catalogue (run rows carry `repro: null`; the API fills it in). */
export function listCatalog(engine: LineageEngine, req: CatalogRequest): CatalogPageDto {
  engine.refresh();
  const offset = req.offset ?? 0;
  const limit = Math.min(1000, req.limit ?? 100);
  const filter = req.filter ?? '';
  const snapshot = req.snapshot ?? null;
  const cache = cacheOf(engine);
  cache.runs ??= loadRunTable(engine.db, engine.index.meta.lastRunId);
  if (req.what === 'artifacts') {
    const sort = req.sort ?? 'artifact';
    if (!(CATALOG_ARTIFACT_SORTS as readonly string[]).includes(sort)) throw new AppError('INVALID_ARGUMENT', `Artifacts sort by ${CATALOG_ARTIFACT_SORTS.join(', ')}, not "${sort}".`);
    const model = artifactModel(engine, cache, req.snapshot);
    const kind = req.kind === undefined ? -1 : NODE_KINDS.indexOf(req.kind);
    const keep = kind < 0 && req.stale === undefined ? null : (i: number) =>
      (kind < 0 || engine.index.artKind.data[model.keys[i]!] === kind) && (req.stale === undefined || (model.stale[i] === 1) === req.stale);
    const view = model.rows.view(`${sort}|${req.desc ?? false}|${filter}|${req.kind}|${req.stale}`, sort, req.desc ?? false, filter, keep);
    const rows = [...view.subarray(offset, offset + limit)].map((i) => artifactRow(engine, cache.runs!, model, i, snapshot));
    return { what: 'artifacts', total: view.length, all: model.keys.length, offset, snapshot, rows };
  }
  const sort = req.sort ?? 'startedAt';
  if (!(CATALOG_RUN_SORTS as readonly string[]).includes(sort)) throw new AppError('INVALID_ARGUMENT', `Runs sort by ${CATALOG_RUN_SORTS.join(', ')}, not "${sort}".`);
  // Newest first unless a sort is asked for.
  const desc = req.sort === undefined ? true : (req.desc ?? false);
  const model = runModel(engine, cache, req.snapshot);
  const keep = req.state === undefined ? null : (i: number) => model.state[i] === req.state;
  const view = model.rows.view(`${sort}|${desc}|${filter}|${req.state}`, sort, desc, filter, keep);
  const rows = [...view.subarray(offset, offset + limit)].map((i) => runRow(engine, cache.runs!, model, i));
  return { what: 'runs', total: view.length, all: model.ids.length, offset, snapshot, rows };
}

/** When a run happened, as of the snapshot: its end if it had ended by then, else its start. */
function runTime(t: RunTable, r: number, endedBy: (r: number) => boolean): number {
  const end = endedBy(r) ? t.endedAt[r]! : NaN;
  if (!Number.isNaN(end)) return end;
  return Number.isNaN(t.startedAt[r]!) ? t.lastEventAt[r]! : t.startedAt[r]!;
}

function endedByFn(engine: LineageEngine, snapshot: number | undefined): (r: number) => boolean {
  const ix = engine.index;
  // Now: a run has ended when it recorded an end time.
  if (snapshot === undefined) return () => true;
  const maxSeq = eventSeqOf(engine.snapshots(), snapshot);
  return (r) => {
    const e = ix.runEnd.data[r] ?? 0;
    return e !== 0 && ix.endEventSeq.data[e]! <= maxSeq;
  };
}

function artifactModel(engine: LineageEngine, cache: EngineCache, snapshot: number | undefined): ArtifactModel {
  const hit = cache.artifacts.get(String(snapshot));
  if (hit) return hit;
  const ix = engine.index;
  const cat = engine.catalog;
  const h = engine.history(snapshot);
  const nodes = artifactNodes(ix, h);
  const keyList = nodes.keys.filter((k) => nodes.alive[k] === 1);
  if (keyList.length > MAX_CATALOG_ROWS) throw new AppError('UNSUPPORTED', `The catalogue lists at most ${MAX_CATALOG_ROWS} artifacts; this workspace has ${keyList.length}.`);
  const n = ix.meta.lastArtifactId + 1;
  const rowOf = new Int32Array(n).fill(-1);
  keyList.forEach((k, i) => (rowOf[k] = i));
  const keys = Int32Array.from(keyList);
  const writer = new Int32Array(keys.length), reader = new Int32Array(keys.length);
  const stale = new Uint8Array(keys.length), staleProducer = new Int32Array(keys.length);
  const art = ix.accArt.data, run = ix.accRun.data, op = ix.accOp.data, rollup = ix.artRollup.data;
  for (let x = 1; x <= h.limit; x++) {
    const r = run[x]!;
    if (r === 0) continue;
    const row = rowOf[rollup[art[x]!] || art[x]!]!;
    if (row < 0) continue;
    const o = op[x]!;
    if (o === OP.READ) reader[row] = r;
    else if (o !== OP.OTHER) writer[row] = r;
  }
  for (const a of h.seen) {
    const row = rowOf[rollup[a] || a]!;
    if (row < 0 || h.state[a] !== ALIVE || !h.curVer[a] || stale[row]) continue;
    if (h.isStaleVersion(h.curVer[a]!)) {
      stale[row] = 1;
      staleProducer[row] = ix.verProducer.data[h.curVer[a]!]!;
    }
  }
  cat.loadAll({ runs: false });
  const formatOf = cache.formats.all(ix.meta.lastArtifactId);
  const formats = keyList.map(formatOf);
  const labels = keyList.map((k) => cat.artifact(k).label);
  const kinds = keyList.map((k) => NODE_KINDS[ix.artKind.data[k]!] ?? 'file');
  const runs = cache.runs!;
  const endedBy = endedByFn(engine, snapshot);
  const timeOf = (col: Int32Array) => Float64Array.from(col, (r) => (r === 0 ? NaN : runTime(runs, r, endedBy)));
  const rows = new SortableRows(keys.length, {
    artifact: { text: labels }, kind: { text: kinds }, format: { text: formats },
    version: { num: Float64Array.from(keys, (k) => (nodes.repVer[k] ? nodes.repVer[k]! : NaN)) },
    lastWrite: { num: timeOf(writer) }, lastRead: { num: timeOf(reader) }, stale: { num: Float64Array.from(stale) },
  }, (i) => `${labels[i]}\u0001${kinds[i]}\u0001${formats[i]}`);
  const model: ArtifactModel = { keys, writer, reader, repVer: Int32Array.from(keys, (k) => nodes.repVer[k]!), stale, staleProducer, formats, rows };
  cache.artifacts.set(String(snapshot), model);
  return model;
}

function artifactRow(engine: LineageEngine, runs: RunTable, m: ArtifactModel, i: number, snapshot: number | null): CatalogArtifactRowDto {
  const cat = engine.catalog;
  const a = cat.artifact(m.keys[i]!);
  const endedBy = endedByFn(engine, snapshot ?? undefined);
  const ref = (r: number): CatalogRunRefDto | null => {
    if (r === 0) return null;
    const t = runTime(runs, r, endedBy);
    return { run: runs.uuid[r] ?? cat.run(r).uuid, job: runs.job[r] ?? null, at: Number.isNaN(t) ? null : new Date(t).toISOString() };
  };
  const v = m.repVer[i]! ? cat.version(m.repVer[i]!) : null;
  let staleReason: string | null = null;
  if (m.stale[i]) {
    const h = engine.history(snapshot ?? undefined);
    staleReason = staleReasonDtos(engine, h.staleReasons(m.staleProducer[i]!))[0]?.message ?? null;
  }
  return {
    id: a.nodeId, artifact: a.label, kind: a.kind as NodeKind, format: m.formats[i]!, version: v, versionShort: v === null ? null : shortHash(v),
    lastWriter: ref(m.writer[i]!), lastReader: ref(m.reader[i]!), stale: m.stale[i] === 1, staleReason,
  };
}

function runModel(engine: LineageEngine, cache: EngineCache, snapshot: number | undefined): RunModel {
  const hit = cache.runModels.get(String(snapshot));
  if (hit) return hit;
  const ix = engine.index;
  const t = cache.runs!;
  const maxSeq = snapshot === undefined ? null : eventSeqOf(engine.snapshots(), snapshot);
  const endedBy = endedByFn(engine, snapshot);
  const idList: number[] = [];
  for (let r = 1; r <= ix.meta.lastRunId; r++) {
    if (t.uuid[r] === undefined) continue;
    if (maxSeq !== null && ix.runFirstSeq.data[r]! > maxSeq) continue;
    idList.push(r);
  }
  if (idList.length > MAX_CATALOG_ROWS) throw new AppError('UNSUPPORTED', `The catalogue lists at most ${MAX_CATALOG_ROWS} runs; this workspace has ${idList.length}.`);
  const ids = Int32Array.from(idList);
  const state = idList.map((r) => (maxSeq === null ? t.state[r]! : endedBy(r) ? (RUN_STATE_NAMES[ix.endState.data[ix.runEnd.data[r]!]!] as RunState) : 'RUNNING'));
  const endedAt = Float64Array.from(idList, (r) => (maxSeq === null || endedBy(r) ? t.endedAt[r]! : NaN));
  const exitCode = Float64Array.from(idList, (r, i) => (Number.isNaN(endedAt[i]!) && maxSeq !== null ? NaN : t.exitCode[r]!));
  const startedAt = Float64Array.from(idList, (r) => t.startedAt[r]!);
  const uuids = idList.map((r) => t.uuid[r]!);
  const jobs = idList.map((r) => t.job[r]!);
  const users = idList.map((r) => t.user[r]!);
  const rows = new SortableRows(ids.length, {
    run: { text: uuids }, job: { text: jobs }, state: { text: state }, user: { text: users },
    startedAt: { num: startedAt }, endedAt: { num: endedAt }, durationMs: { num: Float64Array.from(endedAt, (e, i) => e - startedAt[i]!) }, exitCode: { num: exitCode },
  }, (i) => `${uuids[i]}\u0001${jobs[i] ?? ''}\u0001${users[i] ?? ''}\u0001${state[i]}`);
  const model: RunModel = { ids, state, endedAt, exitCode, rows };
  cache.runModels.set(String(snapshot), model);
  return model;
}

function runRow(engine: LineageEngine, t: RunTable, m: RunModel, i: number): CatalogRunRowDto {
  const r = m.ids[i]!;
  const uuid = t.uuid[r]!;
  const job = engine.catalog.job(engine.index.runJob.data[r]!);
  const iso = (x: number) => (Number.isNaN(x) ? null : new Date(x).toISOString());
  const started = t.startedAt[r]!, ended = m.endedAt[i]!;
  return {
    run: uuid, id: job ? job.nodeId : `run:${uuid}`, runId: `run:${uuid}`, job: t.job[r] ?? null, state: m.state[i]!, user: t.user[r] ?? null,
    startedAt: iso(started), endedAt: iso(ended), durationMs: Number.isNaN(ended - started) ? null : ended - started,
    exitCode: Number.isNaN(m.exitCode[i]!) ? null : m.exitCode[i]!, repro: null,
  };
}
