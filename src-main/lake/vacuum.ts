import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { AddAction } from './delta-actions';
import { KEY_INDEX_DIR } from './data-files';
import { canonicalPath, listLog, loadSnapshot, readCommit } from './delta-log';
import { dvFilePath } from './deletion-vectors';
import { commitTimeline } from './time-travel';
import { PENDING_DIR, recoverAbandonedWrites } from './write-journal';

/**
 * `retrace table vacuum DIR [--retain HOURS] [--dry-run]`: removes the files no retained version
 * reads. A version is retained while it was current at some moment within the retention period
 * (the latest always is): the version current at `now − retain`, and every later one. What they
 * read is the live files of the oldest of them, every file a later commit added, the change-data
 * files of those commits, their deletion vectors and Retrace's key index beside each data file.
 * A file the log never mentioned is removed only once it is older than the retention period
 * (another writer may be writing it right now); the files of a killed `table write` are removed
 * at once. Like Delta's VACUUM, hidden files and folders (`.x`, `_x`) other than `_change_data`
 * are left alone, and so is `_delta_log`.
 */
export interface VacuumOptions {
  readonly retainHours?: number;
  readonly dryRun?: boolean;
  /** Clock (ms); injectable for tests. */
  readonly now?: () => number;
}

export interface VacuumResult {
  /** Table-relative paths removed (or that would be, with dryRun), sorted. */
  readonly removed: string[];
  readonly bytes: number;
  /** The oldest version that stays readable. */
  readonly retainedFromVersion: number;
  readonly dryRun: boolean;
}

export const DEFAULT_RETAIN_HOURS = 168;

function candidateFiles(tableDir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(tableDir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        const hidden = e.name.startsWith('.') || (e.name.startsWith('_') && !e.name.includes('='));
        if (!hidden || e.name === '_change_data' || e.name === KEY_INDEX_DIR) walk(r);
      } else if (e.isFile() && !e.name.startsWith('.') && !e.name.startsWith('_')) out.push(r);
    }
  };
  walk('');
  return out;
}

function removeEmptyFolders(tableDir: string, rel: string): void {
  let dir = path.dirname(rel);
  while (dir !== '.' && dir !== '') {
    try { fs.rmdirSync(path.join(tableDir, dir)); } catch { return; }
    dir = path.dirname(dir);
  }
}

export async function vacuumTable(tableDir: string, opts: VacuumOptions = {}): Promise<VacuumResult> {
  const retainHours = opts.retainHours ?? DEFAULT_RETAIN_HOURS;
  if (!(retainHours >= 0)) throw new AppError('INVALID_ARGUMENT', `--retain must be a number of hours ≥ 0, not ${String(opts.retainHours)}.`);
  const now = (opts.now ?? Date.now)();
  const cutoff = now - retainHours * 3_600_000;
  const dryRun = opts.dryRun === true;
  const abandoned = new Set(dryRun ? [] : recoverAbandonedWrites(tableDir));

  const listing = listLog(tableDir);
  const { versions, times } = commitTimeline(tableDir, listing);
  // The version current at the cutoff; if every commit is younger, the oldest one still readable.
  let oldest = listing.latest;
  for (let i = versions.length - 1; i >= 0; i--) {
    if (times[i]! <= cutoff) { oldest = versions[i]!; break; }
    oldest = versions[i]!;
  }
  const base = await loadSnapshot(tableDir, oldest, listing);
  const keep = new Set<string>();
  const adds: AddAction[] = [...base.files];
  const known = new Set<string>(); // every data file the log still mentions
  for (const v of versions) {
    if (v < oldest) {
      for (const a of readCommit(tableDir, v)) {
        if (a.add) known.add(canonicalPath(a.add.path));
        if (a.remove) known.add(canonicalPath(a.remove.path));
        if (a.cdc) known.add(canonicalPath(a.cdc.path));
      }
      continue;
    }
    for (const a of readCommit(tableDir, v)) {
      if (a.add && v > oldest) adds.push(a.add);
      if (a.cdc) keep.add(canonicalPath(a.cdc.path));
      if (a.remove) known.add(canonicalPath(a.remove.path));
    }
  }
  for (const t of base.tombstones) known.add(canonicalPath(t.path));
  for (const a of adds) {
    const p = canonicalPath(a.path);
    keep.add(p);
    keep.add(`${KEY_INDEX_DIR}/${path.posix.basename(p)}.json`);
    if (a.deletionVector && a.deletionVector.storageType !== 'i') {
      keep.add(path.relative(tableDir, dvFilePath(tableDir, a.deletionVector)).split(path.sep).join('/'));
    }
  }
  const knownIndex = new Set([...known].map((k) => `${KEY_INDEX_DIR}/${path.posix.basename(k)}.json`));
  const removed: string[] = [];
  let bytes = 0;
  for (const file of candidateFiles(tableDir)) {
    if (keep.has(file) || file.startsWith(`${PENDING_DIR}/`)) continue;
    const abs = path.join(tableDir, file);
    const st = fs.statSync(abs);
    const inLog = known.has(file) || knownIndex.has(file);
    const old = st.mtimeMs < cutoff;
    if (!inLog && !old && !abandoned.has(file)) continue; // possibly being written right now
    removed.push(file);
    bytes += st.size;
    if (!dryRun) {
      fs.rmSync(abs, { force: true });
      removeEmptyFolders(tableDir, file);
    }
  }
  for (const f of abandoned) if (!removed.includes(f)) removed.push(f);
  return { removed: removed.sort(), bytes, retainedFromVersion: oldest, dryRun };
}
