import type { LingeringProcess } from './descendants';
import type { TraceNote } from './syscall-ops';

/**
 * Why a traced run's footprint may be incomplete, one sentence each, from what the tracers
 * reported. A run with any reason is marked partial: nothing is ever left out silently.
 */
const SUD_WHY: Record<string, string> = {
  kernel: 'this kernel has no syscall user dispatch',
  arch: 'not supported on this processor',
  off: 'RETRACE_SUD=0 turned it off',
};

export function partialReasons(t: { notes: readonly TraceNote[]; unrecorded: readonly string[]; stillRunning: readonly LingeringProcess[]; traceFailed?: string }, quietMs: number): string[] {
  const out = new Set<string>();
  const kindOf = (k: string): string => (k === 'go' ? 'Go program' : k === 'abi' ? 'program of another architecture' : 'statically linked program');
  for (const n of t.notes) {
    switch (n.kind) {
      case 'lost': {
        const [reason, kind = 'static'] = n.why.split('/');
        if (reason === 'setuid') out.add(`${n.path} is setuid/setgid: it ran unrecorded (the loader ignores the recorder there, and tracing would drop its privileges)`);
        else if (reason === 'setcap') out.add(`${n.path} has file capabilities: it ran unrecorded (the loader ignores the recorder there, and tracing would drop its privileges)`);
        else if (reason === 'nostrace') out.add(`a ${kindOf(kind)} ${n.path} was not recorded (it needs strace, which is not available here)`);
        else if (reason === 'traced') out.add(`a ${kindOf(kind)} ${n.path} was not recorded (the run is already traced by another tracer)`);
        else out.add(`a ${kindOf(kind)} ${n.path} was not recorded (strace could not be started for it)`);
        break;
      }
      case 'uring':
        out.add(`${n.path || 'a process'} used io_uring, whose file operations happen inside the kernel where no tracer sees them (files it created or changed in the workspace are found by their times; its reads and deletions are not)`);
        break;
      case 'nosud':
        out.add(
          n.why === 'busy'
            ? 'a process made so many system calls outside libc that watching them was switched off; its later ones are not recorded'
            : `system calls made outside libc were not watched (${SUD_WHY[n.why] ?? 'it could not be set up'})`,
        );
        break;
      default:
        break;
    }
  }
  for (const p of t.unrecorded) out.add(`${p || 'a program'} was handed to strace but nothing was traced (strace could not attach)`);
  for (const p of t.stillRunning) {
    const cmd = p.command.length > 80 ? `${p.command.slice(0, 77)}...` : p.command;
    out.add(`process ${p.pid} (${cmd}) was still running ${(quietMs / 1000).toFixed(1)} s after the command exited${p.writing ? ' with files open for writing' : ''}; what it did afterwards is not recorded`);
  }
  if (t.traceFailed) out.add(t.traceFailed);
  return [...out];
}
