import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { ensureWorkspace } from '../workspace/workspace-paths';
import { readCaptureConfig, resolveExecutable } from './capture-config';
import { isCodeFile, readGitState, scriptFromArgv, type GitState } from './code-state';
import { splitTableOps } from './delta-tables';
import { baseEnvironment, probePythonAsync, PythonProbeCache, pythonFromArgv, withPython, type EnvironmentFacet } from './environment';
import { appendEventLine, buildRunEvent, RUNS_LOG_NAME, type CommandFacet, type RunEventInput } from './events';
import { classifyRawOps, type ClassifiedOp, type FootprintOp } from './footprint';
import type { RawOp } from './syscall-ops';
import { HashCache, hashFile, hashFileSync } from './hashing';
import { buildIgnoreRules } from './ignore-rules';
import { retraceOwnGlobs } from './install-paths';
import { partialReasons } from './partial-reasons';
import { PathCanon } from './path-canon';
import type { StdioChoice } from './process-group';
import { changedSince, diffListings, listNames, listWorkspace } from './scan-fallback';
import { runPreloaded, runTraced } from './traced-run';
import { detectStrace, runBare, type ExitStatus, type TracerSupport } from './tracer';
import { chooseTracer } from './tracer-choice';
import { keepInContentStore } from '../content-store/keep-run-files';

/**
 * `retrace run`: one captured execution. Writes START before the command starts and COMPLETE or
 * FAIL after it ends; the command's exit status is returned for the caller to pass through.
 *
 * Nesting: the run exports RETRACE_PARENT_RUN_ID / _JOB_NAME / _JOB_NAMESPACE and
 * RETRACE_WORKSPACE to the command, so a `retrace run` inside it links to this run as its parent
 * and writes to the same workspace. A run given `--pipeline` without `--stage` is a pipeline
 * run: it groups stage runs and is not traced itself (ptrace cannot nest, so tracing it would
 * leave its stages untraceable).
 */
export const ENV_PARENT_RUN_ID = 'RETRACE_PARENT_RUN_ID';
export const ENV_PARENT_JOB_NAME = 'RETRACE_PARENT_JOB_NAME';
export const ENV_PARENT_JOB_NAMESPACE = 'RETRACE_PARENT_JOB_NAMESPACE';
export const ENV_WORKSPACE = 'RETRACE_WORKSPACE';
/** The tracer of a traced command (`strace`, `preload`): nested under strace a run must scan; under the interposer, use strace. */
export const ENV_TRACING = 'RETRACE_TRACING';
/** `scan` forces the no-trace fallback (tests, or machines where tracing misbehaves); see also RETRACE_TRACER. */
export const ENV_CAPTURE_MODE = 'RETRACE_CAPTURE';

export interface CaptureOptions {
  argv: readonly string[];
  workspaceRoot: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stage?: string;
  pipeline?: string;
  /** Overrides RETRACE_CAPTURE. */
  mode?: 'auto' | 'scan';
  /** Added to every recorded time: the demo replays simulated days. */
  timeOffsetMs?: number;
  /** `quiet` detaches the command from the terminal (demo builder, bench); a sink streams its output (re-runs). */
  stdio?: StdioChoice;
  /**
   * Aborting stops the command's whole process group; the run is then recorded as FAIL with
   * `signal.reason` (a string) as its error message. Such a command runs in its own process group.
   */
  signal?: AbortSignal;
  /** Extra run facets for both events (a re-run's `retrace_rerun` link to the run it repeats). */
  runFacets?: Record<string, object>;
  /** The one warning shown when tracing is unavailable (default: stderr). */
  warn?(message: string): void;
}

export interface CaptureResult extends ExitStatus {
  runId: string;
  jobName: string;
  captureMode: CommandFacet['captureMode'];
  partial: boolean;
  /** Why the footprint may be incomplete, one sentence each (empty when it is complete). */
  partialReasons: string[];
  footprint: FootprintOp[];
  logFile: string;
}

export async function captureRun(opts: CaptureOptions): Promise<CaptureResult> {
  const env = opts.env ?? process.env;
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const argv = [...opts.argv];
  if (argv.length === 0) throw new AppError('INVALID_ARGUMENT', 'retrace run needs a command after "--".');
  if (!resolveExecutable(argv[0]!, env, cwd)) throw new AppError('NOT_FOUND', `Command "${argv[0]}" was not found (checked PATH and the current folder).`);
  const paths = ensureWorkspace(opts.workspaceRoot);
  const config = readCaptureConfig(paths.configFile);
  const offset = opts.timeOffsetMs ?? 0;
  const iso = (ms: number): string => new Date(ms + offset).toISOString();
  const warn = opts.warn ?? ((m: string) => process.stderr.write(`retrace: warning: ${m}\n`));

  const runId = crypto.randomUUID();
  const isPipeline = opts.pipeline !== undefined && opts.stage === undefined;
  const parentRunId = env[ENV_PARENT_RUN_ID];
  const parent = parentRunId ? { runId: parentRunId, jobName: env[ENV_PARENT_JOB_NAME] ?? 'pipeline', jobNamespace: env[ENV_PARENT_JOB_NAMESPACE] ?? 'retrace' } : null;
  const script = scriptFromArgv(argv, cwd);
  const jobName = opts.stage ?? opts.pipeline ?? (script ? path.basename(script) : path.basename(argv[0]!));
  const jobNamespace = opts.pipeline ?? parent?.jobNamespace ?? 'retrace';

  // Decide the capture mode and say once, clearly, when reads will be invisible.
  let mode: CommandFacet['captureMode'] = isPipeline ? 'children' : 'strace';
  let library: string | undefined;
  let straceSupport: TracerSupport | undefined;
  const straceCache = path.join(paths.dotDir, 'capture-strace.json');
  const reasons: string[] = [];
  const forced = opts.mode ?? (env[ENV_CAPTURE_MODE] === 'scan' ? 'scan' : 'auto');
  if (!isPipeline) {
    // Inside a run traced by strace, ptrace cannot attach again: scan. Inside a run traced by
    // the interposer, strace works (and the outer interposer keeps recording this command too,
    // since its LD_PRELOAD stays in the environment), but a second interposer log cannot.
    const outer = env[ENV_TRACING];
    const choice = forced === 'scan' ? ({ tracer: 'scan' } as const) : chooseTracer(argv, env, cwd);
    if (choice.tracer === 'scan') mode = 'scan';
    else if (outer && outer !== 'preload') {
      mode = 'scan';
      warn('this run is nested inside a run traced by strace, where strace cannot attach; recording writes by scanning the workspace (reads are not seen). Use --pipeline on the outer run.');
    } else if (choice.tracer === 'preload' && !outer) {
      mode = 'preload';
      library = choice.library;
      // What the interposer hands statically linked children to (remembered per machine).
      straceSupport = detectStrace(env, straceCache);
    } else {
      straceSupport = detectStrace(env, straceCache);
      if (!straceSupport.available) {
        mode = 'scan';
        warn(`${straceSupport.reason}; recording writes by scanning the workspace before and after (reads are not seen, the run is marked partial).`);
      }
    }
  }
  if (mode === 'scan') reasons.push('recorded by scanning the workspace before and after: reads and temporary files are not seen');

  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    [ENV_PARENT_RUN_ID]: runId,
    [ENV_PARENT_JOB_NAME]: jobName,
    [ENV_PARENT_JOB_NAMESPACE]: jobNamespace,
    [ENV_WORKSPACE]: paths.root,
  };
  if (mode === 'strace' || mode === 'preload') childEnv[ENV_TRACING] = mode;
  else if (env[ENV_TRACING] !== 'preload') delete childEnv[ENV_TRACING];

  // Environment and git state describe the setup the command starts with. The interpreter probe
  // (~0.2 s for Python) runs while the command runs and completes the facet in the final event.
  const git = readGitState(paths.root);
  const cache = new HashCache(path.join(paths.dotDir, 'capture-hash-cache'));
  const environment = baseEnvironment({ argv, env, workspaceRoot: paths.root, hash: (abs) => hashFileSync(abs, cache) });
  const pythonCmd = pythonFromArgv(argv);
  const probeCache = new PythonProbeCache(path.join(paths.dotDir, 'capture-python-cache'));
  const cachedProbe = pythonCmd ? probeCache.get(pythonCmd, env, cwd) : null;
  let pythonProbe = pythonCmd && !cachedProbe ? probePythonAsync(pythonCmd, env, cwd) : Promise.resolve(cachedProbe);
  const base = { runId, jobName, jobNamespace, parent, pipeline: isPipeline, environment, git, scriptPath: script, ...(opts.runFacets ? { runFacets: opts.runFacets } : {}) };
  const commandFacet = (extra: Partial<CommandFacet>): CommandFacet => ({ argv, cwd: displayPath(cwd, paths.root), captureMode: mode, partial: reasons.length > 0, ...extra });

  const startMs = Date.now();
  appendEventLine(paths.logsDir, buildRunEvent({ ...base, eventType: 'START', eventTime: iso(startMs), command: commandFacet({}) }));

  // Paths are compared in their canonical form (see path-canon.ts), the workspace's included.
  const root = realRoot(paths.root);
  const ruleOptions = { workspaceRoot: root, extraGlobs: [...config.ignore, ...retraceOwnGlobs()] };
  const scanRules = buildIgnoreRules(ruleOptions);
  let status: ExitStatus;
  let classified: ClassifiedOp[] = [];
  let codePaths: string[] = [];
  if (mode === 'strace' || mode === 'preload') {
    const markerMs = writeClockMarker();
    // strace cannot tell whether a rename replaced a file: the workspace's names before the run do.
    const before = mode === 'strace' ? listNames(root, scanRules) : null;
    const common = { argv, cwd, env: childEnv, stdio: opts.stdio, signal: opts.signal, runMarker: `${ENV_PARENT_RUN_ID}=${runId}`, linger: { quietMs: config.lingerMs, maxMs: config.lingerMaxMs } };
    const traced =
      mode === 'preload'
        ? await runPreloaded({ ...common, library: library!, strace: straceSupport ?? null })
        : await runTraced({ ...common, support: straceSupport ?? detectStrace(env, straceCache) });
    status = traced;
    const canon = new PathCanon();
    const result = classifyRawOps(
      traced.rawOps.map((o) => canon.op(o)),
      { markerMs, statPath: (p: string) => canon.lstat(p), ...(before ? { existedBefore: (p: string) => (isInside(p, root) ? before.has(p) : undefined) } : {}) },
    );
    classified = result.ops;
    codePaths = result.code;
    reasons.push(...partialReasons(traced, config.lingerMs));
    // io_uring writes no trace: what it created or changed in the workspace is found by time.
    if (traced.notes.some((n) => n.kind === 'uring')) classified.push(...changedSince(root, markerMs, scanRules, classified));
    if (cachedProbe && pythonCmd && !executedInterpreter(traced.rawOps, cachedProbe.executable)) {
      // The remembered interpreter is not the one that ran (a pyenv or PATH switch): ask again.
      pythonProbe = probePythonAsync(pythonCmd, env, cwd);
    }
  } else if (mode === 'scan') {
    const before = listWorkspace(root, scanRules);
    status = await runBare({ argv, cwd, env: childEnv, stdio: opts.stdio, signal: opts.signal });
    classified = diffListings(before, listWorkspace(root, scanRules), Date.now());
  } else {
    status = await runBare({ argv, cwd, env: childEnv, stdio: opts.stdio, signal: opts.signal });
  }
  if (reasons.length > 0 && mode !== 'scan') warn(`this run's footprint is partial: ${reasons.join('; ')}.`);
  const endMs = Date.now();

  const python = await pythonProbe;
  if (python && pythonCmd && python !== cachedProbe) probeCache.set(pythonCmd, env, cwd, python);
  const rules = buildIgnoreRules({
    ...ruleOptions,
    extraPrefixes: [python?.prefix, python?.basePrefix, nodePrefix()].filter((p): p is string => !!p),
  });
  // Programs and libraries the run executed or loaded are its code or tools, never data: also
  // ELF files it only read (the dynamic loader's reads, as strace sees them).
  const onlyRead = new Map<string, number>();
  for (const o of classified) onlyRead.set(o.path, (onlyRead.get(o.path) ?? 0) + (o.op === 'READ' ? 1 : 2));
  const elfReads = new Set(classified.filter((o) => o.op === 'READ' && onlyRead.get(o.path) === 1 && !rules.ignores(o.path) && isElf(o.path)).map((o) => o.path));
  codePaths = [...codePaths, ...elfReads].filter((p) => !rules.ignores(p));
  const kept = classified.filter((o) => !rules.ignores(o.path) && !elfReads.has(o.path));
  const { fileOps, tableOps } = splitTableOps(kept);
  const footprint: FootprintOp[] = [];
  const hashes = new Map<string, string>();
  // A file the run read and then changed: the version it read is the one known before the run
  // (the cache entry from an earlier run, if its mtime predates this run), not the final content.
  const changedInRun = new Set(fileOps.filter((o) => o.op !== 'READ').map((o) => o.path));
  const versionBefore = new Map<string, FileVersionLike>();
  for (const p of changedInRun) {
    const e = cache.peek(p);
    if (e && e.mtimeMs < startMs) versionBefore.set(p, { hash: e.hash, size: e.size });
  }
  for (const o of fileOps) {
    const readOfChanged = o.op === 'READ' && changedInRun.has(o.path);
    const v = o.op === 'DELETE' ? null : readOfChanged ? (versionBefore.get(o.path) ?? null) : await hashFile(o.path, cache, config.fingerprintAboveBytes, o.stat);
    if (v && !readOfChanged) hashes.set(o.path, v.hash);
    footprint.push({
      path: displayPath(o.path, root),
      op: o.op,
      at: iso(o.atMs || endMs),
      kind: 'file',
      ...(v ? { hashAfter: v.hash, size: v.size } : {}),
      ...(o.renamedFrom !== undefined ? { renamedFrom: displayPath(o.renamedFrom, root) } : {}),
    });
  }
  for (const t of tableOps) {
    footprint.push({ path: displayPath(t.tableDir, root), op: t.op, at: iso(t.atMs || endMs), kind: 'delta_table', tableVersion: t.version });
  }
  const codeFiles = await collectCodeFiles(fileOps, script, codePaths.filter((p) => isInside(p, root)), hashes, cache, root, config.fingerprintAboveBytes);
  const tools = [...new Set(codePaths.filter((p) => !isInside(p, root)))].sort();
  cache.save();

  const failed = status.signal !== null || status.exitCode !== 0;
  const finalEvent: RunEventInput = {
    ...base,
    environment: withPython(environment, python),
    eventType: failed ? 'FAIL' : 'COMPLETE',
    eventTime: iso(endMs),
    command: commandFacet({ exitCode: status.exitCode, signal: status.signal, durationMs: endMs - startMs, ...(reasons.length ? { partialReasons: reasons } : {}) }),
    footprint,
    codeFiles,
    tools,
    tables: tableOps.map((t) => ({ name: displayPath(t.tableDir, root), version: t.version, direction: t.op === 'READ' ? 'input' : 'output' })),
    ...(failed ? { errorMessage: failureMessage(status, opts.signal) } : {}),
  };
  appendEventLine(paths.logsDir, buildRunEvent(finalEvent));
  await keepInContentStore(paths, [...footprint, ...codeFiles], warn);
  return { ...status, runId, jobName, captureMode: mode, partial: reasons.length > 0, partialReasons: reasons, footprint, logFile: path.join(paths.logsDir, RUNS_LOG_NAME) };
}

/** Why a run failed, in one sentence: the cancel reason when it was cancelled. */
function failureMessage(status: ExitStatus, signal: AbortSignal | undefined): string {
  if (signal?.aborted) return typeof signal.reason === 'string' ? signal.reason : 'Cancelled.';
  return status.signal ? `Command was terminated by ${status.signal}.` : `Command exited with code ${status.exitCode}.`;
}

interface FileVersionLike {
  hash: string;
  size: number;
}

/** Workspace paths are stored relative (the workspace can move, the demo ships recorded logs). */
export function displayPath(abs: string, root: string): string {
  const rel = path.relative(root, abs);
  if (rel === '') return '.';
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
}

/** A file written now carries the kernel's current file-time; later files are born at or after it. */
function writeClockMarker(): number {
  const f = path.join(os.tmpdir(), `retrace-marker-${process.pid}-${crypto.randomUUID()}`);
  const fd = fs.openSync(f, 'wx', 0o600);
  try {
    return fs.fstatSync(fd).mtimeMs;
  } finally {
    fs.closeSync(fd);
    fs.unlinkSync(f);
  }
}

function executedInterpreter(ops: readonly RawOp[], executable: string): boolean {
  return ops.some((o) => {
    if (o.kind !== 'exec') return false;
    try {
      return fs.realpathSync(o.path) === executable;
    } catch {
      return false;
    }
  });
}

function realRoot(root: string): string {
  try {
    return fs.realpathSync(root);
  } catch {
    return root;
  }
}

function realFile(p: string): string {
  return new PathCanon().file(p);
}

function isInside(p: string, root: string): boolean {
  return p === root || p.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/** An ELF object (program or shared library), by its first four bytes. */
function isElf(p: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, 'r');
    const b = Buffer.alloc(4);
    return fs.readSync(fd, b, 0, 4, 0) === 4 && b.readUInt32BE(0) === 0x7f454c46;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function nodePrefix(): string {
  // /opt/node/bin/node → /opt/node; a node in /usr/bin is already covered by /usr/.
  const prefix = path.dirname(path.dirname(process.execPath));
  return prefix === '/' || prefix === '/usr' || prefix === '/usr/local' ? '' : prefix;
}

async function collectCodeFiles(
  ops: readonly ClassifiedOp[],
  script: string | null,
  programs: readonly string[],
  hashes: Map<string, string>,
  cache: HashCache,
  root: string,
  fingerprintAbove: number,
): Promise<{ path: string; hash: string }[]> {
  const files = new Set(ops.filter((o) => o.op === 'READ' && isCodeFile(o.path)).map((o) => o.path));
  if (script) files.add(realFile(script));
  for (const p of programs) files.add(p);
  const out: { path: string; hash: string }[] = [];
  for (const f of [...files].sort()) {
    const hash = hashes.get(f) ?? (await hashFile(f, cache, fingerprintAbove))?.hash;
    if (hash) out.push({ path: displayPath(f, root), hash });
  }
  return out;
}

export type { EnvironmentFacet, GitState };

/**
 * A pipeline run driven from code rather than a wrapping command (the demo builder): writes
 * START now and COMPLETE/FAIL on `finish`. Stage runs started with `childEnv` link to it.
 */
export interface PipelineRunHandle {
  runId: string;
  childEnv: NodeJS.ProcessEnv;
  finish(exitCode: number, timeOffsetMs?: number): void;
}

export function startPipelineRun(opts: { workspaceRoot: string; pipeline: string; argv: string[]; env?: NodeJS.ProcessEnv; timeOffsetMs?: number }): PipelineRunHandle {
  const paths = ensureWorkspace(opts.workspaceRoot);
  const env = opts.env ?? process.env;
  const runId = crypto.randomUUID();
  const environment = baseEnvironment({ argv: opts.argv, env, workspaceRoot: paths.root });
  const git = readGitState(paths.root);
  const base = { runId, jobName: opts.pipeline, jobNamespace: opts.pipeline, parent: null, pipeline: true, environment, git, scriptPath: scriptFromArgv(opts.argv, paths.root) };
  const command = (extra: Partial<CommandFacet>): CommandFacet => ({ argv: opts.argv, cwd: '.', captureMode: 'children', partial: false, ...extra });
  const startMs = Date.now();
  appendEventLine(paths.logsDir, buildRunEvent({ ...base, eventType: 'START', eventTime: new Date(startMs + (opts.timeOffsetMs ?? 0)).toISOString(), command: command({}) }));
  return {
    runId,
    childEnv: { ...env, [ENV_PARENT_RUN_ID]: runId, [ENV_PARENT_JOB_NAME]: opts.pipeline, [ENV_PARENT_JOB_NAMESPACE]: opts.pipeline, [ENV_WORKSPACE]: paths.root },
    finish(exitCode: number, timeOffsetMs = opts.timeOffsetMs ?? 0): void {
      const endMs = Date.now();
      appendEventLine(
        paths.logsDir,
        buildRunEvent({
          ...base,
          eventType: exitCode === 0 ? 'COMPLETE' : 'FAIL',
          eventTime: new Date(endMs + timeOffsetMs).toISOString(),
          command: command({ exitCode, signal: null, durationMs: endMs - startMs }),
          footprint: [],
          ...(exitCode === 0 ? {} : { errorMessage: `A stage failed with exit code ${exitCode}.` }),
        }),
      );
    },
  };
}
