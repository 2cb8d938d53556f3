/** Delta table views for the app (DESIGN §5): history, a page of rows, the diff of two versions. */

export interface TableCommitDto {
  readonly version: number;
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
  readonly version: number;
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
