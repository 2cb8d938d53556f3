import type { ReadableDb } from '../db/open-db';
import type { CurrentState } from './current-state';
import { diffPackages } from './env-diff';
import { latestRunOfJob, readRecordedRun, type RecordedInput, type RecordedRun } from './recorded-run';
import { REPRO_REASONS, REPRO_SENTENCES } from './sentences';
import { ecosystemOf } from './version-compare';

import type { AxisVerdict, ReproReportDto, ReproWarningDto } from '../../shared/repro-dto';

/**
 * Compares a recorded run with the current setup (DESIGN §4 reproducibility warnings): code
 * (git sha, uncommitted diff, code-file hashes), input data (newer content or table commits
 * after the pinned version; missing inputs) and environment (packages, interpreter, OS).
 */
export async function checkReproducibility(db: ReadableDb, runId: number, now: CurrentState): Promise<ReproReportDto> {
  const rec = readRecordedRun(db, runId);
  const warnings: ReproWarningDto[] = [];
  const code = await checkCode(rec, now, warnings);
  const data = await checkData(rec.inputs, now, warnings);
  const environment = await checkEnvironment(db, runId, rec, now, warnings);
  return {
    run: rec.runUuid,
    job: rec.job ? rec.job.name : null,
    state: rec.state,
    axes: { code, data, environment },
    warnings,
    command: rec.argv ? { argv: rec.argv, cwd: rec.cwd ?? '.' } : null,
  };
}

async function checkCode(rec: RecordedRun, now: CurrentState, out: ReproWarningDto[]): Promise<AxisVerdict> {
  if (!rec.code) return 'unknown';
  const reasons: string[] = [];
  const details: Record<string, unknown> = {};
  const git = now.git();
  if (rec.code.gitSha && git) {
    if (git.sha !== rec.code.gitSha) {
      reasons.push(REPRO_REASONS.git({ recorded: rec.code.gitSha, now: git.sha }));
      details.gitSha = { recorded: rec.code.gitSha, now: git.sha };
    }
    if ((rec.code.dirtyDiffHash ?? null) !== (git.dirtyDiffHash ?? null)) {
      reasons.push(!rec.code.dirtyDiffHash ? REPRO_REASONS.uncommittedAppeared() : git.dirtyDiffHash ? REPRO_REASONS.uncommittedChanged() : REPRO_REASONS.uncommittedGone());
      details.dirtyDiff = { recorded: rec.code.dirtyDiffHash, now: git.dirtyDiffHash };
    }
  }
  // Each differing file with both full hashes, so a UI can show exactly what differs.
  const files: { path: string; change: 'modified' | 'missing'; recorded: string; now: string | null }[] = [];
  for (const f of rec.code.files) {
    if (!f.hash) continue;
    const v = await now.hash(f.path);
    if (!v) files.push({ path: f.path, change: 'missing', recorded: f.hash, now: null });
    else if (v.hash !== f.hash) files.push({ path: f.path, change: 'modified', recorded: f.hash, now: v.hash });
  }
  if (files.length) {
    reasons.push(REPRO_REASONS.codeFiles({ files }));
    details.files = files;
  }
  if (reasons.length === 0) return rec.code.gitSha || rec.code.files.length ? 'same' : 'unknown';
  out.push({ code: 'CODE_CHANGED', message: REPRO_SENTENCES.codeChanged({ reasons }), details });
  return 'changed';
}

async function checkData(inputs: readonly RecordedInput[], now: CurrentState, out: ReproWarningDto[]): Promise<AxisVerdict> {
  let verdict: AxisVerdict = inputs.length ? 'same' : 'unknown';
  const dataInputs = inputs.filter((i) => i.kind !== 'code');
  if (inputs.length && !dataInputs.length) return 'same';
  for (const i of dataInputs) {
    const tableNow = i.path ? now.deltaVersion(i.path) : null;
    if (tableNow !== null && /^\d+$/.test(i.version)) {
      const pinned = Number(i.version);
      if (tableNow > pinned) {
        const n = tableNow - pinned;
        out.push({ code: 'INPUT_DATA_CHANGED', message: REPRO_SENTENCES.tableCommitsAfterPinned({ artifact: i.label, pinned, now: tableNow }), details: { artifact: i.label, pinned, now: tableNow, commits: n } });
        verdict = 'changed';
      }
      continue;
    }
    if (i.path && i.versionKind === 'hash') {
      if (!now.exists(i.path)) {
        out.push({ code: 'INPUT_MISSING', message: REPRO_SENTENCES.inputMissingRead({ artifact: i.label, recorded: i.version }), details: { artifact: i.label, recorded: i.version } });
        verdict = 'changed';
        continue;
      }
      const v = await now.hash(i.path);
      if (v && v.hash !== i.version) {
        out.push({ code: 'INPUT_DATA_CHANGED', message: REPRO_SENTENCES.inputChanged({ artifact: i.label, recorded: i.version, now: v.hash }), details: { artifact: i.label, recorded: i.version, now: v.hash } });
        verdict = 'changed';
      }
      continue;
    }
    // Not a file we can look at (a warehouse table, a path we never hashed): the newest
    // version Retrace has seen stands for "now".
    if (i.path && !i.path.startsWith('/') && !now.exists(i.path) && i.kind !== 'dataset') {
      out.push({ code: 'INPUT_MISSING', message: REPRO_SENTENCES.inputMissing({ artifact: i.label }), details: { artifact: i.label } });
      verdict = 'changed';
    } else if (i.currentVersionId !== null && i.currentVersionId !== i.versionId) {
      out.push({ code: 'INPUT_DATA_CHANGED', message: REPRO_SENTENCES.inputNewer({ artifact: i.label, recorded: i.version, now: i.currentVersion ?? '?' }), details: { artifact: i.label, recorded: i.version, now: i.currentVersion } });
      verdict = 'changed';
    }
  }
  return verdict;
}

async function checkEnvironment(db: ReadableDb, runId: number, rec: RecordedRun, now: CurrentState, out: ReproWarningDto[]): Promise<AxisVerdict> {
  const env = rec.environment;
  if (!env) return 'unknown';
  const reasons: string[] = [];
  const details: Record<string, unknown> = {};
  const plat = now.platform();
  if (env.os && env.os !== plat.os) {
    reasons.push(REPRO_REASONS.os({ recorded: env.os, now: plat.os }));
    details.os = { recorded: env.os, now: plat.os };
  }
  if (env.arch && env.arch !== plat.arch) {
    reasons.push(REPRO_REASONS.arch({ recorded: env.arch, now: plat.arch }));
    details.arch = { recorded: env.arch, now: plat.arch };
  }
  if (env.executable) {
    // A re-run uses the stage's current configuration: this machine, plus the interpreter paths
    // the stage's newest run set (PYTHONPATH, a virtualenv), which is how the demo's package
    // appears through a .dist-info folder.
    const latest = latestRunOfJob(db, runId);
    const vars = latest !== null ? readRecordedRun(db, latest).environment?.variables ?? [] : env.variables;
    const overlay = Object.fromEntries(vars.filter((v) => /^(PYTHONPATH|VIRTUAL_ENV|CONDA_PREFIX|PYTHONHOME)$/.test(v.name)).map((v) => [v.name, v.value]));
    const probe = await now.python(env.executable, { ...process.env, ...overlay });
    if (!probe) {
      reasons.push(REPRO_REASONS.interpreterGone({ executable: env.executable }));
      details.interpreter = { recorded: env.executable, now: null };
    } else {
      if (env.interpreterVersion && probe.version !== env.interpreterVersion) {
        reasons.push(REPRO_REASONS.python({ recorded: env.interpreterVersion, now: probe.version }));
        details.interpreter = { recorded: env.interpreterVersion, now: probe.version };
      }
      const changes = diffPackages(env.packages, probe.packages, ecosystemOf(env.interpreter));
      if (changes.length) {
        reasons.push(REPRO_REASONS.packages({ changes }));
        details.packages = changes;
      }
    }
  } else if (env.packages.length === 0 && !env.os) {
    return 'unknown';
  }
  if (reasons.length === 0) return 'same';
  out.push({ code: 'ENVIRONMENT_CHANGED', message: REPRO_SENTENCES.environmentChanged({ reasons }), details });
  return 'changed';
}

