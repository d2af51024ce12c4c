/* eslint-disable @typescript-eslint/no-explicit-any -- responses are checked field by field */
/**
 * The fuzz targets shared by the property suites (a few hundred inputs each, in `npm test`) and by
 * `npm run fuzz` (100,000 and more). Each target is an input generator and a check that throws
 * when a property breaks: no 5xx, no crash, a catalogue code with its own status on every refusal,
 * and, for webhooks, no request believed without a valid signature or token.
 */
import fc from 'fast-check';
import { createApiKey } from '../../src/app/api-keys.js';
import { templateFailure } from '../../src/app/render-template.js';
import { ERROR_CATALOGUE, isTidingsError, type ErrorCode } from '../../src/core/errors.js';
import { normalizeRecipient } from '../../src/content/phone.js';
import { createTemplateRenderer, TemplateError } from '../../src/content/template-renderer.js';
import { registeredRoutes } from '../../src/http/route-table.js';
import { twilioSignature } from '../../src/providers/twilio/signature.js';
import { startTidings, type Tidings } from '../support/harness.js';
import {
  formFields,
  jsonValue,
  liquidSource,
  pathSegment,
  phoneLike,
  queryString,
  requestBody,
  templateData,
} from './generators.js';

export interface FuzzTarget {
  name: string;
  arbitrary: fc.Arbitrary<any>;
  /** How the inputs were answered (HTTP status → count), to show how deep they reached. */
  outcomes?: Map<string, number>;
  /** Throws when a property does not hold for this input. */
  check(input: any): Promise<void> | void;
}

export interface FuzzSuite {
  targets: FuzzTarget[];
  close(): Promise<void>;
}

const CODES = new Set(Object.keys(ERROR_CATALOGUE));
const PAGES = new Set(['/', '/l/:code']);
const TWILIO_TOKEN = 'fuzz-twilio-auth-token-0123456789';
const VOICE_TOKEN = 'fuzz-voice-auth-token-0123456789a';
const CALLBACK_TOKEN = 'fuzz-callback-token-0123456789abcdef';

function count(outcomes: Map<string, number>, status: number): void {
  outcomes.set(String(status), (outcomes.get(String(status)) ?? 0) + 1);
}

function fail(what: string, detail: unknown): never {
  throw new Error(`${what}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
}

/** Our own error shape: a catalogue code whose status is the response's status. */
function expectCatalogueError(status: number, body: string): void {
  let parsed: any;
  try {
    parsed = JSON.parse(body);
  } catch {
    fail(`a ${status} without a JSON error body`, body.slice(0, 200));
  }
  const code = parsed?.error?.code;
  if (!CODES.has(code)) fail(`a ${status} with a code not in the catalogue`, parsed);
  if (ERROR_CATALOGUE[code as ErrorCode].status !== status) fail(`${code} answered with ${status}`, parsed);
  if (typeof parsed.error.message !== 'string') fail('an error without a message', parsed);
}

/** The Twilio-compatible API answers in Twilio's error shape: a numeric code and the same status. */
function expectTwilioError(status: number, body: string): void {
  let parsed: any;
  try {
    parsed = JSON.parse(body);
  } catch {
    fail(`a compat ${status} without a JSON body`, body.slice(0, 200));
  }
  if (typeof parsed?.code !== 'number' || parsed.status !== status)
    fail(`a compat ${status} not in Twilio's shape`, parsed);
}

export async function openFuzzSuite(): Promise<FuzzSuite> {
  const t: Tidings = await startTidings({
    TIDINGS_PROVIDERS: [
      'sim://?latency=1ms&deliverAfter=5ms',
      `twilio://AC00000000000000000000000000000000:${TWILIO_TOKEN}@+15005550006?baseUrl=http://127.0.0.1:9`,
      `twilio-voice://AC00000000000000000000000000000001:${VOICE_TOKEN}@+15005550007?baseUrl=http://127.0.0.1:9`,
      `aliyun://LTAIfuzz:fuzzsecret0123456789@Sign?endpoint=http://127.0.0.1:9&callbackToken=${CALLBACK_TOKEN}`,
      `tencent://AKIDfuzz:fuzzsecretkey0123456789abcdef@Sign?sdkAppId=1400000000&endpoint=http://127.0.0.1:9&callbackToken=${CALLBACK_TOKEN}`,
    ].join(','),
    TIDINGS_API_REQUEST_LIMIT: 'off',
    TIDINGS_API_MESSAGE_LIMIT: 'off',
  });
  const app = t.server.app;
  const keys = {
    admin: (await createApiKey(t.rt.deps, 'fuzz-admin', 'admin')).key,
    send: (await createApiKey(t.rt.deps, 'fuzz-send', 'send')).key,
    read: (await createApiKey(t.rt.deps, 'fuzz-read', 'read')).key,
  };
  const compat = (
    await app.inject({
      method: 'POST',
      url: '/v1/twilio-compat/accounts',
      headers: { authorization: `Bearer ${keys.admin}` },
      payload: { name: 'fuzz' },
    })
  ).json() as { accountSid: string; authToken: string };
  const compatAuth = `Basic ${Buffer.from(`${compat.accountSid}:${compat.authToken}`).toString('base64')}`;
  const publicUrl = t.rt.config.publicUrl;
  const routes = registeredRoutes(app).filter((r) => !r.url.startsWith('/docs'));

  const api: FuzzTarget = {
    outcomes: new Map(),
    name: 'http-api',
    arbitrary: fc.record({
      route: fc.constantFrom(...routes),
      segments: fc.array(pathSegment, { minLength: 4, maxLength: 4 }),
      query: fc.option(queryString, { nil: undefined }),
      body: fc.option(requestBody, { nil: undefined }),
      auth: fc.constantFrom('admin', 'admin', 'send', 'read', 'none', 'junk'),
      idempotencyKey: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
    }),
    async check({ route, segments, query, body, auth, idempotencyKey }) {
      let i = 0;
      const compatRoute = route.url.startsWith('/2010-04-01/');
      const path = route.url
        .replace(':AccountSid', compat.accountSid)
        .replace(/:[A-Za-z]+|\*/g, () => segments[i++ % segments.length]);
      const headers: Record<string, string> = {};
      if (auth === 'junk') headers['authorization'] = 'Bearer \u00ff\u0000junk';
      else if (auth !== 'none') headers['authorization'] = compatRoute ? compatAuth : `Bearer ${keys[auth as 'admin']}`;
      if (body?.contentType) headers['content-type'] = body.contentType;
      if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey.replace(/[^\x20-\x7e]/g, '');
      const res = await app.inject({
        method: route.method as 'GET',
        url: query ? `${path}?${query}` : path,
        headers,
        ...(body && route.method !== 'GET' ? { payload: body.payload } : {}),
      });
      count(api.outcomes!, res.statusCode);
      // Pages for people (a tracked link's "unavailable" page, the dashboard) answer in HTML, not
      // the API's error shape; `/` says 503 "not built" when web/dist is absent, on purpose.
      const page = PAGES.has(route.url);
      if (route.url === '/' && res.statusCode === 503 && res.body.includes('not built')) return;
      if (res.statusCode >= 500)
        fail(`${route.method} ${route.url} answered ${res.statusCode}`, res.body.slice(0, 300));
      if (res.statusCode >= 400 && !page) {
        // A URL the router cannot decode is refused before any route is chosen, in our shape.
        if (compatRoute && !res.body.includes('"validation_failed"')) expectTwilioError(res.statusCode, res.body);
        else expectCatalogueError(res.statusCode, res.body);
      }
    },
  };

  const webhookKinds = [
    'twilio/status',
    'twilio/inbound',
    'twilio-voice/status',
    'aliyun/status',
    'tencent/status',
    'sim/status',
    'nope/status',
  ];
  const webhooks: FuzzTarget = {
    outcomes: new Map(),
    name: 'provider-webhooks',
    arbitrary: fc.record({
      kind: fc.constantFrom(...webhookKinds),
      form: formFields([
        'MessageSid',
        'MessageStatus',
        'SmsStatus',
        'ErrorCode',
        'From',
        'To',
        'Body',
        'AccountSid',
        'CallSid',
        'CallStatus',
        'CallDuration',
      ]),
      json: fc.oneof(
        fc.array(
          fc.dictionary(
            fc.constantFrom(
              'biz_id',
              'sid',
              'success',
              'err_code',
              'report_status',
              'errmsg',
              'mobile',
              'phone_number',
              'report_time',
              'user_receive_time',
              'out_id',
              '__proto__',
            ),
            jsonValue,
          ),
          { maxLength: 4 },
        ),
        jsonValue,
      ),
      signing: fc.constantFrom('valid', 'valid', 'valid', 'none', 'wrong', 'tampered'),
      extraQuery: fc.option(queryString, { nil: undefined }),
    }),
    async check({ kind, form, json, signing, extraQuery }) {
      const [provider] = kind.split('/') as [string];
      const twilio = provider === 'twilio' || provider === 'twilio-voice';
      const token = provider === 'twilio-voice' ? VOICE_TOKEN : TWILIO_TOKEN;
      const payload = twilio ? new URLSearchParams(form as Array<[string, string]>).toString() : JSON.stringify(json);
      const headers: Record<string, string> = {
        'content-type': twilio ? 'application/x-www-form-urlencoded' : 'application/json',
      };
      let url = `/webhooks/${kind}`;
      if (twilio) {
        if (extraQuery) url += `?${extraQuery}`;
        const params: Record<string, string | string[]> = Object.create(null);
        for (const [k, v] of new URLSearchParams(payload)) {
          const seen = params[k];
          params[k] = seen === undefined ? v : [...(Array.isArray(seen) ? seen : [seen]), v];
        }
        const good = twilioSignature(token, `${publicUrl}${url}`, params);
        if (signing === 'valid') headers['x-twilio-signature'] = good;
        if (signing === 'wrong')
          headers['x-twilio-signature'] = twilioSignature('not-the-token', `${publicUrl}${url}`, params);
        if (signing === 'tampered') {
          headers['x-twilio-signature'] = good;
          url += url.includes('?') ? '&x=1' : '?x=1';
        }
      } else {
        const given = signing === 'valid' ? CALLBACK_TOKEN : signing === 'wrong' ? 'wrong-token' : null;
        if (given !== null) url += `?token=${encodeURIComponent(given)}`;
        if (signing === 'tampered') url += `?token=${CALLBACK_TOKEN}x`;
      }
      const res = await app.inject({ method: 'POST', url, headers, payload });
      count(webhooks.outcomes!, res.statusCode);
      if (res.statusCode >= 500) fail(`${kind} answered ${res.statusCode}`, res.body.slice(0, 300));
      if (res.statusCode >= 400) expectCatalogueError(res.statusCode, res.body);
      const known = ['twilio', 'twilio-voice', 'aliyun', 'tencent'].includes(provider);
      if (!known && res.statusCode !== 404)
        fail(`${kind}: a provider not configured answered ${res.statusCode}`, res.body);
      if (known && signing !== 'valid' && res.statusCode !== 403) {
        fail(`${kind}: an unsigned or mis-signed (${signing}) callback was answered ${res.statusCode}`, res.body);
      }
      if (known && signing === 'valid' && res.statusCode === 403)
        fail(`${kind}: a valid signature was refused`, res.body);
    },
  };

  return {
    targets: [api, webhooks, templateTarget(), phoneTarget()],
    close: () => t.stop(),
  };
}

const TEMPLATE_CODES = new Set([
  'template_invalid',
  'template_variable_missing',
  'template_render_failed',
  'template_too_long',
]);

export function templateTarget(): FuzzTarget {
  const renderer = createTemplateRenderer();
  return {
    name: 'template-rendering',
    arbitrary: fc.record({ source: liquidSource, data: templateData }),
    check({ source, data }) {
      let out: string;
      try {
        out = renderer.render(renderer.compile(source), data, { locale: 'en-US', timezone: 'UTC' });
      } catch (err) {
        if (!(err instanceof TemplateError))
          fail('the renderer threw something other than a TemplateError', String(err));
        if (!TEMPLATE_CODES.has(err.code)) fail('an unknown template code', err.code);
        const mapped = templateFailure(err);
        if (!CODES.has(mapped.code)) fail('a template failure outside the catalogue', mapped.code);
        return;
      }
      if (out.length > 1600 * 4) fail('rendered text over the output limit', out.length);
      // Sandbox: no function source or host object ever reaches the text.
      if (out.includes('[native code]') || /function \w*\(/.test(out)) fail('a function leaked into the output', out);
    },
  };
}

export function phoneTarget(): FuzzTarget {
  return {
    name: 'phone-numbers',
    arbitrary: fc.record({
      input: fc.oneof(phoneLike, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 })),
      region: fc.constantFrom(undefined, 'US', 'CN', 'GB', 'DE', 'IN'),
      channel: fc.constantFrom('sms', 'voice'),
    }),
    check({ input, region, channel }) {
      try {
        const r = normalizeRecipient(input, { defaultRegion: region, channel });
        if (!/^\+[1-9]\d{6,14}$/.test(r.e164)) fail('an accepted number that is not E.164', r);
      } catch (err) {
        if (!isTidingsError(err)) fail('phone parsing threw something other than a TidingsError', String(err));
        if (err.code !== 'invalid_number' && err.code !== 'not_mobile') fail('an unexpected phone refusal', err.code);
      }
    },
  };
}
