import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { CHECKPOINT_FAILURE, type CheckpointHint, readCheckpoint, readLastCheckpointHint } from './checkpoint-read';
import { type ColumnMappingMode, columnMappingMode } from './column-mapping';
import { deletionVectorId } from './deletion-vectors';
import type { Action, AddAction, MetadataAction, ProtocolAction, RemoveAction } from './delta-actions';
import { type DeltaStructType, parseSchemaString } from './delta-types';
import { coveredDamage, missingVersions } from './log-integrity';
import { checkReadable } from './protocol';

/**
 * Delta log listing and replay (PROTOCOL.md §Action Reconciliation). The listing is the truth:
 * `_last_checkpoint` is only a hint and may be stale or corrupt (golden
 * `corrupted-last-checkpoint-kernel`, delta-rs `table_failed_last_checkpoint_update`), so it
 * only picks among several v2 checkpoints of one version; one listing names every checkpoint.
 */
export interface LogListing {
  readonly commits: Map<number, string>;
  /**
   * version → the checkpoint to read there: one file (classic, or v2 `n.checkpoint.<uuid>.json|
   * parquet`) or the parts of a complete multi-part set.
   */
  readonly checkpoints: Map<number, string[]>;
  readonly latest: number;
  readonly hint: CheckpointHint;
}

/** The table state at one version. `files` are the live data files (path is decoded, relative). */
export interface Snapshot {
  readonly tableDir: string;
  readonly version: number;
  readonly protocol: ProtocolAction;
  readonly metadata: MetadataAction;
  /** Logical schema (field metadata holds physical names and ids under column mapping). */
  readonly schema: DeltaStructType;
  readonly columnMapping: ColumnMappingMode;
  readonly files: readonly AddAction[];
  readonly tombstones: readonly RemoveAction[];
  readonly txns: ReadonlyMap<string, number>;
  /** Damage the read went past (a missing or unparsable commit a checkpoint covers, a bad checkpoint). */
  readonly warnings: readonly string[];
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
  const hint = readLastCheckpointHint(logDir(tableDir));
  const commits = new Map<number, string>();
  const checkpoints = new Map<number, string[]>();
  const multi = new Map<string, { version: number; total: number; parts: Map<number, string> }>();
  const v2 = new Map<number, string[]>();
  for (const name of names) {
    let m: RegExpExecArray | null;
    if ((m = COMMIT_RE.exec(name))) commits.set(Number(m[1]), name);
    else if ((m = CLASSIC_CP_RE.exec(name))) checkpoints.set(Number(m[1]), [name]);
    else if ((m = MULTI_CP_RE.exec(name))) {
      const key = `${m[1]}/${m[3]}`;
      const set = multi.get(key) ?? { version: Number(m[1]), total: Number(m[3]), parts: new Map() };
      set.parts.set(Number(m[2]), name);
      multi.set(key, set);
    } else if ((m = V2_CP_RE.exec(name))) v2.set(Number(m[1]), [...(v2.get(Number(m[1])) ?? []), name].sort());
  }
  // Incomplete multi-part sets are ignored (a writer may have died half-way).
  for (const set of multi.values()) {
    if (set.parts.size === set.total && !checkpoints.has(set.version)) {
      checkpoints.set(set.version, [...set.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n));
    }
  }
  // A v2 checkpoint is one self-contained file; when a version has several, the hint says which.
  for (const [version, files] of v2) {
    if (checkpoints.has(version)) continue;
    const hinted = hint?.ok && hint.version === version && hint.v2Path && files.includes(hint.v2Path) ? hint.v2Path : files[0]!;
    checkpoints.set(version, [hinted]);
  }
  const versions = [...commits.keys(), ...checkpoints.keys()];
  if (versions.length === 0) throw new AppError('NOT_FOUND', `${tableDir} is not a Delta table (its _delta_log holds no commits).`);
  return { commits, checkpoints, latest: Math.max(...versions), hint };
}

export function parseCommitText(text: string, where: string): Action[] {
  const actions: Action[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    let action: unknown;
    try {
      action = JSON.parse(lines[i]!);
    } catch {
      action = undefined;
    }
    if (!action || typeof action !== 'object' || Array.isArray(action)) {
      throw new AppError('STORE_CORRUPT', `Commit file ${where} is damaged: line ${i + 1} is not a JSON action.`, { file: where });
    }
    actions.push(action as Action);
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

/**
 * The identity of a log path for reconciliation: `file:` URIs, `file:///` URIs and plain absolute
 * paths name the same file once decoded (golden `canonicalized-paths-*`).
 */
export function canonicalPath(logPath: string): string {
  if (/^file:/i.test(logPath)) return decodeURIComponent(new URL(logPath).pathname);
  return decodeURIComponent(logPath);
}

/** The file path on disk of a log path (URI-encoded, relative or absolute). */
export function dataFilePath(tableDir: string, logPath: string): string {
  if (/^file:/i.test(logPath)) return decodeURIComponent(new URL(logPath).pathname);
  const decoded = decodeURIComponent(logPath);
  return path.isAbsolute(decoded) ? decoded : path.join(tableDir, decoded);
}


/** Replays the log up to `version` (default: latest) from the newest usable checkpoint. */
export async function loadSnapshot(tableDir: string, version?: number, listing: LogListing = listLog(tableDir)): Promise<Snapshot> {
  const target = version ?? listing.latest;
  if (target > listing.latest || target < 0) {
    throw new AppError('NOT_FOUND', `Version ${target} of table ${tableDir} does not exist (latest is ${listing.latest}).`);
  }
  const dir = logDir(tableDir);
  const warnings: string[] = [];
  if (listing.hint && !listing.hint.ok) warnings.push(`${path.join(dir, '_last_checkpoint')} is damaged (${listing.hint.reason}); the log was listed instead.`);
  // Newest checkpoint first, then "no checkpoint" (-1): the first one with a contiguous tail wins.
  const candidates = [...[...listing.checkpoints.keys()].filter((v) => v <= target).sort((a, b) => b - a), -1];
  let lastError: unknown;
  for (const cp of candidates) {
    if (!tailIsContiguous(listing, cp, target)) continue;
    try {
      const base = cp >= 0 ? await readCheckpoint(dir, listing.checkpoints.get(cp)!) : [];
      const commits: Action[][] = [];
      for (let v = cp + 1; v <= target; v++) commits.push(readCommit(tableDir, v));
      warnings.push(...coveredDamage(dir, listing.commits, cp, target, commitFileName));
      return replay(tableDir, target, base, commits, warnings);
    } catch (err) {
      // A damaged checkpoint is skipped in favour of an older one; other errors are final.
      if (!(err instanceof AppError && err.message.startsWith(CHECKPOINT_FAILURE))) throw err;
      warnings.push(`${err.message} An older checkpoint was used.`);
      lastError = err;
    }
  }
  if (lastError) throw lastError;
  const present = [...listing.commits.keys()].filter((v) => v <= target).sort((a, b) => a - b);
  const earliest = Math.min(...listing.commits.keys(), ...listing.checkpoints.keys());
  const gaps = missingVersions(listing.commits, target);
  // Delta removes old commits only once a checkpoint covers them: without one, missing leading
  // commits are damage, not cleanup.
  if (earliest > 0 && gaps.length === 0 && listing.checkpoints.size > 0) {
    throw new AppError('NOT_FOUND', `Version ${target} of table ${tableDir} can no longer be reconstructed: its log was cleaned up before version ${earliest}.`);
  }
  const missing = gaps.length > 0 ? gaps[0]! : earliest > 0 ? earliest - 1 : present.length > 0 ? present[present.length - 1]! + 1 : 0;
  throw new AppError('STORE_CORRUPT', `Table ${tableDir} cannot be read at version ${target}: commit file ${path.join(dir, commitFileName(missing))} is missing and no checkpoint covers it (versions are not contiguous: ([${present.join(', ')}])).`, { file: path.join(dir, commitFileName(missing)) });
}

function tailIsContiguous(listing: LogListing, cp: number, target: number): boolean {
  for (let v = cp + 1; v <= target; v++) if (!listing.commits.has(v)) return false;
  return true;
}

function replay(tableDir: string, version: number, checkpoint: Action[], commits: Action[][], warnings: string[]): Snapshot {
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
      const key = `${canonicalPath(a.add.path)}#${deletionVectorId(a.add.deletionVector)}`;
      files.set(key, a.add);
      tombstones.delete(key);
    }
    if (a.remove) {
      const key = `${canonicalPath(a.remove.path)}#${deletionVectorId(a.remove.deletionVector)}`;
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
    // Log-only tables (upstream fixtures) may carry no schema at all: they have no columns.
    schema: metadata.schemaString === undefined || metadata.schemaString === null ? { type: 'struct', fields: [] } : parseSchemaString(metadata.schemaString, `${tableDir} metaData`),
    columnMapping: columnMappingMode(metadata),
    files: [...files.values()],
    tombstones: [...tombstones.values()],
    txns,
    warnings,
  };
}
