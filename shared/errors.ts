/**
 * The closed set of error codes that cross the API boundary. Low-level errors (SQLite, fs,
 * parquet-wasm) are classified into these once, in src-main, never in the renderer.
 */
export const ERROR_CODES = [
  'NOT_FOUND',
  'INVALID_ARGUMENT',
  'CONFLICT',
  'UNSUPPORTED',
  'STORE_CORRUPT',
  'IO',
  'CANCELLED',
  'FORBIDDEN',
  'NOT_BUILT',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && (ERROR_CODES as readonly string[]).includes(x);
}

/** An error the user can act on: `message` is one sentence that says what to do. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export interface ErrorDto {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: unknown;
}

/** What every transport sends back: never a thrown exception, always this envelope. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorDto };

export function toErrorDto(err: unknown): ErrorDto {
  if (err instanceof AppError) {
    return err.details === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, details: err.details };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `Internal error: ${message}` };
}

/** Runs `fn` and wraps its value or error in a Result (never throws). */
export async function toResult<T>(fn: () => Promise<T> | T): Promise<Result<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, error: toErrorDto(err) };
  }
}

/** The client side: turns an envelope back into a value or an AppError. */
export function unwrapResult<T>(r: unknown): T {
  if (typeof r !== 'object' || r === null || !('ok' in r)) {
    throw new AppError('INTERNAL', 'The server answered with something that is not a Result envelope.');
  }
  const res = r as Result<T>;
  if (res.ok) return res.value;
  const code = isErrorCode(res.error?.code) ? res.error.code : 'INTERNAL';
  throw new AppError(code, String(res.error?.message ?? 'Unknown error.'), res.error?.details);
}
