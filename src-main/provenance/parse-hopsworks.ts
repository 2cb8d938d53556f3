/**
 * Hopsworks-style rows (notes/hopsworks-provenance.md §2.2): `hdfs_file_provenance_log` file
 * operations and `yarn_app_provenance_log` app states, one JSON object a line.
 */
import type { RunState } from '../../shared/dto';
import { type AccessOp, type ParseResult, type WarningKind, fieldReason, jsonType, reject } from './records';
import { parseEpoch } from './time';

const FILE_OPS: Readonly<Record<string, AccessOp>> = {
  CREATE: 'CREATE',
  DELETE: 'DELETE',
  ACCESS_DATA: 'READ',
  MODIFY_DATA: 'MODIFY',
  // Kept with their raw name but outside footprints (DESIGN §3).
  METADATA: 'OTHER',
  XATTR_ADD: 'OTHER',
  XATTR_UPDATE: 'OTHER',
  XATTR_DELETE: 'OTHER',
  OTHER: 'OTHER',
};

const APP_STATES: Readonly<Record<string, RunState>> = {
  SUBMITTED: 'START',
  RUNNING: 'RUNNING',
  FINISHED: 'COMPLETE',
  KILLED: 'ABORT',
  FAILED: 'FAIL',
  UNKNOWN: 'OTHER',
};

/** "none" (Hopsworks) and "notls" (HopsFS) mean: no application did this. */
const UNATTRIBUTED = new Set(['none', 'notls', '']);
const PATH_PARTS = ['project_name', 'dataset_name', 'i_p1_name', 'i_p2_name', 'i_parent_name', 'i_name'] as const;

export function isFileOpRow(o: Record<string, unknown>): boolean {
  return 'inode_operation' in o;
}

export function isAppStateRow(o: Record<string, unknown>): boolean {
  return 'state' in o && 'id' in o && !('run' in o) && !('eventType' in o);
}

export function parseFileOpRow(o: Record<string, unknown>): ParseResult {
  const warnings: WarningKind[] = [];
  const rawOp = o.inode_operation;
  if (typeof rawOp !== 'string') return reject(`Field "inode_operation" must be a string, got ${jsonType(rawOp)}, so the operation is unknown.`);
  // Own keys only: `in` would also accept "toString" or "constructor" from the prototype.
  if (!Object.hasOwn(FILE_OPS, rawOp)) return reject(`Field "inode_operation" is ${JSON.stringify(rawOp).slice(0, 40)}, not one of ${Object.keys(FILE_OPS).join(', ')}.`);
  const at = parseEpoch(o.io_timestamp);
  if (at === null) return reject(epochReason('io_timestamp', o.io_timestamp, 'the operation cannot be placed in time'));
  const path = readPath(o);
  if (!path) return reject('The row has no "path" and no path parts (project_name, dataset_name, i_name, …), so the file is unknown.');
  const app = typeof o.io_app_id === 'string' ? o.io_app_id : typeof o.io_app_id === 'number' ? String(o.io_app_id) : '';
  const appId = UNATTRIBUTED.has(app) ? null : app;
  if (appId === null) warnings.push('unattributed_file_op');
  return {
    ok: true,
    warnings,
    record: {
      kind: 'file_op',
      appId,
      path,
      rawOp,
      op: FILE_OPS[rawOp]!,
      at,
      user: typeof o.io_user_name === 'string' && o.io_user_name !== '' ? o.io_user_name : null,
      inodeId: typeof o.inode_id === 'number' ? o.inode_id : null,
      logicalTime: typeof o.io_logical_time === 'number' ? o.io_logical_time : null,
    },
  };
}

export function parseAppStateRow(o: Record<string, unknown>): ParseResult {
  const appId = o.id;
  if (typeof appId !== 'string' || appId === '') return reject(fieldReason('id', appId, 'a string', 'the app state belongs to no run'));
  if (UNATTRIBUTED.has(appId)) return reject(`Field "id" is "${appId}", which names no application, so the app state belongs to no run.`);
  const rawState = o.state;
  if (typeof rawState !== 'string') return reject(`Field "state" must be a string, got ${jsonType(rawState)}, so the app state is unknown.`);
  if (!Object.hasOwn(APP_STATES, rawState)) return reject(`Field "state" is ${JSON.stringify(rawState).slice(0, 40)}, not one of ${Object.keys(APP_STATES).join(', ')}.`);
  const at = parseEpoch(o.timestamp);
  if (at === null) return reject(epochReason('timestamp', o.timestamp, 'the app state cannot be placed in time'));
  const opt = (k: string) => {
    const t = parseEpoch(o[k]);
    // Hopsworks writes -1 / 0 for "not yet"; parseEpoch turns negatives into null already.
    return t === 0 ? null : t;
  };
  return {
    ok: true,
    warnings: [],
    record: {
      kind: 'app_state',
      appId,
      rawState,
      state: APP_STATES[rawState]!,
      at,
      name: typeof o.name === 'string' && o.name !== '' ? o.name : null,
      user: typeof o.user === 'string' && o.user !== '' ? o.user : null,
      submitTime: opt('submit_time'),
      startTime: opt('start_time'),
      finishTime: opt('finish_time'),
    },
  };
}

function epochReason(field: string, v: unknown, then: string): string {
  if (v === undefined) return `Field "${field}" is missing, so ${then}.`;
  if (typeof v !== 'number' && typeof v !== 'string') return `Field "${field}" must be epoch milliseconds (a number), got ${jsonType(v)}, so ${then}.`;
  return `Field "${field}" is ${JSON.stringify(v).slice(0, 40)}, which is not epoch milliseconds, so ${then}.`;
}

function readPath(o: Record<string, unknown>): string | null {
  if (typeof o.path === 'string' && o.path !== '') return o.path;
  const parts = PATH_PARTS.map((k) => o[k]).filter((v): v is string => typeof v === 'string' && v !== '');
  return parts.length ? '/' + parts.join('/') : null;
}
