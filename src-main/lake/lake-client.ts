import type { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import type { LAKE_WORKER_METHODS, LakeMethod, LakeRequest, LakeResponse } from './lake-worker';
import { spawnLakeModule } from './worker-spawn';

/**
 * Runs the commit store's functions (lake-worker.ts lists them) in a worker thread, one job at a time, so the
 * Electron main loop never blocks on parquet-wasm. The worker is replaced after it has grown its
 * WASM memory past `maxWasmBytes` or served `maxJobs` jobs (WASM memory never shrinks).
 */
type Methods = typeof LAKE_WORKER_METHODS;
export type LakeClient = {
  [K in LakeMethod]: (...args: Parameters<Methods[K]>) => Promise<Awaited<ReturnType<Methods[K]>>>;
} & { dispose(): Promise<void>; readonly workersStarted: number };

export interface LakeClientOptions {
  readonly maxWasmBytes?: number;
  readonly maxJobs?: number;
}

const spawnLakeWorker = (): Worker => spawnLakeModule('lake-worker');

interface Job { req: LakeRequest; resolve(v: unknown): void; reject(e: unknown): void }

export function createLakeClient(opts: LakeClientOptions = {}): LakeClient {
  const maxWasmBytes = opts.maxWasmBytes ?? 512 * 1024 * 1024;
  const maxJobs = opts.maxJobs ?? 10_000;
  let worker: Worker | null = null;
  let jobsOnWorker = 0, nextId = 1, started = 0, busy = false, disposed = false;
  const queue: Job[] = [];

  const spawn = (): Worker => {
    const w = spawnLakeWorker();
    started++;
    jobsOnWorker = 0;
    w.on('error', (err) => { if (worker === w) failAll(err); });
    w.on('exit', (code) => {
      if (worker !== w) return; // replaced on purpose (recycled or disposed)
      worker = null;
      if (current) failAll(new Error(`exit code ${code}`));
    });
    return w;
  };
  let current: Job | null = null;
  const failAll = (err: unknown): void => {
    const e = new AppError('INTERNAL', `The table worker stopped (${err instanceof Error ? err.message : String(err)}).`);
    current?.reject(e);
    current = null;
    busy = false;
    worker = null;
    pump();
  };
  const pump = (): void => {
    if (busy || disposed) return;
    const job = queue.shift();
    if (!job) return;
    busy = true;
    current = job;
    if (!worker) worker = spawn();
    const w = worker;
    const onMessage = (res: LakeResponse): void => {
      if (res.id !== job.req.id) return;
      w.off('message', onMessage);
      jobsOnWorker++;
      if (res.ok) job.resolve(res.value);
      else job.reject(new AppError(res.error.code, res.error.message, res.error.details));
      if (res.wasmBytes > maxWasmBytes || jobsOnWorker >= maxJobs) {
        worker = null;
        void w.terminate();
      }
      current = null;
      busy = false;
      pump();
    };
    w.on('message', onMessage);
    w.postMessage(job.req);
  };
  const call = (method: LakeMethod, args: unknown[]): Promise<unknown> => {
    if (disposed) return Promise.reject(new AppError('CANCELLED', 'The table client was disposed.'));
    return new Promise((resolve, reject) => {
      queue.push({ req: { id: nextId++, method, args }, resolve, reject });
      pump();
    });
  };
  const client = new Proxy({} as LakeClient, {
    get(_t, prop: string) {
      if (prop === 'dispose') {
        return async (): Promise<void> => {
          disposed = true;
          for (const j of queue.splice(0)) j.reject(new AppError('CANCELLED', 'The table client was disposed.'));
          if (worker) await worker.terminate();
          worker = null;
        };
      }
      if (prop === 'workersStarted') return started;
      if (prop === 'then') return undefined; // not a thenable
      return (...args: unknown[]) => call(prop as LakeMethod, args);
    },
  });
  return client;
}
