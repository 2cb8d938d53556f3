import path from 'node:path';
import type { ReplayPlanDto } from '../../shared/replay-dto';
import type { ContentStore } from '../content-store/content-store';
import { retraceCliArgv } from '../capture/install-paths';
import type { ReadableDb } from '../db/open-db';
import type { CurrentState } from '../repro/current-state';
import { readRecordedRun, type RecordedEnvironment } from '../repro/recorded-run';
import { shellQuote } from '../repro/rerun';
import { INTERPRETER_VARS } from '../repro/rerun-env';
import { environmentNow } from '../repro/rerun-preflight';
import { RunIoReader, type IoEntry, type RunIo } from '../repro/run-io';
import { short } from '../repro/stale-check';
import { inputsOf, isInside, locateInputs, type InputSource } from './replay-inputs';
import { replayedRun } from './replayability';

/**
 * Everything a replay will do, worked out before anything runs (issue 15): the command and the
 * folder, every input and how it comes back (store, workspace, time travel) or why it cannot,
 * the outputs the replay will be judged against, and the environment it runs in. The DTO part
 * is what the user confirms; the rest is what the execution needs.
 */
export type ReplayPlanBody = Omit<ReplayPlanDto, 'digest' | 'token' | 'expiresAt'>;

export interface PreparedReplay {
  readonly body: ReplayPlanBody;
  readonly run: RunIo;
  readonly sources: readonly InputSource[];
  readonly writes: readonly IoEntry[];
  /** Output paths that are Delta tables. */
  readonly tables: ReadonlySet<string>;
  /** Folders the sandbox must have (workspace-relative). */
  readonly folders: readonly string[];
  readonly variables: readonly { name: string; value: string }[];
  readonly environment: RecordedEnvironment | null;
}

export interface ReplayPlanContext {
  readonly db: ReadableDb;
  readonly workspaceRoot: string;
  readonly store: ContentStore;
  readonly now: CurrentState;
}

export async function planReplay(ctx: ReplayPlanContext, runId: number): Promise<PreparedReplay> {
  const run = new RunIoReader(ctx.db).get(runId);
  const rec = readRecordedRun(ctx.db, runId);
  const inputs = inputsOf(run, rec.code?.files ?? []);
  const sources = await locateInputs(inputs, ctx);
  const writes = [...run.writes.values()].sort((a, b) => (a.label < b.label ? -1 : 1));
  const tables = new Set(writes.filter((w) => w.path !== null && (w.versionKind === 'dataset_version' || ctx.now.deltaVersion(w.path) !== null)).map((w) => w.path!));
  const cwd = run.cwd ?? '.';
  const folders = new Set<string>([cwd]);
  for (const p of [...writes.map((w) => w.path), ...inputs.map((i) => i.path)]) {
    if (p && !path.isAbsolute(p) && isInside(ctx.workspaceRoot, p)) folders.add(path.posix.dirname(p));
  }
  const variables = replayVariables(rec.environment, ctx.workspaceRoot);
  const body: ReplayPlanBody = {
    run: run.uuid,
    stage: run.jobName,
    pipeline: run.jobNamespace && run.jobNamespace !== run.jobName ? run.jobNamespace : null,
    runAt: run.startedAt === null ? null : new Date(run.startedAt).toISOString(),
    argv: run.argv ?? [],
    display: (run.argv ?? []).map(shellQuote).join(' '),
    cwd,
    inputs: sources.map((s) => s.dto),
    missing: sources.filter((s) => s.dto.problem).length,
    outputs: writes.map((w) => ({ artifact: w.label, kind: w.path !== null && tables.has(w.path) ? 'table' : 'file', version: /^\d+$/.test(w.version) ? `v${w.version}` : short(w.version) })),
    writesOutside: writes.filter((w) => w.path !== null && !isInside(ctx.workspaceRoot, w.path)).map((w) => w.label),
    environment: run.argv ? await environmentNow(rec.environment, variables, ctx.now) : null,
    blocked: blockedOf(run, ctx.workspaceRoot, replayedRun(ctx.db, runId)),
  };
  return { body, run, sources, writes, tables, folders: [...folders], variables, environment: rec.environment };
}

function blockedOf(run: RunIo, workspaceRoot: string, replayOf: string | null): ReplayPlanBody['blocked'] {
  if (replayOf) return { code: 'NOT_CAPTURED', message: `Run ${run.uuid.slice(0, 8)} is itself a replay (of run ${replayOf.slice(0, 8)}); replay that run instead.` };
  if (!run.argv) return { code: 'NOT_CAPTURED', message: `Run ${run.uuid.slice(0, 8)} recorded no command (it was not run through \`retrace run\`), so it cannot be replayed.` };
  if (run.isPipeline) return { code: 'PIPELINE_RUN', message: `Run ${run.uuid.slice(0, 8)} is a pipeline run; replay its stages one at a time.` };
  if (!isInside(workspaceRoot, run.cwd ?? '.')) return { code: 'OUTSIDE_WORKSPACE', message: `Run ${run.uuid.slice(0, 8)} ran in ${run.cwd}, outside the workspace, which a sandbox cannot mirror.` };
  return null;
}

/**
 * What the replay sets on top of this process's environment: the interpreter variables the
 * replayed run had (PYTHONPATH, a virtualenv) — relative entries made absolute against the
 * workspace, since the sandbox holds only the run's inputs — the Retrace CLI for stages that
 * call back into it, and unbuffered Python output for the live log.
 */
export function replayVariables(env: RecordedEnvironment | null, workspaceRoot: string, base: NodeJS.ProcessEnv = process.env): { name: string; value: string }[] {
  const out = (env?.variables ?? [])
    .filter((v) => INTERPRETER_VARS.test(v.name))
    .map((v) => ({ name: v.name, value: v.value.split(path.delimiter).map((p) => (p && !path.isAbsolute(p) ? path.resolve(workspaceRoot, p) : p)).join(path.delimiter) }))
    .filter((v) => base[v.name] !== v.value);
  if (base.RETRACE_CLI === undefined) out.push({ name: 'RETRACE_CLI', value: JSON.stringify(retraceCliArgv()) });
  if (base.PYTHONUNBUFFERED === undefined) out.push({ name: 'PYTHONUNBUFFERED', value: '1' });
  return out;
}
