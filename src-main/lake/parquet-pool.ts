import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { type Table as ArrowTable, tableFromIPC, tableToIPC } from 'apache-arrow';
import { AppError } from '../../shared/errors';
import type { ParquetJob, ParquetReply } from './parquet-worker';
import { spawnLakeModule } from './worker-spawn';

/**
 * A small pool of parquet-worker threads for the bulk paths: decoding every file of a version
 * (full reads) and encoding the files of a big commit. parquet-wasm is synchronous, so without
 * the pool one core does all of it while others idle. Jobs go to the least busy worker; a
 * worker whose WASM memory has grown past a limit is replaced (it never shrinks). Workers are
 * unref'd, so an idle pool never keeps a process alive. Where workers cannot start, callers
 * fall back to decoding in their own thread.
 */
const MAX_WASM_BYTES = 1024 * 1024 * 1024;

interface Slot { worker: Worker; pending: Map<number, { resolve(r: ParquetReply): void; reject(e: unknown): void }> }

let slots: Slot[] | null = null;
let nextId = 1;

export const poolSize = (): number => Math.max(1, Math.min(4, os.availableParallelism()));

function startSlot(): Slot {
  const worker = spawnLakeModule('parquet-worker');
  worker.unref();
  const slot: Slot = { worker, pending: new Map() };
  const failAll = (err: unknown): void => {
    for (const p of slot.pending.values()) p.reject(new AppError('INTERNAL', `A Parquet worker stopped (${err instanceof Error ? err.message : String(err)}).`));
    slot.pending.clear();
    if (slots) slots = slots.map((s) => (s === slot ? startSlot() : s));
  };
  worker.on('message', (reply: ParquetReply) => {
    const p = slot.pending.get(reply.id);
    if (!p) return;
    slot.pending.delete(reply.id);
    p.resolve(reply);
    if (reply.wasmBytes > MAX_WASM_BYTES && slot.pending.size === 0 && slots) {
      slots = slots.map((s) => (s === slot ? startSlot() : s));
      void worker.terminate();
    }
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => { if (slot.pending.size > 0) failAll(new Error(`exit code ${code}`)); });
  return slot;
}

type JobBody = { readonly op: 'decode'; readonly path: string } | { readonly op: 'encode'; readonly ipc: Uint8Array; readonly codec: 'snappy' | 'zstd' | 'none'; readonly rowGroupRows?: number };

async function run(job: JobBody, transfer: ArrayBuffer[] = []): Promise<Uint8Array> {
  slots ??= Array.from({ length: poolSize() }, startSlot);
  const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  const id = nextId++;
  // Only the pending jobs keep the process alive; an idle pool does not.
  if (slot.pending.size === 0) slot.worker.ref();
  const reply = await new Promise<ParquetReply>((resolve, reject) => {
    slot.pending.set(id, { resolve, reject });
    slot.worker.postMessage({ ...job, id } as ParquetJob, transfer);
  }).finally(() => { if (slot.pending.size === 0) slot.worker.unref(); });
  if (!reply.ok) {
    if (job.op === 'decode' && reply.code === 'ENOENT') throw new AppError('NOT_FOUND', `Data file ${job.path} is missing.`);
    throw new AppError('STORE_CORRUPT', job.op === 'decode' ? `Data file ${job.path} is not a readable Parquet file (${reply.message}).` : `A data file could not be encoded (${reply.message}).`);
  }
  return reply.bytes;
}

/** Every row and column of a Parquet file, decoded in a worker. */
export async function decodeFileInPool(path: string): Promise<ArrowTable> {
  return tableFromIPC(await run({ op: 'decode', path }));
}

/** Parquet bytes of an Arrow table, encoded in a worker (the same settings as encodeParquet). */
export async function encodeInPool(table: ArrowTable, opts: { rowGroupRows?: number; compression?: 'snappy' | 'zstd' | 'none' } = {}): Promise<Uint8Array> {
  const ipc = tableToIPC(table, 'stream');
  return run({ op: 'encode', ipc, codec: opts.compression ?? 'snappy', ...(opts.rowGroupRows ? { rowGroupRows: opts.rowGroupRows } : {}) }, [ipc.buffer as ArrayBuffer]);
}

/** Stops the workers (tests; a process about to exit needs nothing: they are unref'd). */
export async function closeParquetPool(): Promise<void> {
  const s = slots;
  slots = null;
  await Promise.all((s ?? []).map((x) => x.worker.terminate()));
}
