/**
 * @module http/schemas
 * The request and response shapes of the v1 API, as JSON Schema (TypeBox). They validate requests
 * and generate /openapi.json, so the documentation cannot drift from what the server accepts.
 */
import { Type, type Static } from '@sinclair/typebox';
import { CHANNELS, PURPOSES } from '../core/message.js';

const STATUSES = ['queued', 'scheduled', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'canceled'] as const;

export const SendRequestSchema = Type.Object(
  {
    to: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 320,
        description:
          'Recipient: a phone number (E.164, or national format with TIDINGS_DEFAULT_REGION) for sms and voice; an e-mail address for email. Push messages take recipient.push instead.',
      }),
    ),
    body: Type.Optional(Type.String({ maxLength: 10_000, description: 'The text. Up to 1,600 characters.' })),
    template: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    locale: Type.Optional(Type.String({ maxLength: 35 })),
    channel: Type.Optional(Type.Union(CHANNELS.map((c) => Type.Literal(c)))),
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    sendAt: Type.Optional(
      Type.String({ description: 'RFC 3339 time with offset; later than now schedules the message.' }),
    ),
    reference: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Your id (booking, order) for lookups and bulk cancel.',
      }),
    ),
    purpose: Type.Optional(Type.Union(PURPOSES.map((p) => Type.Literal(p)))),
    metadata: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 50 })),
    recipient: Type.Optional(
      Type.Object(
        {
          timezone: Type.Optional(
            Type.String({ maxLength: 64, description: 'IANA timezone for template dates, e.g. Asia/Shanghai.' }),
          ),
          email: Type.Optional(
            Type.String({ minLength: 3, maxLength: 320, description: 'For the email channel or fallback.' }),
          ),
          push: Type.Optional(
            Type.Object(
              {
                endpoint: Type.String({ minLength: 1, maxLength: 2048, pattern: '^https://' }),
                keys: Type.Object(
                  {
                    p256dh: Type.String({ minLength: 1, maxLength: 200 }),
                    auth: Type.String({ minLength: 1, maxLength: 100 }),
                  },
                  { additionalProperties: false },
                ),
              },
              {
                additionalProperties: false,
                description: 'A Web Push subscription, as PushManager.subscribe() gives it.',
              },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    fallback: Type.Optional(
      Type.Array(Type.Union(CHANNELS.map((c) => Type.Literal(c))), {
        maxItems: 3,
        description:
          'Channels to try next, in order, if this one fails or is not delivered in time, e.g. ["voice","email"].',
      }),
    ),
    smartEncoding: Type.Optional(
      Type.Boolean({
        description: 'Swap look-alike characters (curly quotes, dashes, …) for GSM-7 ones when that saves segments.',
      }),
    ),
    urgent: Type.Optional(
      Type.Boolean({ description: "Never held for the recipient's quiet hours (one-time codes never are)." }),
    ),
    trackLinks: Type.Optional(
      Type.Boolean({
        description:
          'Rewrite URLs in the body to tracked short links (needs TIDINGS_LINK_DOMAIN); default: the template says.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SendRequestBody = Static<typeof SendRequestSchema>;

export const BatchRequestSchema = Type.Object(
  { messages: Type.Array(SendRequestSchema, { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);

export const ErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String()),
    limit: Type.Optional(
      Type.String({ description: 'Which limit refused it, e.g. recipient.otp.1h, api.requests (docs/limits.md).' }),
    ),
  }),
});

/** The error responses a route documents, all in the one error shape: `errorResponses(400, 401, 403)`. */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof ErrorSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorSchema])) as Record<S, typeof ErrorSchema>;
}

export const MessageSchema = Type.Object({
  id: Type.String(),
  status: Type.Union(STATUSES.map((s) => Type.Literal(s))),
  channel: Type.String(),
  purpose: Type.String(),
  to: Type.String(),
  from: Type.Union([Type.String(), Type.Null()]),
  body: Type.String(),
  encoding: Type.String(),
  segments: Type.Integer(),
  sendAt: Type.Union([Type.String(), Type.Null()]),
  reference: Type.Union([Type.String(), Type.Null()]),
  metadata: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  provider: Type.Union([Type.String(), Type.Null()]),
  providerMessageId: Type.Union([Type.String(), Type.Null()]),
  attempts: Type.Integer(),
  template: Type.Union([
    Type.Object({
      name: Type.String(),
      version: Type.Integer(),
      variant: Type.Union([Type.String(), Type.Null()]),
      locale: Type.String(),
    }),
    Type.Null(),
  ]),
  cost: Type.Union([Type.Object({ amount: Type.Number(), currency: Type.String() }), Type.Null()]),
  price: Type.Union([Type.Object({ amount: Type.Number(), currency: Type.String() }), Type.Null()]),
  segmentsSaved: Type.Optional(
    Type.Integer({ description: 'In the answer to a send with smart encoding: the segments it saved.' }),
  ),
  error: Type.Union([
    Type.Object({ code: Type.String(), message: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const EventSchema = Type.Object({
  type: Type.String(),
  status: Type.Union([Type.String(), Type.Null()]),
  at: Type.String(),
  provider: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});

export const MessageWithEventsSchema = Type.Composite([
  MessageSchema,
  Type.Object({ events: Type.Array(EventSchema) }),
]);

export const ListQuerySchema = Type.Object(
  {
    status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
    to: Type.Optional(Type.String({ maxLength: 64 })),
    reference: Type.Optional(Type.String({ maxLength: 200 })),
    since: Type.Optional(Type.String({ description: 'ISO 8601 time: messages created at or after it.' })),
    until: Type.Optional(Type.String({ description: 'ISO 8601 time: messages created before it.' })),
    template: Type.Optional(Type.String({ maxLength: 100, description: 'Messages rendered from this template.' })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);
export type ListQueryParams = Static<typeof ListQuerySchema>;

export const IdParamsSchema = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const IdempotencyHeaderSchema = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
});
