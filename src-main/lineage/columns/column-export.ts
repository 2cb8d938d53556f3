/**
 * The `schema` and `columnLineage` facets a run's events carried, back as OpenLineage facets for
 * `retrace export` (read-models/export.ts): each on the dataset and event that carried it, so an
 * exported log ingests into the same column_facets and column_texts again. A facet re-emitted on
 * an event that recorded no new access for its dataset brings that dataset back into the event.
 */
import type { ReadableDb } from '../../db/open-db';
import type { LineageBody, SchemaBody } from '../../provenance/column-facets';

const FACETS = 'https://openlineage.io/spec/facets/1-2-0/';
const PRODUCER = 'https://github.com/retrace/retrace/0.1.0';

interface Row { seq: number; artifact: number; role: string; namespace: string; name: string; schema: string | null; lineage: string | null }

export interface RunColumnFacets {
  /** The datasets of one event, with its column facets added (and datasets only a facet names appended). */
  attach(seq: number, role: 'input' | 'output', datasets: { artifactId: number; dataset: Record<string, unknown> }[]): Record<string, unknown>[];
}

export function columnFacetsOf(db: ReadableDb, runId: number): RunColumnFacets {
  const rows = db.prepare(`SELECT f.seq, f.artifact_id AS artifact, f.role, a.namespace, a.name, s.body AS schema, l.body AS lineage
      FROM column_facets f JOIN artifacts a ON a.id = f.artifact_id
      LEFT JOIN column_texts s ON s.id = f.schema_id LEFT JOIN column_texts l ON l.id = f.lineage_id
     WHERE f.run_id = ? ORDER BY f.id`).all(runId) as Row[];
  const bySeq = new Map<string, Row[]>();
  for (const r of rows) {
    const k = `${r.seq}|${r.role}`;
    bySeq.set(k, [...(bySeq.get(k) ?? []), r]);
  }
  return {
    attach(seq, role, datasets) {
      const out = datasets.map((d) => d.dataset);
      for (const r of bySeq.get(`${seq}|${role}`) ?? []) {
        const i = datasets.findIndex((d) => d.artifactId === r.artifact);
        const target = i >= 0 ? out[i]! : (out[out.push({ namespace: r.namespace, name: r.name, facets: {} }) - 1]!);
        const facets = (target.facets ??= {}) as Record<string, unknown>;
        if (r.schema) facets.schema = schemaFacet(JSON.parse(r.schema) as SchemaBody);
        if (r.lineage) facets.columnLineage = lineageFacet(JSON.parse(r.lineage) as LineageBody);
      }
      return out;
    },
  };
}

function schemaFacet(body: SchemaBody): Record<string, unknown> {
  return { _producer: PRODUCER, _schemaURL: `${FACETS}SchemaDatasetFacet.json`, fields: body.map(([name, type]) => (type === null ? { name } : { name, type })) };
}

function lineageFacet(b: LineageBody): Record<string, unknown> {
  const field = ([d, f, t]: [number, string, number]) => {
    const [namespace, name] = b.d[d]!;
    const set = b.t[t]!;
    return {
      namespace, name, field: f,
      // An unspecified set (the legacy form without a type) stays without transformations.
      ...(set.length ? { transformations: set.map(([type, subtype, description, masking]) => ({ type, ...(subtype ? { subtype } : {}), ...(description ? { description } : {}), ...(masking ? { masking: true } : {}) })) } : {}),
    };
  };
  return {
    _producer: PRODUCER, _schemaURL: `${FACETS}ColumnLineageDatasetFacet.json`,
    fields: Object.fromEntries(b.f.map(([col, ...edges]) => [col, { inputFields: (edges as [number, string, number][]).map(field) }])),
    dataset: b.x.map(field),
  };
}
