import fs from 'node:fs';
import { APP_CSP, securityHeaders } from '../server/security';
import { resolveStatic } from '../server/static-files';

/**
 * The `app://bundle/...` protocol that serves the renderer build (instead of `file://`, which
 * would grant the page the whole disk). Paths are confined to the build by resolveStatic.
 */
export function appProtocolResponse(rendererDir: string, requestUrl: string): Response {
  const url = new URL(requestUrl);
  if (url.host !== 'bundle') return new Response('Not found', { status: 404 });
  const file = resolveStatic(rendererDir, url.pathname);
  if (!file) return new Response('Not found', { status: 404 });
  return new Response(fs.readFileSync(file.file), {
    status: 200,
    headers: { ...securityHeaders(APP_CSP), 'Content-Type': file.type },
  });
}
