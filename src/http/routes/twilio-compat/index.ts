/**
 * @module http/routes/twilio-compat
 * Twilio's Messages API, as served by Tidings: `POST` and `GET /2010-04-01/Accounts/{AccountSid}/
 * Messages.json` and `GET …/Messages/{Sid}.json`, form-encoded in, Twilio's JSON out, Twilio's error
 * shape on every failure (this plugin's own error and not-found handlers), HTTP Basic with the
 * credentials `tidings keys create --twilio-compat` issues. Kept out of /openapi.json: Twilio's own
 * OpenAPI description is the contract here.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createMessage } from '../../../app/twilio-compat/create-message.js';
import type { TwilioCompatDeps } from '../../../app/twilio-compat/deps.js';
import { fetchMessage, listMessages } from '../../../app/twilio-compat/read-messages.js';
import { fromTidingsError, twilioErrors, TwilioApiError } from '../../../app/twilio-compat/twilio-errors.js';
import type { TwilioParams } from '../../../core/twilio-signing.js';
import { toTidingsError } from '../../errors.js';
import { registerRateLimit } from '../../rate-limit.js';
import type { TwilioCompatAccount } from '../../../ports/twilio-compat.js';
import { authenticate } from './basic-auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The compat account of an authenticated Twilio-style request. */
    twilioAccount: TwilioCompatAccount | null;
  }
}

function account(req: FastifyRequest): TwilioCompatAccount {
  if (!req.twilioAccount) throw twilioErrors.authenticate();
  return req.twilioAccount;
}

/** Form fields, a repeated name keeping all its values (`MediaUrl=a&MediaUrl=b`). */
function formFields(body: unknown): TwilioParams {
  // No prototype, so `constructor=…` or `__proto__=…` are fields, not Object's members.
  const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  if (typeof body !== 'string') return fields;
  for (const [k, v] of new URLSearchParams(body)) {
    const had = fields[k];
    fields[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return fields;
}

function sendError(err: TwilioApiError, reply: FastifyReply): void {
  if (err.retryAfterMs !== undefined) void reply.header('retry-after', String(Math.ceil(err.retryAfterMs / 1000)));
  void reply.status(err.status).send(err.body());
}

function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof TwilioApiError) return sendError(err, reply);
  const mapped = toTidingsError(err);
  if (mapped.code === 'internal_error') req.log.error({ err }, 'unhandled error');
  sendError(fromTidingsError(mapped, { path: req.url.split('?')[0] ?? '' }), reply);
}

export async function twilioCompatRoutes(app: FastifyInstance, opts: { deps: TwilioCompatDeps }): Promise<void> {
  const { deps } = opts;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => sendError(twilioErrors.notFound(req.url.split('?')[0] ?? ''), reply));

  app.decorateRequest('twilioAccount', null);
  // Before the body is read: a caller without valid credentials learns nothing else (Twilio's order).
  app.addHook('onRequest', async (req) => {
    if (req.is404) return;
    const account = await authenticate(req, deps.verifier);
    req.twilioAccount = account;
    // The account is the caller, for TIDINGS_API_REQUEST_LIMIT as an API key is.
    req.principal = { keyId: account.sid, role: account.role };
  });
  registerRateLimit(app, deps.app.protection);

  const route = { schema: { hide: true } };

  app.post('/Accounts/:AccountSid/Messages.json', route, async (req, reply) => {
    const caller = account(req);
    if (caller.role !== 'send') throw twilioErrors.permissionDenied();
    const message = await createMessage(deps, caller, formFields(req.body));
    return reply.status(201).send(message);
  });

  app.get('/Accounts/:AccountSid/Messages.json', route, async (req) => {
    return listMessages(deps, account(req), req.query as TwilioParams);
  });

  app.get('/Accounts/:AccountSid/Messages/:Sid.json', route, async (req) => {
    return fetchMessage(deps, account(req), (req.params as { Sid: string }).Sid);
  });
}
