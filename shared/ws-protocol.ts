import type { ApiEvent } from './api';
import type { Result } from './errors';

/** Messages on the one WebSocket between a UI and the local server. */
export type ClientMessage = { type: 'call'; id: number; method: string; arg: unknown };
export type ServerMessage =
  | { type: 'event'; event: ApiEvent; payload: unknown }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'error'; message: string };

export function parseClientMessage(text: string): ClientMessage | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const m = v as Record<string, unknown>;
  if (m.type !== 'call' || typeof m.id !== 'number' || typeof m.method !== 'string') return null;
  return { type: 'call', id: m.id, method: m.method, arg: m.arg ?? {} };
}

export function parseServerMessage(text: string): ServerMessage | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const m = v as Record<string, unknown>;
  if (m.type === 'event' && typeof m.event === 'string') return m as ServerMessage;
  if (m.type === 'result' && typeof m.id === 'number' && typeof m.result === 'object') return m as ServerMessage;
  if (m.type === 'error' && typeof m.message === 'string') return m as ServerMessage;
  return null;
}
