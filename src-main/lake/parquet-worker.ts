import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import * as pw from 'parquet-wasm';

/**
 * Worker-thread entry (a separate build entry: dist/main/parquet-worker.js) that decodes whole
 * Parquet files to Arrow IPC and encodes Arrow IPC to Parquet, with its own parquet-wasm
 * instance, so parquet-pool.ts can keep the other core busy too. Buffers move by transfer.
 */
export type ParquetJob =
  | { readonly id: number; readonly op: 'decode'; readonly path: string }
  | { readonly id: number; readonly op: 'encode'; readonly ipc: Uint8Array; readonly codec: 'snappy' | 'zstd' | 'none'; readonly rowGroupRows?: number };
export type ParquetReply =
  | { readonly id: number; readonly ok: true; readonly bytes: Uint8Array; readonly wasmBytes: number }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly code?: string; readonly wasmBytes: number };

function encode(job: Extract<ParquetJob, { op: 'encode' }>): Uint8Array {
  const codec = job.codec === 'zstd' ? pw.Compression.ZSTD : job.codec === 'none' ? pw.Compression.UNCOMPRESSED : pw.Compression.SNAPPY;
  let builder = new pw.WriterPropertiesBuilder().setCompression(codec).setCreatedBy('retrace')
    .setDictionaryEnabled(false).setStatisticsEnabled(pw.EnabledStatistics.Chunk);
  if (job.rowGroupRows) builder = builder.setMaxRowGroupSize(job.rowGroupRows);
  return pw.writeParquet(pw.Table.fromIPCStream(job.ipc), builder.build());
}

const port = parentPort;
if (port) {
  port.on('message', (job: ParquetJob) => {
    const wasmBytes = (): number => pw.wasmMemory().buffer.byteLength;
    try {
      const bytes = job.op === 'decode' ? pw.readParquet(fs.readFileSync(job.path)).intoIPCStream() : encode(job);
      port.postMessage({ id: job.id, ok: true, bytes, wasmBytes: wasmBytes() } satisfies ParquetReply, [bytes.buffer as ArrayBuffer]);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      port.postMessage({ id: job.id, ok: false, message: e.message ?? String(err), ...(e.code ? { code: e.code } : {}), wasmBytes: wasmBytes() } satisfies ParquetReply);
    }
  });
}
