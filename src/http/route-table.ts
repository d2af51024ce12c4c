/**
 * @module http/route-table
 * Every route the app registered, with the least role it needs. Kept so a test can hold the whole
 * list against its table of who may call what: a route added without a thought for its role (or
 * with none, which makes it public) fails that test instead of shipping unguarded.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiKeyRole } from '../ports/api-keys.js';

export interface RouteEntry {
  method: string;
  url: string;
  /** The least API-key role; undefined for public routes (health, webhooks, dashboard, compat API). */
  role: ApiKeyRole | undefined;
}

const tables = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Call before any route is registered: onRoute hooks see only routes added after them. */
export function recordRoutes(app: FastifyInstance): void {
  const entries: RouteEntry[] = [];
  tables.set(app, entries);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const role = (route.config as { role?: ApiKeyRole } | undefined)?.role;
    // Fastify adds HEAD for every GET itself; it runs the GET's hooks, so the GET's row covers it.
    for (const method of methods) if (method !== 'HEAD') entries.push({ method, url: route.url, role });
  });
}

export function registeredRoutes(app: FastifyInstance): readonly RouteEntry[] {
  return tables.get(app) ?? [];
}
