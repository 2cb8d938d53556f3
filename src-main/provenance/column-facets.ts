/**
 * The `columnLineage` and `schema` dataset facets, read into compact bodies the ingest stores
 * once per distinct text (column_texts) and the column engine expands when asked. Pure and
 * tolerant: a malformed part is dropped and counted, never fatal.
 *
 * Every published form of the lineage facet is accepted (notes/column-lineage.md §1):
 *   1-0-0  fields.COL.inputFields[{namespace, name, field}]
 *   1-0-1  + per output column `transformationType` / `transformationDescription` (legacy)
 *   1-1-0  + inputFields[i].transformations[{type, subtype, description, masking}]
 *   1-2-0  + the dataset-level `dataset` list: inputs that affect every column of the output
 * An input field without transformations (or with an empty list) is DIRECT; the legacy type of
 * its output column, when one is given, is kept as the subtype ("IDENTITY", "COPY", "MASKED").
 * The dataset-level list is stored once, never multiplied into every column.
 */
import { type Facets, isPlainObject, type WarningKind } from './records';

/** `[type, subtype?, description?, masking?]`: one transformation, as small as JSON allows. */
export type TransformationTuple = [type: string, subtype?: string, description?: string, masking?: 1];
/** One input of an output column: `[dataset index, field, transformation-set index]`. */
export type EdgeTuple = [dataset: number, field: string, transformations: number];

/** The normalised lineage facet (`column_texts.body` as JSON). */
export interface LineageBody {
  /** Datasets the edges point at, normalised like the ingest names artifacts: `[namespace, name]`. */
  readonly d: [string, string][];
  /** Distinct transformation sets; an empty set means "unspecified", read as DIRECT. */
  readonly t: TransformationTuple[][];
  /** Output columns in facet order with their input edges. */
  readonly f: [column: string, ...edges: EdgeTuple[]][];
  /** The dataset-level list (1-2-0): edges into every column of the output. */
  readonly x: EdgeTuple[];
}

/** The normalised schema facet: `[name, type | null]` per top-level field, in order. */
export type SchemaBody = [string, string | null][];

export interface ColumnFacetsRead {
  readonly schema: string | null;
  readonly lineage: string | null;
  /** The lineage body's datasets (its `d` list) as JSON. */
  readonly refs: string | null;
  /** Parts dropped as malformed (an input field without a name, a transformation without a type…). */
  readonly invalid: number;
}

/** Maps a dataset as an event names it to the identity the ingest gives its artifact. */
export type DatasetNamer = (namespace: string, name: string) => readonly [string, string];

const TYPES = new Set(['DIRECT', 'INDIRECT']);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Both facets of one dataset, as body texts (null when the facet is absent or says nothing). */
export function readColumnFacets(facets: Facets, name: DatasetNamer): ColumnFacetsRead {
  const counter = { invalid: 0 };
  const schema = isPlainObject(facets.schema) ? schemaBody(facets.schema, counter) : null;
  const lineage = isPlainObject(facets.columnLineage) ? lineageBody(facets.columnLineage, name, counter) : null;
  return {
    schema: schema && schema.length ? JSON.stringify(schema) : null, lineage: lineage ? JSON.stringify(lineage) : null,
    refs: lineage ? JSON.stringify(lineage.d) : null, invalid: counter.invalid,
  };
}

function schemaBody(facet: Record<string, unknown>, counter: { invalid: number }): SchemaBody {
  const out: SchemaBody = [];
  if (!Array.isArray(facet.fields)) {
    counter.invalid++;
    return out;
  }
  const seen = new Set<string>();
  for (const f of facet.fields) {
    if (!isPlainObject(f) || typeof f.name !== 'string' || f.name === '' || seen.has(f.name)) {
      counter.invalid++;
      continue;
    }
    seen.add(f.name);
    out.push([f.name, text(f.type) ?? null]);
  }
  return out;
}

function lineageBody(facet: Record<string, unknown>, name: DatasetNamer, counter: { invalid: number }): LineageBody | null {
  // Hot path of an ingest with column lineage (a facet per output, often 100+ columns): plain
  // loops, string keys, no per-edge closures or JSON.stringify.
  const d: [string, string][] = [];
  const dIndex = new Map<string, number>();
  const t: TransformationTuple[][] = [];
  const tIndex = new Map<string, number>();
  const readEdge = (v: unknown, legacy: { key: string; set: TransformationTuple[] } | null): EdgeTuple | null => {
    if (!isPlainObject(v)) {
      counter.invalid++;
      return null;
    }
    const ns = v.namespace, n = v.name, field = v.field;
    if (typeof ns !== 'string' || typeof n !== 'string' || n === '' || typeof field !== 'string' || field === '') {
      counter.invalid++;
      return null;
    }
    const dKey = ns + '\u0000' + n;
    let di = dIndex.get(dKey);
    if (di === undefined) {
      di = d.length;
      const [a, b] = name(ns || 'default', n);
      d.push([a, b]);
      dIndex.set(dKey, di);
    }
    let key = '';
    let set: TransformationTuple[] | null = null;
    const ts = v.transformations;
    if (Array.isArray(ts) && ts.length > 0) {
      for (const x of ts) {
        if (!isPlainObject(x) || typeof x.type !== 'string') {
          counter.invalid++;
          continue;
        }
        const type = x.type === 'DIRECT' || x.type === 'INDIRECT' ? x.type : x.type.toUpperCase();
        if (!TYPES.has(type)) {
          counter.invalid++;
          continue;
        }
        const subtype = typeof x.subtype === 'string' ? x.subtype : '';
        const description = typeof x.description === 'string' ? x.description : '';
        const masking = x.masking === true;
        key += type + '\u0001' + subtype + '\u0001' + description + (masking ? '\u0001m\u0002' : '\u0002');
        (set ??= []).push(tuple(type, subtype, description, masking));
      }
    }
    if (set === null && legacy) {
      key = legacy.key;
      set = legacy.set;
    }
    let ti = tIndex.get(key);
    if (ti === undefined) {
      ti = t.length;
      t.push(set ?? []);
      tIndex.set(key, ti);
    }
    return [di, field, ti];
  };

  const f: LineageBody['f'] = [];
  const fields = facet.fields;
  if (isPlainObject(fields)) {
    for (const col in fields) {
      const spec = fields[col];
      if (!isPlainObject(spec) || !Array.isArray(spec.inputFields)) {
        counter.invalid++;
        continue;
      }
      const legacyType = text(spec.transformationType);
      const legacyText = text(spec.transformationDescription);
      // Keyed as the same transformation written out would be: one body whichever form said it.
      const lt = legacyType || legacyText ? legacyTuple(legacyType, legacyText) : null;
      const legacy = lt ? { key: `${lt[0]}\u0001${lt[1] ?? ''}\u0001${lt[2] ?? ''}${lt[3] ? '\u0001m\u0002' : '\u0002'}`, set: [lt] } : null;
      const entry: [string, ...EdgeTuple[]] = [col];
      for (const x of spec.inputFields) {
        const e = readEdge(x, legacy);
        if (e) entry.push(e);
      }
      f.push(entry);
    }
  } else if (fields !== undefined) counter.invalid++;
  const x: EdgeTuple[] = [];
  // `dataset: []` (dbt, Airflow) says nothing; a non-array is malformed.
  if (Array.isArray(facet.dataset)) {
    for (const v of facet.dataset) {
      const e = readEdge(v, null);
      if (e) x.push(e);
    }
  } else if (facet.dataset !== undefined) counter.invalid++;
  if (f.length === 0 && x.length === 0) return null;
  return { d, t, f, x };
}

function tuple(type: string, subtype: string, description: string, masking: boolean): TransformationTuple {
  if (masking) return [type, subtype, description, 1];
  if (description) return [type, subtype, description];
  if (subtype) return [type, subtype];
  return [type];
}

/** The 1-0-1 per-column form: DIRECT, its type kept as the subtype ("MASKED" also sets masking). */
function legacyTuple(type: string | undefined, description: string | undefined): TransformationTuple {
  const tuple: TransformationTuple = ['DIRECT', type ?? ''];
  if (description || type === 'MASKED') tuple.push(description ?? '');
  if (type === 'MASKED') tuple.push(1);
  return tuple;
}

/** What the ingest's store offers for recording (ProvenanceStore). */
export interface ColumnFacetSink {
  warn(kind: WarningKind, n?: number): void;
  columnText(body: string, refs: string | null): number;
  addColumnFacet(runId: number, artifactId: number, role: 'input' | 'output', seq: number, schemaId: number | null, lineageId: number | null): void;
}

/**
 * Records the `schema` and `columnLineage` facets one event carried for one dataset of a run,
 * each body stored once and each re-emission that repeats the run's previous one skipped: per
 * run and dataset, a facet emitted again replaces the earlier one (DESIGN §3). Lineage is kept
 * for outputs only (an input's lineage facet describes how someone else made it).
 */
export function recordColumnFacets(sink: ColumnFacetSink, run: { readonly id: number; readonly columnTexts: Map<string, number> }, artifactId: number,
  role: 'input' | 'output', facets: Facets, seq: number, name: DatasetNamer): void {
  const read = readColumnFacets(facets, name);
  if (read.invalid) sink.warn('invalid_column_lineage', read.invalid);
  const fresh = (kind: string, body: string | null, refs: string | null): number | null => {
    if (body === null) return null;
    const id = sink.columnText(body, refs);
    const key = `${role} ${kind} ${artifactId}`;
    if (run.columnTexts.get(key) === id) return null;
    run.columnTexts.set(key, id);
    return id;
  };
  const schemaId = fresh('schema', read.schema, null);
  const lineageId = role === 'output' ? fresh('lineage', read.lineage, read.refs) : null;
  if (schemaId !== null || lineageId !== null) sink.addColumnFacet(run.id, artifactId, role, seq, schemaId, lineageId);
}
