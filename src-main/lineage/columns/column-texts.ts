/**
 * Stored schema and column-lineage bodies (provenance/column-facets.ts), parsed on first use
 * into compact arrays and kept: a lineage text is shared by every run and dataset that emitted
 * it, so a workspace holds far fewer texts than facets.
 */
import type { TransformationDto } from '../../../shared/columns-dto';
import type { ReadableDb } from '../../db/open-db';
import type { LineageBody, SchemaBody, TransformationTuple } from '../../provenance/column-facets';
import type { DatasetRegistry } from './dataset-registry';

/** A lineage body with its datasets resolved to registry keys; edges of column i are `colStart[i] .. colStart[i+1]`, dataset-level ones `colStart[n] ..`. */
export interface ParsedLineage {
  readonly cols: readonly string[];
  readonly colIndex: ReadonlyMap<string, number>;
  readonly colStart: Int32Array;
  readonly edgeDs: Int32Array;
  readonly edgeField: readonly string[];
  readonly edgeSet: Int32Array;
  /** Per edge: the output column it feeds, or -1 for a dataset-level edge (feeds every column). */
  readonly edgeCol: Int32Array;
  /** Per transformation set: the transformations (an empty set reads as one DIRECT). */
  readonly sets: readonly (readonly TransformationDto[])[];
  /** Per set: 1 when it holds a DIRECT transformation (what the "DIRECT only" filter keeps). */
  readonly setDirect: Uint8Array;
}

export interface ParsedSchema {
  readonly names: readonly string[];
  readonly types: ReadonlyMap<string, string | null>;
}

const UNSPECIFIED: readonly TransformationDto[] = [{ type: 'DIRECT' }];

export class ColumnTexts {
  private readonly lineage = new Map<number, ParsedLineage>();
  private readonly schemas = new Map<number, ParsedSchema>();
  private bodyStmt: { get(id: number): unknown } | null = null;

  constructor(private readonly db: ReadableDb, private readonly datasets: DatasetRegistry) {}

  private body(id: number): string {
    this.bodyStmt ??= this.db.prepare('SELECT body FROM column_texts WHERE id = ?').pluck();
    const b = this.bodyStmt.get(id) as string | undefined;
    if (b === undefined) throw new Error(`column text ${id} is missing`);
    return b;
  }

  lineageOf(id: number): ParsedLineage {
    let p = this.lineage.get(id);
    if (!p) {
      p = parseLineage(JSON.parse(this.body(id)) as LineageBody, (ns, name) => this.datasets.key(ns, name));
      this.lineage.set(id, p);
    }
    return p;
  }

  schemaOf(id: number): ParsedSchema {
    let p = this.schemas.get(id);
    if (!p) {
      const body = JSON.parse(this.body(id)) as SchemaBody;
      p = { names: body.map((f) => f[0]), types: new Map(body) };
      this.schemas.set(id, p);
    }
    return p;
  }

  /** Forget everything (the DB was rebuilt under us: ids now mean other texts). */
  clear(): void {
    this.lineage.clear();
    this.schemas.clear();
  }
}

export function parseLineage(b: LineageBody, key: (ns: string, name: string) => number): ParsedLineage {
  const dsKeys = b.d.map(([ns, name]) => key(ns, name));
  let n = b.x.length;
  for (const f of b.f) n += f.length - 1;
  const edgeDs = new Int32Array(n);
  const edgeSet = new Int32Array(n);
  const edgeCol = new Int32Array(n).fill(-1);
  const edgeField: string[] = new Array<string>(n);
  const colStart = new Int32Array(b.f.length + 1);
  const cols: string[] = [];
  const colIndex = new Map<string, number>();
  let e = 0;
  const push = (edge: readonly [number, string, number], col: number) => {
    edgeDs[e] = dsKeys[edge[0]]!;
    edgeCol[e] = col;
    edgeField[e] = edge[1];
    edgeSet[e] = edge[2];
    e++;
  };
  b.f.forEach((entry, i) => {
    colStart[i] = e;
    const name = entry[0] as string;
    cols.push(name);
    colIndex.set(name, i);
    for (let k = 1; k < entry.length; k++) push(entry[k] as [number, string, number], i);
  });
  colStart[b.f.length] = e;
  for (const edge of b.x) push(edge, -1);
  const sets = b.t.map((set) => (set.length ? set.map(toDto) : UNSPECIFIED));
  const setDirect = Uint8Array.from(sets, (set) => (set.some((t) => t.type === 'DIRECT') ? 1 : 0));
  return { cols, colIndex, colStart, edgeDs, edgeField, edgeSet, edgeCol, sets, setDirect };
}

function toDto(t: TransformationTuple): TransformationDto {
  const [type, subtype, description, masking] = t;
  return {
    type: type === 'INDIRECT' ? 'INDIRECT' : 'DIRECT',
    ...(subtype ? { subtype } : {}),
    ...(description ? { description } : {}),
    ...(masking ? { masking: true as const } : {}),
  };
}
