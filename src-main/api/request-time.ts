import { AppError } from '../../shared/errors';

/** A request time (ISO-8601 or epoch milliseconds, DESIGN §8) as epoch ms; undefined stays undefined. */
export function requestTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const t = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(t)) throw new AppError('INVALID_ARGUMENT', `${field} "${value}" is neither an ISO-8601 time nor epoch milliseconds.`);
  return t;
}
