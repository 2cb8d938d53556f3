import type { ApiEvent, RetraceEvents } from '../../shared/api';
import { toDisposable, type Disposable } from '../../shared/disposable';

type AnyListener = (event: ApiEvent, payload: unknown) => void;

/**
 * Fan-out of core events to every connected UI (Electron windows, WebSocket clients).
 * Transports subscribe to all events at once and forward them by name.
 */
export class EventHub {
  private readonly listeners = new Set<AnyListener>();
  private readonly last = new Map<ApiEvent, unknown>();

  emit<E extends ApiEvent>(event: E, payload: RetraceEvents[E]): void {
    this.last.set(event, payload);
    for (const l of [...this.listeners]) {
      try {
        l(event, payload);
      } catch {
        // A broken subscriber (closed socket, destroyed window) must not stop the others.
      }
    }
  }

  subscribeAll(listener: AnyListener): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  /** Typed subscription to one event. */
  on<E extends ApiEvent>(event: E, listener: (payload: RetraceEvents[E]) => void): Disposable {
    return this.subscribeAll((name, payload) => {
      if (name === event) listener(payload as RetraceEvents[E]);
    });
  }

  /** The payload `event` was last emitted with (undefined: never), for a UI that connects late. */
  latest<E extends ApiEvent>(event: E): RetraceEvents[E] | undefined {
    return this.last.get(event) as RetraceEvents[E] | undefined;
  }

  get size(): number {
    return this.listeners.size;
  }
}
