import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { commitFileName, logDir } from './delta-log';
import type { Action } from './delta-actions';

/**
 * Put-if-absent of the next log entry (notes/table-formats.md §1.7): write a temp file, fsync
 * it, then `link` it to `_delta_log/<v>.json`. `link` fails with EEXIST when another writer got
 * there first, and the target is never half-written (unlike `open(…, 'wx')` + write), nor
 * replaced (unlike `rename`).
 */
export type CommitOutcome = { readonly ok: true; readonly version: number } | { readonly ok: false; readonly reason: 'exists' };

export function tryCommit(tableDir: string, version: number, actions: readonly Action[]): CommitOutcome {
  const dir = logDir(tableDir);
  const tmpDir = path.join(dir, '.tmp');
  fs.mkdirSync(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `${randomUUID()}.json`);
  const body = actions.map((a) => JSON.stringify(a)).join('\n') + '\n';
  const fd = fs.openSync(tmp, 'wx');
  try {
    fs.writeSync(fd, body);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const target = path.join(dir, commitFileName(version));
  try {
    fs.linkSync(tmp, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return { ok: false, reason: 'exists' };
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') {
      throw new AppError('UNSUPPORTED', `The file system holding ${tableDir} has no hard links, which Retrace needs for safe concurrent commits.`);
    }
    throw new AppError('IO', `Could not write commit ${target} (${(err as Error).message}).`);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  fsyncDir(dir);
  return { ok: true, version };
}

/** Makes the new directory entry durable (best effort: not every platform allows it). */
function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  } catch {
    // Windows cannot open directories; durability there rests on the OS.
  }
}

/**
 * Writes bytes to a uniquely named data file, via a temp name so no reader sees a partial file.
 * The journal hears of the file before it exists, so a failed write can take it back.
 */
export function writeDataFile(tableDir: string, relPath: string, bytes: Uint8Array, journal?: { record(relPath: string): void }): void {
  journal?.record(relPath);
  const target = path.join(tableDir, relPath);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID()}.tmp`);
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, target);
}
