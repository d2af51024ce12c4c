/**
 * @module http/routes/banned-words
 * /v1/banned-words: the API-managed list (replaced as a whole) beside the read-only file list.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import type { StoredBannedTerm } from '../../ports/banned-word-store.js';
import type { Purpose } from '../../core/message.js';
import { BannedWordsInputSchema, BannedWordsSchema } from '../content-schemas.js';
import { ErrorSchema } from '../schemas.js';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema };

export async function bannedWordRoutes(app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts;
  const view = () => deps.contentFilter.lists();

  app.get(
    '/v1/banned-words',
    {
      config: { role: 'admin' },
      schema: { tags: ['content'], summary: 'The banned-word lists', response: { 200: BannedWordsSchema, ...errors } },
    },
    async () => {
      await deps.contentFilter.refresh();
      return view();
    },
  );

  app.put(
    '/v1/banned-words',
    {
      config: { role: 'admin' },
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags: ['content'],
        summary: 'Replace the API-managed banned-word list',
        body: BannedWordsInputSchema,
        response: { 200: BannedWordsSchema, ...errors },
      },
    },
    async (req) => {
      const { terms } = req.body as { terms: { term: string; purposes?: Purpose[] }[] };
      const stored: StoredBannedTerm[] = terms.map((t) => ({ term: t.term, purposes: t.purposes ?? 'all' }));
      await deps.contentFilter.replace(stored, deps.clock.now());
      return view();
    },
  );
}
