/**
 * @module http/routes/twilio-compat/accounts
 * /v1/twilio-compat/accounts: the Account SID and Auth Token pairs the Twilio-compatible API takes.
 * Admin keys only. The token is in the creation answer and never in any other answer (it is kept,
 * to sign status callbacks, but no route gives it out again).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { createTwilioCompatAccount } from '../../../app/twilio-compat/credentials.js';
import type { TwilioCompatDeps } from '../../../app/twilio-compat/deps.js';
import { TidingsError } from '../../../core/errors.js';
import type { TwilioCompatAccount } from '../../../ports/twilio-compat.js';
import { ErrorSchema } from '../../schemas.js';

const AccountSchema = Type.Object({
  accountSid: Type.String({ description: 'AC + 32 hex: the username, and the {AccountSid} of the paths' }),
  name: Type.String(),
  role: Type.Union([Type.Literal('send'), Type.Literal('read')]),
  createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
const CreatedSchema = Type.Composite([
  AccountSchema,
  Type.Object({ authToken: Type.String({ description: 'The password. Shown only in this answer: store it now.' }) }),
]);
const SidParams = Type.Object({ sid: Type.String({ pattern: '^AC[0-9a-fA-F]{32}$' }) });
const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };
const tags = ['twilio-compat'];

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function view(a: TwilioCompatAccount) {
  return {
    accountSid: a.sid,
    name: a.name,
    role: a.role,
    createdAt: new Date(a.createdAt).toISOString(),
    revokedAt: iso(a.revokedAt),
  };
}

export async function twilioCompatAccountRoutes(app: FastifyInstance, opts: { deps: TwilioCompatDeps }): Promise<void> {
  const { deps } = opts;
  const clock = deps.app.clock;

  app.post(
    '/v1/twilio-compat/accounts',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        summary: 'Issue an Account SID and Auth Token for the Twilio-compatible API; the token is shown once',
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            role: Type.Optional(Type.Union([Type.Literal('send'), Type.Literal('read')], { default: 'send' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: CreatedSchema, ...errors },
      },
    },
    async (req, reply) => {
      const body = req.body as { name?: string; role?: 'send' | 'read' };
      const issued = await createTwilioCompatAccount(
        { accounts: deps.accounts, clock },
        body.name ?? 'unnamed',
        body.role ?? 'send',
      );
      return reply.status(201).send({ ...view(issued.account), authToken: issued.authToken });
    },
  );

  app.get(
    '/v1/twilio-compat/accounts',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        summary: 'The issued accounts (never their tokens)',
        response: { 200: Type.Object({ data: Type.Array(AccountSchema) }), ...errors },
      },
    },
    async () => ({ data: (await deps.accounts.list()).map(view) }),
  );

  app.delete(
    '/v1/twilio-compat/accounts/:sid',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        summary: 'Revoke an account: its credentials stop working within 5 seconds',
        params: SidParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      const { sid } = req.params as { sid: string };
      if (!(await deps.accounts.revoke(sid, clock.now())))
        throw new TidingsError('not_found', `No active account ${sid}.`);
      deps.verifier.forget();
      return reply.status(204).send();
    },
  );
}
