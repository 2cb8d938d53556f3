import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveExecutable } from './capture-config';
import { attachSink, killGroupOnAbort, spawnStdio, type StdioChoice } from './process-group';
import { TRACED_SYSCALLS } from './syscall-ops';

/**
 * Runs a command unchanged — no shell, stdio inherited, exit status and signals passed through.
 * Here: whether strace can trace on this machine, signal forwarding and the untraced run; the
 * traced runs are in traced-run.ts.
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

/**
 * Probes once per process whether strace exists, may ptrace here, and supports --seccomp-bpf.
 * With `cacheFile`, the answer is remembered across runs for the same strace binary (path, size,
 * mtime) and kernel: the probe costs two process starts, which `retrace run -- true` should not pay.
 */
export function detectStrace(env: NodeJS.ProcessEnv = process.env, cacheFile?: string): TracerSupport {
  const name = env.RETRACE_STRACE || 'strace';
  const resolved = resolveExecutable(name, env, process.cwd());
  const binary = resolved ?? name;
  if (cachedSupport && cachedSupport.binary === binary) return cachedSupport;
  if (!resolved) return (cachedSupport = { available: false, seccomp: false, binary, reason: `${name} is not installed` });
  const key = cacheFile ? probeKey(resolved) : null;
  if (cacheFile && key) {
    try {
      const saved = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { key: string; support: TracerSupport };
      if (saved.key === key) return (cachedSupport = saved.support);
    } catch {
      // no cache yet
    }
  }
  probeStrace(binary);
  if (cacheFile && key && cachedSupport) {
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ key, support: cachedSupport }));
      fs.renameSync(tmp, cacheFile);
    } catch {
      // only an optimisation
    }
  }
  return cachedSupport!;
}

function probeKey(binary: string): string | null {
  try {
    const st = fs.statSync(binary);
    return JSON.stringify([fs.realpathSync(binary), st.size, st.mtimeMs, os.release()]);
  } catch {
    return null;
  }
}

function probeStrace(binary: string): void {
  const probe = (extra: string[]): { ok: boolean; stderr: string; missing: boolean } => {
    // A tiny program keeps the probe cheap; -D as the traced runs use it.
    const r = spawnSync(binary, [...extra, '-D', '-f', '-qq', '-o', '/dev/null', '-e', 'trace=execve', '--', ...PROBE_COMMAND], { encoding: 'utf8', timeout: 10_000 });
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
}

/**
 * The strace command that takes over a statically linked (or Go, or foreign-ABI) subtree of a
 * preloaded run, as the interposer's exec wrappers append `-o LOG -- program args` to it. `-D`
 * keeps the traced program at its own pid (its parent waits for it as before); `-q` keeps the
 * "+++ exited" lines that tell when the subtree is done.
 */
export function straceArgs(support: TracerSupport): string[] {
  return [
    '-D', '-f', '-q', '-ttt', '-y',
    ...(support.seccomp ? ['--seccomp-bpf'] : []),
    '-e', `trace=${TRACED_SYSCALLS.join(',')}`,
    '-e', 'signal=none',
  ];
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

/** Spawns a command with the chosen stdio; with `signal`, in its own process group so cancelling stops all of it. */
export function spawnCommand(cmd: string, args: readonly string[], o: { cwd: string; env: NodeJS.ProcessEnv; stdio?: StdioChoice; signal?: AbortSignal }): { child: ChildProcess; disarm: () => void } {
  const child = spawn(cmd, args, { cwd: o.cwd, env: o.env, stdio: spawnStdio(o.stdio), detached: o.signal !== undefined });
  attachSink(child, o.stdio);
  return { child, disarm: killGroupOnAbort(child, o.signal) };
}

/** Runs the command without tracing (scan fallback, pipeline runs). */
export async function runBare(opts: { argv: readonly string[]; cwd: string; env: NodeJS.ProcessEnv; stdio?: StdioChoice; signal?: AbortSignal; onSpawn?(): void }): Promise<ExitStatus> {
  const { child, disarm } = spawnCommand(opts.argv[0]!, opts.argv.slice(1), opts);
  opts.onSpawn?.();
  return waitWithSignals(child, () => child.pid).finally(disarm);
}
