/**
 * @module http/routes/messages
 * /v1/messages: send one or a batch, read, list, cancel.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { acceptBatch, acceptMessage, type AcceptResult, type SendRequest } from '../../app/accept-message.js';
import { cancelByReference, cancelMessage } from '../../app/cancel-message.js';
import type { AppDeps } from '../../app/deps.js';
import { idempotencyContext } from '../../app/idempotency.js';
import { getMessage, listMessages } from '../../app/query-messages.js';
import {
  BatchRequestSchema,
  errorResponses,
  IdParamsSchema,
  IdempotencyHeaderSchema,
  ListQuerySchema,
  MessageSchema,
  MessageWithEventsSchema,
  SendRequestSchema,
  type ListQueryParams,
} from '../schemas.js';

export interface MessageRouteOptions {
  deps: AppDeps;
  /** Byte limit of a batch request (1,000 messages of up to 1,600 characters each). */
  batchBodyLimit: number;
  singleBodyLimit: number;
}

function idempotency(req: FastifyRequest, route: string) {
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0 || !req.principal) return null;
  return idempotencyContext(req.principal.keyId, key, route, req.body);
}

function reply<T>(res: FastifyReply, result: AcceptResult<T>) {
  if (result.replayed) void res.header('idempotent-replayed', 'true');
  return res.status(result.statusCode).send(result.body);
}

const errors = errorResponses(400, 401, 403, 404, 409, 413, 422, 429);

export async function messageRoutes(app: FastifyInstance, opts: MessageRouteOptions): Promise<void> {
  const { deps } = opts;

  app.post(
    '/v1/messages',
    {
      config: { role: 'send' },
      bodyLimit: opts.singleBodyLimit,
      schema: {
        tags: ['messages'],
        summary: 'Send a message',
        headers: IdempotencyHeaderSchema,
        body: SendRequestSchema,
        response: { 202: MessageSchema, ...errors },
      },
    },
    async (req, res) => {
      const caller = { apiKeyId: req.principal?.keyId ?? 'anonymous' };
      return reply(
        res,
        await acceptMessage(deps, req.body as SendRequest, caller, idempotency(req, 'POST /v1/messages')),
      );
    },
  );

  app.post(
    '/v1/messages/batch',
    {
      config: { role: 'send' },
      bodyLimit: opts.batchBodyLimit,
      schema: {
        tags: ['messages'],
        summary: 'Send up to 1,000 messages; each gets its own result',
        headers: IdempotencyHeaderSchema,
        body: BatchRequestSchema,
        response: { ...errors },
      },
    },
    async (req, res) => {
      const caller = { apiKeyId: req.principal?.keyId ?? 'anonymous' };
      const { messages } = req.body as { messages: SendRequest[] };
      return reply(res, await acceptBatch(deps, messages, caller, idempotency(req, 'POST /v1/messages/batch')));
    },
  );

  app.post(
    '/v1/messages/cancel',
    {
      config: { role: 'send' },
      schema: {
        tags: ['messages'],
        summary: 'Cancel every queued or scheduled message with a reference',
        body: Type.Object(
          { reference: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ canceled: Type.Integer(), ids: Type.Array(Type.String()) }), ...errors },
      },
    },
    async (req) => cancelByReference(deps, (req.body as { reference: string }).reference),
  );

  app.get(
    '/v1/messages/:id',
    {
      config: { role: 'read' },
      schema: {
        tags: ['messages'],
        summary: 'A message and its events',
        params: IdParamsSchema,
        response: { 200: MessageWithEventsSchema, ...errors },
      },
    },
    async (req) => getMessage(deps, (req.params as { id: string }).id),
  );

  app.get(
    '/v1/messages',
    {
      config: { role: 'read' },
      schema: {
        tags: ['messages'],
        summary: 'List messages, newest first, with filters and cursor paging',
        querystring: ListQuerySchema,
        response: {
          200: Type.Object({ data: Type.Array(MessageSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errors,
        },
      },
    },
    async (req) => listMessages(deps, req.query as ListQueryParams),
  );

  app.delete(
    '/v1/messages/:id',
    {
      config: { role: 'send' },
      schema: {
        tags: ['messages'],
        summary: 'Cancel a queued or scheduled message',
        params: IdParamsSchema,
        response: { 200: MessageWithEventsSchema, ...errors },
      },
    },
    async (req) => cancelMessage(deps, (req.params as { id: string }).id),
  );
}
