/**
 * @module config/keywords
 * TIDINGS_KEYWORDS (JSON): replace the keyword lists, per country too, and the automatic replies.
 * Whatever is left out keeps its default.
 */
import { z } from 'zod';
import { DEFAULT_KEYWORDS, type KeywordRules } from '../core/keywords.js';

const Words = z.array(z.string().min(1).max(40)).min(1);
const KeywordSet = z.object({ optOut: Words.optional(), optIn: Words.optional(), help: Words.optional() }).strict();
const Reply = z.object({ en: z.string().min(1).max(320), zh: z.string().min(1).max(320) }).strict();

const KeywordsSchema = KeywordSet.extend({
  countries: z.record(z.string().regex(/^[A-Z]{2}$/, 'an ISO country code such as CN'), KeywordSet).optional(),
  replies: z.object({ optOut: Reply.optional(), optIn: Reply.optional(), help: Reply.optional() }).strict().optional(),
}).strict();

export interface KeywordConfig {
  rules: KeywordRules;
  replies: Partial<Record<'optOut' | 'optIn' | 'help', { en: string; zh: string }>>;
}

export function parseKeywords(text: string | undefined): KeywordConfig {
  if (text === undefined) return { rules: DEFAULT_KEYWORDS, replies: {} };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error('TIDINGS_KEYWORDS is not valid JSON', { cause: err });
  }
  const parsed = KeywordsSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `invalid TIDINGS_KEYWORDS: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const k = parsed.data;
  return {
    rules: {
      optOut: k.optOut ?? DEFAULT_KEYWORDS.optOut,
      optIn: k.optIn ?? DEFAULT_KEYWORDS.optIn,
      help: k.help ?? DEFAULT_KEYWORDS.help,
      countries: k.countries ?? {},
    },
    replies: k.replies ?? {},
  };
}
