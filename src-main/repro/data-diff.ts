import { parse as parseCsv } from 'csv-parse/sync';
import type { ValueChangeDto } from '../../shared/rerun-dto';

/**
 * What changed inside a metric or data file between two versions, value by value, for the
 * re-run verdict ("accuracy 0.912 → 0.915"). JSON files are compared by key path
 * (`params.lr`, `history[3].loss`), JSON lines line by line (`line 4 · loss`), CSV / TSV by row
 * and column under the header (`row 2 · accuracy`). Only the first `limit` changes are kept.
 */
export const DIFFABLE = /\.(json|jsonl|ndjson|csv|tsv)$/i;

export type DataDiff = { readonly changes: ValueChangeDto[]; readonly total: number } | { readonly note: string };

export function diffDataFile(file: string, before: Buffer, after: Buffer, limit = 10): DataDiff {
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  try {
    if (ext === 'json') return compare(flatJson(JSON.parse(text(before))), flatJson(JSON.parse(text(after))), limit);
    if (ext === 'jsonl' || ext === 'ndjson') return compare(flatLines(before), flatLines(after), limit);
    if (ext === 'csv' || ext === 'tsv') return compare(flatCsv(before, ext === 'tsv' ? '\t' : ','), flatCsv(after, ext === 'tsv' ? '\t' : ','), limit);
  } catch (err) {
    return { note: `Its contents could not be compared value by value (${(err as Error).message.split('\n')[0]}).` };
  }
  return { note: 'Not a JSON, JSON-lines or CSV file: compared by content hash only.' };
}

/** Two parsed values (a config file's JSON or YAML) compared key path by key path. */
export function diffValues(before: unknown, after: unknown, limit = 10): { readonly changes: ValueChangeDto[]; readonly total: number } {
  return compare(flatJson(before), flatJson(after), limit) as { readonly changes: ValueChangeDto[]; readonly total: number };
}

type Flat = Map<string, string>;

function text(b: Buffer): string {
  return b.toString('utf8').replace(/^\uFEFF/, '');
}

function flatJson(v: unknown, prefix = '', out: Flat = new Map()): Flat {
  if (Array.isArray(v)) {
    if (v.length === 0) out.set(prefix || '(root)', '[]');
    v.forEach((x, i) => flatJson(x, `${prefix}[${i}]`, out));
  } else if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v as object);
    if (keys.length === 0) out.set(prefix || '(root)', '{}');
    for (const k of keys) flatJson((v as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix || '(root)', typeof v === 'string' ? v : JSON.stringify(v));
  }
  return out;
}

function flatLines(b: Buffer): Flat {
  const out: Flat = new Map();
  text(b)
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      for (const [k, v] of flatJson(JSON.parse(line))) out.set(k === '(root)' ? `line ${i + 1}` : `line ${i + 1} · ${k}`, v);
    });
  return out;
}

function flatCsv(b: Buffer, delimiter: string): Flat {
  const rows = parseCsv(b, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true }) as string[][];
  const out: Flat = new Map();
  const header = rows[0] ?? [];
  rows.slice(1).forEach((row, i) => {
    row.forEach((cell, c) => out.set(`row ${i + 1} · ${header[c] ?? `column ${c + 1}`}`, cell));
  });
  if (rows.length <= 1) header.forEach((h, c) => out.set(`header · column ${c + 1}`, h));
  return out;
}

function compare(before: Flat, after: Flat, limit: number): DataDiff {
  const changes: ValueChangeDto[] = [];
  let total = 0;
  const add = (c: ValueChangeDto) => {
    total++;
    if (changes.length < limit) changes.push({ ...c, before: clip(c.before), after: clip(c.after) });
  };
  for (const [k, v] of before) {
    if (!after.has(k)) add({ key: k, change: 'removed', before: v, after: null });
    else if (after.get(k) !== v) add({ key: k, change: 'changed', before: v, after: after.get(k)! });
  }
  for (const [k, v] of after) if (!before.has(k)) add({ key: k, change: 'added', before: null, after: v });
  return { changes, total };
}

function clip(v: string | null): string | null {
  return v !== null && v.length > 80 ? v.slice(0, 79) + '…' : v;
}
