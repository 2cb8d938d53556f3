import { z } from 'zod';
import type { ApiMethod } from './api';

/**
 * Runtime validation of every API argument, applied by the core before any method runs, so
 * every transport rejects the same bad input with the same INVALID_ARGUMENT error.
 */
const empty = z.object({}).strict();

export const API_ARG_SCHEMAS = {
  ping: z.object({ echo: z.string().max(10_000).optional() }).strict(),
  getStatus: empty,
  getGraph: z
    .object({
      snapshot: z.number().int().nonnegative().optional(),
      asOf: z.string().min(1).max(64).optional(),
    })
    .strict(),
  listSnapshots: empty,
  listRejected: z
    .object({ limit: z.number().int().min(1).max(10_000).optional(), offset: z.number().int().nonnegative().optional() })
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
