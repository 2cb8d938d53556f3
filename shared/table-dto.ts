/** Delta table views for the app (DESIGN §5): history, a page of rows, the diff of two versions. */

export interface TableCommitDto {
  readonly version: number;
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
}
