/**
 * The ingest writer thread (a build entry of its own: dist/main/ingest-writer.js). It opens the
 * metadata DB and writes the batches its store sends, one transaction each, in order.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorDto } from '../../shared/errors';
import { classifySqliteError, isSqliteError, openDb } from '../db/open-db';
import type { WriterInit, WriterReply } from './batch-sink';
import { BatchWriter, type WriteBatch } from './write-batch';

parentPort?.once('message', (init: WriterInit) => {
  const state = new Int32Array(init.state);
  const done = (reply: WriterReply) => {
    init.port.postMessage(reply);
    Atomics.store(state, 0, 0);
    Atomics.notify(state, 0);
  };
  let writer: BatchWriter;
  try {
    writer = new BatchWriter(openDb(init.dbFile));
  } catch (err) {
    // Reported with the first batch.
    init.port.on('message', () => done({ ok: false, error: toErrorDto(isSqliteError(err) ? classifySqliteError(err, init.dbFile) : err) }));
    return;
  }
  init.port.on('message', (batch: WriteBatch) => {
    try {
      writer.write(batch);
      done({ ok: true });
    } catch (err) {
      done({ ok: false, error: toErrorDto(isSqliteError(err) ? classifySqliteError(err, init.dbFile) : err) });
    }
  });
});
