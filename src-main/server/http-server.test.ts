import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { API_REQUEST_HEADER } from '../../shared/api';
import { createCore, type Core } from '../api/create-core';
import { startServer, type RunningServer } from './http-server';

/**
 * The local server's security, one test per rejection (DESIGN §7, notes/electron.md §3.3).
 * Raw node:http requests, so the tests control every header a browser or an attacker might send.
 */
interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(port: number, opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path ?? '/', headers: { Host: `127.0.0.1:${port}`, ...opts.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe('local server security', () => {
  let dir: string;
  let uiDir: string;
  let core: Core;
  let server: RunningServer;
  let cookie: string;
  const apiHeaders = (): Record<string, string> => ({ Cookie: cookie, [API_REQUEST_HEADER]: '1', 'Content-Type': 'application/json' });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-sec-'));
    uiDir = path.join(dir, 'ui');
    fs.mkdirSync(uiDir);
    fs.writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><title>Retrace</title>');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside the UI build');
    core = createCore({ workspaceRoot: path.join(dir, 'ws') });
    server = await startServer({ api: core.api, events: core.events, staticDir: uiDir });
    const r = await request(server.port, { path: `/?token=${server.token}` });
    cookie = (r.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
  });
  after(async () => {
    await server.close();
    core.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('binds 127.0.0.1 and prints a URL with a 256-bit token', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  test('the token is exchanged for an HttpOnly SameSite=Strict cookie and removed from the URL', async () => {
    const r = await request(server.port, { path: `/?token=${server.token}` });
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, '/');
    const set = r.headers['set-cookie']?.[0] ?? '';
    assert.match(set, new RegExp(`^retrace_session_${server.port}=`));
    assert.match(set, /HttpOnly/);
    assert.match(set, /SameSite=Strict/);
    assert.ok(!set.includes(server.token), 'the cookie is a separate secret, not the token');
  });

  test('with the cookie the app is served, with security headers', async () => {
    const r = await request(server.port, { headers: { Cookie: cookie } });
    assert.equal(r.status, 200);
    assert.match(r.body, /<title>Retrace/);
    assert.match(String(r.headers['content-security-policy']), /script-src 'self'/);
    assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.equal(r.headers['referrer-policy'], 'no-referrer');
  });

  test('no token and no cookie: 401', async () => {
    assert.equal((await request(server.port, {})).status, 401);
    assert.equal((await request(server.port, { method: 'POST', path: '/api/ping', headers: { [API_REQUEST_HEADER]: '1' } })).status, 401);
  });

  test('a wrong token: 403', async () => {
    assert.equal((await request(server.port, { path: '/?token=nope' })).status, 403);
    assert.equal((await request(server.port, { method: 'POST', path: '/api/ping', headers: { Authorization: 'Bearer nope', [API_REQUEST_HEADER]: '1' } })).status, 401);
  });

  test('a foreign Host (DNS rebinding): 403, even with a valid token', async () => {
    const r = await request(server.port, { path: `/?token=${server.token}`, headers: { Host: `evil.example:${server.port}` } });
    assert.equal(r.status, 403);
    const r2 = await request(server.port, { method: 'POST', path: '/api/ping', headers: { ...apiHeaders(), Host: 'evil.example' } });
    assert.equal(r2.status, 403);
  });

  test('a foreign Origin: 403', async () => {
    const r = await request(server.port, { method: 'POST', path: '/api/ping', headers: { ...apiHeaders(), Origin: 'http://evil.example' } });
    assert.equal(r.status, 403);
    const sameHostOtherPort = await request(server.port, { method: 'POST', path: '/api/ping', headers: { ...apiHeaders(), Origin: `http://127.0.0.1:${server.port + 1}` } });
    assert.equal(sameHostOtherPort.status, 403);
  });

  test('Sec-Fetch-Site: cross-site: 403', async () => {
    const r = await request(server.port, { method: 'POST', path: '/api/ping', headers: { ...apiHeaders(), 'Sec-Fetch-Site': 'cross-site' } });
    assert.equal(r.status, 403);
  });

  test('an API call without the custom header: 403', async () => {
    const r = await request(server.port, { method: 'POST', path: '/api/ping', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(r.status, 403);
  });

  test('an API call that is not POST: 405', async () => {
    assert.equal((await request(server.port, { path: '/api/ping', headers: { Cookie: cookie, [API_REQUEST_HEADER]: '1' } })).status, 405);
  });

  test('a body that is not JSON: 400; not application/json: 415', async () => {
    assert.equal((await request(server.port, { method: 'POST', path: '/api/ping', headers: apiHeaders(), body: '{nope' })).status, 400);
    assert.equal((await request(server.port, { method: 'POST', path: '/api/ping', headers: { ...apiHeaders(), 'Content-Type': 'text/plain' }, body: '{}' })).status, 415);
  });

  test('a valid call with the cookie, and with a Bearer token, succeeds', async () => {
    const r = await request(server.port, { method: 'POST', path: '/api/ping', headers: apiHeaders(), body: '{"echo":"hi"}' });
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).value.echo, 'hi');
    const r2 = await request(server.port, { method: 'POST', path: '/api/ping', headers: { Authorization: `Bearer ${server.token}`, [API_REQUEST_HEADER]: '1' } });
    assert.equal(r2.status, 200);
    assert.equal(r2.headers['cache-control'], 'no-store');
  });

  test('no CORS headers, ever (not even on a preflight)', async () => {
    const replies = await Promise.all([
      request(server.port, { method: 'OPTIONS', path: '/api/ping', headers: { Origin: `http://127.0.0.1:${server.port}`, 'Access-Control-Request-Method': 'POST' } }),
      request(server.port, { method: 'POST', path: '/api/ping', headers: apiHeaders(), body: '{}' }),
      request(server.port, { headers: { Cookie: cookie } }),
    ]);
    for (const r of replies) {
      for (const h of Object.keys(r.headers)) assert.ok(!h.startsWith('access-control-'), `unexpected ${h}`);
    }
    assert.notEqual(replies[0]!.status, 200);
  });

  test('static files stay inside the UI build (traversal, encoded, absolute)', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', `/${encodeURIComponent(path.join(dir, 'secret.txt'))}`]) {
      const r = await request(server.port, { path: p, headers: { Cookie: cookie } });
      assert.ok(!r.body.includes('outside the UI build'), `${p} leaked a file`);
    }
  });

  test('a symlink out of the UI build is not followed', async () => {
    fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(uiDir, 'link.txt'));
    const r = await request(server.port, { path: '/link.txt', headers: { Cookie: cookie } });
    assert.equal(r.status, 404);
  });

  test('WebSocket: a foreign Origin is refused, no auth is refused, a good one gets events', async () => {
    const url = `ws://127.0.0.1:${server.port}/ws`;
    const opened = (ws: WebSocket) =>
      new Promise<number | 'open'>((resolve) => {
        ws.on('open', () => resolve('open'));
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => undefined);
      });
    assert.equal(await opened(new WebSocket(url, { headers: { Cookie: cookie, Origin: 'http://evil.example' } })), 403);
    assert.equal(await opened(new WebSocket(url, { headers: { Host: `evil.example:${server.port}`, Cookie: cookie } })), 403);
    assert.equal(await opened(new WebSocket(url)), 401);
    const ws = new WebSocket(url, { headers: { Cookie: cookie, Origin: `http://127.0.0.1:${server.port}` } });
    assert.equal(await opened(ws), 'open');
    const got = new Promise<string>((resolve) => ws.on('message', (d) => resolve(String(d))));
    core.events.emit('onGraphChanged', { newRuns: 1, newArtifacts: 0, newVersions: 0, at: '2026-01-01T00:00:00.000Z' });
    assert.equal(JSON.parse(await got).event, 'onGraphChanged');
    ws.close();
    // A socket opened after a change gets that change at once (it may have missed it while connecting).
    core.events.emit('onGraphChanged', { newRuns: 2, newArtifacts: 1, newVersions: 1, at: '2026-01-01T00:00:01.000Z' });
    const late = new WebSocket(url, { headers: { Cookie: cookie, Origin: `http://127.0.0.1:${server.port}` } });
    // Hang guard only: without the replay no message would ever come.
    const first = new Promise<string>((resolve) => {
      late.on('message', (d) => resolve(String(d)));
      setTimeout(() => resolve('{"type":"none"}'), 5000).unref();
    });
    assert.deepEqual(JSON.parse(await first), { type: 'event', event: 'onGraphChanged', payload: { newRuns: 2, newArtifacts: 1, newVersions: 1, at: '2026-01-01T00:00:01.000Z' } });
    late.close();
  });

  test('an oversized body is refused with 413', async () => {
    const small = await startServer({ api: core.api, events: core.events, staticDir: null, maxBodyBytes: 100 });
    try {
      const r = await request(small.port, { method: 'POST', path: '/api/ping', headers: { Authorization: `Bearer ${small.token}`, [API_REQUEST_HEADER]: '1', 'Content-Type': 'application/json' }, body: JSON.stringify({ echo: 'x'.repeat(500) }) });
      assert.equal(r.status, 413);
    } finally {
      await small.close();
    }
  });
});
