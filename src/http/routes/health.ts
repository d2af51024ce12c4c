/**
 * @module http/routes/health
 * Liveness (the process answers), readiness (it can do its job: database and worker up), and the
 * Prometheus scrape endpoint.
 */
import type { FastifyInstance } from 'fastify';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface HealthRouteOptions {
  checks: readonly ReadinessCheck[];
  metrics: { contentType: string; render(): Promise<string> };
}

export async function healthRoutes(app: FastifyInstance, opts: HealthRouteOptions): Promise<void> {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'Liveness' } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    { schema: { tags: ['operations'], summary: 'Readiness: database and workers' } },
    async (_req, res) => {
      const results = await Promise.all(
        opts.checks.map(async (c) => {
          try {
            await c.check();
            return [c.name, 'ok'] as const;
          } catch {
            return [c.name, 'failing'] as const;
          }
        }),
      );
      const ready = results.every(([, state]) => state === 'ok');
      return res
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results) });
    },
  );

  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics' } }, async (_req, res) =>
    res.type(opts.metrics.contentType).send(await opts.metrics.render()),
  );
}
