import type { WebSocket } from 'ws';
import { isApiMethod, type RetraceApi } from '../../shared/api';
import type { Disposable } from '../../shared/disposable';
import { toResult } from '../../shared/errors';
import type { EventHub } from '../api/event-hub';
import { invokeApi } from '../api/validating-api';
import { parseClientMessage, type ServerMessage } from '../../shared/ws-protocol';

/**
 * One WebSocket connection: every core event is forwarded to it, and it may also call API
 * methods (`{id, method, arg}` → `{id, result}`), which is the low-latency path.
 */
export function handleSocket(ws: WebSocket, api: RetraceApi, events: EventHub): Disposable {
  const send = (m: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const sub = events.subscribeAll((event, payload) => send({ type: 'event', event, payload }));
  // A UI loads over HTTP and opens this socket beside it: a change committed in between would
  // reach no one. The last change goes to every new socket; the UI skips it when it loaded
  // after that change's time.
  const lastChange = events.latest('onGraphChanged');
  if (lastChange) send({ type: 'event', event: 'onGraphChanged', payload: lastChange });
  ws.on('message', (data) => {
    const msg = parseClientMessage(String(data));
    if (!msg) return send({ type: 'error', message: 'Unreadable message: expected {"type":"call","id":N,"method":"…","arg":{…}}.' });
    if (!isApiMethod(msg.method)) {
      return send({ type: 'result', id: msg.id, result: { ok: false, error: { code: 'NOT_FOUND', message: `There is no API method "${msg.method}".` } } });
    }
    const method = msg.method;
    void toResult(() => invokeApi(api, method, msg.arg)).then((result) => send({ type: 'result', id: msg.id, result }));
  });
  return sub;
}
