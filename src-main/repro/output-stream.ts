import { StringDecoder } from 'node:string_decoder';
import type { OutputSink } from '../capture/process-group';

/**
 * A captured command's stdout and stderr on their way to a UI: decoded as UTF-8 across chunk
 * boundaries, handed to `keep` at once (a tail for UIs that join late) and pushed through
 * `emit` in batches every `flushMs`, so a chatty command does not send an event per write.
 * Used by re-runs and replays alike.
 */
export function batchedOutput(opts: {
  emit(stream: 'stdout' | 'stderr', text: string): void;
  keep(text: string): void;
  flushMs?: number;
}): { sink: OutputSink; flush(): void } {
  const pending: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    for (const stream of ['stdout', 'stderr'] as const) {
      if (!pending[stream]) continue;
      opts.emit(stream, pending[stream]);
      pending[stream] = '';
    }
  };
  const take = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const text = decoders[stream].write(chunk);
    pending[stream] += text;
    opts.keep(text);
    // Output that arrives after the command ended (a pipe drained late) still goes out.
    timer ??= setTimeout(flush, opts.flushMs ?? 100);
  };
  return { sink: { stdout: take('stdout'), stderr: take('stderr') }, flush };
}

/** The last `max` characters of a growing log. */
export function tail(log: string, max: number): string {
  return log.length > max ? log.slice(-max) : log;
}
