import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_HEADERS, dashboardRoutes, findDashboard } from './dashboard.js';

/** A built dashboard as Vite lays it out: index.html, hashed assets, files from public/. */
function fakeBuild(): string {
  const root = mkdtempSync(join(tmpdir(), 'tidings-web-'));
  const dist = join(root, 'web', 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(
    join(dist, 'index.html'),
    '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>',
  );
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log("dashboard")');
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return root;
}

async function appWith(root: string | null): Promise<FastifyInstance> {
  const app = fastify();
  app.setNotFoundHandler((_req, res) =>
    res.status(404).send({ error: { code: 'not_found', message: 'No such route.' } }),
  );
  app.get('/v1/ping', async () => ({ ok: true }));
  await app.register(dashboardRoutes, { root });
  return app;
}

describe('the dashboard at /', () => {
  let root: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    root = fakeBuild();
    app = await appWith(join(root, 'web', 'dist'));
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / with the security headers and no caching', async () => {
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('/assets/index-abc123.js');
    for (const [name, value] of Object.entries(DASHBOARD_HEADERS)) expect(res.headers[name]).toBe(value);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets as immutable, with the headers too', async () => {
    const res = await app.inject('/assets/index-abc123.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect((await app.inject('/favicon.svg')).headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it('leaves the API alone: no dashboard headers on JSON, and unknown paths are still JSON 404s', async () => {
    const api = await app.inject('/v1/ping');
    expect(api.json()).toEqual({ ok: true });
    expect(api.headers['content-security-policy']).toBeUndefined();
    expect(api.headers['x-frame-options']).toBeUndefined();
    const missing = await app.inject('/assets/nope.js');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await app.inject('/../package.json')).statusCode).toBe(404);
  });

  it('says how to build it when it is not built', async () => {
    const bare = await appWith(null);
    const res = await bare.inject('/');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
    expect(res.headers['x-frame-options']).toBe('DENY');
    await bare.close();
  });

  it('finds web/dist by walking up from the running file (src/http under Vitest, dist/src/http compiled)', () => {
    expect(findDashboard(join(root, 'dist', 'src', 'http', 'dashboard.js'))).toBe(join(root, 'web', 'dist'));
    expect(findDashboard(join(root, 'src', 'http', 'dashboard.ts'))).toBe(join(root, 'web', 'dist'));
    expect(findDashboard(join(tmpdir(), 'nowhere', 'a', 'b.js'))).toBeNull();
  });
});
