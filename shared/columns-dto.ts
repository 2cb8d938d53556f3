import type { NodeKind } from './dto';

/**
 * Column-level (feature-level) lineage (issue 19, DESIGN §4 "Column lineage"). A dataset is
 * named as `retrace graph` labels it (a workspace-relative path, else `namespace/name`); `node`
 * is the id of the graph node it is drawn in (`artifact:<ns>/<name>`, a file rolled up into its
 * artifact folder gives the folder's node). Every answer is as of one snapshot.
 */

/** One transformation on an edge (OpenLineage ColumnLineageDatasetFacet 1-1-0+). */
export interface TransformationDto {
  /** DIRECT (the value is derived from the input) or INDIRECT (the input influences it: filter, join, group-by…). */
  readonly type: 'DIRECT' | 'INDIRECT';
  /** IDENTITY, TRANSFORMATION, AGGREGATION, JOIN, GROUP_BY, FILTER, SORT, WINDOW, CONDITIONAL; a legacy (1-0-1) facet's transformationType as given. */
  readonly subtype?: string;
  readonly description?: string;
  readonly masking?: true;
}

/** A dataset as column answers name it. */
export interface ColumnDatasetRefDto {
  readonly dataset: string;
  /** The graph node to draw its columns in. */
  readonly node: string;
  /** null when the dataset was never an input or output of any event (known only from column lineage). */
  readonly kind: NodeKind | null;
}

/** `column:<ns>/<name>#<column>`: a column node's id, stable across snapshots. */
export type ColumnId = string;

/** One input of a column (an edge into it), with how the input is used. */
export interface ColumnInputDto {
  readonly dataset: string;
  readonly column: string;
  readonly node: string;
  readonly id: ColumnId;
  readonly transformations: readonly TransformationDto[];
  /** True for an entry of the dataset-level list (1-2-0): it feeds every column of the dataset. */
  readonly datasetLevel?: true;
  /** True when the input's dataset was never an input or output of any event. */
  readonly unknownDataset?: true;
}

/** A change in a column's life, as of the snapshot asked about. */
export interface ColumnHistoryEventDto {
  readonly change: 'appeared' | 'renamed' | 'type_changed' | 'dropped';
  readonly snapshot: number;
  /** ISO time of that snapshot. */
  readonly at: string;
  /** The column's name after the change (its name before, for `dropped`). */
  readonly column: string;
  /** renamed: the old name; type_changed: the old type. */
  readonly from?: string;
  /** type_changed: the new type. */
  readonly to?: string;
  /** How a rename was recognised: a Delta column-mapping physical name kept, or the same inputs. */
  readonly by?: 'column-mapping' | 'lineage';
  /** The Delta table version, when the change is a table commit. */
  readonly tableVersion?: number;
}

export interface DatasetColumnDto {
  readonly name: string;
  readonly id: ColumnId;
  readonly type: string | null;
  /** Its direct inputs at the snapshot (the dataset-level list is in `datasetInputs`, not repeated here). */
  readonly inputs: readonly ColumnInputDto[];
  /** Appeared / renamed / type changed, oldest first, up to the snapshot. */
  readonly history: readonly ColumnHistoryEventDto[];
  /** Known only because another dataset's column lineage names it (not in this dataset's own schema). */
  readonly referencedOnly?: true;
}

/** Where a dataset's columns at a snapshot come from. */
export type ColumnsSource =
  /** the schema / column lineage its last completed writer declared */
  | 'declared'
  /** never written by then: its `schema` facet as an input */
  | 'input-schema'
  /** a Delta table: the schema of its version at the snapshot (with what the writer declared) */
  | 'table'
  /** only other datasets' column lineage names its columns */
  | 'lineage-only'
  | 'none';

/** getDatasetColumns: a page of a dataset's columns at a snapshot, searchable. */
export interface DatasetColumnsDto extends ColumnDatasetRefDto {
  /** The snapshot answered; null = now (everything ingested). */
  readonly snapshot: number | null;
  readonly source: ColumnsSource;
  /** The completed run whose output declared them (null for sources, tables without a declaring run, lineage-only). */
  readonly writtenBy: { readonly run: string; readonly job: string | null } | null;
  /** The Delta table version at the snapshot, for a table. */
  readonly tableVersion?: number;
  /** Columns matching `query` (before paging). */
  readonly total: number;
  /** All columns at the snapshot (whatever the query). */
  readonly count: number;
  readonly offset: number;
  readonly columns: readonly DatasetColumnDto[];
  /** The dataset-level list (1-2-0): inputs that feed every column. */
  readonly datasetInputs: readonly ColumnInputDto[];
}

/** One column reached by an upstream / downstream walk. */
export interface ColumnLineageEntryDto {
  readonly dataset: string;
  readonly column: string;
  readonly node: string;
  readonly id: ColumnId;
  readonly kind: NodeKind | null;
  /** Edges on the shortest path from the queried column (1 = a direct input or consumer). */
  readonly depth: number;
  /** The `{type, subtype}` of the edges that reach it from the columns one step closer. */
  readonly transformations: readonly TransformationDto[];
}

/** An edge of the walk, always oriented as data flows: `source` feeds `target`. */
export interface ColumnEdgeDto {
  readonly source: ColumnId;
  readonly target: ColumnId;
  readonly transformations: readonly TransformationDto[];
  readonly datasetLevel?: true;
}

/** getColumnLineage: the transitive upstream or downstream of one column. */
export interface ColumnLineageDto {
  readonly dataset: string;
  readonly column: string;
  readonly id: ColumnId;
  readonly node: string;
  readonly direction: 'upstream' | 'downstream';
  readonly snapshot: number | null;
  readonly depth: number | null;
  readonly directOnly: boolean;
  /** Sorted by depth, then dataset, then column; the queried column is not listed. */
  readonly columns: readonly ColumnLineageEntryDto[];
  /** Edges between the queried column and the listed ones that lie on shortest paths. */
  readonly edges: readonly ColumnEdgeDto[];
  /** Graph node ids the walk passes through (the queried column's node first), for colouring. */
  readonly nodes: readonly string[];
}

/** getColumnImpact: everything that depends on a column, version-aware. */
export interface ColumnImpactDto {
  readonly dataset: string;
  readonly column: string;
  readonly id: ColumnId;
  readonly node: string;
  readonly snapshot: number | null;
  readonly depth: number | null;
  /** Downstream columns (as getColumnLineage downstream). */
  readonly columns: readonly ColumnLineageEntryDto[];
  /** Datasets holding those columns, nearest first. */
  readonly datasets: readonly (ColumnDatasetRefDto & { readonly columns: readonly string[]; readonly depth: number })[];
  /**
   * Artifacts without column lineage that consumed those datasets' versions (DESIGN §4 impact,
   * version-aware): models, training sets, experiments… reached through the runs that read them.
   */
  readonly consumers: readonly { readonly artifact: string; readonly node: string; readonly kind: NodeKind }[];
  readonly counts: { readonly columns: number; readonly datasets: number; readonly trainingSets: number; readonly models: number };
}

export interface SchemaColumnDto {
  readonly name: string;
  readonly type: string | null;
  /** Delta column mapping: the physical name, when it differs from the name. */
  readonly physicalName?: string;
}

export interface SchemaDiffDto {
  readonly added: readonly SchemaColumnDto[];
  readonly dropped: readonly SchemaColumnDto[];
  readonly renamed: readonly { readonly from: string; readonly to: string; readonly type: string | null; readonly by: 'column-mapping' | 'lineage' }[];
  readonly typeChanged: readonly { readonly column: string; readonly from: string; readonly to: string }[];
}

/** getDatasetSchema: a dataset's schema at a snapshot (or table version), with a diff against another. */
export interface DatasetSchemaDto extends ColumnDatasetRefDto {
  readonly snapshot: number | null;
  readonly tableVersion?: number;
  readonly source: ColumnsSource;
  readonly columns: readonly SchemaColumnDto[];
  /** With `against`: what changed from that snapshot (or table version) to this one. */
  readonly diff?: SchemaDiffDto & { readonly against: { readonly snapshot?: number | null; readonly tableVersion?: number } };
  /** E.g. a table whose version could not be read: the schema shown is what the events declared. */
  readonly warnings: readonly string[];
}

/** The id of a column node: the dataset's `namespace/name`, then `#`, then the column. */
export function columnId(namespace: string, name: string, column: string): ColumnId {
  return `column:${namespace}/${name}#${column}`;
}
