import fs from 'node:fs';
import * as pw from 'parquet-wasm';
import {
  type Field as ArrowField, type Table as ArrowTable, Table as ArrowTableClass, RecordBatch, Schema, Struct, makeData, tableFromIPC, tableToIPC,
} from 'apache-arrow';
import { AppError } from '../../shared/errors';

/**
 * The only module that talks to parquet-wasm. Reads go through `ParquetFile` over a file-backed
 * Blob, because that path honours `columns` and `rowGroups` (the sync `readParquet` ignores
 * `columns`; see notes/table-formats.md §3.1).
 */
export interface ParquetSlice {
  /** Arrow table with only the requested columns that exist in the file. */
  readonly table: ArrowTable;
  /** Physical row index in the file of each row of `table`, in order (for deletion vectors). */
  readonly rowIndexOf: (i: number) => number;
  /** Column names present in the file (top level). */
  readonly fileColumns: readonly string[];
}

export interface ParquetReadOptions {
  readonly columns?: readonly string[];
  /** Chooses the columns from the file's own schema (column mapping by field id); wins over `columns`. */
  readonly select?: (fields: readonly ArrowField[]) => readonly string[];
  readonly rowGroups?: readonly number[];
  /** Rows to skip, then rows to read, within the selected row groups (one row of a point lookup). */
  readonly offset?: number;
  readonly limit?: number;
}

export interface ParquetLayout {
  readonly columns: readonly string[];
  readonly fields: readonly ArrowField[];
  /** Rows per row group, in order. */
  readonly rowGroupRows: readonly number[];
  readonly numRows: number;
}

async function open(path: string): Promise<pw.ParquetFile> {
  if (!fs.existsSync(path)) throw new AppError('NOT_FOUND', `Data file ${path} is missing.`);
  try {
    return await pw.ParquetFile.fromFile(await fs.openAsBlob(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('NOT_FOUND', `Data file ${path} is missing.`);
    throw new AppError('STORE_CORRUPT', `Data file ${path} is not a readable Parquet file (${(err as Error).message}).`);
  }
}

/**
 * Open files with their parsed footers, kept for the next ranged read (a point lookup reads the
 * key column, then one row: the footer would be parsed twice, and again per lookup). Data files
 * never change once written, so size and mtime only guard against one being replaced or removed.
 * A handle is checked out while in use, so no two reads share one.
 */
interface Handle { readonly file: pw.ParquetFile; readonly size: number; readonly mtimeMs: number }
const MAX_HANDLES = 64;
const handles = new Map<string, Handle>();

async function checkout(path: string): Promise<{ file: pw.ParquetFile; release(): void }> {
  let st: fs.Stats;
  try { st = fs.statSync(path); } catch { throw new AppError('NOT_FOUND', `Data file ${path} is missing.`); }
  let h = handles.get(path);
  handles.delete(path);
  if (h && (h.size !== st.size || h.mtimeMs !== st.mtimeMs)) { h.file.free(); h = undefined; }
  const handle = h ?? { file: await open(path), size: st.size, mtimeMs: st.mtimeMs };
  return {
    file: handle.file,
    release() {
      const old = handles.get(path);
      if (old) old.file.free();
      handles.set(path, handle);
      if (handles.size > MAX_HANDLES) {
        const [oldest, first] = handles.entries().next().value as [string, Handle];
        handles.delete(oldest);
        first.file.free();
      }
    },
  };
}

/** Closes the kept file handles (tests of cold reads; a worker about to be recycled). */
export function dropParquetHandles(): void {
  for (const h of handles.values()) h.file.free();
  handles.clear();
}

function layoutOf(file: pw.ParquetFile): ParquetLayout {
  const schema = tableFromIPC(file.schema().intoIPCStream()).schema;
  const meta = file.metadata();
  const rowGroupRows = meta.rowGroups().map((rg) => rg.numRows());
  return { columns: schema.fields.map((f) => f.name), fields: schema.fields, rowGroupRows, numRows: meta.fileMetadata().numRows() };
}

/** Column names and row-group sizes of a Parquet file (footer only). */
export async function readParquetLayout(path: string): Promise<ParquetLayout> {
  const file = await open(path);
  try {
    return layoutOf(file);
  } finally {
    file.free();
  }
}

/**
 * Reads the requested columns and row groups of one file into an apache-arrow table. A whole
 * file with every column is read from memory by the synchronous reader, which is about twice as
 * fast as the ranged reader; everything narrower goes through `ParquetFile`, which honours
 * columns, row groups and row windows.
 */
export async function readParquetSlice(path: string, opts: ParquetReadOptions = {}): Promise<ParquetSlice> {
  if (!opts.rowGroups && opts.offset === undefined && opts.limit === undefined) {
    const whole = readWholeFile(path, opts);
    if (whole) return whole;
  }
  const { file, release } = await checkout(path);
  let ok = false;
  try {
    const layout = layoutOf(file);
    const present = new Set(layout.columns);
    const requested = opts.select ? opts.select(layout.fields) : opts.columns;
    const wanted = requested ? requested.filter((c) => present.has(c)) : undefined;
    // Asking for every column by name costs more than asking for none (no projection).
    const columns = wanted && wanted.length === layout.columns.length ? undefined : wanted;
    const rowGroups = opts.rowGroups ? [...opts.rowGroups].sort((a, b) => a - b) : undefined;
    let table: ArrowTable;
    if (columns && columns.length === 0) {
      table = emptyTableOfRows(rowGroups, layout, opts);
    } else {
      const wasmTable = await file.read({
        ...(columns ? { columns } : {}),
        ...(rowGroups ? { rowGroups } : {}),
        ...(opts.offset !== undefined ? { offset: opts.offset } : {}),
        ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
      });
      table = tableFromIPC(wasmTable.intoIPCStream());
    }
    const inner = rowIndexMapper(rowGroups, layout.rowGroupRows);
    const skip = opts.offset ?? 0;
    ok = true;
    return { table, rowIndexOf: skip ? (i) => inner(i + skip) : inner, fileColumns: layout.columns };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('STORE_CORRUPT', `Data file ${path} could not be read (${(err as Error).message}).`);
  } finally {
    if (ok) release(); else file.free();
  }
}

/** The whole file through the synchronous reader, or null when a projection makes the ranged reader cheaper. */
function readWholeFile(path: string, opts: ParquetReadOptions): ParquetSlice | null {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('NOT_FOUND', `Data file ${path} is missing.`);
    throw new AppError('IO', `Data file ${path} could not be read (${(err as Error).message}).`);
  }
  try {
    const fields = tableFromIPC(pw.readSchema(bytes).intoIPCStream()).schema.fields;
    const present = new Set(fields.map((f) => f.name));
    const requested = opts.select ? opts.select(fields) : opts.columns;
    const wanted = requested ? requested.filter((c) => present.has(c)) : undefined;
    if (wanted && wanted.length < fields.length) return null;
    return { table: tableFromIPC(pw.readParquet(bytes).intoIPCStream()), rowIndexOf: (i) => i, fileColumns: fields.map((f) => f.name) };
  } catch (err) {
    throw new AppError('STORE_CORRUPT', `Data file ${path} is not a readable Parquet file (${(err as Error).message}).`);
  }
}

// A table with the right row count and no columns, for reads that need only partition columns.
function emptyTableOfRows(rowGroups: readonly number[] | undefined, layout: ParquetLayout, window: { offset?: number; limit?: number } = {}): ArrowTable {
  const all = rowGroups ? rowGroups.reduce((s, g) => s + (layout.rowGroupRows[g] ?? 0), 0) : layout.numRows;
  const rest = Math.max(0, all - (window.offset ?? 0));
  const n = window.limit === undefined ? rest : Math.min(rest, window.limit);
  const batch = new RecordBatch(new Schema([]), makeData({ type: new Struct([]), length: n, nullCount: 0, children: [] }));
  return new ArrowTableClass([batch]);
}

function rowIndexMapper(rowGroups: readonly number[] | undefined, rowGroupRows: readonly number[]): (i: number) => number {
  if (!rowGroups) return (i) => i;
  const starts: number[] = [];
  let acc = 0;
  for (const n of rowGroupRows) { starts.push(acc); acc += n; }
  // Cumulative row counts of the selected groups map an output row back to its file row.
  const selStart: number[] = [];
  let sel = 0;
  for (const g of rowGroups) { selStart.push(sel); sel += rowGroupRows[g] ?? 0; }
  return (i) => {
    let k = selStart.length - 1;
    while (k > 0 && selStart[k]! > i) k--;
    return starts[rowGroups[k]!]! + (i - selStart[k]!);
  };
}

export interface ParquetWriteOptions {
  readonly rowGroupRows?: number;
  readonly compression?: 'snappy' | 'zstd' | 'none';
}

/** Encodes an Arrow table as Parquet bytes (statistics on, so other engines can prune too). */
export function encodeParquet(table: ArrowTable, opts: ParquetWriteOptions = {}): Uint8Array {
  const codec = opts.compression === 'zstd' ? pw.Compression.ZSTD : opts.compression === 'none' ? pw.Compression.UNCOMPRESSED : pw.Compression.SNAPPY;
  // Dictionaries cost ~40% of write time and grow files of mostly-unique feature columns;
  // chunk-level statistics are what row-group pruning (ours and other engines') uses.
  let builder = new pw.WriterPropertiesBuilder().setCompression(codec).setCreatedBy('retrace')
    .setDictionaryEnabled(false).setStatisticsEnabled(pw.EnabledStatistics.Chunk);
  if (opts.rowGroupRows) builder = builder.setMaxRowGroupSize(opts.rowGroupRows);
  const wasmTable = pw.Table.fromIPCStream(tableToIPC(table, 'stream'));
  // writeParquet consumes the wasm table; freeing it again crashes (parquet-wasm#522).
  return pw.writeParquet(wasmTable, builder.build());
}

/** Size of parquet-wasm's linear memory; it only grows, so workers are recycled past a limit. */
export function wasmMemoryBytes(): number {
  return pw.wasmMemory().buffer.byteLength;
}

/** A whole Parquet file held in memory (a Hudi log's Parquet data block) → Arrow. */
export function readParquetBytes(bytes: Uint8Array): ArrowTable {
  try {
    return tableFromIPC(pw.readParquet(bytes).intoIPCStream());
  } catch (err) {
    throw new AppError('STORE_CORRUPT', `An embedded Parquet block could not be read (${(err as Error).message}).`);
  }
}
