/**
 * What an ingest batch folds events into before the store writes it: sources with their read
 * offsets, runs, artifacts and jobs, as the store caches them between commits.
 */
import type { RunState } from '../../shared/dto';
import type { Facets } from './records';

export interface SourceState {
  id: number;
  readonly path: string;
  readonly format: 'lines' | 'document';
  dev: number;
  ino: number;
  size: number;
  offset: number;
  nextLine: number;
  /** Event time of the last accepted event (counts lines out of time order across restarts). */
  lastEventAt: number | null;
  /** The offset as this process last saw it in the DB (null: no row yet); see `commit`. */
  committedOffset: number | null;
  /** Hash of the file's first `length` bytes as read, to detect a rewrite in place. */
  head: { length: number; hash: string } | null;
}

export interface RunEntity {
  readonly id: number;
  readonly uuid: string;
  readonly origin: 'openlineage' | 'hopsworks';
  /** Not yet in the DB (inserted, not updated, at the next commit). */
  isNew: boolean;
  jobId: number | null;
  /** "namespace name" of the job, for the search index (not a column). */
  jobLabel: string | null;
  state: RunState;
  stateAt: number;
  startedAt: number | null;
  endedAt: number | null;
  lastEventAt: number;
  user: string | null;
  host: string | null;
  parentRunUuid: string | null;
  command: string | null;
  cwd: string | null;
  exitCode: number | null;
  errorMessage: string | null;
  codeVersionId: number | null;
  environmentId: number | null;
  facets: Facets;
  firstSeq: number;
  lastSeq: number;
  endSeq: number | null;
  /** Access keys already recorded for this run (inputs/outputs accumulate without doubles). */
  accessKeys: Set<string> | null;
  hadDatasets: boolean;
  /** artifact id → the version this run last read or wrote (in memory only; lets dataset lists reuse footprint hashes). */
  touched: Map<number, number>;
  /** Artifacts this run created (in memory only). */
  created: Set<number>;
  /**
   * `role kind artifact` → the column_texts id this run last recorded for it (in memory only): a
   * facet re-emitted unchanged on RUNNING and COMPLETE adds no row. After an eviction a repeat
   * costs one redundant row, never a wrong answer.
   */
  columnTexts: Map<string, number>;
}

export interface ArtifactEntity {
  readonly id: number;
  readonly namespace: string;
  readonly name: string;
  readonly path: string | null;
  kind: string;
  tags: string[];
  rollupId: number | null;
  currentVersionId: number | null;
  facets: Facets;
  facetsJson: string;
  readonly firstSeq: number;
  isNew: boolean;
  /** version label → id; null until loaded from the DB. */
  versions: Map<string, number> | null;
}

export interface JobEntity {
  readonly id: number;
  readonly namespace: string;
  readonly name: string;
  facets: Facets;
  facetsJson: string;
  isNew: boolean;
}

export interface BatchSummary {
  events: number;
  newRuns: number;
  newArtifacts: number;
  newVersions: number;
  accesses: number;
  rejected: number;
  duplicates: number;
}

/** One search document; `rowid` = entity id * 4 + kind code (1 run, 2 artifact, 3 job). */
export interface FtsDoc {
  readonly rowid: number;
  readonly isNew: boolean;
  readonly name: string;
  readonly path: string;
  readonly job: string;
  readonly command: string;
  readonly user: string;
  readonly tags: string;
  readonly facets: string;
}

/**
 * Identity of an access within one run, so that re-emitted inputs/outputs accumulate without
 * doubles: datasets by (origin, artifact, op), footprint ops also by version.
 */
export function accessKey(origin: string, artifactId: number, op: string, versionId: number): string {
  return origin === 'footprint' ? `${origin}|${artifactId}|${op}|${versionId}` : `${origin}|${artifactId}|${op}`;
}

export function emptySummary(): BatchSummary {
  return { events: 0, newRuns: 0, newArtifacts: 0, newVersions: 0, accesses: 0, rejected: 0, duplicates: 0 };
}

/**
 * How many entities a generation of each store cache holds (aging-cache.ts): one that was not
 * used for a whole generation is forgotten and reloaded by its unique key when seen again, so a
 * long log keeps memory flat; a cache holds at most about twice its limit.
 */
export interface CacheLimits {
  readonly runs: number;
  readonly artifacts: number;
  /** Code version hash → id, and environment hash → id (each). */
  readonly hashIds: number;
}
export const CACHE_LIMITS: CacheLimits = { runs: 10_000, artifacts: 25_000, hashIds: 25_000 };
