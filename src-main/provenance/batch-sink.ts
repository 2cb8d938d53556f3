/**
 * Where a store's batches go. `InlineSink` writes each batch before `write` returns (the
 * tailer: small batches, freshness first). `ThreadSink` hands it to a writer thread with its
 * own connection and returns at once, so reading and folding the next batch overlaps the
 * SQLite work of this one (a long `retrace ingest`). At most one batch is in flight: `write`
 * first waits for the previous one, and reports its failure (a CONFLICT, a full disk) then.
 */
import { type MessagePort, MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { AppError, type ErrorDto, isErrorCode } from '../../shared/errors';
import type { WritableDb } from '../db/open-db';
import { BatchWriter, type WriteBatch, transferables } from './write-batch';

export interface BatchSink {
  /** Writes (or starts writing) a batch; throws the failure of this batch or of the one before. */
  write(batch: WriteBatch): void;
  /** Returns once every batch handed over is committed (throws a failure not reported yet). */
  drain(): void;
  /** Drains, then releases the thread (if any). */
  close(): void;
}

export class InlineSink implements BatchSink {
  private readonly writer: BatchWriter;
  constructor(db: WritableDb) {
    this.writer = new BatchWriter(db);
  }
  write(batch: WriteBatch): void {
    this.writer.write(batch);
  }
  drain(): void {}
  close(): void {}
}

/** Messages between the store and its writer thread. */
export interface WriterInit { readonly dbFile: string; readonly port: MessagePort; readonly state: SharedArrayBuffer }
export type WriterReply = { readonly ok: true } | { readonly ok: false; readonly error: ErrorDto };
/** `state[0]`: 1 while a batch is being written; the thread sets 0 and notifies when it is done. */
const WRITING = 1;

export class ThreadSink implements BatchSink {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private inFlight = false;

  constructor(dbFile: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = spawnWriter();
    this.worker.postMessage({ dbFile, port: port2, state: this.state.buffer } satisfies WriterInit, [port2]);
    // The store's process must not stay alive for an idle writer.
    this.worker.unref();
  }

  write(batch: WriteBatch): void {
    this.drain();
    Atomics.store(this.state, 0, WRITING);
    this.inFlight = true;
    this.port.postMessage(batch, transferables(batch));
  }

  drain(): void {
    if (!this.inFlight) return;
    // Synchronous on purpose: a pass is a synchronous loop, and it only waits here when the
    // writer is the slower side (then there is nothing else to do).
    while (Atomics.load(this.state, 0) === WRITING) {
      if (Atomics.wait(this.state, 0, WRITING, 10_000) === 'timed-out' && !this.alive()) break;
    }
    this.inFlight = false;
    const msg = receiveMessageOnPort(this.port)?.message as WriterReply | undefined;
    if (!msg) throw new AppError('INTERNAL', 'The ingest writer thread stopped without finishing its batch.');
    if (!msg.ok) throw new AppError(isErrorCode(msg.error.code) ? msg.error.code : 'INTERNAL', msg.error.message);
  }

  close(): void {
    try {
      this.drain();
    } finally {
      this.port.close();
      void this.worker.terminate();
    }
  }

  private alive(): boolean {
    return this.worker.threadId > 0;
  }
}

/**
 * Built: dist/main/ingest-writer.js beside the chunk holding this code. From the sources (tests
 * under tsx): a bootstrap registers tsx inside the worker first (Node 20 ignores `--import` in
 * a worker's execArgv).
 */
function spawnWriter(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./ingest-writer.js', import.meta.url));
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./ingest-writer.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}
