import fs from 'node:fs';
import path from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { AppError } from '../../shared/errors';
import { type DeletionVectorDescriptor, deletionVectorId } from './deletion-vectors';
import { type DeltaStructType, parseSchemaString } from './delta-types';
import { checkReadable } from './protocol';

/**
 * Delta log listing and replay (PROTOCOL.md §Action Reconciliation). The listing is the truth:
 * `_last_checkpoint` is only a hint and may be stale or corrupt (golden
 * `corrupted-last-checkpoint-kernel`, delta-rs `table_failed_last_checkpoint_update`), so the
 * reader never reads it; one directory listing already names every checkpoint.
 */
export interface ProtocolAction {
  readonly minReaderVersion: number;
  readonly minWriterVersion: number;
  readonly readerFeatures?: readonly string[] | null;
  readonly writerFeatures?: readonly string[] | null;
}
export interface MetadataAction {
  readonly id: string;
  readonly name?: string | null;
  readonly schemaString: string;
  readonly partitionColumns: readonly string[];
  readonly configuration: Record<string, string>;
  readonly createdTime?: number | null;
  readonly format?: { provider: string; options?: Record<string, string> };
}
export interface AddAction {
  readonly path: string;
  readonly partitionValues: Record<string, string | null>;
  readonly size: number;
  readonly modificationTime: number;
  readonly dataChange: boolean;
  readonly stats?: string | null;
  readonly tags?: Record<string, string> | null;
  readonly deletionVector?: DeletionVectorDescriptor | null;
}
export interface RemoveAction {
  readonly path: string;
  readonly dataChange: boolean;
  readonly deletionTimestamp?: number | null;
  readonly partitionValues?: Record<string, string | null> | null;
  readonly size?: number | null;
  readonly deletionVector?: DeletionVectorDescriptor | null;
}
export interface CdcAction { readonly path: string; readonly partitionValues: Record<string, string | null>; readonly size: number }
export interface TxnAction { readonly appId: string; readonly version: number; readonly lastUpdated?: number | null }
export type CommitInfo = Record<string, unknown> & { timestamp?: number; inCommitTimestamp?: number; operation?: string; operationMetrics?: Record<string, string> };

/** One line of a commit file; unknown actions are kept but ignored (the protocol requires that). */
export interface Action {
  protocol?: ProtocolAction; metaData?: MetadataAction; add?: AddAction; remove?: RemoveAction;
  cdc?: CdcAction; txn?: TxnAction; commitInfo?: CommitInfo;
}

export interface LogListing {
  readonly commits: Map<number, string>;
  /** version → checkpoint part files (one for classic, n for complete multi-part sets). */
  readonly checkpoints: Map<number, string[]>;
  /** versions that have only a v2 (UUID-named) checkpoint, which we refuse. */
  readonly v2Checkpoints: Set<number>;
  readonly latest: number;
}

/** The table state at one version. `files` are the live data files (path is decoded, relative). */
export interface Snapshot {
  readonly tableDir: string;
  readonly version: number;
  readonly protocol: ProtocolAction;
  readonly metadata: MetadataAction;
  readonly schema: DeltaStructType;
  readonly files: readonly AddAction[];
  readonly tombstones: readonly RemoveAction[];
  readonly txns: ReadonlyMap<string, number>;
}

export const logDir = (tableDir: string): string => path.join(tableDir, '_delta_log');
export const commitFileName = (v: number): string => `${String(v).padStart(20, '0')}.json`;

const COMMIT_RE = /^(\d{20})\.json$/;
const CLASSIC_CP_RE = /^(\d{20})\.checkpoint\.parquet$/;
const MULTI_CP_RE = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/;
const V2_CP_RE = /^(\d{20})\.checkpoint\.[0-9a-f-]{36}\.(json|parquet)$/;

export function listLog(tableDir: string): LogListing {
  let names: string[];
  try {
    names = fs.readdirSync(logDir(tableDir));
  } catch {
    throw new AppError('NOT_FOUND', `${tableDir} is not a Delta table (it has no _delta_log folder).`);
  }
  const commits = new Map<number, string>();
  const checkpoints = new Map<number, string[]>();
  const multi = new Map<string, { version: number; total: number; parts: Map<number, string> }>();
  const v2Checkpoints = new Set<number>();
  for (const name of names) {
    let m: RegExpExecArray | null;
    if ((m = COMMIT_RE.exec(name))) commits.set(Number(m[1]), name);
    else if ((m = CLASSIC_CP_RE.exec(name))) checkpoints.set(Number(m[1]), [name]);
    else if ((m = MULTI_CP_RE.exec(name))) {
      const key = `${m[1]}/${m[3]}`;
      const set = multi.get(key) ?? { version: Number(m[1]), total: Number(m[3]), parts: new Map() };
      set.parts.set(Number(m[2]), name);
      multi.set(key, set);
    } else if ((m = V2_CP_RE.exec(name))) v2Checkpoints.add(Number(m[1]));
  }
  // Incomplete multi-part sets are ignored (a writer may have died half-way).
  for (const set of multi.values()) {
    if (set.parts.size === set.total && !checkpoints.has(set.version)) {
      checkpoints.set(set.version, [...set.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n));
    }
  }
  const versions = [...commits.keys(), ...checkpoints.keys(), ...v2Checkpoints];
  if (versions.length === 0) throw new AppError('NOT_FOUND', `${tableDir} is not a Delta table (its _delta_log holds no commits).`);
  return { commits, checkpoints, v2Checkpoints, latest: Math.max(...versions) };
}

export function parseCommitText(text: string, where: string): Action[] {
  const actions: Action[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      actions.push(JSON.parse(line) as Action);
    } catch {
      throw new AppError('STORE_CORRUPT', `Commit file ${where} holds a line that is not JSON.`);
    }
  }
  return actions;
}

export function readCommit(tableDir: string, version: number): Action[] {
  const file = path.join(logDir(tableDir), commitFileName(version));
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new AppError('NOT_FOUND', `Version ${version} of table ${tableDir} does not exist (no ${commitFileName(version)}).`);
  }
  return parseCommitText(text, file);
}

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

export async function readCheckpoint(tableDir: string, parts: readonly string[]): Promise<Action[]> {
  const actions: Action[] = [];
  for (const part of parts) {
    const file = path.join(logDir(tableDir), part);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors });
    } catch (err) {
      throw new AppError('STORE_CORRUPT', `Checkpoint ${file} could not be read (${(err as Error).message}).`);
    }
    for (const row of rows) {
      const action: Record<string, unknown> = {};
      for (const key of ['txn', 'add', 'remove', 'metaData', 'protocol']) {
        if (row[key] !== null && row[key] !== undefined) action[key] = plain(row[key]);
      }
      actions.push(action as Action);
    }
  }
  return actions;
}

/** The file path on disk of a log path (URI-encoded, relative or absolute). */
export function dataFilePath(tableDir: string, logPath: string): string {
  if (/^file:/i.test(logPath)) return new URL(logPath).pathname;
  const decoded = decodeURIComponent(logPath);
  return path.isAbsolute(decoded) ? decoded : path.join(tableDir, decoded);
}

/** Replays the log up to `version` (default: latest) from the newest usable checkpoint. */
export async function loadSnapshot(tableDir: string, version?: number, listing: LogListing = listLog(tableDir)): Promise<Snapshot> {
  const target = version ?? listing.latest;
  if (target > listing.latest || target < 0) {
    throw new AppError('NOT_FOUND', `Version ${target} of table ${tableDir} does not exist (latest is ${listing.latest}).`);
  }
  // Newest checkpoint first, then "no checkpoint" (-1): the first one with a contiguous tail wins.
  const candidates = [...[...listing.checkpoints.keys()].filter((v) => v <= target).sort((a, b) => b - a), -1];
  let lastError: unknown;
  for (const cp of candidates) {
    if (!tailIsContiguous(listing, cp, target)) continue;
    try {
      const base = cp >= 0 ? await readCheckpoint(tableDir, listing.checkpoints.get(cp)!) : [];
      const commits: Action[][] = [];
      for (let v = cp + 1; v <= target; v++) commits.push(readCommit(tableDir, v));
      return replay(tableDir, target, base, commits);
    } catch (err) {
      // A damaged checkpoint is skipped in favour of an older one; other errors are final.
      if (!(err instanceof AppError && err.message.startsWith('Checkpoint '))) throw err;
      lastError = err;
    }
  }
  if (lastError) throw lastError;
  if ([...listing.v2Checkpoints].some((v) => v <= target)) {
    throw new AppError('UNSUPPORTED', `Table ${tableDir} uses reader feature "v2Checkpoint", which Retrace cannot read yet.`);
  }
  const present = [...listing.commits.keys()].filter((v) => v <= target).sort((a, b) => a - b);
  const earliest = Math.min(...listing.commits.keys(), ...listing.checkpoints.keys());
  if (earliest > 0 && candidates.length === 1 && (present.length === 0 || present.every((v, i) => v === present[0]! + i))) {
    throw new AppError('NOT_FOUND', `Version ${target} of table ${tableDir} can no longer be reconstructed: its log was cleaned up before version ${earliest}.`);
  }
  throw new AppError('STORE_CORRUPT', `Table ${tableDir} has gaps in its log: versions are not contiguous: ([${present.join(', ')}]).`);
}

function tailIsContiguous(listing: LogListing, cp: number, target: number): boolean {
  for (let v = cp + 1; v <= target; v++) if (!listing.commits.has(v)) return false;
  return true;
}

function replay(tableDir: string, version: number, checkpoint: Action[], commits: Action[][]): Snapshot {
  let protocol: ProtocolAction | undefined;
  let metadata: MetadataAction | undefined;
  const files = new Map<string, AddAction>();
  const tombstones = new Map<string, RemoveAction>();
  const txns = new Map<string, number>();
  const apply = (a: Action): void => {
    if (a.protocol) protocol = a.protocol;
    if (a.metaData) metadata = a.metaData;
    if (a.txn) txns.set(a.txn.appId, a.txn.version);
    if (a.add) {
      const key = `${decodeURIComponent(a.add.path)}#${deletionVectorId(a.add.deletionVector)}`;
      files.set(key, a.add);
      tombstones.delete(key);
    }
    if (a.remove) {
      const key = `${decodeURIComponent(a.remove.path)}#${deletionVectorId(a.remove.deletionVector)}`;
      files.delete(key);
      tombstones.set(key, a.remove);
    }
  };
  for (const a of checkpoint) apply(a);
  for (const commit of commits) for (const a of commit) apply(a);
  if (!protocol) throw new AppError('STORE_CORRUPT', `Table ${tableDir} is invalid at version ${version}: No protocol found.`);
  if (!metadata) throw new AppError('STORE_CORRUPT', `Table ${tableDir} is invalid at version ${version}: No metadata found.`);
  checkReadable(tableDir, protocol, metadata);
  return {
    tableDir, version, protocol, metadata,
    schema: parseSchemaString(metadata.schemaString, `${tableDir} metaData`),
    files: [...files.values()],
    tombstones: [...tombstones.values()],
    txns,
  };
}
