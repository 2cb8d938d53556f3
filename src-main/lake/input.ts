import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { CsvError, parse } from 'csv-parse';
import { AppError } from '../../shared/errors';
import { deltaTypeOfArrow, vectorToValues } from './arrow-read';
import { describeType } from './conform';
import { type DeltaField, type DeltaStructType, type DeltaType, type Row, coerceValue, parseSchemaString } from './delta-types';
import { readParquetSlice } from './parquet-io';

/**
 * Input files for `table write`: CSV (header row, RFC 4180, read as a stream by csv-parse: a
 * UTF-8 byte-order mark from Excel is dropped, stray quotes are errors), JSON lines (objects;
 * arrays and nested objects are arrays and structs), or Parquet (any Arrow type Delta has,
 * nested included). The schema is inferred unless given: whole numbers → long, other numbers →
 * double, true/false → boolean, YYYY-MM-DD → date, ISO date-times → timestamp, arrays →
 * array<element>, objects → struct; primitives that disagree widen (long + double → double,
 * else string); an array or object that disagrees with anything is an error, never a string.
 */
export interface InputData { readonly fields: DeltaField[]; readonly rows: Row[] }

export async function readInputFile(file: string, schema?: readonly DeltaField[]): Promise<InputData> {
  const ext = path.extname(file).toLowerCase();
  if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', `Input file ${file} does not exist.`);
  if (ext === '.parquet') return readParquetInput(file, schema);
  if (ext === '.csv') return fromRecords(await readCsvFile(file), schema, true, file);
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return fromRecords(await readJsonLinesFile(file), schema, false, file);
  throw new AppError('INVALID_ARGUMENT', `Input file ${file} must end in .csv, .jsonl, .ndjson, .json or .parquet.`);
}

/** A Delta schema from a JSON file (`{"type":"struct","fields":[…]}`, as in a Delta log). */
export function readSchemaFile(file: string): DeltaField[] {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch { throw new AppError('NOT_FOUND', `Schema file ${file} does not exist.`); }
  return [...(parseSchemaString(text, file) as DeltaStructType).fields];
}

function jsonLine(line: string, lineNo: number, where: string): Row {
  let v: unknown;
  try { v = JSON.parse(line); } catch { throw new AppError('INVALID_ARGUMENT', `Line ${lineNo} of ${where} is not valid JSON.`); }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new AppError('INVALID_ARGUMENT', `Line ${lineNo} of ${where} is not a JSON object.`);
  return v as Row;
}

export function parseJsonLines(text: string, where: string): Row[] {
  const rows: Row[] = [];
  text.split('\n').forEach((line, i) => { if (line.trim() !== '') rows.push(jsonLine(line, i + 1, where)); });
  return rows;
}

async function readJsonLinesFile(file: string): Promise<Row[]> {
  const rows: Row[] = [];
  let lineNo = 0;
  for await (const line of readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    lineNo++;
    if (line.trim() !== '') rows.push(jsonLine(lineNo === 1 ? line.replace(/^\uFEFF/, '') : line, lineNo, file));
  }
  return rows;
}

/** CSV records keyed by the header's names; an empty field is null. */
export async function readCsvFile(file: string): Promise<Row[]> {
  const rows: Row[] = [];
  const parser = fs.createReadStream(file).pipe(parse({ bom: true, columns: true, skip_empty_lines: true }));
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      const row: Row = {};
      for (const [k, v] of Object.entries(record)) row[k] = v === '' ? null : v;
      rows.push(row);
    }
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const e = err as CsvError & { lines?: number };
    throw new AppError('INVALID_ARGUMENT', `Line ${e.lines ?? '?'} of ${file} is not valid CSV: ${e.message.replace(/^[^:]*: /, '')}`);
  }
  if (rows.length === 0 && fs.statSync(file).size === 0) throw new AppError('INVALID_ARGUMENT', `${file} is empty (a header row is required).`);
  return rows;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TS_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function inferOne(v: unknown, fromCsv: boolean): DeltaType | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'double';
  if (Array.isArray(v)) {
    let el: DeltaType | null = null;
    for (const x of v) el = merge(el, inferOne(x, false));
    return { type: 'array', elementType: el ?? UNKNOWN, containsNull: true };
  }
  if (isObject(v)) {
    const fields: DeltaField[] = Object.entries(v).map(([name, x]) => ({ name, type: inferOne(x, false) ?? UNKNOWN, nullable: true }));
    return { type: 'struct', fields };
  }
  if (typeof v !== 'string') return 'string';
  if (fromCsv) {
    if (/^-?\d{1,18}$/.test(v)) return 'long';
    if (/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return 'double';
    if (v === 'true' || v === 'false') return 'boolean';
  }
  if (DATE_RE.test(v)) return 'date';
  if (TS_RE.test(v)) return 'timestamp';
  return 'string';
}

/** Placeholder for "only nulls seen so far" inside nested types; becomes string if it stays. */
const UNKNOWN = '\u0000unknown';
const WIDEN: Record<string, DeltaType> = { 'long|double': 'double', 'double|long': 'double', 'date|timestamp': 'timestamp', 'timestamp|date': 'timestamp' };

class Conflict extends Error { constructor(readonly a: DeltaType, readonly b: DeltaType) { super('conflict'); } }

function merge(a: DeltaType | null, b: DeltaType | null): DeltaType | null {
  if (a === null || a === UNKNOWN) return b ?? a;
  if (b === null || b === UNKNOWN) return a;
  if (typeof a === 'string' && typeof b === 'string') return a === b ? a : WIDEN[`${a}|${b}`] ?? 'string';
  if (typeof a === 'object' && typeof b === 'object' && a.type === 'array' && b.type === 'array') {
    return { type: 'array', elementType: merge(a.elementType, b.elementType) ?? UNKNOWN, containsNull: true };
  }
  if (typeof a === 'object' && typeof b === 'object' && a.type === 'struct' && b.type === 'struct') {
    const fields = a.fields.map((f) => ({ ...f }));
    for (const g of b.fields) {
      const i = fields.findIndex((f) => f.name === g.name);
      if (i < 0) fields.push({ ...g });
      else fields[i] = { ...fields[i]!, type: merge(fields[i]!.type, g.type) ?? UNKNOWN };
    }
    return { type: 'struct', fields };
  }
  throw new Conflict(a, b);
}

function settle(t: DeltaType): DeltaType {
  if (t === UNKNOWN) return 'string';
  if (typeof t === 'string') return t;
  if (t.type === 'array') return { ...t, elementType: settle(t.elementType) };
  if (t.type === 'struct') return { type: 'struct', fields: t.fields.map((f) => ({ ...f, type: settle(f.type) })) };
  return { ...t, keyType: settle(t.keyType), valueType: settle(t.valueType) };
}

/** Infers one Delta type per column from all values (see the module comment for the rules). */
export function inferSchema(rows: readonly Row[], fromCsv: boolean, where = 'the input'): DeltaField[] {
  const order: string[] = [];
  const types = new Map<string, { type: DeltaType | null; row: number }>();
  rows.forEach((r, index) => {
    for (const [k, v] of Object.entries(r)) {
      if (!types.has(k)) { order.push(k); types.set(k, { type: null, row: index + 1 }); }
      const seen = types.get(k)!;
      const t = inferOne(v, fromCsv);
      try {
        const merged = merge(seen.type, t);
        if (seen.type === null && merged !== null) seen.row = index + 1;
        seen.type = merged;
      } catch (err) {
        if (!(err instanceof Conflict)) throw err;
        throw new AppError('INVALID_ARGUMENT', `Column "${k}" of ${where} holds ${describeType(settle(err.a))} in row ${seen.row} but ${describeType(settle(err.b))} in row ${index + 1}; give the table a schema (--schema) or make the rows agree.`, { column: k, row: index + 1 });
      }
    }
  });
  return order.map((name) => ({ name, type: settle(types.get(name)!.type ?? 'string'), nullable: true }));
}

function fromRecords(records: Row[], schema: readonly DeltaField[] | undefined, fromCsv: boolean, where: string): InputData {
  if (schema) return { fields: [...schema], rows: records };
  const fields = inferSchema(records, fromCsv, where);
  // CSV values are text: give them the inferred primitive types (nested values come from JSON as they are).
  const rows = fromCsv
    ? records.map((r) => {
      const out: Row = {};
      for (const f of fields) out[f.name] = coerceValue(r[f.name], f.type, f.name);
      return out;
    })
    : records;
  return { fields, rows };
}

async function readParquetInput(file: string, schema?: readonly DeltaField[]): Promise<InputData> {
  const { table } = await readParquetSlice(file);
  const fields = schema ? [...schema] : table.schema.fields.map((f) => ({ name: f.name, type: deltaTypeOfArrow(f.type, `Input column "${f.name}"`), nullable: true }));
  const cols = fields.map((f) => {
    const vec = table.getChild(f.name);
    if (!vec) throw new AppError('INVALID_ARGUMENT', `Input file ${file} has no column "${f.name}".`);
    return vectorToValues(vec, f.type);
  });
  const rows: Row[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const r: Row = {};
    fields.forEach((f, k) => { r[f.name] = cols[k]![i]; });
    rows[i] = r;
  }
  return { fields, rows };
}
