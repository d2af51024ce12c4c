/**
 * @module http/routes/templates
 * /v1/templates: save (each save is a new version), read, list, version history, retire, preview.
 * Editing templates is an admin's job; previewing is open to any key that may send.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app/deps.js';
import {
  deleteTemplate,
  getTemplate,
  saveTemplate,
  toTemplateView,
  type TemplateInput,
} from '../../app/manage-templates.js';
import { previewTemplate, type PreviewRequest } from '../../app/preview-template.js';
import {
  PreviewRequestSchema,
  PreviewSchema,
  TemplateInputSchema,
  TemplateNameParams,
  TemplateSchema,
  TemplateVersionQuery,
} from '../content-schemas.js';
import { ErrorSchema } from '../schemas.js';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 422: ErrorSchema };
const tags = ['templates'];

export async function templateRoutes(app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts;

  app.put(
    '/v1/templates/:name',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        summary: 'Save a template (a new version)',
        params: TemplateNameParams,
        body: TemplateInputSchema,
        response: { 200: TemplateSchema, ...errors },
      },
    },
    async (req) => {
      const { name } = req.params as { name: string };
      return saveTemplate(deps, name, req.body as TemplateInput);
    },
  );

  app.get(
    '/v1/templates/:name',
    {
      config: { role: 'read' },
      schema: {
        tags,
        summary: 'Get a template (current, or ?version=N)',
        params: TemplateNameParams,
        querystring: TemplateVersionQuery,
        response: { 200: TemplateSchema, ...errors },
      },
    },
    async (req) => {
      const { name } = req.params as { name: string };
      const { version } = req.query as { version?: number };
      return getTemplate(deps, name, version);
    },
  );

  app.get(
    '/v1/templates/:name/versions',
    {
      config: { role: 'read' },
      schema: {
        tags,
        summary: 'Every version of a template, newest first',
        params: TemplateNameParams,
        response: { 200: Type.Object({ data: Type.Array(TemplateSchema) }), ...errors },
      },
    },
    async (req, res) => {
      const { name } = req.params as { name: string };
      const history = await deps.templateStore.history(name);
      if (history.length === 0)
        return res.status(404).send({ error: { code: 'not_found', message: `No template "${name}".` } });
      return { data: history.map((d) => toTemplateView(deps, d)) };
    },
  );

  app.get(
    '/v1/templates',
    {
      config: { role: 'read' },
      schema: {
        tags,
        summary: 'List templates',
        response: { 200: Type.Object({ data: Type.Array(TemplateSchema) }), ...errors },
      },
    },
    async () => ({ data: (await deps.templateStore.list()).map((d) => toTemplateView(deps, d)) }),
  );

  app.delete(
    '/v1/templates/:name',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        summary: 'Retire a template (its versions stay, for the messages that used them)',
        params: TemplateNameParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, res) => {
      const { name } = req.params as { name: string };
      await deleteTemplate(deps, name);
      return res.status(204).send();
    },
  );

  app.post(
    '/v1/templates/:name/preview',
    {
      config: { role: 'send' },
      schema: {
        tags,
        summary: 'Render with data: text, encoding, segments, UCS-2 characters, cost',
        params: TemplateNameParams,
        body: PreviewRequestSchema,
        response: { 200: PreviewSchema, ...errors },
      },
    },
    async (req) => {
      const { name } = req.params as { name: string };
      return previewTemplate(deps, name, req.body as PreviewRequest);
    },
  );
}
