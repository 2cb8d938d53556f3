import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { waitForDescendants, type LingeringProcess } from './descendants';
import { PreloadLogReader } from './preload-log';
import { StraceLineParser } from './strace-parse';
import { SyscallOpsBuilder, type RawOp, type TraceNote } from './syscall-ops';
import type { StdioChoice } from './process-group';
import { spawnCommand, straceArgs, waitWithSignals, type ExitStatus, type TracerSupport } from './tracer';

/**
 * The two traced ways to run a command. Both leave the command the direct child of this process
 * (exit status and signals are its own), then wait for the processes of the run that outlive it
 * (descendants.ts) before reading what was recorded.
 *
 * - `runPreloaded`: LD_PRELOAD interposer; subtrees it cannot record (static, Go, foreign ABI)
 *   are handed to `strace -D` by the interposer itself, each writing a log beside its own.
 * - `runTraced`: `strace -D -f` over everything; with -D the traced command keeps the pid this
 *   process spawned and the tracer runs as a detached grandchild.
 */
export interface TracedResult extends ExitStatus {
  rawOps: RawOp[];
  notes: TraceNote[];
  stillRunning: LingeringProcess[];
  /** Programs handed to strace whose trace is missing (strace failed to attach or to start). */
  unrecorded: string[];
  /** Set when the tracer itself failed before the command could start. */
  traceFailed?: string;
}

export interface TracedRunOptions {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdio?: StdioChoice;
  /** `NAME=value` in the environment of every process of this run (its run id). */
  runMarker: string;
  linger: { quietMs: number; maxMs: number };
  /** Aborting stops the command's whole process group (a cancelled re-run). */
  signal?: AbortSignal;
  onSpawn?(): void;
}

/** The interposer's log file, named to the preloaded processes by this variable. */
export const ENV_PRELOAD_LOG = 'RETRACE_PRELOAD_LOG';
/** The strace command the interposer hands static subtrees to (tab-separated argv). */
export const ENV_STRACE_CMD = 'RETRACE_STRACE_CMD';

/** Reads one strace log (`-f -ttt -y`) into raw ops; `cwd` is where its first process started. */
export async function readStraceLog(file: string, cwd: string): Promise<{ ops: RawOp[]; notes: TraceNote[]; sawExec: boolean }> {
  const builder = new SyscallOpsBuilder(cwd);
  const parser = new StraceLineParser();
  let sawExec = false;
  if (fs.existsSync(file)) {
    const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of rl) {
      const rec = parser.push(line);
      if (!rec) continue;
      if (rec.name === 'execve' && rec.errno === undefined) sawExec = true;
      builder.push(rec);
    }
  }
  return { ops: builder.ops, notes: builder.notes, sawExec };
}

export async function runTraced(opts: TracedRunOptions & { support: TracerSupport }): Promise<TracedResult> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-trace-'));
  const traceFile = path.join(tmp, 'trace.txt');
  try {
    const args = [...straceArgs(opts.support), '-o', traceFile, '--', ...opts.argv];
    const { child, disarm } = spawnCommand(opts.support.binary, args, opts);
    opts.onSpawn?.();
    const status = await waitWithSignals(child, () => child.pid).finally(disarm);
    const linger = await waitForDescendants({ markers: [opts.runMarker], tracerMarker: tmp, ...opts.linger });
    const { ops, notes, sawExec } = await readStraceLog(traceFile, opts.cwd);
    return { ...status, rawOps: ops, notes, stillRunning: linger.stillRunning, unrecorded: [], ...(sawExec ? {} : { traceFailed: 'the command never started under strace' }) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Runs the command with the LD_PRELOAD interposer (`library`) and reads its log into raw ops.
 * LD_PRELOAD is put in front of any the user set; the interposer keeps both variables in the
 * environment of every program the command executes. `strace` (when it works here) is what the
 * interposer hands static subtrees to; without it such subtrees are reported as not recorded.
 */
export async function runPreloaded(opts: TracedRunOptions & { library: string; strace: TracerSupport | null }): Promise<TracedResult> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-trace-'));
  const logFile = path.join(tmp, 'preload.log');
  let fd: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    fd = fs.openSync(logFile, 'w+', 0o600);
    const reader = new PreloadLogReader(fd, opts.cwd);
    const existing = (opts.env.LD_PRELOAD ?? '').trim();
    const env: NodeJS.ProcessEnv = {
      ...opts.env,
      LD_PRELOAD: existing && !existing.split(/[ :]+/).includes(opts.library) ? `${opts.library} ${existing}` : opts.library,
      [ENV_PRELOAD_LOG]: logFile,
    };
    if (opts.strace?.available) env[ENV_STRACE_CMD] = [opts.strace.binary, ...straceArgs(opts.strace)].join('\t');
    else delete env[ENV_STRACE_CMD];
    const { child, disarm } = spawnCommand(opts.argv[0]!, opts.argv.slice(1), { ...opts, env });
    opts.onSpawn?.();
    // Parse while the command runs: on a file-heavy command this hides most of the parsing.
    timer = setInterval(() => reader.pump(), 50);
    const status = await waitWithSignals(child, () => child.pid).finally(disarm);
    clearInterval(timer);
    timer = undefined;
    const linger = await waitForDescendants({
      markers: [opts.runMarker, `${ENV_PRELOAD_LOG}=${logFile}`],
      tracerMarker: tmp,
      ...opts.linger,
      onPoll: () => reader.pump(),
      withTracers: () => reader.notes.some((n) => n.kind === 'handoff'),
    });
    const ops = reader.finish();
    const notes = [...reader.notes];
    const unrecorded: string[] = [];
    for (const n of reader.notes) {
      if (n.kind !== 'handoff') continue;
      const sub = await readStraceLog(n.log, n.cwd);
      if (!sub.sawExec) unrecorded.push(n.program);
      for (const o of sub.ops) ops.push(o);
      notes.push(...sub.notes);
    }
    const started = reader.sawExec || ops.length > 0;
    return {
      ...status,
      rawOps: ops,
      notes,
      stillRunning: linger.stillRunning,
      unrecorded,
      ...(started ? {} : { traceFailed: 'the interposer recorded nothing (the command never started, or is not dynamically linked)' }),
    };
  } finally {
    if (timer) clearInterval(timer);
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
