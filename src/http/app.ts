/**
 * @module http/app
 * buildApp(deps) assembles the HTTP API and never listens, so tests drive it with `inject()` or on
 * an ephemeral port, and the composition root decides where it serves.
 */
import fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { ApiKeyVerifier } from '../app/api-keys.js';
import type { AppDeps } from '../app/deps.js';
import { registerAuth } from './auth.js';
import { dashboardRoutes, findDashboard } from './dashboard.js';
import { registerRateLimit } from './rate-limit.js';
import { errorBody, errorHandler } from './errors.js';
import { healthRoutes, type HealthRouteOptions } from './routes/health.js';
import { bannedWordRoutes } from './routes/banned-words.js';
import { draftPreviewRoutes } from './routes/draft-preview.js';
import { messageRoutes } from './routes/messages.js';
import { reminderRoutes } from './routes/reminders.js';
import { inboundRoutes } from './routes/inbound.js';
import { providerRoutes } from './routes/providers.js';
import { suppressionRoutes } from './routes/suppressions.js';
import { templateRoutes } from './routes/templates.js';
import { webhookRoutes } from './routes/webhooks.js';
import { webhookEndpointRoutes } from './routes/webhook-endpoints.js';
import { analyticsRoutes } from './routes/analytics.js';
import { conversionRoutes } from './routes/conversions.js';
import { campaignRoutes } from './routes/campaigns.js';
import type { CampaignDeps } from '../app/manage-campaigns.js';
import type { TwilioCompatDeps } from '../app/twilio-compat/deps.js';
import { twilioCompatRoutes } from './routes/twilio-compat/index.js';
import { twilioCompatAccountRoutes } from './routes/twilio-compat/accounts.js';
import { validatorCompiler } from './validation.js';
import { logRequests } from './request-log.js';
import { recordRoutes } from './route-table.js';

export interface HttpDeps {
  app: AppDeps;
  verifier: ApiKeyVerifier;
  publicUrl: string;
  /** The Twilio-compatible API (`/2010-04-01/…`) and its credentials (`/v1/twilio-compat/accounts`). */
  twilioCompat?: TwilioCompatDeps;
  /** Campaigns (`/v1/campaigns`); absent, the routes are not served. */
  campaigns?: CampaignDeps;
  /** False in a worker-only process: it serves health and metrics, not the API. */
  apiRoutes?: boolean;
  health: HealthRouteOptions;
  /** A pino logger instance (or false in tests that want silence). */
  logger: FastifyBaseLogger | false;
  version: string;
  /** The built dashboard (web/dist); null serves a "not built" notice at `/`. Default: found on disk. */
  dashboardDir?: string | null;
}

export async function buildApp(deps: HttpDeps): Promise<FastifyInstance> {
  const app = fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // Fastify's request lines log raw URLs, and ours carry phone numbers (?to=…); see logRequests.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // X-Forwarded-* are not trusted: nothing here depends on the client's address, and the URL that
    // webhook signatures cover comes from TIDINGS_PUBLIC_URL, never from request headers.
    return503OnClosing: true,
    // A URL that is not valid percent-encoding (`/v1/suppressions/%uD800`) fails in Fastify's router,
    // before our error handler; without this it answered in Fastify's own shape, with no catalogue code.
    frameworkErrors: (err, _req, res) => {
      void (res as unknown as FastifyReply)
        .status(400)
        .send(errorBody('validation_failed', `The URL is not valid: ${err.message}`));
    },
    forceCloseConnections: true,
  });
  recordRoutes(app);
  app.setValidatorCompiler(validatorCompiler);
  logRequests(app);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((_req, res) => res.status(404).send(errorBody('not_found', 'No such route.')));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tidings API',
        version: deps.version,
        description: 'Send SMS through Twilio or the built-in simulator; track delivery. Errors carry a stable `code`.',
      },
      servers: [{ url: deps.publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key: tk_… or TIDINGS_API_KEY' },
        },
      },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  if (deps.apiRoutes !== false) {
    registerAuth(app, deps.verifier);
    registerRateLimit(app, deps.app.protection);
    await app.register(messageRoutes, { deps: deps.app, singleBodyLimit: 64 * 1024, batchBodyLimit: 8 * 1024 * 1024 });
    await app.register(reminderRoutes, { deps: deps.app });
    await app.register(templateRoutes, { deps: deps.app });
    await app.register(draftPreviewRoutes, { deps: deps.app });
    await app.register(bannedWordRoutes, { deps: deps.app });
    await app.register(providerRoutes, { deps: deps.app });
    await app.register(suppressionRoutes, { deps: deps.app });
    await app.register(webhookEndpointRoutes, { deps: deps.app });
    await app.register(inboundRoutes, { deps: deps.app });
    await app.register(conversionRoutes, { deps: deps.app });
    await app.register(analyticsRoutes, { deps: deps.app });
    if (deps.campaigns) await app.register(campaignRoutes, { deps: deps.campaigns, csvBodyLimit: 1024 * 1024 * 1024 });
    await app.register(webhookRoutes, { deps: deps.app, publicUrl: deps.publicUrl });
    if (deps.twilioCompat) {
      await app.register(twilioCompatAccountRoutes, { deps: deps.twilioCompat });
      await app.register(twilioCompatRoutes, { deps: deps.twilioCompat, prefix: '/2010-04-01' });
    }
    await app.register(dashboardRoutes, {
      root: deps.dashboardDir === undefined ? findDashboard() : deps.dashboardDir,
    });
  }
  await app.register(healthRoutes, deps.health);
  return app;
}
