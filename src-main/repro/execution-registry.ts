import { AppError } from '../../shared/errors';

/** What re-run plans and replays have in common once started. */
export interface RunningThing<S> {
  snapshot(): S & { readonly state: string };
  cancel(): boolean;
  readonly done: Promise<S>;
}

/**
 * The executions of one session, by id: a UI that joins late asks for one's state, the CLI waits
 * for one to end, closing the core cancels whatever still runs. A session keeps the last
 * `keep` executions, not every one ever run.
 */
export class ExecutionRegistry<S, E extends RunningThing<S>> {
  private readonly executions = new Map<string, E>();

  constructor(private readonly what: string, private readonly keep = 20) {}

  add(id: string, e: E): void {
    this.executions.set(id, e);
    for (const [old, x] of this.executions) {
      if (this.executions.size <= this.keep) break;
      if (x.snapshot().state !== 'running') this.executions.delete(old);
    }
  }

  running(): E[] {
    return [...this.executions.values()].filter((e) => e.snapshot().state === 'running');
  }

  cancel(id: string): { cancelled: boolean } {
    return { cancelled: this.find(id).cancel() };
  }

  get(id: string): S {
    return this.find(id).snapshot();
  }

  finished(id: string): Promise<S> {
    return this.find(id).done;
  }

  /** Cancels whatever still runs (the core is closing). */
  async dispose(): Promise<void> {
    const running = this.running();
    for (const e of running) e.cancel();
    await Promise.all(running.map((e) => e.done));
  }

  private find(id: string): E {
    const e = this.executions.get(id);
    if (!e) throw new AppError('NOT_FOUND', `No ${this.what} ${id} in this session.`);
    return e;
  }
}
