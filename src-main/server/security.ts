import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Local-server security (DESIGN §7, notes/electron.md §3.3), as pure functions of a request so
 * each rule is tested on its own: token, Host allow-list, Origin, fetch metadata, custom header.
 */

/** A 256-bit random token, URL-safe. */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Constant-time comparison of two secrets (length leaks nothing useful: tokens have one length). */
export function secretEquals(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Host header allow-list against DNS rebinding: a rebound page is same-origin to the browser,
 * so only Host still names the attacker's domain.
 */
export function allowedHosts(bindHost: string, port: number): Set<string> {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  if (bindHost !== '127.0.0.1' && bindHost !== '::1' && bindHost !== 'localhost') {
    hosts.add(bindHost.includes(':') ? `[${bindHost}]:${port}` : `${bindHost}:${port}`);
  }
  return hosts;
}

export type Verdict = { ok: true } | { ok: false; status: number; reason: string };

const OK: Verdict = { ok: true };

export function checkHost(req: IncomingMessage, hosts: ReadonlySet<string>): Verdict {
  const host = (req.headers.host ?? '').toLowerCase();
  return hosts.has(host) ? OK : { ok: false, status: 403, reason: `Host "${host}" is not allowed.` };
}

/** Rejects cross-site requests: a foreign Origin, or a browser saying the request is cross-site. */
export function checkOrigin(req: IncomingMessage, hosts: ReadonlySet<string>): Verdict {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let u: URL | null = null;
    try {
      u = new URL(origin);
    } catch {
      u = null;
    }
    if (!u || u.protocol !== 'http:' || !hosts.has(u.host.toLowerCase()) || u.host.toLowerCase() !== (req.headers.host ?? '').toLowerCase()) {
      return { ok: false, status: 403, reason: `Origin "${origin}" is not this server.` };
    }
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') return { ok: false, status: 403, reason: 'Cross-site requests are refused.' };
  return OK;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

/** Security headers sent on every response (the same CSP the Electron shell uses). */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/**
 * One CSP for both shells: our own scripts only, no eval, no plugins, no framing, no remote
 * content. `style-src 'unsafe-inline'` is needed by Cytoscape, which styles its canvas layers
 * through style attributes; scripts stay strict.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
