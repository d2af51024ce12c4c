/**
 * Input generators for the property suites and `npm run fuzz`. They lean towards what breaks
 * parsers: the field names the API knows (so inputs get past the schema), prototype keys
 * (`__proto__`, `constructor`), numbers that are almost numbers, control and astral characters.
 */
import fc from 'fast-check';

export const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** Field names the API's bodies and queries use, so generated objects reach past the schema. */
export const API_FIELDS = [
  'to',
  'body',
  'template',
  'data',
  'channel',
  'sendAt',
  'purpose',
  'messages',
  'ids',
  'url',
  'eventTypes',
  'name',
  'role',
  'words',
  'source',
  'locale',
  'variants',
  'reason',
  'from',
  'text',
  'code',
  'messageId',
  'value',
  'limit',
  'cursor',
  'status',
  'since',
  'until',
  'by',
  'fallback',
  'tags',
  'metadata',
  'idempotencyKey',
];

const weirdString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '%', '%zz', '+', '../../etc/passwd', '{{', '{%', 'NaN', '-1', '1e309'),
  fc.constantFrom(...NASTY_KEYS),
);

export const phoneLike = fc.oneof(
  fc.stringMatching(/^\+?[0-9 ().-]{0,20}$/),
  fc.constantFrom('+14155552671', '+8613800138000', '+442071838750', '+15005550006', '4155552671', '+1'),
  weirdString,
);

const scalar = fc.oneof(
  weirdString,
  phoneLike,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);

/** JSON values with API field names and prototype keys as object keys. */
export const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(
    fc.oneof(fc.constantFrom(...API_FIELDS, ...NASTY_KEYS), fc.string({ maxLength: 12 })),
    tie('value'),
    {
      maxKeys: 6,
    },
  ),
})).value;

/** A path segment: plausible ids, or junk, URL-encoded as a client would send it. */
export const pathSegment = fc
  .oneof(weirdString, fc.constantFrom('msg_1', 'x', '1', '+14155552671', 'welcome', 'tk_abc'))
  .map((s) => {
    try {
      return encodeURIComponent(s) || 'x';
    } catch {
      // A lone surrogate cannot be percent-encoded as UTF-8; send its code units instead.
      return escape(s) || 'x';
    }
  });

export const queryString = fc
  .dictionary(fc.oneof(fc.constantFrom(...API_FIELDS, ...NASTY_KEYS), fc.string({ maxLength: 8 })), weirdString, {
    maxKeys: 4,
  })
  .map((q) => new URLSearchParams(q as Record<string, string>).toString());

/** A request body as bytes a client could send: JSON, form, or junk, with a content type. */
export const requestBody = fc.oneof(
  jsonValue.map((v) => ({ contentType: 'application/json' as string | undefined, payload: JSON.stringify(v) ?? '' })),
  fc.record({
    contentType: fc.constantFrom(
      'application/json',
      'application/x-www-form-urlencoded',
      'text/plain',
      'application/json; charset=utf-16',
      'multipart/form-data; boundary=x',
      'application/xml',
      undefined,
    ),
    payload: fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 3 }), queryString),
  }),
);

/** Form parameters, as a provider's callback carries them (repeated keys allowed). */
export const formFields = (known: string[]): fc.Arbitrary<Array<[string, string]>> =>
  fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...known, ...NASTY_KEYS), fc.string({ maxLength: 10 })),
      fc.oneof(weirdString, phoneLike),
    ),
    { maxLength: 10 },
  );

/** Liquid source built from fragments that exercise tags, filters, ranges and sandbox escapes. */
export const liquidSource = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        '{{ name }}',
        '{{ name | upcase }}',
        '{{ ',
        ' }}',
        '{% ',
        ' %}',
        '{% for i in (1..100000000) %}x{% endfor %}',
        '{% for i in (1..9) %}{% for j in (1..9) %}{{ i }}{{ j }}{% endfor %}{% endfor %}',
        '{% include "secret" %}',
        '{% render "/etc/passwd" %}',
        '{% layout "x" %}',
        '{{ name.constructor }}',
        '{{ name.__proto__ }}',
        "{{ name['constructor']['constructor'] }}",
        '{{ data.constructor.prototype }}',
        '{% assign x = "a" | append: x %}',
        '{% capture c %}{{ c }}{{ c }}{% endcapture %}{{ c }}',
        '{% if name %}y{% else %}n{% endif %}',
        '{% increment n %}',
        '{% cycle "a", "b" %}',
        '{% tablerow i in (1..3) %}{{ i }}{% endtablerow %}',
        '{% raw %}{{ x }}{% endraw %}',
        '{{ "now" | date: "%Y" }}',
        '{{ name | split: "" | join: "-" }}',
        '{{ name | truncate: -5 }}',
        '{{ 1 | divided_by: 0 }}',
        '{{ name | default: "friend" }}',
        '{{ name | first_name }}',
        '{{ amount | money }}',
        '{{ "x" | append: "y" | size | times: 1000000 }}',
        '{%- liquid\n echo name\n -%}',
        '{% comment %}',
        '{% endfor %}',
        '{{',
      ),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

export const templateData = fc.dictionary(
  fc.oneof(fc.constantFrom('name', 'amount', 'data', 'c', 'n', 'x', ...NASTY_KEYS), fc.string({ maxLength: 6 })),
  jsonValue,
  { maxKeys: 5 },
);
