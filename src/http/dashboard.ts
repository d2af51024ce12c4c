/**
 * @module http/dashboard
 * The operators' console (web/, built by Vite into web/dist) served at `/` by Tidings itself, so
 * there is nothing else to deploy. It is static files that talk to the API like any client. Its
 * responses, and only its, carry browser security headers: a CSP with no inline script (the API key
 * lives in the page's session storage, so injected script is what must be kept out), no framing,
 * no referrer, no MIME sniffing. The API's JSON responses are left as they are.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/**
 * Where the built dashboard is: web/dist at the repository (or image) root, found by walking up
 * from this file, which runs from src/http under Vitest and from dist/src/http once compiled.
 */
export function findDashboard(from: string = fileURLToPath(import.meta.url)): string | null {
  let dir = dirname(from);
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'web', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const parent = resolve(dir, '..');
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

export async function dashboardRoutes(app: FastifyInstance, opts: { root: string | null }): Promise<void> {
  // Hooks added here stay inside this plugin: the API routes never see them.
  app.addHook('onSend', async (_req, res) => {
    res.headers(DASHBOARD_HEADERS);
  });
  if (opts.root === null) {
    app.get('/', { schema: { hide: true } }, async (_req, res) =>
      res.status(503).type('text/plain; charset=utf-8').send('The dashboard is not built: run `npm run build`.\n'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: opts.root,
    prefix: '/',
    // One route per built file, found at start: no catch-all that would shadow the API's 404s.
    wildcard: false,
    decorateReply: false,
    index: ['index.html'],
    // Our own cache rule below, not send's `max-age=0` for everything.
    cacheControl: false,
    setHeaders(res, path) {
      // Vite puts a content hash in every asset's name; index.html must be asked for every time.
      const hashed = path.includes(join('dist', 'assets'));
      res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
