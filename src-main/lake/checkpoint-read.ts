import fs from 'node:fs';
import path from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { AppError } from '../../shared/errors';
import type { Action } from './delta-actions';

/**
 * Checkpoints (PROTOCOL.md §Checkpoints): classic (`n.checkpoint.parquet`), multi-part
 * (`n.checkpoint.i.k.parquet`) and v2 (`n.checkpoint.<uuid>.json|parquet`, feature
 * `v2Checkpoint`). A v2 checkpoint holds the table's non-file actions and `sidecar` actions that
 * name Parquet files in `_delta_log/_sidecars/` holding the adds and removes; a classic-named
 * checkpoint may be written in the v2 layout too, so sidecars are followed wherever they appear.
 */
export const CHECKPOINT_FAILURE = 'Checkpoint ';
const ACTION_KEYS = ['txn', 'add', 'remove', 'metaData', 'protocol', 'domainMetadata', 'checkpointMetadata', 'sidecar'] as const;

/** hyparquet returns int64 as bigint; the log's JSON form uses numbers. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = plain(x);
    return out;
  }
  return v;
}

function damaged(file: string, why: string): AppError {
  return new AppError('STORE_CORRUPT', `${CHECKPOINT_FAILURE}${file} could not be read (${why}).`, { file });
}

async function parquetActions(file: string): Promise<Action[]> {
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors });
  } catch (err) {
    throw damaged(file, (err as Error).message);
  }
  return rows.map((row) => {
    const action: Record<string, unknown> = {};
    for (const key of ACTION_KEYS) if (row[key] !== null && row[key] !== undefined) action[key] = plain(row[key]);
    return action as Action;
  });
}

function jsonActions(file: string): Action[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw damaged(file, (err as Error).message);
  }
  return text.split('\n').filter((l) => l.trim() !== '').map((line, i) => {
    try {
      return JSON.parse(line) as Action;
    } catch {
      throw damaged(file, `line ${i + 1} is not JSON`);
    }
  });
}

/** The file a sidecar action names: relative to `_delta_log/_sidecars/`, or an absolute URI. */
function sidecarFile(logDir: string, p: string): string {
  if (/^file:/i.test(p)) return new URL(p).pathname;
  const decoded = decodeURIComponent(p);
  return path.isAbsolute(decoded) ? decoded : path.join(logDir, '_sidecars', decoded);
}

/** All actions of one checkpoint (every part, every sidecar). */
export async function readCheckpoint(logDir: string, parts: readonly string[]): Promise<Action[]> {
  const actions: Action[] = [];
  for (const part of parts) {
    const file = path.join(logDir, part);
    const own = part.endsWith('.json') ? jsonActions(file) : await parquetActions(file);
    for (const a of own) {
      if (a.sidecar) {
        const side = sidecarFile(logDir, a.sidecar.path);
        if (!fs.existsSync(side)) throw damaged(file, `its sidecar ${side} is missing`);
        for (const s of await parquetActions(side)) if (s.add || s.remove) actions.push(s);
      } else if (!a.checkpointMetadata) actions.push(a);
    }
  }
  return actions;
}

export type CheckpointHint =
  | { readonly ok: true; readonly version: number; readonly v2Path?: string }
  | { readonly ok: false; readonly reason: string }
  | null;

/**
 * `_last_checkpoint`: the writer's hint at the newest checkpoint. Readers must not trust it (it
 * can be stale or damaged), so it only breaks ties: which of several v2 checkpoints of one version
 * to read. A damaged hint is reported, never fatal.
 */
export function readLastCheckpointHint(logDir: string): CheckpointHint {
  let text: string;
  try {
    text = fs.readFileSync(path.join(logDir, '_last_checkpoint'), 'utf8');
  } catch {
    return null;
  }
  try {
    const hint = JSON.parse(text) as { version?: unknown; v2Checkpoint?: { path?: unknown } };
    if (typeof hint.version !== 'number' || !Number.isInteger(hint.version)) return { ok: false, reason: 'it names no version' };
    const v2 = hint.v2Checkpoint?.path;
    return { ok: true, version: hint.version, ...(typeof v2 === 'string' ? { v2Path: v2 } : {}) };
  } catch {
    return { ok: false, reason: 'it is not JSON' };
  }
}
