import fs from 'node:fs';

/**
 * Processes of a run that outlive its command (`cmd &`, `setsid`, daemon(3), a worker pool left
 * behind). They are found in /proc, not through parent links (a detached process is re-parented
 * to init): by a variable every process of the run inherits (`markers`, e.g.
 * `RETRACE_PARENT_RUN_ID=<run id>`; the interposer keeps its own log variable even in cleared
 * environments), or by being traced by one of the run's strace processes (recognised by
 * `tracerMarker`, the run's private trace folder, in their command line).
 *
 * After the command exits the capture waits while any such process lives: until it exits, or
 * until none of them has held a file open for writing for `quietMs`, or for `maxMs` at most.
 * Whatever still runs then is reported, and the run is marked partial: what it does later is
 * not recorded. Tracers still attached are told to detach (SIGTERM), leaving those processes
 * running as they were.
 */
export interface LingerOptions {
  markers: readonly string[];
  tracerMarker: string;
  /** Whether strace processes of this run may exist (strace mode, or subtrees handed to it). */
  withTracers?(): boolean;
  quietMs: number;
  maxMs: number;
  /** Called on every poll (the interposer log is read meanwhile). */
  onPoll?(): void;
}

/**
 * Ctrl-C (or SIGTERM) while waiting ends the wait rather than the process: the run's COMPLETE
 * event, marked partial, must still be written.
 */
function interruptible(): { stopped: () => boolean; dispose: () => void } {
  let stopped = false;
  const stop = (): void => {
    stopped = true;
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, stop);
  return { stopped: () => stopped, dispose: () => signals.forEach((s) => process.off(s, stop)) };
}

export interface LingeringProcess {
  pid: number;
  command: string;
  writing: boolean;
}

export interface LingerResult {
  stillRunning: LingeringProcess[];
  waitedMs: number;
}

interface ProcScan {
  live: Map<number, string>;
  tracers: number[];
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'latin1');
  } catch {
    return null;
  }
}

const ENVIRON_BUF = Buffer.alloc(256 * 1024);

/**
 * Whether a process's environment holds one of `markers` (`\0NAME=value\0` byte patterns). One
 * read into a reused buffer, searched as bytes: this runs for every process on the machine at the
 * end of every run, and decoding each environment to a string was most of its cost.
 */
function environHas(pid: number, markers: readonly Buffer[]): boolean {
  let fd: number;
  try {
    fd = fs.openSync(`/proc/${pid}/environ`, 'r');
  } catch {
    return false;
  }
  try {
    // A leading NUL lets the first variable match the same pattern as the others.
    ENVIRON_BUF[0] = 0;
    const n = fs.readSync(fd, ENVIRON_BUF, 1, ENVIRON_BUF.length - 1, 0);
    const view = ENVIRON_BUF.subarray(0, n + 1);
    return markers.some((m) => view.indexOf(m) >= 0);
  } catch {
    return false;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * One pass over /proc: the run's live processes (pid → command line) and its tracers. Only the
 * environment is read for most processes (one small read each); status and command line only
 * for the run's own, and TracerPid only while the run may have tracers (`withTracers`).
 */
export function scanRunProcesses(markers: readonly string[], tracerMarker: string, withTracers = true): ProcScan {
  const live = new Map<number, string>();
  const tracers: number[] = [];
  const traced: { pid: number; tracer: number }[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return { live, tracers };
  }
  const cmdlineOf = (pid: number): string => (readText(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean).join(' ');
  const zombie = (status: string | null): boolean => status === null || /^State:\s+Z/m.test(status);
  const patterns = markers.map((m) => Buffer.from(`\0${m}\0`, 'latin1'));
  for (const name of entries) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    const marked = environHas(pid, patterns);
    if (!marked && !withTracers) continue;
    const status = marked || withTracers ? readText(`/proc/${pid}/status`) : null;
    if (zombie(status)) continue;
    if (withTracers) {
      const cmdline = cmdlineOf(pid);
      if (cmdline.includes(tracerMarker) && /(^|\/)strace /.test(cmdline)) {
        tracers.push(pid);
        continue;
      }
      const tracer = Number(/^TracerPid:\s+(\d+)/m.exec(status!)?.[1] ?? 0);
      if (tracer) traced.push({ pid, tracer });
      if (marked) live.set(pid, cmdline);
    } else live.set(pid, cmdlineOf(pid));
  }
  for (const t of traced) if (tracers.includes(t.tracer) && !live.has(t.pid)) live.set(t.pid, cmdlineOf(t.pid));
  return { live, tracers };
}

/** Whether a process holds a regular file open for writing (what it may still be writing). */
export function isWriting(pid: number, ignorePrefix: string): boolean {
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    let target: string;
    try {
      target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    if (!target.startsWith('/') || target.startsWith('/dev/') || target.startsWith('/proc/') || target.startsWith(ignorePrefix)) continue;
    const info = readText(`/proc/${pid}/fdinfo/${fd}`);
    const flags = info ? parseInt(/^flags:\s+([0-7]+)/m.exec(info)?.[1] ?? '0', 8) : 0;
    if ((flags & 3) !== 0) return true;
  }
  return false;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitForDescendants(opts: LingerOptions): Promise<LingerResult> {
  const interrupt = interruptible();
  try {
    return await waitLoop(opts, interrupt.stopped);
  } finally {
    interrupt.dispose();
  }
}

async function waitLoop(opts: LingerOptions, stopped: () => boolean): Promise<LingerResult> {
  const start = Date.now();
  let lastBusy = start;
  let polls = 0;
  for (;;) {
    opts.onPoll?.();
    const { live, tracers } = scanRunProcesses(opts.markers, opts.tracerMarker, opts.withTracers?.() ?? true);
    const now = Date.now();
    if (live.size === 0) {
      // Right after the command exits, a child it just started may be between fork and exec,
      // or mid-exec, for an instant in which /proc shows no environment to recognise it by (a
      // detached grandchild was missed this way under load): a second look 10 ms later decides.
      if (polls === 0 && tracers.length === 0) {
        polls++;
        await sleep(10);
        continue;
      }
      // Tracers exit by themselves once their last tracee is gone; wait so their logs are whole.
      if (tracers.length === 0 || now - start > opts.maxMs + 5_000) return { stillRunning: [], waitedMs: now - start };
    } else {
      const writing = [...live.keys()].filter((pid) => isWriting(pid, opts.tracerMarker));
      if (writing.length > 0) lastBusy = now;
      if (now - lastBusy >= opts.quietMs || now - start >= opts.maxMs || stopped()) {
        for (const t of tracers) {
          try {
            process.kill(t, 'SIGTERM');
          } catch {
            // already gone
          }
        }
        await waitForExit(tracers, 5_000);
        return {
          stillRunning: [...live].map(([pid, command]) => ({ pid, command, writing: writing.includes(pid) })),
          waitedMs: Date.now() - start,
        };
      }
    }
    // Short polls first: most lingering processes (a log flush, a child's last write) are brief.
    await sleep(polls++ < 10 ? 20 : 100);
  }
}

async function waitForExit(pids: readonly number[], maxMs: number): Promise<void> {
  const until = Date.now() + maxMs;
  while (Date.now() < until && pids.some((p) => fs.existsSync(`/proc/${p}`) && !/^State:\s+Z/m.test(readText(`/proc/${p}/status`) ?? 'State: Z'))) await sleep(20);
}
