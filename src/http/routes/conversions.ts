/**
 * @module http/routes/conversions
 * POST /v1/conversions: the application reports that a message worked (send keys). GET /l/{code}:
 * a recipient opens a tracked short link (public): the click is counted and they are redirected.
 * An unknown or malformed code gets the operator's fallback (a redirect) or a minimal neutral page,
 * the same for every failure, so the page tells a visitor nothing about codes, messages or us.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { AppDeps } from '../../app/deps.js';
import { followLink } from '../../app/follow-link.js';
import { recordConversion } from '../../app/record-conversion.js';
import { errorResponses } from '../schemas.js';

const ConversionBody = Type.Object(
  {
    id: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Your id for this conversion: a repeat is a no-op' }),
    ),
    messageId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The newest message with it' })),
    event: Type.String({ minLength: 1, maxLength: 100, description: 'What happened: booked, paid, confirmed…' }),
    value: Type.Optional(Type.Number({ minimum: -1e12, maximum: 1e12 })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Za-z]{3}$' })),
    at: Type.Optional(Type.String({ maxLength: 40, description: 'RFC 3339; default now' })),
  },
  { additionalProperties: false },
);
const ConversionSchema = Type.Object({
  id: Type.String(),
  messageId: Type.String(),
  event: Type.String(),
  value: Type.Union([Type.Number(), Type.Null()]),
  currency: Type.Union([Type.String(), Type.Null()]),
  at: Type.String(),
});
const errors = errorResponses(400, 401, 403, 404, 409, 422);

/** Says nothing but that the link does not lead anywhere; no script, nothing fetched. */
export const NEUTRAL_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Link unavailable</title></head>' +
  '<body style="font-family: system-ui, sans-serif; margin: 3rem auto; max-width: 30rem; text-align: center">' +
  '<p>This link is not available.</p></body></html>';

export async function conversionRoutes(app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts;

  app.post(
    '/v1/conversions',
    {
      config: { role: 'send' },
      schema: {
        tags: ['analytics'],
        summary: 'Report a conversion for a message (by id or reference)',
        body: ConversionBody,
        response: { 200: ConversionSchema, 201: ConversionSchema, ...errors },
      },
    },
    async (req, res) => {
      const result = await recordConversion(deps, req.body as Static<typeof ConversionBody>);
      if (result.replayed) void res.header('idempotent-replayed', 'true');
      return res.status(result.statusCode).send(result.body);
    },
  );

  app.get('/l/:code', { schema: { hide: true } }, async (req, res) => {
    const answer = await followLink(deps, (req.params as { code: string }).code);
    void res.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    if (answer.kind === 'redirect') return res.redirect(answer.location, 302);
    if (deps.settings.linkFallbackUrl) return res.redirect(deps.settings.linkFallbackUrl, 302);
    return res.status(404).type('text/html; charset=utf-8').send(NEUTRAL_PAGE);
  });
}
