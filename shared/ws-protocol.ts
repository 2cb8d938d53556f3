import type { ApiEvent } from './api';
import type { Result } from './errors';

/** Messages on the one WebSocket between a UI and the local server. */
export type ClientMessage = { type: 'call'; id: number; method: string; arg: unknown };
export type ServerMessage =
  | { type: 'event'; event: ApiEvent; payload: unknown }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'error'; message: string };

/** The message as an object, or null when it is not JSON or not an object. */
function parseObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function parseClientMessage(text: string): ClientMessage | null {
  const m = parseObject(text);
  if (!m) return null;
  if (m.type !== 'call' || typeof m.id !== 'number' || typeof m.method !== 'string') return null;
  return { type: 'call', id: m.id, method: m.method, arg: m.arg ?? {} };
}

export function parseServerMessage(text: string): ServerMessage | null {
  const m = parseObject(text);
  if (!m) return null;
  if (m.type === 'event' && typeof m.event === 'string') return m as ServerMessage;
  if (m.type === 'result' && typeof m.id === 'number' && typeof m.result === 'object') return m as ServerMessage;
  if (m.type === 'error' && typeof m.message === 'string') return m as ServerMessage;
  return null;
}
