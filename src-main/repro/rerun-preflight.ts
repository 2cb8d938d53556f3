import path from 'node:path';
import type { OverwriteDto, PastRunDto, RerunEnvironmentDto, RerunStageDto } from '../../shared/rerun-dto';
import type { ReadableDb } from '../db/open-db';
import type { CurrentState } from './current-state';
import { diffPackages } from './env-diff';
import { readRecordedRun, type RecordedEnvironment } from './recorded-run';
import { checkReproducibility } from './repro-check';
import { shellQuote } from './rerun';
import { rerunVariables } from './rerun-env';
import type { PlannedStage } from './rerun-planner';
import type { RunIo, RunIoReader } from './run-io';
import { short } from './stale-check';
import { ecosystemOf } from './version-compare';

/**
 * Everything the user sees before confirming one stage of a plan (issue 14 "pre-flight"): the
 * exact command and folder, its current reproducibility warnings, the environment it will run
 * in against the one recorded, every file or table it will write over, and the other past runs
 * of the stage that could be repeated instead.
 */
export async function describeStage(db: ReadableDb, io: RunIoReader, s: PlannedStage, now: CurrentState, workspaceRoot: string): Promise<RerunStageDto> {
  const r = s.run;
  const repro = await checkReproducibility(db, r.id, now);
  return {
    id: s.id,
    stage: r.jobName,
    pipeline: r.jobNamespace && r.jobNamespace !== r.jobName ? r.jobNamespace : null,
    run: r.uuid,
    runAt: r.startedAt === null ? null : new Date(r.startedAt).toISOString(),
    runState: r.state,
    argv: r.argv,
    cwd: r.argv ? path.resolve(workspaceRoot, r.cwd ?? '.') : null,
    display: r.argv ? r.argv.map(shellQuote).join(' ') : null,
    blocked: s.blocked,
    reasons: s.reasons,
    after: s.after,
    level: s.level,
    warnings: repro.warnings,
    environment: r.argv ? await environmentOf(db, r, now) : null,
    overwrites: await overwritesOf(r, now),
    alternatives: alternativesOf(io, r),
  };
}

async function environmentOf(db: ReadableDb, r: RunIo, now: CurrentState): Promise<RerunEnvironmentDto> {
  return environmentNow(readRecordedRun(db, r.id).environment, rerunVariables(db, r.id), now);
}

/**
 * The environment a command will run in — the recorded interpreter asked again with these
 * variables set — against the one recorded (re-runs and replays show the same).
 */
export async function environmentNow(env: RecordedEnvironment | null, variables: readonly { name: string; value: string }[], now: CurrentState): Promise<RerunEnvironmentDto> {
  const recorded = env?.interpreter ? `${env.interpreter} ${env.interpreterVersion ?? ''}`.trim() : null;
  if (!env?.executable) return { recorded, now: null, executable: null, packages: [], variables };
  const probe = await now.python(env.executable, { ...process.env, ...Object.fromEntries(variables.map((v) => [v.name, v.value])) });
  return {
    recorded,
    now: probe ? `python ${probe.version}` : null,
    executable: probe?.executable ?? env.executable,
    packages: probe ? diffPackages(env.packages, probe.packages, ecosystemOf(env.interpreter)) : [],
    variables,
  };
}

async function overwritesOf(r: RunIo, now: CurrentState): Promise<OverwriteDto[]> {
  const out: OverwriteDto[] = [];
  for (const w of r.writes.values()) {
    if (!w.path) {
      out.push({ artifact: w.label, kind: w.versionKind === 'dataset_version' ? 'table' : 'file', version: short(w.version) });
      continue;
    }
    const table = now.deltaVersion(w.path);
    if (table !== null) out.push({ artifact: w.label, kind: 'table', version: `v${table}` });
    else {
      const v = now.exists(w.path) ? await now.hash(w.path) : null;
      out.push({ artifact: w.label, kind: 'file', version: v ? short(v.hash) : null });
    }
  }
  return out.sort((a, b) => (a.artifact < b.artifact ? -1 : 1));
}

function alternativesOf(io: RunIoReader, r: RunIo): PastRunDto[] {
  if (r.jobId === null) return [];
  return io
    .runsOfJob(r.jobId)
    .filter((o) => o.id !== r.id)
    .map((o) => ({ run: o.uuid, at: o.startedAt === null ? null : new Date(o.startedAt).toISOString(), state: o.state, display: o.argv ? o.argv.map(shellQuote).join(' ') : null }));
}
