import fs from 'node:fs';

/**
 * A pid is gone when it no longer exists, or is a zombie nobody reaped yet (dead, holding
 * nothing; in a container whose init does not reap, killed orphans stay zombies).
 */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Waits up to `ms` for every pid to be gone; returns the ones still alive. */
export async function waitGone(pids: readonly number[], ms = 2000): Promise<number[]> {
  const until = Date.now() + ms;
  while (Date.now() < until && !pids.every(processGone)) await new Promise((r) => setTimeout(r, 20));
  return pids.filter((p) => !processGone(p));
}
