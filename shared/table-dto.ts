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
  /** Rows in the table after this commit, from file statistics ("version 4 · 12,000 rows"); null when the files do not say. */
  readonly rowCount?: number | null;
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
  /** The columns rows were matched by (the table's key; empty = whole rows). Delta tables only, as are the fields below. */
  readonly key?: string[];
  /**
   * The net difference of version `to` against version `from`: each row added, removed or
   * changed once (a row inserted and deleted in between is not listed), at most `limit` from
   * `offset`, in the order of their first change.
   */
  readonly rows?: TableRowChangeDto[];
  readonly rowCounts?: { readonly added: number; readonly removed: number; readonly changed: number };
}

/** One row of a version diff. `changedColumns` marks the cells that differ (for `changed`). */
export interface TableRowChangeDto {
  readonly change: 'added' | 'removed' | 'changed';
  /** The row's key values; null when the table has no key. */
  readonly key: Record<string, CellDto> | null;
  readonly before: Record<string, CellDto> | null;
  readonly after: Record<string, CellDto> | null;
  readonly changedColumns: string[];
}

/** The commit a time-travel answer came from. */
export interface TableCommitRefDto {
  readonly version: number;
  /** ISO-8601 UTC (the commit time time travel uses). */
  readonly timestamp: string;
  readonly operation: string;
}

/** "Value of key K as of time T", answered from the key index. */
export interface TableValueAsOfDto {
  /** The table's artifact label. */
  readonly table: string;
  readonly keyColumn: string;
  readonly key: string;
  /** ISO-8601 UTC. */
  readonly asOf: string;
  /** The version current at `asOf`, and its commit. */
  readonly version: number;
  readonly commit: TableCommitRefDto;
  /** The row with that key then, or null when there was none. */
  readonly row: Record<string, CellDto> | null;
  /** How many rows had the key (more than one only in tables without a unique key). */
  readonly matches: number;
  /** One sentence when the answer needs a caveat (a time before the first commit). */
  readonly note: string | null;
  /** The same question on the command line, for copying (run in the workspace folder). */
  readonly command: string;
}

/** "Rows changed between T1 and T2": the change feed of the commits in that time range. */
export interface TableChangesDto {
  readonly table: string;
  readonly fromTime: string;
  readonly toTime: string;
  /** The first and last commit in the range; null when no commit falls in it. */
  readonly fromVersion: number | null;
  readonly toVersion: number | null;
  readonly counts: { readonly inserted: number; readonly updated: number; readonly deleted: number };
  /** Change rows: the row plus `_change_type` (insert, update_preimage, update_postimage, delete), `_commit_version` and `_commit_timestamp`. */
  readonly rows: Record<string, CellDto>[];
  /** All change rows in the range (`rows` holds at most `limit` from `offset`). */
  readonly total: number;
  readonly offset: number;
  readonly command: string;
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
