/**
 * Marquez-compatible intake (`POST /api/v1/lineage`, OpenLineage's HTTP transport): each event
 * is appended as one line to `.retrace/logs/http-intake.jsonl`, which the tailer then reads like
 * any other log. The log stays the truth; the DB is derived from it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { WorkspacePaths } from '../workspace/workspace-paths';
import { parseProvenanceValue } from './parse-line';

export const HTTP_INTAKE_LOG = 'http-intake.jsonl';
/** Larger bodies are refused: a line this long would be skipped by the reader anyway. */
export const MAX_INTAKE_BYTES = 16 * 1024 * 1024;

export function appendLineageEvent(paths: WorkspacePaths, body: unknown): { accepted: true } {
  const parsed = parseProvenanceValue(body);
  if (!parsed.ok) throw new AppError('INVALID_ARGUMENT', `The lineage event was refused: ${parsed.reason}`);
  const line = JSON.stringify(body) + '\n';
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length > MAX_INTAKE_BYTES) {
    throw new AppError('INVALID_ARGUMENT', `The lineage event is ${bytes.length} bytes; at most ${MAX_INTAKE_BYTES} are accepted.`);
  }
  fs.mkdirSync(paths.logsDir, { recursive: true });
  let fd: number;
  try {
    fd = fs.openSync(path.join(paths.logsDir, HTTP_INTAKE_LOG), 'a');
  } catch (err) {
    throw new AppError('IO', `Cannot open ${HTTP_INTAKE_LOG} in ${paths.logsDir}: ${(err as Error).message}.`);
  }
  try {
    // One write on an O_APPEND descriptor: concurrent requests never interleave within a line.
    const n = fs.writeSync(fd, bytes, 0, bytes.length);
    if (n !== bytes.length) throw new AppError('IO', `Only ${n} of ${bytes.length} bytes of the lineage event were written to ${HTTP_INTAKE_LOG}.`);
  } finally {
    fs.closeSync(fd);
  }
  return { accepted: true };
}
