import { API_METHOD_NAMES, type ApiMethod, type RetraceApi } from '../../shared/api';
import { validateApiArg } from '../../shared/api-schema';
import { AppError } from '../../shared/errors';

/**
 * Wraps an API implementation so that every call is validated against the shared schemas
 * first. Every transport goes through this one wrapper, so they reject bad input alike.
 */
export function withValidation(impl: RetraceApi): RetraceApi {
  const out: Partial<Record<ApiMethod, (arg: unknown) => Promise<unknown>>> = {};
  for (const name of API_METHOD_NAMES) {
    const fn = impl[name] as (arg: unknown) => Promise<unknown>;
    out[name] = async (arg: unknown) => {
      const v = validateApiArg(name, arg);
      if (!v.ok) throw new AppError('INVALID_ARGUMENT', v.message);
      return fn.call(impl, v.value);
    };
  }
  return out as RetraceApi;
}

/** Calls one method by name with an untyped argument: what transport adapters do. */
export function invokeApi(api: RetraceApi, method: ApiMethod, arg: unknown): Promise<unknown> {
  return (api[method] as (a: unknown) => Promise<unknown>).call(api, arg);
}
