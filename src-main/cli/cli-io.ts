import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { parseIsoTime } from '../provenance/time';
import { findWorkspaceRoot } from '../workspace/workspace-paths';

/**
 * What every CLI command shares: resolving `-w DIR`, printing JSON, and failing with one
 * clear sentence on stderr (DESIGN §8). Commands throw AppError; `main` prints and exits.
 */
export function resolveWorkspace(opt: string | undefined, cwd: string = process.cwd()): string {
  if (opt === undefined || opt === '') return findWorkspaceRoot(cwd);
  const abs = path.resolve(cwd, opt);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw new AppError('NOT_FOUND', `The workspace folder ${abs} does not exist; name a folder that exists (an empty one is fine), or create it first.`);
  }
  if (!st.isDirectory()) throw new AppError('INVALID_ARGUMENT', `The workspace ${abs} is a file, not a folder; name the folder that holds (or will hold) .retrace/.`);
  return findWorkspaceRoot(abs);
}

/**
 * Where commands print their results: stdout. In-process tests of the commands swap `write`,
 * because under `node --test` stdout also carries the test runner's own reports.
 */
export const cliOutput = {
  write(text: string): void {
    process.stdout.write(text);
  },
};

/** Prints one JSON document on stdout. */
export function printJson(value: unknown): void {
  cliOutput.write(JSON.stringify(value, null, 2) + '\n');
}

/** Exit codes: 1 = the request failed (bad input, not found, …), 2 = usage error. */
export class CliExit extends Error {
  constructor(readonly exitCode: number, message = '') {
    super(message);
  }
}

/**
 * Parses a time given as ISO-8601 or epoch milliseconds (DESIGN §8), with the calendar checks
 * of the log parser (2021-02-31 is refused, not read as 3 March); without a zone it is UTC.
 */
export function parseTimeArg(value: string, flag: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const t = parseIsoTime(value);
  if (!t) throw new AppError('INVALID_ARGUMENT', `${flag} "${value}" is neither an ISO-8601 time nor epoch milliseconds.`);
  return t.ms;
}

/** Parses a non-negative integer option. */
export function parseIntArg(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new AppError('INVALID_ARGUMENT', `${flag} takes a whole number, not "${value}".`);
  return Number(value);
}
