/**
 * @module http/routes/webhook-endpoints
 * /v1/webhooks: the application's own endpoints for events, and each one's delivery log. Admin
 * keys only: an endpoint receives every message's events, and its creation answer holds the
 * signing secret, shown this once.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import type { AppDeps } from '../../app/deps.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
} from '../../app/manage-webhooks.js';
import { APP_EVENT_TYPES } from '../../ports/app-events.js';
import { ErrorSchema } from '../schemas.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

const EndpointSchema = Type.Object({
  id: Type.String(),
  url: Type.String(),
  description: Nullable(Type.String()),
  eventTypes: Nullable(Type.Array(Type.String())),
  createdAt: Type.String(),
});
const CreatedSchema = Type.Composite([
  EndpointSchema,
  Type.Object({
    secret: Type.String({
      description: 'The signing secret (whsec_…). Shown only in this answer: store it now.',
    }),
  }),
]);
const DeliverySchema = Type.Object({
  id: Type.String({ description: 'Also the webhook-id header: the same on every attempt.' }),
  eventType: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  nextAttemptAt: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const Paging = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 422: ErrorSchema };
const tags = ['webhooks'];

export async function webhookEndpointRoutes(app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts;

  app.post(
    '/v1/webhooks',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        summary: 'Register an endpoint for events; the answer holds its signing secret, shown once',
        body: Type.Object(
          {
            url: Type.String({
              minLength: 1,
              maxLength: 2048,
              description: 'https:// (plain http only to localhost, or with TIDINGS_ALLOW_HTTP_WEBHOOKS=1).',
            }),
            eventTypes: Type.Optional(
              Type.Array(Type.String({ maxLength: 64 }), {
                minItems: 1,
                maxItems: 50,
                description: `Types to receive (default: all, including types added later): ${APP_EVENT_TYPES.join(', ')}.`,
              }),
            ),
            description: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: CreatedSchema, ...errors },
      },
    },
    async (req, res) => {
      const created = await createWebhook(
        deps,
        req.body as { url: string; eventTypes?: string[]; description?: string },
      );
      return res.status(201).send(created);
    },
  );

  app.get(
    '/v1/webhooks',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        summary: 'List endpoints, oldest first (secrets are never shown again)',
        querystring: Paging,
        response: {
          200: Type.Object({ data: Type.Array(EndpointSchema), nextCursor: Nullable(Type.String()) }),
          ...errors,
        },
      },
    },
    async (req) => listWebhooks(deps, req.query as { cursor?: string; limit?: number }),
  );

  app.get(
    '/v1/webhooks/:id',
    {
      config: { role: 'admin' },
      schema: { tags, summary: 'One endpoint', params: IdParams, response: { 200: EndpointSchema, ...errors } },
    },
    async (req) => getWebhook(deps, (req.params as { id: string }).id),
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        summary: 'Remove an endpoint; its pending deliveries are dropped with its log',
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, res) => {
      await deleteWebhook(deps, (req.params as { id: string }).id);
      return res.status(204).send();
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        summary: "An endpoint's delivery log, newest first",
        params: IdParams,
        querystring: Paging,
        response: {
          200: Type.Object({ data: Type.Array(DeliverySchema), nextCursor: Nullable(Type.String()) }),
          ...errors,
        },
      },
    },
    async (req) =>
      listWebhookDeliveries(deps, (req.params as { id: string }).id, req.query as { cursor?: string; limit?: number }),
  );
}
