/**
 * The column questions of the API and the CLI, answered as DTOs (shared/columns-dto.ts): a
 * dataset's columns at a snapshot (searchable, paged, each with its inputs and history), a
 * column's upstream or downstream, its impact, and a dataset's schema with a diff.
 */
import {
  type ColumnEdgeDto, type ColumnImpactDto, type ColumnInputDto, type ColumnLineageDto, type ColumnLineageEntryDto,
  type DatasetColumnsDto, type DatasetSchemaDto, type SchemaColumnDto, columnId,
} from '../../../shared/columns-dto';
import type { NodeKind } from '../../../shared/dto';
import { AppError } from '../../../shared/errors';
import { CLS } from '../index-engine/footprint';
import { ALIVE } from '../index-engine/history';
import type { Neighbour } from './column-view';
import { type At, type ColumnsService, stateOf } from './columns-service';
import { walkColumns, type WalkResult } from './column-walk';
import { columnHistories, diffSchemas, EMPTY_STATE, renamesAcross, type SchemaState } from './schema-diff';

export interface AtRequest {
  readonly snapshot?: number;
  readonly asOf?: string;
}

export interface DatasetColumnsRequest extends AtRequest {
  readonly dataset: string;
  /** Case-insensitive part of a column name. */
  readonly query?: string;
  readonly offset?: number;
  readonly limit?: number;
}

export async function datasetColumns(svc: ColumnsService, req: DatasetColumnsRequest): Promise<DatasetColumnsDto> {
  const key = svc.resolve(req.dataset);
  const at = svc.at(req);
  const { view } = await svc.view(at);
  const own = view.ownColumns(key);
  const referenced = view.referencedFields(key);
  const all = [...own.names, ...referenced];
  const q = req.query?.trim().toLowerCase();
  const matching = q ? all.filter((n) => n.toLowerCase().includes(q)) : all;
  const offset = req.offset ?? 0;
  const page = matching.slice(offset, offset + (req.limit ?? 200));
  const histories = columnHistories(await svc.statePoints(key, at.snapshot)).current;
  const info = svc.info(key);
  const referencedSet = new Set(referenced);
  const g = own.governing;
  return {
    dataset: info.label, node: info.node, kind: info.kind, snapshot: at.snapshot, source: own.source,
    writtenBy: g.run ? { run: svc.engine.catalog.run(g.run).uuid, job: svc.engine.catalog.jobLabelOfRun(g.run) } : null,
    ...(own.table ? { tableVersion: own.table.version } : {}),
    total: matching.length, count: all.length, offset,
    columns: page.map((name) => ({
      name, id: columnId(info.namespace, info.name, name), type: own.types.get(name) ?? null,
      inputs: view.inputs(key, name).filter((n) => !n.datasetLevel).map((n) => inputDto(svc, n)),
      history: histories.get(name) ?? [],
      ...(referencedSet.has(name) ? { referencedOnly: true as const } : {}),
    })),
    datasetInputs: view.datasetInputs(key).map((n) => inputDto(svc, n)),
  };
}

function inputDto(svc: ColumnsService, n: Neighbour): ColumnInputDto {
  const i = svc.info(n.key);
  return {
    dataset: i.label, column: n.column, node: i.node, id: columnId(i.namespace, i.name, n.column), transformations: n.transformations,
    ...(n.datasetLevel ? { datasetLevel: true as const } : {}), ...(i.kind === null ? { unknownDataset: true as const } : {}),
  };
}

export interface ColumnLineageRequest extends AtRequest {
  readonly dataset: string;
  readonly column: string;
  readonly direction: 'upstream' | 'downstream';
  readonly depth?: number;
  readonly directOnly?: boolean;
}

/** The column must exist at the snapshot: one sentence naming it and the snapshot otherwise. */
async function startOf(svc: ColumnsService, req: { dataset: string; column: string } & AtRequest) {
  const key = svc.resolve(req.dataset);
  const at = svc.at(req);
  const { view } = await svc.view(at);
  if (!view.has(key, req.column)) {
    throw new AppError('NOT_FOUND', `Column "${req.column}" does not exist in ${svc.info(key).label} ${svc.describe(at)}.`);
  }
  return { key, at, view };
}

export async function columnLineage(svc: ColumnsService, req: ColumnLineageRequest): Promise<ColumnLineageDto> {
  const { key, at, view } = await startOf(svc, req);
  const walk = walkColumns(view, { key, column: req.column }, req.direction, { depth: req.depth ?? null, directOnly: req.directOnly === true });
  const info = svc.info(key);
  const { columns, ids } = entries(svc, walk);
  const nodes = new Set([info.node]);
  for (const c of columns) nodes.add(c.node);
  const up = req.direction === 'upstream';
  const edges: ColumnEdgeDto[] = walk.edges.map((e) => ({
    source: ids[up ? e.far : e.near]!, target: ids[up ? e.near : e.far]!, transformations: e.transformations, ...(e.datasetLevel ? { datasetLevel: true as const } : {}),
  }));
  return {
    dataset: info.label, column: req.column, id: ids[0]!, node: info.node, direction: req.direction,
    snapshot: at.snapshot, depth: req.depth ?? null, directOnly: req.directOnly === true, columns, edges, nodes: [...nodes],
  };
}

/** The reached columns as DTOs (sorted by depth, dataset, column), and every walked column's id by walk index. */
function entries(svc: ColumnsService, walk: WalkResult): { columns: ColumnLineageEntryDto[]; ids: string[] } {
  const infos = new Map<number, ReturnType<ColumnsService['info']>>();
  const ids: string[] = [];
  const columns: ColumnLineageEntryDto[] = [];
  for (let i = 0; i < walk.keys.length; i++) {
    const k = walk.keys[i]!;
    let info = infos.get(k);
    if (!info) infos.set(k, (info = svc.info(k)));
    const id = columnId(info.namespace, info.name, walk.columns[i]!);
    ids.push(id);
    if (i > 0) columns.push({ dataset: info.label, column: walk.columns[i]!, node: info.node, id, kind: info.kind, depth: walk.depths[i]!, transformations: walk.transformations[i]! });
  }
  columns.sort((a, b) => a.depth - b.depth || cmp(a.dataset, b.dataset) || cmp(a.column, b.column));
  return { columns, ids };
}

export interface ColumnImpactRequest extends AtRequest {
  readonly dataset: string;
  readonly column: string;
  readonly depth?: number;
}

/**
 * What depends on a column: its downstream columns and their datasets, then — version-aware,
 * as dataset impact is — the artifacts produced by runs that consumed the versions of its own
 * dataset and of those datasets current at the snapshot (models, experiments… that carry no
 * column lineage).
 */
export async function columnImpact(svc: ColumnsService, req: ColumnImpactRequest): Promise<ColumnImpactDto> {
  const { key, at, view } = await startOf(svc, req);
  const walk = walkColumns(view, { key, column: req.column }, 'downstream', { depth: req.depth ?? null });
  const { columns } = entries(svc, walk);
  const byKey = new Map<number, { columns: string[]; depth: number }>();
  for (let i = 1; i < walk.keys.length; i++) {
    const d = byKey.get(walk.keys[i]!) ?? { columns: [], depth: walk.depths[i]! };
    d.columns.push(walk.columns[i]!);
    d.depth = Math.min(d.depth, walk.depths[i]!);
    byKey.set(walk.keys[i]!, d);
  }
  const datasets = [...byKey].map(([k, d]) => {
    const i = svc.info(k);
    return { dataset: i.label, node: i.node, kind: i.kind, columns: d.columns.sort(cmp), depth: d.depth };
  }).sort((a, b) => a.depth - b.depth || cmp(a.dataset, b.dataset));
  // Its own dataset counts too: a model trained on it consumed the column, lineage or not.
  const consumers = consumersOf(svc, at, [key, ...byKey.keys()], new Set(datasets.map((d) => d.node).concat(svc.info(key).node)));
  const kinds = (k: NodeKind) => new Set([...datasets, ...consumers].filter((d) => d.kind === k).map((d) => d.node)).size;
  const info = svc.info(key);
  return {
    dataset: info.label, column: req.column, id: columnId(info.namespace, info.name, req.column), node: info.node, snapshot: at.snapshot,
    depth: req.depth ?? null, columns, datasets, consumers,
    counts: { columns: columns.length, datasets: datasets.length, trainingSets: kinds('training_dataset'), models: kinds('model') },
  };
}

function consumersOf(svc: ColumnsService, at: At, keys: readonly number[], exclude: ReadonlySet<string>): ColumnImpactDto['consumers'] {
  const engine = svc.engine;
  const h = engine.history(at.snapshot ?? undefined);
  const rollup = engine.index.artRollup.data;
  const versions: number[] = [];
  for (const k of keys) {
    const a = svc.datasets.artifactOf(k, engine.index.meta.lastArtifactId);
    if (!a) continue;
    for (const f of h.seen) if ((f === a || rollup[f] === a) && h.curVer[f] && h.state[f] === ALIVE) versions.push(h.curVer[f]!);
  }
  if (versions.length === 0) return [];
  const raw = engine.impactRaw({ versions }, null, engine.accessLimit(at.snapshot ?? undefined));
  const out: { artifact: string; node: string; kind: NodeKind }[] = [];
  for (const a of raw.arts) {
    if ((raw.artBits[a]! & (CLS.OUTPUT_ADDED | CLS.OUTPUT_MODIFIED)) === 0) continue;
    const rec = engine.catalog.artifact(a);
    if (exclude.has(rec.nodeId)) continue;
    out.push({ artifact: rec.label, node: rec.nodeId, kind: rec.kind });
  }
  return out.sort((x, y) => cmp(x.artifact, y.artifact));
}

export interface DatasetSchemaRequest extends AtRequest {
  readonly dataset: string;
  /** Diff against this snapshot (0 = before the first one). */
  readonly against?: number;
  /** A Delta table's schema at this version instead of at a snapshot… */
  readonly tableVersion?: number;
  /** …diffed against this version. */
  readonly againstTableVersion?: number;
}

export async function datasetSchema(svc: ColumnsService, req: DatasetSchemaRequest): Promise<DatasetSchemaDto> {
  const key = svc.resolve(req.dataset);
  const info = svc.info(key);
  if (req.tableVersion !== undefined || req.againstTableVersion !== undefined) return tableSchema(svc, key, req);
  const at = svc.at(req);
  const { view, warnings } = await svc.view(at);
  const own = view.ownColumns(key);
  const state = stateOf(view, key);
  let diff: DatasetSchemaDto['diff'];
  if (req.against !== undefined) {
    const before = req.against === 0 ? EMPTY_STATE : stateOf((await svc.view(svc.at({ snapshot: req.against }))).view, key);
    // Renames recognised step by step in between (or after, when diffing backwards).
    const last = at.snapshot ?? svc.engine.snapshots().length;
    const [lo, hi] = req.against <= last ? [req.against, last] : [last, req.against];
    const steps = renamesAcross(await svc.statePoints(key, hi), lo, hi);
    const known = req.against <= last ? steps : new Map([...steps].map(([from, r]) => [r.to, { to: from, by: r.by }]));
    diff = { against: { snapshot: req.against }, ...diffSchemas(before, state, known) };
  }
  const art = svc.datasets.artifactOf(key, svc.engine.index.meta.lastArtifactId);
  return {
    dataset: info.label, node: info.node, kind: info.kind, snapshot: at.snapshot, ...(own.table ? { tableVersion: own.table.version } : {}),
    source: own.source, columns: columnsOf(state), ...(diff ? { diff } : {}),
    warnings: warnings.filter((w) => art && w.includes(svc.engine.catalog.artifact(art).label)),
  };
}

async function tableSchema(svc: ColumnsService, key: number, req: DatasetSchemaRequest): Promise<DatasetSchemaDto> {
  const info = svc.info(key);
  const versions = new Set(svc.tableVersions(null).keys());
  if (!info.artifact || !versions.has(info.artifact)) throw new AppError('INVALID_ARGUMENT', `${info.label} is not a Delta table Retrace knows, so it has no table versions.`);
  const stateAt = async (v: number): Promise<SchemaState> => {
    const t = await svc.tableAt(info.artifact, v);
    if (typeof t === 'string') throw new AppError('NOT_FOUND', t);
    return { names: t.columns.map((c) => c.name), types: new Map(t.columns.map((c) => [c.name, c.type])), physical: new Map(t.columns.filter((c) => c.physicalName).map((c) => [c.name, c.physicalName!])), inputs: new Map() };
  };
  const version = req.tableVersion ?? svc.tableVersions(null).get(info.artifact)!;
  const state = await stateAt(version);
  const diff = req.againstTableVersion === undefined ? undefined : { against: { tableVersion: req.againstTableVersion }, ...diffSchemas(await stateAt(req.againstTableVersion), state) };
  return { dataset: info.label, node: info.node, kind: info.kind, snapshot: null, tableVersion: version, source: 'table', columns: columnsOf(state), ...(diff ? { diff } : {}), warnings: [] };
}

function columnsOf(s: SchemaState): SchemaColumnDto[] {
  return s.names.map((n) => ({ name: n, type: s.types.get(n) ?? null, ...(s.physical.has(n) && s.physical.get(n) !== n ? { physicalName: s.physical.get(n)! } : {}) }));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
