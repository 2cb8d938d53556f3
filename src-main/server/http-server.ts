import crypto from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { API_REQUEST_HEADER, isApiMethod, type RetraceApi } from '../../shared/api';
import type { Disposable } from '../../shared/disposable';
import { toResult, type ErrorCode } from '../../shared/errors';
import type { EventHub } from '../api/event-hub';
import { invokeApi } from '../api/validating-api';
import {
  allowedHosts,
  APP_CSP,
  bearerToken,
  checkHost,
  checkOrigin,
  newToken,
  parseCookies,
  secretEquals,
  securityHeaders,
} from './security';
import { resolveStatic } from './static-files';
import { handleSocket } from './ws-channel';

/** A route outside the API contract, e.g. the OpenLineage HTTP intake. Bearer-token only. */
export interface ExtraRoute {
  readonly method: 'POST';
  readonly path: string;
  handle(body: unknown): Promise<{ status: number; body: unknown }>;
}

export interface ServerOptions {
  readonly api: RetraceApi;
  readonly events: EventHub;
  /** The built renderer; null serves no UI (API only). */
  readonly staticDir: string | null;
  /** 127.0.0.1 unless told otherwise. */
  readonly host?: string;
  /** 0 = any free port. */
  readonly port?: number;
  readonly token?: string;
  readonly routes?: readonly ExtraRoute[];
  readonly maxBodyBytes?: number;
}

export interface RunningServer extends Disposable {
  /** `http://127.0.0.1:<port>/?token=<token>`: what the user opens. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  readonly cookieName: string;
  close(): Promise<void>;
}

const STATUS_OF: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  INVALID_ARGUMENT: 400,
  CONFLICT: 409,
  UNSUPPORTED: 422,
  STORE_CORRUPT: 500,
  IO: 500,
  CANCELLED: 499,
  FORBIDDEN: 403,
  NOT_BUILT: 501,
  INTERNAL: 500,
};

/**
 * The local web shell: the renderer's files, `POST /api/<method>`, and one WebSocket for events
 * (and calls). Every request passes the Host, Origin and auth checks; API calls also need the
 * custom header. No CORS headers are ever sent, so no other origin can read an answer.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? newToken();
  const sessions = new Set<string>();
  const maxBody = opts.maxBodyBytes ?? 8 * 1024 * 1024;
  let hosts = new Set<string>();
  let cookieName = 'retrace_session';
  const sockets = new Set<WebSocket>();
  const headers = securityHeaders(APP_CSP);

  const authed = (req: IncomingMessage): boolean => {
    if (secretEquals(bearerToken(req), token)) return true;
    const sid = parseCookies(req.headers.cookie).get(cookieName);
    return sid !== undefined && [...sessions].some((s) => secretEquals(sid, s));
  };

  const send = (res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
    res.end(body);
  };
  const sendJson = (res: ServerResponse, status: number, value: unknown) =>
    send(res, status, JSON.stringify(value), 'application/json; charset=utf-8', { 'Cache-Control': 'no-store' });
  const refuse = (res: ServerResponse, status: number, reason: string) => sendJson(res, status, { ok: false, error: { code: status === 401 ? 'FORBIDDEN' : 'FORBIDDEN', message: reason } });

  const server = http.createServer((req, res) => {
    void route(req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: String(err) } });
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostOk = checkHost(req, hosts);
    if (!hostOk.ok) return refuse(res, hostOk.status, hostOk.reason);
    const originOk = checkOrigin(req, hosts);
    if (!originOk.ok) return refuse(res, originOk.status, originOk.reason);
    const url = new URL(req.url ?? '/', 'http://localhost');

    if (url.pathname === '/healthz' && req.method === 'GET') return send(res, 200, 'ok', 'text/plain; charset=utf-8');

    const extra = opts.routes?.find((r) => r.path === url.pathname && r.method === req.method);
    if (extra) {
      if (!secretEquals(bearerToken(req), token)) return refuse(res, 401, 'A Bearer token is required.');
      const body = await readJsonBody(req, maxBody);
      if (!body.ok) return sendJson(res, body.status, { ok: false, error: { code: 'INVALID_ARGUMENT', message: body.message } });
      const out = await extra.handle(body.value);
      return sendJson(res, out.status, out.body);
    }

    if (url.pathname.startsWith('/api/')) {
      if (!authed(req)) return refuse(res, 401, 'Not signed in: open the URL that `retrace serve` printed (it carries the token).');
      if (req.method !== 'POST') return refuse(res, 405, 'API calls are POST requests.');
      if (req.headers[API_REQUEST_HEADER] !== '1') return refuse(res, 403, `API calls must carry the ${API_REQUEST_HEADER} header.`);
      const method = url.pathname.slice('/api/'.length);
      if (!isApiMethod(method)) return sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `There is no API method "${method}".` } });
      const body = await readJsonBody(req, maxBody);
      if (!body.ok) return sendJson(res, body.status, { ok: false, error: { code: 'INVALID_ARGUMENT', message: body.message } });
      const result = await toResult(() => invokeApi(opts.api, method, body.value));
      return sendJson(res, result.ok ? 200 : STATUS_OF[result.error.code], result);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET is served here.');
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!secretEquals(given, token)) return refuse(res, 403, 'Wrong token.');
      // Exchange the token for a session cookie and drop it from the address bar and history.
      const sid = crypto.randomBytes(32).toString('base64url');
      sessions.add(sid);
      url.searchParams.delete('token');
      res.writeHead(302, {
        ...headers,
        Location: url.pathname + (url.search || ''),
        'Set-Cookie': `${cookieName}=${sid}; HttpOnly; SameSite=Strict; Path=/`,
        'Cache-Control': 'no-store',
      });
      return void res.end();
    }
    if (!authed(req)) {
      return send(res, 401, '<!doctype html><meta charset="utf-8"><title>Retrace</title><p>Open the URL that <code>retrace serve</code> printed: it carries the access token.</p>', 'text/html; charset=utf-8');
    }
    if (!opts.staticDir) return refuse(res, 404, 'This server has no UI build.');
    const file = resolveStatic(opts.staticDir, url.pathname);
    if (!file) return refuse(res, 404, 'Not found.');
    const data = await fs.promises.readFile(file.file);
    send(res, 200, req.method === 'HEAD' ? Buffer.alloc(0) : data, file.type, { 'Cache-Control': file.type.startsWith('text/html') ? 'no-store' : 'no-cache' });
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBody });
  server.on('upgrade', (req, socket, head) => {
    const reject = (status: number) => {
      socket.write(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    // WebSockets are not covered by CORS: the Origin check here is what keeps other sites out.
    if (!checkHost(req, hosts).ok || !checkOrigin(req, hosts).ok) return reject(403);
    if (url.pathname !== '/ws') return reject(404);
    if (!authed(req)) return reject(401);
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      const sub = handleSocket(ws, opts.api, opts.events);
      ws.on('close', () => {
        sockets.delete(ws);
        sub.dispose();
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port);
  // Cookies are not isolated by port: every 127.0.0.1 server would see a plain name.
  cookieName = `retrace_session_${port}`;
  const displayHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const origin = `http://${displayHost}:${port}`;

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };
  return { url: `${origin}/?token=${token}`, origin, port, token, cookieName, close, dispose: () => void close() };
}

async function readJsonBody(req: IncomingMessage, max: number): Promise<{ ok: true; value: unknown } | { ok: false; status: number; message: string }> {
  const type = req.headers['content-type'] ?? '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return { ok: false, status: 413, message: `The request body is larger than ${max} bytes.` };
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return { ok: true, value: {} };
  if (!/^application\/json\b/i.test(type)) return { ok: false, status: 415, message: 'The request body must be application/json.' };
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch (err) {
    return { ok: false, status: 400, message: `The request body is not valid JSON (${(err as Error).message}).` };
  }
}
