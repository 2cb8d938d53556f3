import type { ChildProcess } from 'node:child_process';

/**
 * Stopping a command *and everything it started*. A cancellable command is spawned as the
 * leader of its own process group (`detached`), so one signal to `-pgid` reaches its children,
 * grandchildren and background jobs too. Cancelling sends SIGTERM to the group (the command may
 * clean up), then SIGKILL to whatever is left once the leader has exited or `graceMs` passed —
 * a background child that ignored SIGTERM or outlived its parent is not left behind as an orphan.
 */
export interface OutputSink {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

/** `inherit`: the user's terminal (retrace run); `quiet`: no output (the demo builder, the bench); a sink: streamed to the caller (re-runs). */
export type StdioChoice = 'inherit' | 'quiet' | OutputSink;

export function spawnStdio(choice: StdioChoice = 'inherit'): 'inherit' | 'ignore' | ['ignore', 'pipe', 'pipe'] {
  if (choice === 'quiet') return 'ignore';
  if (choice === 'inherit') return 'inherit';
  return ['ignore', 'pipe', 'pipe'];
}

/** Forwards a piped child's output to the sink (no-op for inherit/quiet). */
export function attachSink(child: ChildProcess, choice: StdioChoice | undefined): void {
  if (!choice || typeof choice === 'string') return;
  child.stdout?.on('data', (b: Buffer) => choice.stdout(b));
  child.stderr?.on('data', (b: Buffer) => choice.stderr(b));
}

/**
 * Arms cancellation for a child spawned with `detached: true`. Returns the function to call
 * once the child has exited (it finishes the cleanup and disarms the timer).
 */
export function killGroupOnAbort(child: ChildProcess, signal: AbortSignal | undefined, graceMs = 2000): () => void {
  if (!signal || child.pid === undefined) return () => undefined;
  const pgid = child.pid;
  let aborted = false;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    aborted = true;
    killGroup(pgid, 'SIGTERM');
    timer = setTimeout(() => killGroup(pgid, 'SIGKILL'), graceMs);
    timer.unref();
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => {
    signal.removeEventListener('abort', onAbort);
    if (timer) clearTimeout(timer);
    // The leader is gone; anything still in its group was started by it and must not outlive it.
    if (aborted) killGroup(pgid, 'SIGKILL');
  };
}

function killGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // ESRCH: the whole group is already gone.
  }
}
