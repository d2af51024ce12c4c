/**
 * @module http/content-schemas
 * Request and response shapes for templates and the banned-word list (TypeBox, like schemas.ts).
 */
import { Type } from '@sinclair/typebox';
import { PURPOSES } from '../core/message.js';

const Purpose = Type.Union(PURPOSES.map((p) => Type.Literal(p)));
const Source = Type.String({ minLength: 1, maxLength: 10_000, description: 'Liquid source, e.g. Hi {{ name }}' });
const Locales = Type.Record(Type.String({ minLength: 1, maxLength: 35 }), Source, {
  maxProperties: 50,
  description: 'Body per BCP 47 locale; zh-CN falls back to zh, then to `body`.',
});

const VariantInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9_.-]+$' }),
    weight: Type.Number({ minimum: 0, maximum: 1_000_000 }),
    body: Type.Optional(Source),
    locales: Type.Optional(Locales),
    delay: Type.Optional(
      Type.String({ maxLength: 10, description: 'Send-time experiment: send this much later, e.g. 2h.' }),
    ),
  },
  { additionalProperties: false },
);

export const TemplateInputSchema = Type.Object(
  {
    body: Source,
    locales: Type.Optional(Locales),
    variants: Type.Optional(Type.Array(VariantInput, { maxItems: 20 })),
    providerTemplates: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 40 }), Type.String({ minLength: 1, maxLength: 200 }), {
        maxProperties: 20,
        description: 'Provider kind → its registered template id, e.g. {"aliyun": "SMS_15305"}.',
      }),
    ),
    replies: Type.Optional(
      Type.Record(
        Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]*$' }),
        Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 20 }),
        {
          maxProperties: 10,
          description: 'Expected replies by intent, e.g. {"confirm": ["1", "Y", "确认"], "cancel": ["2", "N"]}.',
        },
      ),
    ),
    purpose: Type.Optional(Purpose),
    description: Type.Optional(Type.String({ maxLength: 1_000 })),
    trackLinks: Type.Optional(
      Type.Boolean({
        description: 'Rewrite URLs to tracked short links (TIDINGS_LINK_DOMAIN) unless a request says no.',
      }),
    ),
  },
  { additionalProperties: false },
);

const VariantView = Type.Object({
  name: Type.String(),
  weight: Type.Number(),
  body: Type.Optional(Type.String()),
  locales: Type.Optional(Type.Record(Type.String(), Type.String())),
  delay: Type.Optional(Type.String()),
});

export const TemplateSchema = Type.Object({
  name: Type.String(),
  version: Type.Integer(),
  body: Type.String(),
  locales: Type.Record(Type.String(), Type.String()),
  variants: Type.Array(VariantView),
  providerTemplates: Type.Record(Type.String(), Type.String()),
  replies: Type.Record(Type.String(), Type.Array(Type.String())),
  purpose: Type.Union([Type.String(), Type.Null()]),
  description: Type.Union([Type.String(), Type.Null()]),
  trackLinks: Type.Boolean(),
  variables: Type.Array(Type.String()),
  createdAt: Type.String(),
});

export const TemplateNameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });
export const TemplateVersionQuery = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);

export const PreviewRequestSchema = Type.Object(
  {
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    locale: Type.Optional(Type.String({ maxLength: 35 })),
    to: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    variant: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    purpose: Type.Optional(Purpose),
    recipient: Type.Optional(
      Type.Object({ timezone: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

const Nullable = <T extends ReturnType<typeof Type.Object>>(t: T) => Type.Union([t, Type.Null()]);

export const PreviewSchema = Type.Object({
  template: Type.String(),
  version: Type.Integer(),
  variant: Type.Union([Type.String(), Type.Null()]),
  locale: Type.String(),
  text: Type.String(),
  characters: Type.Integer(),
  encoding: Type.String(),
  segments: Type.Integer(),
  ucs2Characters: Type.Array(Type.String()),
  smartEncoding: Nullable(
    Type.Object({
      text: Type.String(),
      encoding: Type.String(),
      segments: Type.Integer(),
      segmentsSaved: Type.Integer(),
    }),
  ),
  bannedTerm: Type.Union([Type.String(), Type.Null()]),
  cost: Nullable(Type.Object({ amount: Type.Number(), currency: Type.String(), provider: Type.String() })),
});

const BannedTermSchema = Type.Object(
  {
    term: Type.String({ minLength: 1, maxLength: 200 }),
    purposes: Type.Optional(Type.Array(Purpose, { minItems: 1, uniqueItems: true })),
  },
  { additionalProperties: false },
);

export const BannedWordsInputSchema = Type.Object(
  { terms: Type.Array(BannedTermSchema, { maxItems: 200_000 }) },
  { additionalProperties: false },
);

const BannedTermView = Type.Object({
  term: Type.String(),
  purposes: Type.Union([Type.Array(Type.String()), Type.Literal('all')]),
});

export const BannedWordsSchema = Type.Object({
  /** Terms from TIDINGS_BANNED_WORDS_FILE: read-only here, changed by editing the file. */
  file: Type.Array(BannedTermView),
  api: Type.Array(BannedTermView),
});
