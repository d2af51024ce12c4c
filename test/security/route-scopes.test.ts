/**
 * Who may call what, for every registered route. The table is the policy; the test holds the app's
 * real route list against it, so a new route that is not in the table fails here until someone
 * decides its role. Each guarded route is then called with no key, a read key, a send key and an
 * admin key through `inject` on the real app.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/api-keys.js';
import { findDashboard } from '../../src/http/dashboard.js';
import { registeredRoutes } from '../../src/http/route-table.js';
import type { ApiKeyRole } from '../../src/ports/api-keys.js';
import { startTidings, TEST_KEY, type Tidings } from '../support/harness.js';

type Policy = ApiKeyRole | `public: ${string}`;

const POLICY: Record<string, Policy> = {
  'POST /v1/messages': 'send',
  'POST /v1/messages/batch': 'send',
  'POST /v1/messages/cancel': 'send',
  'GET /v1/messages/:id': 'read',
  'GET /v1/messages': 'read',
  'DELETE /v1/messages/:id': 'send',
  'PUT /v1/templates/:name': 'admin',
  'GET /v1/templates/:name': 'read',
  'GET /v1/templates/:name/versions': 'read',
  'GET /v1/templates': 'read',
  'DELETE /v1/templates/:name': 'admin',
  'POST /v1/templates/:name/preview': 'send',
  'POST /v1/preview': 'send',
  'GET /v1/banned-words': 'admin',
  'PUT /v1/banned-words': 'admin',
  'GET /v1/providers': 'read',
  'GET /v1/suppressions': 'read',
  'GET /v1/suppressions/:number': 'read',
  'PUT /v1/suppressions/:number': 'send',
  'DELETE /v1/suppressions/:number': 'admin',
  'POST /v1/webhooks': 'admin',
  'GET /v1/webhooks': 'admin',
  'GET /v1/webhooks/:id': 'admin',
  'DELETE /v1/webhooks/:id': 'admin',
  'GET /v1/webhooks/:id/deliveries': 'admin',
  'GET /v1/inbound': 'read',
  'POST /v1/sim/inbound': 'admin',
  'POST /v1/conversions': 'send',
  'GET /v1/analytics/summary': 'read',
  'GET /v1/analytics/breakdown': 'read',
  'GET /v1/experiments/:template': 'read',
  'POST /v1/reminders': 'send',
  'GET /v1/reminders/:reference': 'read',
  'PATCH /v1/reminders/:reference': 'send',
  'DELETE /v1/reminders/:reference': 'send',
  'POST /v1/campaigns': 'send',
  'PUT /v1/campaigns/:id/recipients': 'send',
  'POST /v1/campaigns/:id/start': 'send',
  'POST /v1/campaigns/:id/pause': 'send',
  'POST /v1/campaigns/:id/resume': 'send',
  'POST /v1/campaigns/:id/cancel': 'send',
  'GET /v1/campaigns': 'read',
  'GET /v1/campaigns/:id': 'read',
  'GET /v1/campaigns/:id/rejections': 'read',
  'POST /v1/twilio-compat/accounts': 'admin',
  'GET /v1/twilio-compat/accounts': 'admin',
  'DELETE /v1/twilio-compat/accounts/:sid': 'admin',
  'GET /l/:code': 'public: tracked-link redirect, followed by recipients from their phones',
  'POST /webhooks/:provider/status': 'public: trusts only the provider signature or callback token',
  'POST /webhooks/:provider/inbound': 'public: trusts only the provider signature or callback token',
  'POST /2010-04-01/Accounts/:AccountSid/Messages.json': 'public: Twilio-style Basic auth (its own test below)',
  'GET /2010-04-01/Accounts/:AccountSid/Messages.json': 'public: Twilio-style Basic auth (its own test below)',
  'GET /2010-04-01/Accounts/:AccountSid/Messages/:Sid.json': 'public: Twilio-style Basic auth (its own test below)',
  'GET /': 'public: the dashboard shell; its data comes from the API with a key',
  'GET /healthz': 'public: liveness probe',
  'GET /readyz': 'public: readiness probe',
  'GET /metrics': 'public: Prometheus scrape (no numbers or keys in labels)',
  'GET /openapi.json': 'public: the API description',
  'GET /docs': 'public: API docs',
  'GET /docs/static/index.html': 'public: API docs',
  'GET /docs/static/swagger-initializer.js': 'public: API docs',
  'GET /docs/json': 'public: API docs',
  'GET /docs/yaml': 'public: API docs',
  'GET /docs/static/*': 'public: API docs',
};

/** The built dashboard's files, one public GET route each (none when web/dist is not built). */
function dashboardFiles(): string[] {
  const root = findDashboard();
  if (root === null) return [];
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [`GET /${relative(root, join(dir, e.name)).split('\\').join('/')}`],
    );
  return walk(root);
}

const RANK: Record<ApiKeyRole, number> = { read: 0, send: 1, admin: 2 };
const ROLES: ApiKeyRole[] = ['read', 'send', 'admin'];

/** A concrete URL for a route pattern: every `:param` gets a harmless value. */
const concrete = (url: string): string => url.replace(/:[A-Za-z]+/g, 'x1').replace('*', 'x.js');

describe('API key scopes on every route', () => {
  let t: Tidings;
  const keys: Record<ApiKeyRole, string> = { read: '', send: '', admin: TEST_KEY };
  beforeAll(async () => {
    t = await startTidings();
    keys.read = (await createApiKey(t.rt.deps, 'reader', 'read')).key;
    keys.send = (await createApiKey(t.rt.deps, 'sender', 'send')).key;
    keys.admin = (await createApiKey(t.rt.deps, 'admin', 'admin')).key;
  });
  afterAll(async () => t.stop());

  it('every registered route is in the policy table, with the role the table gives', () => {
    const routes = registeredRoutes(t.server.app);
    expect(routes.length).toBeGreaterThan(40);
    const actual = Object.fromEntries(routes.map((r) => [`${r.method} ${r.url}`, r.role ?? 'public']));
    const expected = Object.fromEntries([
      ...Object.entries(POLICY).map(([route, p]) => [route, p.startsWith('public') ? 'public' : p]),
      // The dashboard's static files: public, like the shell at `/` (the data needs a key).
      ...dashboardFiles().map((route) => [route, 'public']),
    ]);
    expect(actual).toEqual(expected);
  });

  const guarded = Object.entries(POLICY).filter((e): e is [string, ApiKeyRole] => !e[1].startsWith('public'));

  for (const [route, need] of guarded) {
    const [method, pattern] = route.split(' ') as [string, string];
    it(`${route} needs a ${need} key`, async () => {
      const call = (authorization?: string) =>
        t.server.app.inject({
          method: method as 'GET',
          url: concrete(pattern),
          headers: { ...(authorization ? { authorization } : {}), 'content-type': 'application/json' },
          ...(method === 'GET' || method === 'DELETE' ? {} : { payload: '{}' }),
        });
      for (const auth of [undefined, 'Bearer nope', `Basic ${Buffer.from(`x:${TEST_KEY}`).toString('base64')}`]) {
        const res = await call(auth);
        expect(res.statusCode, `${auth}`).toBe(401);
        expect(res.json().error.code).toBe('unauthorized');
      }
      for (const role of ROLES) {
        const res = await call(`Bearer ${keys[role]}`);
        if (RANK[role] < RANK[need]) {
          expect(res.statusCode, role).toBe(403);
          expect(res.json().error.code).toBe('forbidden');
        } else {
          // Past auth: whatever the handler makes of a dummy request, it is not an auth refusal.
          expect([401, 403], `${role}: ${res.body}`).not.toContain(res.statusCode);
        }
      }
    });
  }

  it('the Twilio-compatible API refuses callers without its own account credentials', async () => {
    for (const pattern of Object.keys(POLICY).filter((r) => r.includes('/2010-04-01/'))) {
      const [method, url] = pattern.split(' ') as [string, string];
      for (const authorization of [undefined, `Bearer ${TEST_KEY}`, `Bearer ${keys.admin}`]) {
        const res = await t.server.app.inject({
          method: method as 'GET',
          url: concrete(url),
          headers: authorization ? { authorization } : {},
        });
        expect(res.statusCode, `${pattern} ${authorization}`).toBe(401);
      }
    }
  });
});
