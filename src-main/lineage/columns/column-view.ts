/**
 * The column graph at one snapshot, computed lazily per dataset a question touches: which
 * facets govern it, its own columns (declared schema and lineage fields, or its Delta table's
 * schema at the version of that snapshot), which columns other datasets' lineage names, and the
 * edges into and out of a column. Nothing is built for datasets a walk never reaches.
 */
import type { ColumnsSource, TransformationDto } from '../../../shared/columns-dto';
import type { LineageIndex } from '../index-engine/lineage-index';
import type { ColumnFacetIndex, Governing } from './column-facet-index';
import type { ColumnTexts, ParsedLineage } from './column-texts';
import type { DatasetRegistry } from './dataset-registry';

/** A Delta table's schema at the version in force at the snapshot. */
export interface TableColumns {
  readonly version: number;
  readonly columns: readonly { readonly name: string; readonly type: string | null; readonly physicalName?: string }[];
}

/** Own columns of a dataset at the snapshot (not counting names only other datasets' lineage gives it). */
export interface OwnColumns {
  readonly names: readonly string[];
  readonly set: ReadonlySet<string>;
  readonly types: ReadonlyMap<string, string | null>;
  /** Delta column mapping physical names (name → physical), when the table uses it. */
  readonly physical: ReadonlyMap<string, string>;
  readonly source: ColumnsSource;
  readonly governing: Governing;
  readonly table: TableColumns | null;
}

/** One edge met by a walk: the column at the other end and how it is used. */
export interface Neighbour {
  readonly key: number;
  readonly column: string;
  readonly transformations: readonly TransformationDto[];
  readonly direct: boolean;
  readonly datasetLevel: boolean;
}

export class ColumnView {
  private readonly gov = new Map<number, Governing>();
  private readonly own = new Map<number, OwnColumns>();

  constructor(
    readonly ix: LineageIndex,
    readonly facets: ColumnFacetIndex,
    readonly texts: ColumnTexts,
    readonly datasets: DatasetRegistry,
    /** Event seq of the snapshot; null = everything ingested. */
    readonly maxSeq: number | null,
    /** Delta tables' schemas at this snapshot, by artifact id (loaded before the view is used). */
    private readonly tables: ReadonlyMap<number, TableColumns>,
  ) {}

  artifactOf(key: number): number {
    return this.datasets.artifactOf(key, this.ix.meta.lastArtifactId);
  }

  governing(key: number): Governing {
    let g = this.gov.get(key);
    if (!g) {
      g = this.facets.governing(this.ix, this.artifactOf(key), this.maxSeq);
      this.gov.set(key, g);
    }
    return g;
  }

  lineage(key: number): ParsedLineage | null {
    const g = this.governing(key);
    return g.lineage ? this.texts.lineageOf(g.lineage) : null;
  }

  ownColumns(key: number): OwnColumns {
    let o = this.own.get(key);
    if (o) return o;
    const g = this.governing(key);
    const table = this.tables.get(this.artifactOf(key)) ?? null;
    const names: string[] = [];
    const types = new Map<string, string | null>();
    const physical = new Map<string, string>();
    const add = (n: string, t: string | null) => {
      if (!types.has(n)) {
        names.push(n);
        types.set(n, t);
      } else if (types.get(n) === null && t !== null) types.set(n, t);
    };
    for (const c of table?.columns ?? []) {
      add(c.name, c.type);
      if (c.physicalName) physical.set(c.name, c.physicalName);
    }
    if (g.schema) {
      const s = this.texts.schemaOf(g.schema);
      for (const n of s.names) add(n, s.types.get(n) ?? null);
    }
    const l = g.lineage ? this.texts.lineageOf(g.lineage) : null;
    for (const n of l?.cols ?? []) add(n, null);
    const source: ColumnsSource = table ? 'table'
      : g.kind === 'written' ? (names.length ? 'declared' : 'none')
        : g.kind === 'source' && names.length ? 'input-schema'
          : this.governingNamers(key).length ? 'lineage-only' : 'none';
    o = { names, set: new Set(names), types, physical, source, governing: g, table };
    this.own.set(key, o);
    return o;
  }

  /** Flat pairs (consumer key, lineage text) of the texts naming `key` that govern their consumer at this snapshot. */
  private governingNamers(key: number): number[] {
    let hit = this.namers.get(key);
    if (!hit) {
      hit = [];
      const pairs = this.facets.namingPairs(key);
      for (let i = 0; i < pairs.length; i += 2) if (this.governing(pairs[i]!).lineage === pairs[i + 1]) hit.push(pairs[i]!, pairs[i + 1]!);
      this.namers.set(key, hit);
    }
    return hit;
  }
  private readonly namers = new Map<number, number[]>();

  /** Whether lineage governing at this snapshot names column `field` of `key` as an input. */
  isReferenced(key: number, field: string): boolean {
    const n = this.governingNamers(key);
    for (let i = 0; i < n.length; i += 2) if (this.facets.edgesFromDataset(n[i + 1]!, key).has(field)) return true;
    return false;
  }

  /** Columns of `key` named only by other datasets' governing lineage, in first-named order. */
  referencedFields(key: number): string[] {
    const own = this.ownColumns(key).set;
    const out = new Set<string>();
    const n = this.governingNamers(key);
    for (let i = 0; i < n.length; i += 2) for (const f of this.facets.edgesFromDataset(n[i + 1]!, key).keys()) if (!own.has(f)) out.add(f);
    return [...out];
  }

  /** Whether the column exists at this snapshot: own, or named by governing lineage. */
  has(key: number, column: string): boolean {
    return this.ownColumns(key).set.has(column) || this.isReferenced(key, column);
  }

  /** The inputs of a column: its own edges, then (for an own column) the dataset-level ones. */
  inputs(key: number, column: string, into: Neighbour[] = []): Neighbour[] {
    const l = this.lineage(key);
    if (!l) return into;
    const c = l.colIndex.get(column);
    const push = (e: number, datasetLevel: boolean) => {
      const set = l.edgeSet[e]!;
      into.push({ key: l.edgeDs[e]!, column: l.edgeField[e]!, transformations: l.sets[set]!, direct: l.setDirect[set] === 1, datasetLevel });
    };
    if (c !== undefined) for (let e = l.colStart[c]!; e < l.colStart[c + 1]!; e++) push(e, false);
    const n = l.cols.length;
    if (l.colStart[n]! < l.edgeDs.length && this.ownColumns(key).set.has(column)) {
      for (let e = l.colStart[n]!; e < l.edgeDs.length; e++) push(e, true);
    }
    return into;
  }

  /** The dataset-level list of the governing lineage: inputs that feed every own column. */
  datasetInputs(key: number): Neighbour[] {
    const l = this.lineage(key);
    const out: Neighbour[] = [];
    if (!l) return out;
    for (let e = l.colStart[l.cols.length]!; e < l.edgeDs.length; e++) {
      const set = l.edgeSet[e]!;
      out.push({ key: l.edgeDs[e]!, column: l.edgeField[e]!, transformations: l.sets[set]!, direct: l.setDirect[set] === 1, datasetLevel: true });
    }
    return out;
  }

  /** The consumers of a column: columns whose governing lineage names it (a dataset-level edge reaches every own column). */
  consumers(key: number, column: string, into: Neighbour[] = []): Neighbour[] {
    const n = this.governingNamers(key);
    for (let i = 0; i < n.length; i += 2) {
      const target = n[i]!;
      const text = n[i + 1]!;
      const edges = this.facets.edgesFromDataset(text, key).get(column);
      if (!edges) continue;
      const l = this.texts.lineageOf(text);
      for (const e of edges) {
        const set = l.edgeSet[e]!;
        const col = l.edgeCol[e]!;
        const base = { key: target, transformations: l.sets[set]!, direct: l.setDirect[set] === 1 };
        if (col >= 0) into.push({ ...base, column: l.cols[col]!, datasetLevel: false });
        else for (const name of this.ownColumns(target).names) into.push({ ...base, column: name, datasetLevel: true });
      }
    }
    return into;
  }
}
