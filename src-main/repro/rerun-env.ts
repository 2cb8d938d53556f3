import type { ReadableDb } from '../db/open-db';
import { retraceCliArgv } from '../capture/install-paths';
import { latestRunOfJob, readRecordedRun } from './recorded-run';

/** Variables that choose which interpreter and packages run: a stage's configuration, not the machine's. */
export const INTERPRETER_VARS = /^(PYTHONPATH|VIRTUAL_ENV|CONDA_PREFIX|PYTHONHOME)$/;

/**
 * What a re-run sets on top of this process's environment, so that it runs the way the stage
 * runs now (the same rule the reproducibility check assumes): the interpreter paths its newest
 * run set (PYTHONPATH, a virtualenv); RETRACE_CLI, so a stage that calls back into Retrace
 * (`retrace table`, as the demo's do) reaches this installation even when `retrace` is not on
 * PATH; and PYTHONUNBUFFERED, so a Python stage's output streams line by line instead of
 * arriving in one block when its pipe closes. Nothing the user set is overridden.
 */
export function rerunVariables(db: ReadableDb, runId: number, base: NodeJS.ProcessEnv = process.env): { name: string; value: string }[] {
  const latest = latestRunOfJob(db, runId) ?? runId;
  const vars = readRecordedRun(db, latest).environment?.variables ?? [];
  const out = vars.filter((v) => INTERPRETER_VARS.test(v.name) && base[v.name] !== v.value).map((v) => ({ name: v.name, value: v.value }));
  if (base.RETRACE_CLI === undefined) out.push({ name: 'RETRACE_CLI', value: JSON.stringify(retraceCliArgv()) });
  if (base.PYTHONUNBUFFERED === undefined) out.push({ name: 'PYTHONUNBUFFERED', value: '1' });
  return out;
}
