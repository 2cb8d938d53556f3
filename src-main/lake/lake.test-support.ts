import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSnapshot } from './delta-log';
import { readAllRows } from './delta-scan';
import type { Row } from './delta-types';

/** Test-only helpers shared by the lake test files. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The upstream tables (read-only); CI keeps `../shared` beside the repo. */
export const EXTERNAL = path.resolve(repoRoot, '../shared/testdata/external');
export const ext = (rel: string): string => path.join(EXTERNAL, rel);

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-lake-'));
}

/** Copies an upstream table somewhere writable (mtimes, writes). Files come out writable. */
export function copyTable(rel: string, into: string = tempDir()): string {
  const dest = path.join(into, path.basename(rel));
  fs.cpSync(ext(rel), dest, { recursive: true });
  for (const entry of fs.readdirSync(dest, { recursive: true, withFileTypes: true })) {
    fs.chmodSync(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
  }
  fs.chmodSync(dest, 0o755);
  return dest;
}

export function setMtime(file: string, iso: string | number): void {
  const t = new Date(iso);
  fs.utimesSync(file, t, t);
}

export async function rowsAt(dir: string, version?: number, columns?: string[]): Promise<Row[]> {
  const snap = await loadSnapshot(dir, version);
  return readAllRows(snap, columns ? { columns } : {});
}

/** Sorted numeric values of one column. */
export async function sortedColumn(dir: string, column: string, version?: number): Promise<number[]> {
  const rows = await rowsAt(dir, version, [column]);
  return rows.map((r) => Number(r[column])).sort((a, b) => a - b);
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
export const sortNum = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);

/**
 * Rows as DuckDB reads them (an independent Parquet reader, used as the oracle where upstream
 * asserts only "equal to Spark"). Values come back as DuckDB's JSON-friendly forms.
 */
export async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

const NONPART_IDS = ['001', '003', '004', '006', '007', '008', '009', '010', '011', '012', '013', '014', '015', '016'].map((n) => `TXN-${n}`);

/** v9_verification.rs verify_nonpart_records. */
export function verifyNonpartRecords(rows: Row[]): void {
  assert.deepEqual(rows.map((r) => r.txn_id).sort(), NONPART_IDS);
  const by = new Map(rows.map((r) => [r.txn_id, r]));
  assert.equal(by.get('TXN-001')!.txn_type, 'reversal');
  assert.equal(by.get('TXN-007')!.fee_amount, '75.00');
  assert.deepEqual(['TXN-001', 'TXN-008', 'TXN-015'].map((id) => by.get(id)!.merchant_name), ['Amazon', 'Grab', 'Japan Airlines']);
}

