/**
 * @module http/routes/suppressions
 * /v1/suppressions: the numbers Tidings will not text. Applications may add numbers (opt-outs they
 * collected elsewhere) with a send key; taking a number off the list needs an admin key.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app/deps.js';
import { deleteSuppression, getSuppression, listSuppressions, putSuppression } from '../../app/manage-suppressions.js';
import { SUPPRESSION_REASONS, type SuppressionReason } from '../../ports/suppression-store.js';
import { ErrorSchema } from '../schemas.js';

const Reason = Type.Union(SUPPRESSION_REASONS.map((r) => Type.Literal(r)));
const SuppressionSchema = Type.Object({
  number: Type.String(),
  reason: Type.String(),
  source: Type.String(),
  sourceMessageId: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
const NumberParams = Type.Object({ number: Type.String({ minLength: 1, maxLength: 64 }) });
const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 422: ErrorSchema };
const tags = ['suppressions'];

export async function suppressionRoutes(app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts;

  app.get(
    '/v1/suppressions',
    {
      config: { role: 'read' },
      schema: {
        tags,
        summary: 'List suppressed numbers, in number order',
        querystring: Type.Object(
          {
            reason: Type.Optional(Reason),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            data: Type.Array(SuppressionSchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errors,
        },
      },
    },
    async (req) => listSuppressions(deps, req.query as { cursor?: string; reason?: SuppressionReason; limit?: number }),
  );

  app.get(
    '/v1/suppressions/:number',
    {
      config: { role: 'read' },
      schema: {
        tags,
        summary: 'Is this number suppressed, and why',
        params: NumberParams,
        response: { 200: SuppressionSchema, ...errors },
      },
    },
    async (req) => getSuppression(deps, (req.params as { number: string }).number),
  );

  app.put(
    '/v1/suppressions/:number',
    {
      config: { role: 'send' },
      schema: {
        tags,
        summary: 'Suppress a number',
        params: NumberParams,
        body: Type.Object(
          { reason: Type.Optional(Reason), note: Type.Optional(Type.String({ maxLength: 500 })) },
          { additionalProperties: false },
        ),
        response: { 200: SuppressionSchema, ...errors },
      },
    },
    async (req) =>
      putSuppression(
        deps,
        (req.params as { number: string }).number,
        (req.body ?? {}) as { reason?: SuppressionReason; note?: string },
      ),
  );

  app.delete(
    '/v1/suppressions/:number',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        summary: 'Take a number off the list',
        params: NumberParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, res) => {
      await deleteSuppression(deps, (req.params as { number: string }).number);
      return res.status(204).send();
    },
  );
}
