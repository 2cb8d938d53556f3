import { AppError } from '../../shared/errors';
import { findWorkspaceRoot } from '../workspace/workspace-paths';

/**
 * What every CLI command shares: resolving `-w DIR`, printing JSON, and failing with one
 * clear sentence on stderr (DESIGN §8). Commands throw AppError; `main` prints and exits.
 */
export function resolveWorkspace(opt: string | undefined, cwd: string = process.cwd()): string {
  return opt ? findWorkspaceRoot(opt) : findWorkspaceRoot(cwd);
}

/** Prints one JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Exit codes: 1 = the request failed (bad input, not found, …), 2 = usage error. */
export class CliExit extends Error {
  constructor(readonly exitCode: number, message = '') {
    super(message);
  }
}

/** Parses a time given as ISO-8601 or epoch milliseconds (DESIGN §8). */
export function parseTimeArg(value: string, flag: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new AppError('INVALID_ARGUMENT', `${flag} "${value}" is neither an ISO-8601 time nor epoch milliseconds.`);
  return t;
}

/** Parses a non-negative integer option. */
export function parseIntArg(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new AppError('INVALID_ARGUMENT', `${flag} takes a whole number, not "${value}".`);
  return Number(value);
}
