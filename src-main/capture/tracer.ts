import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { PreloadLogReader } from './preload-log';
import { attachSink, killGroupOnAbort, spawnStdio, type StdioChoice } from './process-group';
import { StraceLineParser } from './strace-parse';
import { SyscallOpsBuilder, TRACED_SYSCALLS, type RawOp } from './syscall-ops';

/**
 * Runs a command unchanged — no shell, stdio inherited, exit status and signals passed through —
 * either under strace or bare. strace writes its trace to a private temp file (`-o`), never to
 * the user's stderr.
 */
export interface TracerSupport {
  available: boolean;
  seccomp: boolean;
  binary: string;
  /** Why tracing is unavailable, for the one warning the user sees. */
  reason?: string;
}

let cachedSupport: TracerSupport | null = null;
const PROBE_COMMAND = fs.existsSync('/bin/true') ? ['/bin/true'] : [process.execPath, '-e', '0'];

/** Probes once per process whether strace exists, may ptrace here, and supports --seccomp-bpf. */
export function detectStrace(env: NodeJS.ProcessEnv = process.env): TracerSupport {
  const binary = env.RETRACE_STRACE || 'strace';
  if (cachedSupport && cachedSupport.binary === binary) return cachedSupport;
  const probe = (extra: string[]): { ok: boolean; stderr: string; missing: boolean } => {
    // A tiny program keeps the probe cheap (it runs before every `retrace run`).
    const r = spawnSync(binary, [...extra, '-f', '-qq', '-o', '/dev/null', '-e', 'trace=execve', '--', ...PROBE_COMMAND], { encoding: 'utf8', timeout: 10_000 });
    return { ok: r.status === 0, stderr: r.stderr ?? '', missing: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' };
  };
  const withSeccomp = probe(['--seccomp-bpf']);
  if (withSeccomp.missing) cachedSupport = { available: false, seccomp: false, binary, reason: `${binary} is not installed` };
  else if (withSeccomp.ok && !/seccomp/i.test(withSeccomp.stderr)) cachedSupport = { available: true, seccomp: true, binary };
  else {
    const plain = probe([]);
    cachedSupport = plain.ok
      ? { available: true, seccomp: false, binary }
      : { available: false, seccomp: false, binary, reason: `${binary} cannot trace here (${firstLine(plain.stderr) || 'ptrace refused'})` };
  }
  return cachedSupport;
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim())?.trim() ?? '';
}

export function _resetStraceProbeForTests(): void {
  cachedSupport = null;
}

export interface ExitStatus {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/**
 * Waits for `child`, forwarding signals sent to this process. `target()` names the pid that
 * should receive them (under strace: the traced command, since strace with `-o` blocks fatal
 * signals). A Ctrl-C typed in a terminal already reaches the whole foreground process group, so
 * SIGINT is forwarded only when stdin is not a terminal — otherwise the command would see it twice.
 */
export function waitWithSignals(child: ChildProcess, target: () => number | undefined): Promise<ExitStatus> {
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const sig of FORWARDED) {
    const h = (): void => {
      if (sig === 'SIGINT' && process.stdin.isTTY) return;
      const pid = target();
      if (pid) {
        try {
          process.kill(pid, sig);
        } catch {
          // already gone
        }
      }
    };
    handlers.set(sig, h);
    process.on(sig, h);
  }
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      for (const [sig, h] of handlers) process.off(sig, h);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      for (const [sig, h] of handlers) process.off(sig, h);
      resolve({ exitCode: code, signal });
    });
  });
}

/** The first child of a process (the command strace started), from /proc. */
function firstChildPid(pid: number): number | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    const first = Number(text.split(/\s+/)[0]);
    return Number.isFinite(first) && first > 0 ? first : undefined;
  } catch {
    return undefined;
  }
}


/** Spawns a command with the chosen stdio; with `signal`, in its own process group so cancelling stops all of it. */
function spawnCommand(cmd: string, args: readonly string[], o: { cwd: string; env: NodeJS.ProcessEnv; stdio?: StdioChoice; signal?: AbortSignal }): { child: ChildProcess; disarm: () => void } {
  const child = spawn(cmd, args, { cwd: o.cwd, env: o.env, stdio: spawnStdio(o.stdio), detached: o.signal !== undefined });
  attachSink(child, o.stdio);
  return { child, disarm: killGroupOnAbort(child, o.signal) };
}

export interface TracedResult extends ExitStatus {
  rawOps: RawOp[];
  /** Set when strace itself failed before the command could start. */
  traceFailed?: string;
}

export async function runTraced(opts: {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  support: TracerSupport;
  stdio?: StdioChoice;
  /** Aborting stops the command's whole process group (a cancelled re-run). */
  signal?: AbortSignal;
  onSpawn?(): void;
}): Promise<TracedResult> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-trace-'));
  const traceFile = path.join(tmp, 'trace.txt');
  try {
    const args = [
      '-f', '-qq', '-ttt', '-y',
      ...(opts.support.seccomp ? ['--seccomp-bpf'] : []),
      '-e', `trace=${TRACED_SYSCALLS.join(',')}`,
      '-e', 'signal=none',
      '-o', traceFile,
      '--', ...opts.argv,
    ];
    const { child, disarm } = spawnCommand(opts.support.binary, args, opts);
    opts.onSpawn?.();
    let tracee: number | undefined;
    const status = await waitWithSignals(child, () => {
      tracee ??= child.pid !== undefined ? firstChildPid(child.pid) : undefined;
      return tracee ?? child.pid;
    }).finally(disarm);
    const builder = new SyscallOpsBuilder(opts.cwd);
    const parser = new StraceLineParser();
    let sawExec = false;
    if (fs.existsSync(traceFile)) {
      const rl = readline.createInterface({ input: fs.createReadStream(traceFile, { encoding: 'utf8' }), crlfDelay: Infinity });
      for await (const line of rl) {
        const rec = parser.push(line);
        if (!rec) continue;
        if (rec.name === 'execve' && rec.errno === undefined) sawExec = true;
        builder.push(rec);
      }
    }
    return { ...status, rawOps: builder.ops, ...(sawExec ? {} : { traceFailed: 'the command never started under strace' }) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The interposer's log file, named to the preloaded processes by this variable. */
export const ENV_PRELOAD_LOG = 'RETRACE_PRELOAD_LOG';

/**
 * Runs the command with the LD_PRELOAD interposer (`library`) and reads its log into raw ops.
 * LD_PRELOAD is put in front of any the user set; the interposer keeps both variables in the
 * environment of every program the command executes.
 */
export async function runPreloaded(opts: {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  library: string;
  stdio?: StdioChoice;
  signal?: AbortSignal;
  onSpawn?(): void;
}): Promise<TracedResult> {
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
    const { child, disarm } = spawnCommand(opts.argv[0]!, opts.argv.slice(1), { ...opts, env });
    opts.onSpawn?.();
    // Parse while the command runs: on a file-heavy command this hides most of the parsing.
    timer = setInterval(() => reader.pump(), 50);
    const status = await waitWithSignals(child, () => child.pid).finally(disarm);
    clearInterval(timer);
    timer = undefined;
    const ops = reader.finish();
    return { ...status, rawOps: ops, ...(reader.sawExec ? {} : { traceFailed: 'the interposer recorded nothing (the command never started, or is not dynamically linked)' }) };
  } finally {
    if (timer) clearInterval(timer);
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Runs the command without tracing (scan fallback, pipeline runs). */
export async function runBare(opts: { argv: readonly string[]; cwd: string; env: NodeJS.ProcessEnv; stdio?: StdioChoice; signal?: AbortSignal; onSpawn?(): void }): Promise<ExitStatus> {
  const { child, disarm } = spawnCommand(opts.argv[0]!, opts.argv.slice(1), opts);
  opts.onSpawn?.();
  return waitWithSignals(child, () => child.pid).finally(disarm);
}
