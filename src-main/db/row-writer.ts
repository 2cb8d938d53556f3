/**
 * Typed row writers for tables written in bulk (the ingest's hot tables; later column
 * lineage). A table's columns are declared once, in order, with their type; the INSERT
 * statement, the buffer a batch queues rows in, and the writer that flushes it are all
 * derived from that declaration, so a column added or moved cannot misalign a value:
 *
 *   const ACCESSES = declareTable('accesses', { id: 'int', run_id: 'int?', op: 'text', … }, { bulk: true });
 *   const buf = new RowBuffer(ACCESSES);
 *   buf.add({ id: 1, run_id: null, op: 'READ', … });   // every column, by name, type-checked
 *   buf.flush(db);                                      // multi-row INSERTs, then empty
 *
 * Rows are stored by column (integers in Float64Arrays, NaN for null; text in arrays), not as
 * one object or array per row: a batch queues hundreds of thousands of rows, and the columns
 * can move to another thread without copying numbers one by one.
 */
import type BetterSqlite3 from 'better-sqlite3';

/** `int` / `text`, and `?` when NULL is allowed. */
export type ColumnType = 'int' | 'int?' | 'text' | 'text?';
export type Columns = Readonly<Record<string, ColumnType>>;

type ValueOf<T extends ColumnType> = T extends 'int' ? number : T extends 'int?' ? number | null : T extends 'text' ? string : string | null;
/** One row of a declared table: every column, by name, with its declared type. */
export type RowOf<C extends Columns> = { readonly [K in keyof C]: ValueOf<C[K]> };

export interface TableDecl<C extends Columns = Columns> {
  /** The SQL table name. */
  readonly table: string;
  readonly columns: C;
  /** The column names in declaration order (= the order of the INSERT's values). */
  readonly names: readonly (keyof C & string)[];
  /**
   * Multi-row INSERTs (`BULK_ROWS` rows a statement). Only for tables whose keys are appended
   * in order: with a random-key index every row of a multi-row statement journals another page,
   * and for FTS5 every statement savepoint flushes pending terms into a new segment.
   */
  readonly bulk: boolean;
  /** Names the SQL uses for the first column when it is not a real one (FTS5 `rowid`). */
  readonly insertNames?: readonly string[];
}

export function declareTable<const C extends Columns>(table: string, columns: C, opts: { bulk?: boolean; insertNames?: readonly string[] } = {}): TableDecl<C> {
  const names = Object.keys(columns) as (keyof C & string)[];
  if (opts.insertNames && opts.insertNames.length !== names.length) throw new Error(`${table}: insertNames must name every column`);
  return { table, columns, names, bulk: opts.bulk === true, ...(opts.insertNames ? { insertNames: opts.insertNames } : {}) };
}

/** Rows per multi-row INSERT (× ≤ 21 columns, well below SQLite's 32,766 parameters). */
export const BULK_ROWS = 64;

/** `INSERT INTO t (a, b) VALUES (?, ?), …` for `rows` rows, from the declaration. */
export function insertSql(decl: { readonly table: string; readonly names: readonly string[]; readonly insertNames?: readonly string[] }, rows = 1): string {
  const one = `(${decl.names.map(() => '?').join(',')})`;
  return `INSERT INTO ${decl.table} (${(decl.insertNames ?? decl.names).join(', ')}) VALUES ${Array.from({ length: rows }, () => one).join(',')}`;
}

type Stmt = BetterSqlite3.Statement<unknown[], unknown>;

/**
 * A batch's rows of one table as plain data, to write here or hand to another thread (the
 * Float64Arrays' buffers can be transferred, the text arrays are copied).
 */
export interface ColumnData {
  readonly count: number;
  readonly cols: readonly (Float64Array | readonly (string | null)[])[];
}

/** A batch of rows of one declared table, stored by column. */
export class RowBuffer<C extends Columns> {
  /** Per column: numbers (NaN = NULL) for int columns, strings or null for text columns. */
  private cols: (Float64Array | (string | null)[])[];
  private readonly isInt: boolean[];
  private readonly index: Map<string, number>;
  private n = 0;
  private cap: number;

  constructor(readonly decl: TableDecl<C>, capacity = 1024) {
    this.isInt = decl.names.map((k) => decl.columns[k]!.startsWith('int'));
    this.index = new Map(decl.names.map((k, i) => [k, i]));
    this.cols = this.isInt.map((int) => (int ? new Float64Array(capacity) : []));
    this.cap = capacity;
  }

  get count(): number {
    return this.n;
  }

  /** Queues one row; returns its index in this batch (for `set`). */
  add(row: RowOf<C>): number {
    const i = this.n;
    if (i === this.cap) this.grow();
    const names = this.decl.names;
    for (let c = 0; c < names.length; c++) {
      const v = row[names[c]!] as number | string | null;
      if (this.isInt[c]) (this.cols[c] as Float64Array)[i] = v === null ? NaN : (v as number);
      else (this.cols[c] as (string | null)[])[i] = v as string | null;
    }
    this.n = i + 1;
    return i;
  }

  /** Changes one value of a queued row (e.g. a version's size learnt later in the same batch). */
  set<K extends keyof C & string>(rowIndex: number, column: K, value: ValueOf<C[K]>): void {
    const c = this.index.get(column)!;
    if (this.isInt[c]) (this.cols[c] as Float64Array)[rowIndex] = value === null ? NaN : (value as number);
    else (this.cols[c] as (string | null)[])[rowIndex] = value as string | null;
  }

  /** Value `column` of queued row `rowIndex`. */
  get<K extends keyof C & string>(rowIndex: number, column: K): ValueOf<C[K]> {
    return this.valueAt(this.index.get(column)!, rowIndex) as ValueOf<C[K]>;
  }

  /** Inserts every queued row (in the caller's transaction) and empties the buffer. */
  flush(db: BetterSqlite3.Database): void {
    writeColumns(db, this.decl, this.take());
  }

  /** The queued rows as column data (the buffer starts over with new arrays). */
  take(): ColumnData {
    const data = { count: this.n, cols: this.cols };
    this.cols = this.isInt.map((int) => (int ? new Float64Array(this.cap) : []));
    this.n = 0;
    return data;
  }

  clear(): void {
    this.n = 0;
    for (let c = 0; c < this.cols.length; c++) if (!this.isInt[c]) this.cols[c] = [];
  }

  private grow(): void {
    this.cap *= 2;
    this.cols = this.cols.map((col, c) => {
      if (!this.isInt[c]) return col;
      const next = new Float64Array(this.cap);
      next.set(col as Float64Array);
      return next;
    });
  }

  private valueAt(c: number, r: number): number | string | null {
    return valueAt(this.cols[c]!, r);
  }
}

function valueAt(col: Float64Array | readonly (string | null)[], r: number): number | string | null {
  if (!(col instanceof Float64Array)) return col[r] ?? null;
  const v = col[r]!;
  return Number.isNaN(v) ? null : v;
}

const STATEMENTS = new WeakMap<BetterSqlite3.Database, Map<string, { one: Stmt; bulk: Stmt | null }>>();

/** Inserts a batch's rows of `decl` (in the caller's transaction), `BULK_ROWS` a statement where the table allows. */
export function writeColumns(db: BetterSqlite3.Database, decl: Pick<TableDecl, 'table' | 'names' | 'insertNames' | 'bulk'>, data: ColumnData): void {
  if (data.count === 0) return;
  let byTable = STATEMENTS.get(db);
  if (!byTable) STATEMENTS.set(db, (byTable = new Map()));
  let s = byTable.get(decl.table);
  if (!s) {
    s = { one: db.prepare(insertSql(decl, 1)), bulk: decl.bulk ? db.prepare(insertSql(decl, BULK_ROWS)) : null };
    byTable.set(decl.table, s);
  }
  const cols = data.cols;
  const w = cols.length;
  const fill = (params: unknown[], at: number, r: number): void => {
    for (let c = 0; c < w; c++) params[at + c] = valueAt(cols[c]!, r);
  };
  let r = 0;
  if (s.bulk && data.count >= BULK_ROWS) {
    const params = new Array<unknown>(BULK_ROWS * w);
    for (; r + BULK_ROWS <= data.count; r += BULK_ROWS) {
      for (let k = 0; k < BULK_ROWS; k++) fill(params, k * w, r + k);
      s.bulk.run(params);
    }
  }
  const params = new Array<unknown>(w);
  for (; r < data.count; r++) {
    fill(params, 0, r);
    s.one.run(params);
  }
}
