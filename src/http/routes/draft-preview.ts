/**
 * @module http/routes/draft-preview
 * POST /v1/preview: the live preview of something not saved yet (a message being composed, a
 * template being edited), so an editor can show encoding, segments and cost as the operator types.
 * Same role as the saved-template preview: any key that may send.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app/deps.js';
import { previewDraft, type DraftPreviewRequest } from '../../app/preview-draft.js';
import { PreviewRequestSchema, PreviewSchema, TemplateInputSchema } from '../content-schemas.js';
import { ErrorSchema } from '../schemas.js';

const DraftPreviewRequestSchema = Type.Object(
  {
    ...Type.Omit(PreviewRequestSchema, ['version']).properties,
    text: Type.Optional(Type.String({ maxLength: 10_000, description: 'A message body, used as is (no Liquid).' })),
    template: Type.Optional(TemplateInputSchema),
    sampleMissing: Type.Optional(
      Type.Boolean({ description: 'Render variables missing from `data` as "[name]" instead of failing.' }),
    ),
  },
  { additionalProperties: false, description: 'Exactly one of `text` and `template`.' },
);

const DraftPreviewSchema = Type.Composite([
  Type.Omit(PreviewSchema, ['template', 'version', 'variant', 'locale']),
  Type.Object({
    variant: Type.Union([Type.String(), Type.Null()]),
    locale: Type.Union([Type.String(), Type.Null()]),
    variables: Type.Array(Type.String()),
    sampled: Type.Array(Type.String(), { description: 'Variables rendered as "[name]" for want of data.' }),
  }),
]);

export async function draftPreviewRoutes(app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts;
  app.post(
    '/v1/preview',
    {
      config: { role: 'send' },
      schema: {
        tags: ['templates'],
        summary: 'Preview unsaved text or an unsaved template: text, encoding, segments, cost',
        body: DraftPreviewRequestSchema,
        response: {
          200: DraftPreviewSchema,
          400: ErrorSchema,
          401: ErrorSchema,
          403: ErrorSchema,
          422: ErrorSchema,
        },
      },
    },
    async (req) => previewDraft(deps, req.body as DraftPreviewRequest),
  );
}
