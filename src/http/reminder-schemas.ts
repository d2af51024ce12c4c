/**
 * @module http/reminder-schemas
 * Request and response schemas of /v1/reminders, for validation and the OpenAPI document.
 */
import { Type } from '@sinclair/typebox';
import { PURPOSES } from '../core/message.js';

const OFFSETS = Type.Array(
  Type.String({ minLength: 2, maxLength: 12, description: 'Before the appointment: -30m, -2h, -24h, -1d, -7d.' }),
  {
    minItems: 1,
    maxItems: 10,
    description:
      '`m` and `h` are exact durations; `d` is the same local time N calendar days earlier in `timezone` (see docs/reminders.md).',
  },
);
const APPOINTMENT = Type.String({
  minLength: 16,
  maxLength: 40,
  description: 'RFC 3339 with an offset (2030-03-10T09:00:00-05:00), or a local time (2030-03-10T09:00) in `timezone`.',
});
const TIMEZONE = Type.String({ minLength: 1, maxLength: 64, description: "The appointment's IANA timezone." });

export const ReferenceParamsSchema = Type.Object({ reference: Type.String({ minLength: 1, maxLength: 200 }) });

export const CreateReminderSchema = Type.Object(
  {
    reference: Type.String({ minLength: 1, maxLength: 200, description: 'Your id for the appointment (booking id).' }),
    appointmentAt: APPOINTMENT,
    timezone: TIMEZONE,
    to: Type.String({ minLength: 1, maxLength: 320, description: 'The recipient, as for POST /v1/messages.' }),
    template: Type.String({ minLength: 1, maxLength: 200 }),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    locale: Type.Optional(Type.String({ maxLength: 35 })),
    offsets: OFFSETS,
    purpose: Type.Optional(Type.Union(PURPOSES.map((p) => Type.Literal(p)))),
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    channel: Type.Optional(Type.Union([Type.Literal('sms'), Type.Literal('voice'), Type.Literal('email')])),
    metadata: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 48 })),
  },
  { additionalProperties: false },
);

export const RescheduleReminderSchema = Type.Object(
  {
    appointmentAt: Type.Optional(APPOINTMENT),
    timezone: Type.Optional(TIMEZONE),
    offsets: Type.Optional(OFFSETS),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ReminderSchema = Type.Object({
  reference: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('canceled')]),
  appointmentAt: Type.String({ format: 'date-time' }),
  localTime: Type.String({ description: 'The appointment as the clocks in `timezone` read it.' }),
  timezone: Type.String(),
  to: Type.String(),
  template: Type.String(),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  locale: Type.Optional(Type.String()),
  purpose: Type.Optional(Type.String()),
  channel: Type.Optional(Type.String()),
  from: Type.Optional(Type.String()),
  metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  offsets: Type.Array(Type.String()),
  reply: Type.Union([Type.Literal('confirmed'), Type.Literal('canceled'), Type.Null()], {
    description: "The recipient's answer, from the template's reply intents `confirm` and `cancel`.",
  }),
  repliedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  messages: Type.Array(
    Type.Object({
      offset: Type.String(),
      id: Type.Union([Type.String(), Type.Null()], { description: 'Null when the offset was already past.' }),
      sendAt: Type.String({ format: 'date-time' }),
      status: Type.String({ description: "The message's status, or `skipped` for an offset already past." }),
    }),
  ),
});
