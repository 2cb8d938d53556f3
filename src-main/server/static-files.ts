import fs from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/**
 * Resolves a URL path to a file inside `root`, or null. Confinement is checked on the real
 * path (after symlinks), so neither `..`, encoded separators nor a link can leave the build.
 * Extension-less paths fall back to index.html (the single-page app's routes).
 */
export function resolveStatic(root: string, urlPath: string): { file: string; type: string } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const realRoot = fs.realpathSync(root);
  let candidate = path.resolve(realRoot, '.' + path.posix.normalize('/' + decoded));
  if (!isInside(realRoot, candidate)) return null;
  if (!path.extname(candidate) || decoded.endsWith('/')) {
    if (!fs.existsSync(candidate) || fs.statSync(candidate).isDirectory()) candidate = path.join(realRoot, 'index.html');
  }
  let real: string;
  try {
    real = fs.realpathSync(candidate);
  } catch {
    return null;
  }
  if (!isInside(realRoot, real) || !fs.statSync(real).isFile()) return null;
  return { file: real, type: TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream' };
}

function isInside(root: string, p: string): boolean {
  return p === root || p.startsWith(root + path.sep);
}
