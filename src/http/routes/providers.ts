/**
 * @module http/routes/providers
 * GET /v1/providers: what is configured (secrets masked), each provider's circuit state, recent
 * error rate and latency, and the routing table, so an operator can see where traffic goes.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app/deps.js';
import { ErrorSchema } from '../schemas.js';

const Nullable = (t: ReturnType<typeof Type.Number>) => Type.Union([t, Type.Null()]);

const ProviderSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  channel: Type.String(),
  config: Type.String({ description: 'The provider URL with secrets masked.' }),
  state: Type.String({ description: 'closed, half_open (probing), open or isolated (credentials refused)' }),
  errorRate: Type.Number(),
  latencyP50Ms: Nullable(Type.Number()),
  latencyP95Ms: Nullable(Type.Number()),
  recentSends: Type.Integer(),
});

const RoutingSchema = Type.Object({
  routes: Type.Array(
    Type.Object({
      channel: Type.Union([Type.String(), Type.Null()]),
      countries: Type.Union([Type.Array(Type.String()), Type.Null()]),
      providers: Type.Array(Type.Object({ id: Type.String(), weight: Nullable(Type.Number()) })),
    }),
  ),
  senders: Type.Record(Type.String(), Type.Integer({ description: 'numbers in the pool' })),
});

export async function providerRoutes(app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts;
  app.get(
    '/v1/providers',
    {
      config: { role: 'read' },
      schema: {
        tags: ['providers'],
        summary: 'Configured providers, their health, and the routing table',
        response: {
          200: Type.Object({ data: Type.Array(ProviderSchema), routing: RoutingSchema }),
          401: ErrorSchema,
          403: ErrorSchema,
        },
      },
    },
    async () => {
      const health = new Map(deps.health.views().map((h) => [h.provider, h]));
      return {
        data: deps.providers.map((p) => {
          const h = health.get(p.id);
          return {
            id: p.id,
            kind: p.kind,
            channel: p.channel,
            config: p.describe(),
            state: h?.state ?? 'closed',
            errorRate: h?.errorRate ?? 0,
            latencyP50Ms: h?.latencyP50Ms ?? null,
            latencyP95Ms: h?.latencyP95Ms ?? null,
            recentSends: h?.sends ?? 0,
          };
        }),
        routing: {
          routes: deps.routing.rules.map((r) => ({
            channel: r.channel,
            countries: r.countries ? [...r.countries] : null,
            providers: r.providers.map((e) => ({ id: e.provider, weight: e.weight })),
          })),
          // Sender numbers are the operator's, but counts are all a reader needs.
          senders: Object.fromEntries(Object.entries(deps.routing.senders).map(([id, pool]) => [id, pool.length])),
        },
      };
    },
  );
}
