/**
 * @module http/routes/inbound
 * /v1/inbound: replies from recipients. /v1/sim/inbound: the simulated phone texts back, so the
 * two-way flow can be tried and tested with no carrier at all.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app/deps.js';
import { listInbound, simulateReply } from '../../app/query-inbound.js';
import { normalizeRecipient } from '../../content/phone.js';
import { ErrorSchema } from '../schemas.js';

const Nullable = Type.Union([Type.String(), Type.Null()]);
const InboundSchema = Type.Object({
  id: Type.String(),
  provider: Type.String(),
  from: Type.String(),
  to: Nullable,
  body: Type.String(),
  receivedAt: Type.String(),
  inReplyTo: Nullable,
  reference: Nullable,
  keyword: Nullable,
  intent: Nullable,
  sentiment: Nullable,
  autoReply: Nullable,
});
const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 422: ErrorSchema };

export async function inboundRoutes(app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts;
  const e164 = (n: string) =>
    normalizeRecipient(n, {
      defaultRegion: deps.settings.defaultRegion as Parameters<typeof normalizeRecipient>[1]['defaultRegion'],
      channel: 'voice',
    }).e164;

  app.get(
    '/v1/inbound',
    {
      config: { role: 'read' },
      schema: {
        tags: ['inbound'],
        summary: 'Replies from recipients, newest first',
        querystring: Type.Object(
          {
            from: Type.Optional(Type.String({ maxLength: 64 })),
            messageId: Type.Optional(Type.String({ maxLength: 40, description: 'Replies to this message' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ data: Type.Array(InboundSchema), nextCursor: Nullable }), ...errors },
      },
    },
    async (req) => {
      const q = req.query as { from?: string; messageId?: string; limit?: number; cursor?: string };
      return listInbound(deps, { ...q, ...(q.from !== undefined ? { from: e164(q.from) } : {}) });
    },
  );

  app.post(
    '/v1/sim/inbound',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['inbound'],
        summary: 'The simulated phone texts back (only with a sim:// provider)',
        body: Type.Object(
          { from: Type.String({ minLength: 1, maxLength: 64 }), text: Type.String({ maxLength: 1600 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ reply: Nullable, inbound: InboundSchema }), ...errors },
      },
    },
    async (req) => {
      const body = req.body as { from: string; text: string };
      return simulateReply(deps, { from: e164(body.from), text: body.text });
    },
  );
}
