/**
 * @module http/routes/reminders
 * /v1/reminders: appointment reminders by reference: create, read, reschedule, cancel.
 */
import type { FastifyInstance } from 'fastify';
import { cancelReminder } from '../../app/cancel-reminder.js';
import { createReminder, type CreateReminderRequest } from '../../app/create-reminder.js';
import type { AppDeps } from '../../app/deps.js';
import { getReminder } from '../../app/reminder-view.js';
import { rescheduleReminder, type RescheduleRequest } from '../../app/reschedule-reminder.js';
import {
  CreateReminderSchema,
  ReferenceParamsSchema,
  ReminderSchema,
  RescheduleReminderSchema,
} from '../reminder-schemas.js';
import { errorResponses } from '../schemas.js';

const errors = errorResponses(400, 401, 403, 404, 409, 422, 429);

const referenceOf = (params: unknown) => (params as { reference: string }).reference;

export async function reminderRoutes(app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts;

  app.post(
    '/v1/reminders',
    {
      config: { role: 'send' },
      schema: {
        tags: ['reminders'],
        summary: 'Schedule reminders before an appointment; the same request again is answered with 200',
        body: CreateReminderSchema,
        response: { 200: ReminderSchema, 201: ReminderSchema, ...errors },
      },
    },
    async (req, res) => {
      const caller = { apiKeyId: req.principal?.keyId ?? 'anonymous' };
      const result = await createReminder(deps, req.body as CreateReminderRequest, caller);
      return res.status(result.statusCode).send(result.body);
    },
  );

  app.get(
    '/v1/reminders/:reference',
    {
      config: { role: 'read' },
      schema: {
        tags: ['reminders'],
        summary: 'A reminder, its messages and the reply',
        params: ReferenceParamsSchema,
        response: { 200: ReminderSchema, ...errors },
      },
    },
    async (req) => getReminder(deps, referenceOf(req.params)),
  );

  app.patch(
    '/v1/reminders/:reference',
    {
      config: { role: 'send' },
      schema: {
        tags: ['reminders'],
        summary: 'Move the appointment (time, timezone) or change the offsets; pending messages move',
        params: ReferenceParamsSchema,
        body: RescheduleReminderSchema,
        response: { 200: ReminderSchema, ...errors },
      },
    },
    async (req) => rescheduleReminder(deps, referenceOf(req.params), req.body as RescheduleRequest),
  );

  app.delete(
    '/v1/reminders/:reference',
    {
      config: { role: 'send' },
      schema: {
        tags: ['reminders'],
        summary: 'Cancel the reminder and every message of it not yet sent',
        params: ReferenceParamsSchema,
        response: { 200: ReminderSchema, ...errors },
      },
    },
    async (req) => cancelReminder(deps, referenceOf(req.params)),
  );
}
