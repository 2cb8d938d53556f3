import fs from 'node:fs';
import path from 'node:path';
import type { Field as ArrowField } from 'apache-arrow';
import { Type } from 'apache-arrow';
import { AppError } from '../../shared/errors';
import { vectorToValues } from './arrow-read';
import { type DeltaField, type DeltaType, type Row, coerceValue } from './delta-types';
import { readParquetSlice } from './parquet-io';

/**
 * Input files for `table write`: CSV (header row, RFC 4180 quoting), JSON lines, or Parquet.
 * The schema is inferred unless given: whole numbers → long, other numbers → double,
 * true/false → boolean, YYYY-MM-DD → date, ISO date-times → timestamp, anything else → string.
 */
export interface InputData { readonly fields: DeltaField[]; readonly rows: Row[] }

export async function readInputFile(file: string, schema?: readonly DeltaField[]): Promise<InputData> {
  const ext = path.extname(file).toLowerCase();
  if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', `Input file ${file} does not exist.`);
  if (ext === '.parquet') return readParquetInput(file, schema);
  const text = fs.readFileSync(file, 'utf8');
  if (ext === '.csv') return fromRecords(parseCsv(text, file), schema, true);
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return fromRecords(parseJsonLines(text, file), schema, false);
  throw new AppError('INVALID_ARGUMENT', `Input file ${file} must end in .csv, .jsonl, .ndjson, .json or .parquet.`);
}

export function parseJsonLines(text: string, where: string): Row[] {
  const rows: Row[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try { v = JSON.parse(line); } catch { throw new AppError('INVALID_ARGUMENT', `Line ${i + 1} of ${where} is not valid JSON.`); }
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new AppError('INVALID_ARGUMENT', `Line ${i + 1} of ${where} is not a JSON object.`);
    rows.push(v as Row);
  });
  return rows;
}

export function parseCsv(text: string, where: string): Row[] {
  const records: string[][] = [];
  let field = '', record: string[] = [], quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field); field = '';
      if (record.length > 1 || record[0] !== '') records.push(record);
      record = [];
    } else field += c;
  }
  if (field !== '' || record.length > 0) { record.push(field); records.push(record); }
  if (quoted) throw new AppError('INVALID_ARGUMENT', `${where} ends inside a quoted CSV field.`);
  const [header, ...body] = records;
  if (!header) throw new AppError('INVALID_ARGUMENT', `${where} is empty (a header row is required).`);
  return body.map((r, n) => {
    if (r.length !== header.length) throw new AppError('INVALID_ARGUMENT', `Row ${n + 2} of ${where} has ${r.length} fields but the header has ${header.length}.`);
    return Object.fromEntries(header.map((h, k) => [h, r[k] === '' ? null : r[k]]));
  });
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TS_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

function inferOne(v: unknown, fromCsv: boolean): DeltaType | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'double';
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

const WIDEN: Record<string, DeltaType> = { 'long|double': 'double', 'double|long': 'double', 'date|timestamp': 'timestamp', 'timestamp|date': 'timestamp' };

/** Infers one Delta type per column from all values (types that disagree widen, else string). */
export function inferSchema(rows: readonly Row[], fromCsv: boolean): DeltaField[] {
  const order: string[] = [];
  const types = new Map<string, DeltaType | null>();
  for (const r of rows) {
    for (const [k, v] of Object.entries(r)) {
      if (!types.has(k)) { order.push(k); types.set(k, null); }
      const t = inferOne(v, fromCsv);
      const prev = types.get(k)!;
      if (t === null || prev === t) continue;
      types.set(k, prev === null ? t : WIDEN[`${String(prev)}|${String(t)}`] ?? 'string');
    }
  }
  return order.map((name) => ({ name, type: types.get(name) ?? 'string', nullable: true }));
}

function fromRecords(records: Row[], schema: readonly DeltaField[] | undefined, fromCsv: boolean): InputData {
  const fields = schema ? [...schema] : inferSchema(records, fromCsv);
  const rows = records.map((r) => {
    const out: Row = {};
    for (const f of fields) out[f.name] = coerceValue(r[f.name], f.type, f.name);
    return out;
  });
  return { fields, rows };
}

function deltaTypeOfArrow(f: ArrowField): DeltaType {
  const t = f.type as { typeId: Type; bitWidth?: number; precision?: number; scale?: number; timezone?: string | null; unit?: number };
  switch (t.typeId) {
    case Type.Int: return t.bitWidth === 64 ? 'long' : t.bitWidth === 16 ? 'short' : t.bitWidth === 8 ? 'byte' : 'integer';
    case Type.Float: return t.bitWidth === 32 || (t as { precision?: number }).precision === 1 ? 'float' : 'double';
    case Type.Bool: return 'boolean';
    case Type.Utf8: case Type.LargeUtf8: return 'string';
    case Type.Binary: case Type.LargeBinary: return 'binary';
    case Type.Date: return 'date';
    case Type.Timestamp: return t.timezone ? 'timestamp' : 'timestamp_ntz';
    case Type.Decimal: return `decimal(${t.precision},${t.scale})`;
    default: throw new AppError('UNSUPPORTED', `Input column "${f.name}" has Arrow type ${String(f.type)}, which Retrace cannot write yet.`);
  }
}

async function readParquetInput(file: string, schema?: readonly DeltaField[]): Promise<InputData> {
  const { table } = await readParquetSlice(file);
  const fields = schema ? [...schema] : table.schema.fields.map((f) => ({ name: f.name, type: deltaTypeOfArrow(f), nullable: true }));
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
