/** Delta table views for the app (DESIGN §5): history, a page of rows, the diff of two versions. */

export interface TableCommitDto {
  /** Delta: the version; Hudi: the index of the instant in the timeline. */
  readonly version: number;
  /** Hudi: the instant (`yyyyMMddHHmmssSSS`). */
  readonly instant?: string;
  /** ISO-8601 UTC. */
  readonly timestamp: string;
  readonly operation: string;
  readonly rowsInserted: number;
  readonly rowsUpdated: number;
  readonly rowsDeleted: number;
}

/** A cell as JSON: timestamps as ISO strings, 64-bit integers as numbers or strings. */
export type CellDto = string | number | boolean | null | CellDto[] | { readonly [k: string]: CellDto };

export interface TablePageDto {
  /** Delta: the version read; Hudi: the index of the instant read in the table's timeline. */
  readonly version: number;
  readonly format?: TableFormat;
  /** Hudi: the instant read. */
  readonly instant?: string;
  /** Damage the read went past (a missing commit a checkpoint covers, …); empty when none. */
  readonly warnings?: readonly string[];
  readonly columns: { readonly name: string; readonly type: string }[];
  readonly rows: Record<string, CellDto>[];
  readonly offset: number;
  readonly hasMore: boolean;
}

export interface TableDiffDto {
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly counts: { readonly inserted: number; readonly updated: number; readonly deleted: number };
  /** Change rows: the row plus `_change_type` and `_commit_version`. */
  readonly changes: Record<string, CellDto>[];
  readonly truncated: boolean;
}

export type TableFormat = 'delta' | 'hudi';

/** One column of a table schema; nested types open up into children (struct fields, `element`, `key`/`value`). */
export interface SchemaNodeDto {
  readonly name: string;
  /** Delta type as text: `long`, `decimal(10,2)`, `array<float>`, `map<string,long>`, `struct<a:long>`. */
  readonly type: string;
  readonly kind: 'primitive' | 'struct' | 'array' | 'map' | 'variant';
  readonly nullable: boolean;
  /** The name in the data files when column mapping renamed the column. */
  readonly physicalName?: string;
  /** An array of numbers (an embedding): render cells with `formatVectorCell`. */
  readonly vector?: boolean;
  readonly children?: readonly SchemaNodeDto[];
}

/** What the inspector says about a table: "Delta · reader 3 / writer 7 · deletionVectors, columnMapping". */
export interface TableInfoDto {
  readonly format: TableFormat;
  /** One line: format, protocol versions and the features that matter. */
  readonly summary: string;
  /** Delta: the version described; Hudi: the index of its latest completed instant (null when it has none). */
  readonly version: number | null;
  /** Hudi: the latest completed instant. */
  readonly instant?: string;
  readonly protocol?: { readonly readerVersion: number; readonly writerVersion: number };
  /** Delta table features, explicit or implied by the protocol versions. */
  readonly readerFeatures: readonly string[];
  readonly writerFeatures: readonly string[];
  readonly hudi?: { readonly tableType: 'COPY_ON_WRITE' | 'MERGE_ON_READ'; readonly tableVersion: number; readonly recordKey: readonly string[]; readonly orderingField?: string };
  readonly columnMapping: 'none' | 'name' | 'id';
  readonly partitionColumns: readonly string[];
  readonly schema: readonly SchemaNodeDto[];
  readonly numFiles: number;
  readonly sizeBytes: number;
  /** From file statistics; null when unknown (no stats, or deletion vectors hide rows). */
  readonly numRecords: number | null;
  /** Damage the reader went past (a missing commit a checkpoint covers, …). */
  readonly warnings: readonly string[];
}
