/**
 * @module http/routes/campaigns
 * /v1/campaigns: create a campaign (recipients inline), stream its recipients in as CSV, start,
 * pause, resume, cancel, and follow its progress and rejected rows. The CSV body is handed on as
 * the raw request stream, never buffered, so this route alone may take a large body.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  campaignAction,
  createCampaign,
  getCampaign,
  listCampaigns,
  listRejections,
  uploadRecipients,
  MAX_INLINE_RECIPIENTS,
  type CampaignDeps,
  type CreateCampaignRequest,
} from '../../app/manage-campaigns.js';
import { CAMPAIGN_STATUSES, type CampaignAction } from '../../core/campaign.js';
import { PURPOSES } from '../../core/message.js';
import { TidingsError } from '../../core/errors.js';
import { errorResponses } from '../schemas.js';

export interface CampaignRouteOptions {
  deps: CampaignDeps;
  /** Largest CSV upload in bytes (a million rows with a few data columns fits well inside). */
  csvBodyLimit: number;
}

const tags = ['campaigns'];
const errors = errorResponses(400, 401, 403, 404, 409, 413, 415, 422);
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Clock = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM' });
const WindowSchema = Type.Object(
  {
    start: Clock,
    end: Clock,
    timezone: Type.Optional(Type.String({ maxLength: 64, description: "IANA zone; absent, each recipient's own" })),
  },
  { additionalProperties: false },
);
const DataSchema = Type.Record(Type.String(), Type.Unknown());

const CreateSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    template: Type.String({ minLength: 1, maxLength: 128 }),
    locale: Type.Optional(Type.String({ maxLength: 35 })),
    data: Type.Optional(DataSchema),
    purpose: Type.Optional(Type.Union(PURPOSES.map((p) => Type.Literal(p)))),
    from: Type.Optional(Type.String({ maxLength: 64 })),
    channel: Type.Optional(Type.Union([Type.Literal('sms'), Type.Literal('voice')])),
    rate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10_000, description: 'messages per second' })),
    window: Type.Optional(WindowSchema),
    startAt: Type.Optional(Type.String({ maxLength: 40 })),
    recipients: Type.Optional(
      Type.Array(
        Type.Object(
          { to: Type.String({ maxLength: 64 }), data: Type.Optional(DataSchema) },
          { additionalProperties: false },
        ),
        { maxItems: MAX_INLINE_RECIPIENTS },
      ),
    ),
    start: Type.Optional(Type.Boolean({ description: 'default: true when recipients are given inline' })),
  },
  { additionalProperties: false },
);

const RejectionSchema = Type.Object({
  row: Type.Integer(),
  line: Type.Union([Type.Integer(), Type.Null()]),
  code: Type.String(),
  reason: Type.String(),
});
const ImportSchema = Type.Object({
  rowsRead: Type.Integer(),
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  invalid: Type.Integer(),
  rejections: Type.Array(RejectionSchema),
  stopped: Type.Union([Type.String(), Type.Null()]),
});
const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);
const CampaignSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Type.Union(CAMPAIGN_STATUSES.map((s) => Type.Literal(s))),
  template: Type.String(),
  locale: Type.Union([Type.String(), Type.Null()]),
  data: Type.Union([DataSchema, Type.Null()]),
  purpose: Type.String(),
  from: Type.Union([Type.String(), Type.Null()]),
  channel: Type.String(),
  rate: Type.Number(),
  window: Type.Union([WindowSchema, Type.Null()]),
  startAt: Type.Union([Type.String(), Type.Null()]),
  recipients: Type.Object({
    rowsRead: Type.Integer(),
    total: Type.Integer(),
    pending: Type.Integer(),
    accepted: Type.Integer(),
    refused: Type.Integer(),
    cancelled: Type.Integer(),
    duplicates: Type.Integer(),
    invalid: Type.Integer(),
  }),
  messages: Type.Optional(Type.Record(Type.String(), Type.Integer(), { description: 'messages by status' })),
  progress: Type.Object({
    currentRate: Nullable(Type.Number({ description: 'rows per second over the last minute' })),
    etaSeconds: Nullable(Type.Number()),
    eta: Type.Union([Type.String(), Type.Null()]),
  }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  import: Type.Optional(ImportSchema),
});
const PageQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

export async function campaignRoutes(app: FastifyInstance, opts: CampaignRouteOptions): Promise<void> {
  const { deps } = opts;
  // The CSV is handed on unread: csv-parse reads it as it arrives (app/campaign-import).
  app.addContentTypeParser(['text/csv', 'application/csv'], (_req, payload, done) => done(null, payload));

  app.post(
    '/v1/campaigns',
    {
      config: { role: 'send' },
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Create a campaign (recipients inline, or uploaded as CSV afterwards)',
        body: CreateSchema,
        response: { 201: CampaignSchema, ...errors },
      },
    },
    async (req, res) => {
      const caller = { apiKeyId: req.principal?.keyId ?? 'anonymous' };
      return res.status(201).send(await createCampaign(deps, req.body as CreateCampaignRequest, caller));
    },
  );

  app.put(
    '/v1/campaigns/:id/recipients',
    {
      config: { role: 'send' },
      bodyLimit: opts.csvBodyLimit,
      schema: {
        tags,
        summary: 'Add recipients from a CSV body (header: to|phone|number, then data columns); appends',
        params: Params,
        consumes: ['text/csv'],
        response: { 200: ImportSchema, ...errors },
      },
    },
    async (req) => {
      const body = req.body as Readable | undefined;
      if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function') {
        throw new TidingsError('unsupported_media_type', 'Send the recipients as Content-Type: text/csv.');
      }
      return uploadRecipients(deps, (req.params as { id: string }).id, body, opts.csvBodyLimit);
    },
  );

  for (const action of ['start', 'pause', 'resume', 'cancel'] as const satisfies CampaignAction[]) {
    app.post(
      `/v1/campaigns/:id/${action}`,
      {
        config: { role: 'send' },
        schema: {
          tags,
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a campaign`,
          params: Params,
          response: { 200: CampaignSchema, ...errors },
        },
      },
      async (req) => campaignAction(deps, (req.params as { id: string }).id, action),
    );
  }

  app.get(
    '/v1/campaigns',
    {
      config: { role: 'read' },
      schema: {
        tags,
        summary: 'List campaigns, newest first',
        querystring: PageQuery,
        response: {
          200: Type.Object({ data: Type.Array(CampaignSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errors,
        },
      },
    },
    async (req) => listCampaigns(deps, req.query as { cursor?: string; limit?: number }),
  );

  app.get(
    '/v1/campaigns/:id',
    {
      config: { role: 'read' },
      schema: {
        tags,
        summary: 'A campaign with its progress: recipients and messages by status, rate, ETA',
        params: Params,
        response: { 200: CampaignSchema, ...errors },
      },
    },
    async (req) => getCampaign(deps, (req.params as { id: string }).id),
  );

  app.get(
    '/v1/campaigns/:id/rejections',
    {
      config: { role: 'read' },
      schema: {
        tags,
        summary: 'Rows refused on upload or at sending: row number, line, code, reason',
        params: Params,
        querystring: PageQuery,
        response: {
          200: Type.Object({ data: Type.Array(RejectionSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errors,
        },
      },
    },
    async (req) =>
      listRejections(deps, (req.params as { id: string }).id, req.query as { cursor?: string; limit?: number }),
  );
}
