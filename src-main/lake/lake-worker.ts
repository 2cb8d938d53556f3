import { parentPort } from 'node:worker_threads';
import { toErrorDto } from '../../shared/errors';
import { readChanges } from './changes';
import { writeTable } from './delta-writer';
import { hudiChanges, hudiHistory, readHudiIncremental, readHudiSnapshot } from './hudi';
import { lookupKey, rowsInRange } from './lookup';
import { alterTable } from './table-alter';
import { readTablePage, tableDiff, tableHistory, tableHistoryOf, writeTableFromFile } from './table-api';
import { tableInfo } from './table-info';
import { vacuumTable } from './vacuum';
import { wasmMemoryBytes } from './parquet-io';

/**
 * Worker-thread entry (a separate build entry: dist/main/lake-worker.js). parquet-wasm calls are
 * synchronous and its memory never shrinks, so reads and writes run here, one job at a time, and
 * the client replaces this worker once its memory grows past a limit.
 */
export const LAKE_WORKER_METHODS = {
  tableHistory,
  tableHistoryOf,
  tableInfo,
  readTablePage,
  tableDiff,
  lookupKey,
  rowsInRange,
  readChanges,
  writeTable,
  writeTableFromFile,
  readHudiSnapshot,
  readHudiIncremental,
  hudiHistory,
  hudiChanges,
  alterTable,
  vacuumTable,
} as const;

export type LakeMethod = keyof typeof LAKE_WORKER_METHODS;
export interface LakeRequest { readonly id: number; readonly method: LakeMethod; readonly args: unknown[] }
export type LakeResponse =
  | { readonly id: number; readonly ok: true; readonly value: unknown; readonly wasmBytes: number }
  | { readonly id: number; readonly ok: false; readonly error: ReturnType<typeof toErrorDto>; readonly wasmBytes: number };

const port = parentPort;
if (port) {
  port.on('message', async (req: LakeRequest) => {
    try {
      const fn = LAKE_WORKER_METHODS[req.method] as (...a: unknown[]) => unknown;
      if (typeof fn !== 'function') throw new Error(`unknown lake method ${String(req.method)}`);
      const value = await fn(...req.args);
      port.postMessage({ id: req.id, ok: true, value, wasmBytes: wasmMemoryBytes() } satisfies LakeResponse);
    } catch (err) {
      port.postMessage({ id: req.id, ok: false, error: toErrorDto(err), wasmBytes: wasmMemoryBytes() } satisfies LakeResponse);
    }
  });
}
