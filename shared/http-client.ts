import {
  API_METHOD_NAMES,
  API_REQUEST_HEADER,
  type ApiEvent,
  type ApiMethod,
  type RetraceApi,
  type RetraceClient,
  type RetraceEvents,
} from './api';
import { AppError, unwrapResult, type Result } from './errors';
import { parseServerMessage } from './ws-protocol';

/** The subset of the WebSocket API we use, so Node tests can pass the `ws` package's class. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (ev: { data?: unknown }) => void): void;
}
export type WebSocketFactory = (url: string) => WebSocketLike;

/** The part of `fetch` we use; passed in because shared/ code sees neither DOM nor Node types. */
export type FetchLike = (
  url: string,
  init: { method: string; credentials?: 'same-origin'; headers: Record<string, string>; body: string },
) => Promise<{ readonly status: number; json(): Promise<unknown> }>;

// Present in every runtime we target (browsers, Node, Electron); not in the ES library types.
declare const setTimeout: (fn: () => void, ms: number) => unknown;

export interface HttpClientOptions {
  /** e.g. `http://127.0.0.1:4319`: the origin that serves the API. */
  readonly baseUrl: string;
  /** Extra headers (a Bearer token for scripts and tests; browsers use the session cookie). */
  readonly headers?: Record<string, string>;
  readonly fetch: FetchLike;
  /** Opens the event socket; without it the client has no events (and `on` is a no-op). */
  readonly openSocket?: WebSocketFactory;
  /** Send calls over the WebSocket instead of HTTP POST (lower latency). */
  readonly callsOverSocket?: boolean;
}

type Listener = (payload: unknown) => void;

/**
 * RetraceClient over the local server: `POST /api/<method>` for calls, one WebSocket for events
 * (reconnecting with backoff). The app never knows this is not the IPC client.
 */
export function createHttpClient(opts: HttpClientOptions): RetraceClient & { close(): void } {
  const listeners = new Map<ApiEvent, Set<Listener>>();
  const pending = new Map<number, (r: Result<unknown>) => void>();
  let nextId = 1;
  let socket: WebSocketLike | null = null;
  let socketReady: Promise<WebSocketLike> | null = null;
  let closed = false;
  let retryMs = 250;

  const wsUrl = () => opts.baseUrl.replace(/^http/, 'ws') + '/ws';

  function connect(): Promise<WebSocketLike> {
    if (!opts.openSocket) return Promise.reject(new AppError('INTERNAL', 'This client has no WebSocket.'));
    if (socketReady) return socketReady;
    socketReady = new Promise<WebSocketLike>((resolve, reject) => {
      const ws = opts.openSocket!(wsUrl());
      socket = ws;
      ws.addEventListener('open', () => {
        retryMs = 250;
        resolve(ws);
      });
      ws.addEventListener('message', (ev) => {
        const msg = parseServerMessage(String(ev.data));
        if (!msg) return;
        if (msg.type === 'event') listeners.get(msg.event)?.forEach((l) => l(msg.payload));
        else if (msg.type === 'result') {
          pending.get(msg.id)?.(msg.result);
          pending.delete(msg.id);
        }
      });
      ws.addEventListener('close', () => {
        socket = null;
        socketReady = null;
        for (const [id, done] of pending) {
          done({ ok: false, error: { code: 'IO', message: 'The connection to Retrace closed.' } });
          pending.delete(id);
        }
        reject(new AppError('IO', 'The connection to Retrace closed.'));
        if (!closed && listeners.size > 0) {
          // Keep events flowing after a server restart or a sleep/wake.
          setTimeout(() => void connect().catch(() => undefined), retryMs);
          retryMs = Math.min(retryMs * 2, 5000);
        }
      });
      ws.addEventListener('error', () => undefined);
    });
    return socketReady;
  }

  async function callHttp(method: ApiMethod, arg: unknown): Promise<unknown> {
    let res: Awaited<ReturnType<FetchLike>>;
    try {
      res = await opts.fetch(`${opts.baseUrl}/api/${method}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', [API_REQUEST_HEADER]: '1', ...opts.headers },
        body: JSON.stringify(arg ?? {}),
      });
    } catch (err) {
      throw new AppError('IO', `Cannot reach Retrace (${(err as Error).message}).`);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new AppError('IO', `Retrace answered ${res.status} without a JSON body.`);
    }
    return unwrapResult(body);
  }

  async function callSocket(method: ApiMethod, arg: unknown): Promise<unknown> {
    const ws = await connect();
    const id = nextId++;
    const result = await new Promise<Result<unknown>>((resolve) => {
      pending.set(id, resolve);
      ws.send(JSON.stringify({ type: 'call', id, method, arg: arg ?? {} }));
    });
    return unwrapResult(result);
  }

  const api = Object.fromEntries(
    API_METHOD_NAMES.map((m) => [m, (arg: unknown) => (opts.callsOverSocket ? callSocket(m, arg) : callHttp(m, arg))]),
  ) as unknown as RetraceApi;

  const on = <E extends ApiEvent>(event: E, listener: (payload: RetraceEvents[E]) => void): (() => void) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    if (opts.openSocket) void connect().catch(() => undefined);
    return () => {
      set!.delete(listener as Listener);
      if (set!.size === 0) listeners.delete(event);
    };
  };

  return {
    ...api,
    on,
    close() {
      closed = true;
      socket?.close();
    },
  };
}
