import { z } from 'zod';
import type { ApiMethod } from './api';
import { CATALOG_ARTIFACT_SORTS, CATALOG_RUN_SORTS } from './catalog-dto';
import { NODE_KINDS } from './dto';

/**
 * Runtime validation of every API argument, applied by the core before any method runs, so
 * every transport rejects the same bad input with the same INVALID_ARGUMENT error.
 */
const empty = z.object({}).strict();
const ref = z.string().min(1).max(4096);
const seq = z.number().int().nonnegative();
const versionRef = z.object({ artifact: ref, version: ref.optional() }).strict();
/** A time as ISO-8601 or epoch milliseconds (DESIGN §8). */
const time = z.string().min(1).max(64).refine((t) => /^\d+$/.test(t) || !Number.isNaN(Date.parse(t)), { message: 'not an ISO-8601 time or epoch milliseconds' });
const listReq = z
  .object({
    filterBy: z.array(z.string().min(1).max(1000)).max(50).optional(),
    sortBy: z.string().min(1).max(100).optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
    offset: z.number().int().nonnegative().optional(),
  })
  .strict();

export const API_ARG_SCHEMAS = {
  ping: z.object({ echo: z.string().max(10_000).optional() }).strict(),
  getStatus: z.object({ snapshot: seq.optional() }).strict(),
  getGraph: z
    .object({
      snapshot: seq.optional(),
      asOf: z.string().min(1).max(64).optional(),
      granularity: z.enum(['job', 'run']).optional(),
    })
    .strict(),
  listSnapshots: empty,
  diffSnapshots: z.object({ from: seq.optional(), to: seq.optional(), granularity: z.enum(['job', 'run']).optional() }).strict(),
  listRejected: z
    .object({ limit: z.number().int().min(1).max(10_000).optional(), offset: z.number().int().nonnegative().optional() })
    .strict(),
  getFootprint: z.object({ run: ref, snapshot: seq.optional() }).strict(),
  getImpact: z
    .object({
      run: ref.optional(), artifact: ref.optional(), version: ref.optional(), depth: z.number().int().min(1).max(1000).optional(), snapshot: seq.optional(),
      direction: z.enum(['downstream', 'upstream']).optional(),
    })
    .strict()
    .refine((r) => (r.run === undefined) !== (r.artifact === undefined), { message: 'give exactly one of run or artifact' })
    .refine((r) => r.version === undefined || r.artifact !== undefined, { message: 'version goes with artifact' }),
  getUpstream: z.object({ artifact: ref, version: ref.optional(), depth: z.number().int().min(1).max(1000).optional(), snapshot: seq.optional() }).strict(),
  getStaleness: z.object({ artifact: ref.optional(), snapshot: seq.optional() }).strict(),
  search: z.object({ query: z.string().max(1000), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  listRuns: listReq,
  listArtifacts: listReq,
  listCatalog: z
    .object({
      what: z.enum(['artifacts', 'runs']),
      sort: z.enum([...CATALOG_ARTIFACT_SORTS, ...CATALOG_RUN_SORTS]).optional(),
      desc: z.boolean().optional(),
      filter: z.string().max(1000).optional(),
      kind: z.enum(NODE_KINDS).optional(),
      stale: z.boolean().optional(),
      state: z.enum(['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER']).optional(),
      offset: z.number().int().nonnegative().optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      snapshot: seq.optional(),
      repro: z.boolean().optional(),
    })
    .strict()
    .refine((r) => r.what === 'artifacts' || (r.kind === undefined && r.stale === undefined), { message: 'kind and stale narrow artifacts, not runs' })
    .refine((r) => r.what === 'runs' || (r.state === undefined && r.repro === undefined), { message: 'state and repro go with runs, not artifacts' })
    .refine((r) => r.sort === undefined || (r.what === 'artifacts' ? (CATALOG_ARTIFACT_SORTS as readonly string[]) : (CATALOG_RUN_SORTS as readonly string[])).includes(r.sort), {
      message: `artifacts sort by ${CATALOG_ARTIFACT_SORTS.join(', ')}; runs by ${CATALOG_RUN_SORTS.join(', ')}`,
    }),
  mostUsed: z
    .object({ limit: z.number().int().min(1).max(1000).optional(), kind: z.enum(NODE_KINDS).optional(), since: time.optional(), until: time.optional(), snapshot: seq.optional() })
    .strict(),
  latestPipelineUsing: z.object({ dataset: ref, snapshot: seq.optional() }).strict(),
  whoRan: z.object({ pipeline: ref, snapshot: seq.optional() }).strict(),
  getRepro: z.object({ run: ref }).strict(),
  prepareRerun: z.object({ run: ref }).strict(),
  confirmRerun: z.object({ token: z.string().min(1).max(200) }).strict(),
  prepareRerunPlan: z
    .object({
      kind: z.enum(['run', 'downstream', 'stale']),
      run: ref.optional(),
      artifacts: z.array(ref).max(1000).optional(),
      picks: z.array(z.object({ stage: ref, run: ref }).strict()).max(1000).optional(),
    })
    .strict()
    .refine((r) => (r.kind === 'stale') === (r.run === undefined), { message: 'give a run for a run or downstream plan, and none for a stale plan' })
    .refine((r) => r.artifacts === undefined || r.kind === 'stale', { message: 'artifacts go with a stale plan' }),
  startRerunPlan: z.object({ token: z.string().min(1).max(200), digest: z.string().min(1).max(200), jobs: z.number().int().min(1).max(64).optional() }).strict(),
  cancelRerunPlan: z.object({ execution: z.string().min(1).max(200) }).strict(),
  getRerunExecution: z.object({ execution: z.string().min(1).max(200) }).strict(),
  getDatasetColumns: z
    .object({ dataset: ref, snapshot: seq.optional(), asOf: time.optional(), query: z.string().max(1000).optional(), offset: z.number().int().nonnegative().optional(), limit: z.number().int().min(1).max(2000).optional() })
    .strict()
    .refine((r) => r.snapshot === undefined || r.asOf === undefined, { message: 'give either snapshot or asOf, not both' }),
  getColumnLineage: z
    .object({
      dataset: ref, column: z.string().min(1).max(4096), direction: z.enum(['upstream', 'downstream']), depth: z.number().int().min(1).max(1000).optional(),
      snapshot: seq.optional(), asOf: time.optional(), directOnly: z.boolean().optional(),
    })
    .strict()
    .refine((r) => r.snapshot === undefined || r.asOf === undefined, { message: 'give either snapshot or asOf, not both' }),
  getColumnImpact: z
    .object({ dataset: ref, column: z.string().min(1).max(4096), depth: z.number().int().min(1).max(1000).optional(), snapshot: seq.optional(), asOf: time.optional() })
    .strict()
    .refine((r) => r.snapshot === undefined || r.asOf === undefined, { message: 'give either snapshot or asOf, not both' }),
  getDatasetSchema: z
    .object({ dataset: ref, snapshot: seq.optional(), asOf: time.optional(), against: seq.optional(), tableVersion: seq.optional(), againstTableVersion: seq.optional() })
    .strict()
    .refine((r) => r.snapshot === undefined || r.asOf === undefined, { message: 'give either snapshot or asOf, not both' })
    .refine((r) => (r.tableVersion === undefined && r.againstTableVersion === undefined) || (r.snapshot === undefined && r.asOf === undefined && r.against === undefined), { message: 'table versions go without snapshots' }),
  prepareReplay: z.object({ run: ref }).strict(),
  startReplay: z.object({ token: z.string().min(1).max(200), digest: z.string().min(1).max(200), acceptMissing: z.boolean().optional() }).strict(),
  cancelReplay: z.object({ execution: z.string().min(1).max(200) }).strict(),
  getReplayExecution: z.object({ execution: z.string().min(1).max(200) }).strict(),
  diffVersions: z.object({ a: versionRef, b: versionRef }).strict(),
  listVersions: z.object({ artifact: ref, limit: z.number().int().min(1).max(1000).optional() }).strict(),
  getTableHistory: z.object({ artifact: ref }).strict(),
  getTableInfo: z.object({ artifact: ref, version: seq.optional() }).strict(),
  readTablePage: z
    .object({ artifact: ref, version: seq.optional(), offset: z.number().int().nonnegative().optional(), limit: z.number().int().min(1).max(1000).optional() })
    .strict(),
  diffTable: z
    .object({
      artifact: ref, from: seq, to: seq, limit: z.number().int().min(1).max(10_000).optional(), offset: z.number().int().nonnegative().optional(),
      key: z.array(z.string().min(1).max(200)).max(16).optional(),
    })
    .strict(),
  tableValueAsOf: z.object({ artifact: ref, key: z.string().max(4096), keyColumn: z.string().min(1).max(200).optional(), asOf: time }).strict(),
  tableChangesBetween: z
    .object({ artifact: ref, fromTime: time, toTime: time, offset: z.number().int().nonnegative().optional(), limit: z.number().int().min(1).max(10_000).optional() })
    .strict(),
} as const satisfies Record<ApiMethod, z.ZodType>;

/** Returns the parsed argument or a one-sentence description of what is wrong. */
export function validateApiArg(method: ApiMethod, arg: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  const parsed = API_ARG_SCHEMAS[method].safeParse(arg ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length ? ` at "${issue.path.join('.')}"` : '';
  return { ok: false, message: `Invalid argument to ${method}${where}: ${issue?.message ?? 'not valid'}.` };
}
