/**
 * The normalised records the parsers produce. Parsers are pure: a line (or a parsed JSON
 * value) in, one of these or a rejection out. Times are epoch milliseconds (UTC).
 */
import type { RunState } from '../../shared/dto';

export type Facets = Record<string, unknown>;

/** Footprint operations as DESIGN §3 names them; `OTHER` = kept but never in a footprint. */
export type AccessOp = 'READ' | 'CREATE' | 'MODIFY' | 'DELETE' | 'RENAME' | 'OTHER';

/** Deviations from the spec that were accepted; each kind is counted, never fatal. */
export type WarningKind =
  | 'missing_schema_url'
  | 'unresolvable_schema_url'
  | 'missing_producer'
  | 'missing_event_type'
  | 'running_in_1_0_x'
  | 'time_without_zone'
  | 'time_as_number'
  | 'non_uuid_run_id'
  | 'missing_job_namespace'
  | 'invalid_facet'
  | 'invalid_dataset'
  | 'job_event'
  | 'dataset_event'
  | 'dataset_both_input_and_output'
  | 'complete_without_start'
  | 'datasets_only_on_start'
  | 'out_of_event_time_order'
  | 'unattributed_file_op'
  | 'invalid_footprint_op'
  /** A malformed part of a `schema` or `columnLineage` facet (a field without a name…), dropped. */
  | 'invalid_column_lineage'
  /** A line was rejected because the parser threw (a defect of Retrace, not bad input). */
  | 'parser_bug';

export interface DatasetRef {
  readonly namespace: string;
  readonly name: string;
  readonly facets: Facets;
  /** inputFacets or outputFacets */
  readonly ioFacets: Facets;
}

export interface FootprintOp {
  readonly path: string;
  readonly op: AccessOp;
  readonly at: number | null;
  readonly hashAfter: string | null;
  readonly size: number | null;
  readonly renamedFrom: string | null;
}

/** An OpenLineage RunEvent. */
export interface OlRunRecord {
  readonly kind: 'ol_run';
  readonly runId: string;
  readonly eventType: RunState;
  readonly eventTime: number;
  readonly jobNamespace: string;
  readonly jobName: string;
  readonly runFacets: Facets;
  readonly jobFacets: Facets;
  readonly inputs: readonly DatasetRef[];
  readonly outputs: readonly DatasetRef[];
}

/** An OpenLineage JobEvent (static lineage: a job and its datasets, no run). */
export interface OlJobRecord {
  readonly kind: 'ol_job';
  readonly eventTime: number;
  readonly jobNamespace: string;
  readonly jobName: string;
  readonly jobFacets: Facets;
  readonly inputs: readonly DatasetRef[];
  readonly outputs: readonly DatasetRef[];
}

/** An OpenLineage DatasetEvent (a dataset and its facets). */
export interface OlDatasetRecord {
  readonly kind: 'ol_dataset';
  readonly eventTime: number;
  readonly dataset: DatasetRef;
}

/** Hopsworks `hdfs_file_provenance_log` row. */
export interface FileOpRecord {
  readonly kind: 'file_op';
  /** `null` when the app id is `none`/`notls` (unattributed). */
  readonly appId: string | null;
  readonly path: string;
  readonly rawOp: string;
  readonly op: AccessOp;
  readonly at: number;
  readonly user: string | null;
  readonly inodeId: number | null;
  readonly logicalTime: number | null;
}

/** Hopsworks `yarn_app_provenance_log` row. */
export interface AppStateRecord {
  readonly kind: 'app_state';
  readonly appId: string;
  readonly rawState: string;
  readonly state: RunState;
  readonly at: number;
  readonly name: string | null;
  readonly user: string | null;
  readonly submitTime: number | null;
  readonly startTime: number | null;
  readonly finishTime: number | null;
}

export type ProvenanceRecord = OlRunRecord | OlJobRecord | OlDatasetRecord | FileOpRecord | AppStateRecord;

export type ParseResult =
  | { readonly ok: true; readonly record: ProvenanceRecord; readonly warnings: readonly WarningKind[] }
  | {
      readonly ok: false;
      readonly reason: string;
      /** Set when the parser threw: not bad input but a defect of Retrace (tests fail on it). */
      readonly bug?: true;
    };

export const RUN_STATES: readonly RunState[] = ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'];
export const TERMINAL_STATES: ReadonlySet<RunState> = new Set<RunState>(['COMPLETE', 'ABORT', 'FAIL']);

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function reject(reason: string): ParseResult {
  return { ok: false, reason };
}

/** The JSON type of a parsed value, as a reason names it ("got number"). */
export function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * The reason a required field is unusable: missing, of the wrong JSON type, or empty; `then`
 * says what that prevents. E.g. `Field "run.runId" must be a string, got number, so …`.
 */
export function fieldReason(field: string, v: unknown, expected: 'a string' | 'an object', then: string): string {
  if (v === undefined) return `Field "${field}" is missing, so ${then}.`;
  const want = expected === 'a string' ? 'string' : 'object';
  if (jsonType(v) !== want) return `Field "${field}" must be ${expected}, got ${jsonType(v)}, so ${then}.`;
  return `Field "${field}" is empty, so ${then}.`;
}

/** Replaces control characters (and U+FFFD from bad UTF-8) with `?`, so text is safe to print in one line. */
export function printable(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0xfffd ? '?' : text[i];
  }
  return out;
}
