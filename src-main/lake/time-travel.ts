import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { type LogListing, commitFileName, listLog, logDir, parseCommitText } from './delta-log';

/**
 * Commit timestamps and "which version was current at time T" (notes/table-formats.md §1.6).
 * A commit's time is its in-commit timestamp when it has one, else its file mtime; the sequence
 * is then made strictly increasing as Spark does (`ts(v) := max(ts(v), ts(v-1)+1)`).
 *
 * Commits are immutable, so timestamps are cached per table and only new versions are read:
 * resolving a time is then a binary search over a typed array.
 */
interface TimelineCache {
  versions: number[];
  raw: number[];
  /** monotonized timestamps, parallel to `versions` */
  times: Float64Array;
}

const cache = new Map<string, TimelineCache>();

/** Reads only the first line of a commit: with ICT on, commitInfo must come first. */
function firstActionTimestamp(file: string): number | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    const nl = text.indexOf('\n');
    if (nl < 0 && n === buf.length) return undefined;
    const [first] = parseCommitText(nl >= 0 ? text.slice(0, nl) : text, file);
    const ict = first?.commitInfo?.inCommitTimestamp;
    return typeof ict === 'number' ? ict : undefined;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** The raw (unmonotonized) timestamp of one commit file. */
export function rawCommitTimestamp(tableDir: string, version: number): number {
  const file = path.join(logDir(tableDir), commitFileName(version));
  const ict = firstActionTimestamp(file);
  return ict ?? Math.floor(fs.statSync(file).mtimeMs);
}

/** Commit versions with their monotonized timestamps (ms since epoch), oldest first. */
export function commitTimeline(tableDir: string, listing: LogListing = listLog(tableDir)): { versions: readonly number[]; times: Float64Array } {
  const key = path.resolve(tableDir);
  const versions = [...listing.commits.keys()].sort((a, b) => a - b);
  let entry = cache.get(key);
  const sameStart = entry && entry.versions[0] === versions[0] && entry.versions.length <= versions.length
    && entry.versions.every((v, i) => versions[i] === v);
  if (!entry || !sameStart) {
    entry = { versions: [], raw: [], times: new Float64Array(0) };
  }
  if (entry.versions.length < versions.length) {
    const raw = entry.raw.slice();
    for (let i = entry.versions.length; i < versions.length; i++) raw.push(rawCommitTimestamp(tableDir, versions[i]!));
    const times = new Float64Array(raw.length);
    for (let i = 0; i < raw.length; i++) times[i] = i > 0 && raw[i]! <= times[i - 1]! ? times[i - 1]! + 1 : raw[i]!;
    entry = { versions, raw, times };
  }
  cache.set(key, entry);
  return { versions: entry.versions, times: entry.times };
}

/**
 * The latest version committed at or before `timestampMs`. A time before the first commit
 * resolves to the earliest version still in the log (delta-rs behaviour, not Spark's error),
 * so a time slider never fails at its left edge.
 */
export function versionAtTime(tableDir: string, timestampMs: number, listing?: LogListing): number {
  // History is immutable: a time before the newest cached commit is answered without listing.
  const cached = listing ? undefined : cache.get(path.resolve(tableDir));
  const { versions, times } = cached && cached.times.length > 0 && timestampMs < cached.times[cached.times.length - 1]!
    ? cached : commitTimeline(tableDir, listing);
  if (versions.length === 0) throw new AppError('NOT_FOUND', `Table ${tableDir} has no commit files to time-travel over.`);
  let lo = 0, hi = times.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= timestampMs) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return versions[found < 0 ? 0 : found]!;
}

/** Monotonized timestamp of one version (ms). */
export function versionTimestamp(tableDir: string, version: number, listing?: LogListing): number {
  const { versions, times } = commitTimeline(tableDir, listing);
  const i = versions.indexOf(version);
  if (i < 0) throw new AppError('NOT_FOUND', `Version ${version} of table ${tableDir} has no commit file.`);
  return times[i]!;
}

/** Forgets cached timestamps (tests that change mtimes after reading). */
export function _resetTimelineCacheForTests(): void {
  cache.clear();
}
