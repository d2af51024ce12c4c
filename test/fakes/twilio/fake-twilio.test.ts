import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import twilio from 'twilio';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from './index.js';

// The fake checked from the outside, with Twilio's OFFICIAL SDK as the client: if the SDK is happy
// with its answers, our adapter is tested against something that behaves like Twilio.
const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'f00dbabef00dbabef00dbabef00dbabe';
const MG = 'MG0123456789abcdef0123456789abcdef';
const SCHEMA_NAME = 'api.v2010.account.message';

const extract = JSON.parse(readFileSync(new URL('./message-schema.json', import.meta.url), 'utf8')) as {
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};
const ajv = new Ajv({ allErrors: true });
ajv.addVocabulary(['components', 'x-twilio']);
ajv.addFormat(
  'date-time-rfc-2822',
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/,
);
ajv.addFormat('phone-number', /^(\+[1-9]\d{6,14}|[a-z]+:.+|[A-Za-z0-9 ]{1,11})$/);
ajv.addFormat('currency', /^[A-Za-z]{3}$/);
ajv.addFormat('uri-map', true);
ajv.addSchema(extract, 'twilio-oai');
const validateMessage = ajv.getSchema(`twilio-oai#/components/schemas/${SCHEMA_NAME}`);
const schemaProperties = Object.keys(extract.components.schemas[SCHEMA_NAME]?.properties ?? {}).sort();

interface Hit {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('fake Twilio, seen through the official SDK', () => {
  let fake: FakeTwilio;
  let client: twilio.Twilio;
  let hooks: Server;
  let hookOrigin: string;
  let hookUrl: string;
  const hits: Hit[] = [];

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: SID, authToken: TOKEN, callbackDelayMs: 5 });
    client = twilio(SID, TOKEN);
    client.api.baseUrl = fake.url;
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        hits.push({ url: `${hookOrigin}${req.url ?? ''}`, headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
    hookOrigin = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
    hookUrl = `${hookOrigin}/status?tenant=a`;
  });
  afterAll(async () => {
    await fake.close();
    await new Promise<void>((r) => hooks.close(() => r()));
  });

  it('creates a message the SDK parses', async () => {
    const m = await client.messages.create({ to: '+15558675310', from: '+15005550006', body: 'Hello! 👍' });
    expect(m.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(m).toMatchObject({
      accountSid: SID,
      status: 'queued',
      to: '+15558675310',
      from: '+15005550006',
      numSegments: '1',
    });
    expect(m.dateCreated).toBeInstanceOf(Date);
    expect(fake.messages.at(-1)).toMatchObject({ sid: m.sid, body: 'Hello! 👍' });
  });

  it('answers 201 with every property of the OpenAPI Message schema, validly typed', async () => {
    expect(validateMessage).toBeDefined();
    const res = await post({ To: '+15558675310', From: '+15005550006', Body: 'a'.repeat(161) });
    expect(res.status).toBe(201);
    const json = res.json as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(schemaProperties);
    expect(validateMessage?.(json), JSON.stringify(validateMessage?.errors)).toBe(true);
    expect(json).toMatchObject({
      num_segments: '2',
      num_media: '0',
      direction: 'outbound-api',
      api_version: '2010-04-01',
    });
    expect(json.uri).toBe(`/2010-04-01/Accounts/${SID}/Messages/${String(json.sid)}.json`);
  });

  it('counts segments with the calculator (UCS-2) and reports a Messaging Service create as accepted', async () => {
    expect((await post({ To: '+15558675310', From: '+15005550006', Body: '你'.repeat(71) })).json).toMatchObject({
      num_segments: '2',
    });
    const res = await post({ To: '+15558675310', MessagingServiceSid: MG, Body: 'hi' });
    expect(res.json).toMatchObject({ status: 'accepted', messaging_service_sid: MG, from: null, num_segments: '0' });
    expect(validateMessage?.(res.json)).toBe(true);
  });

  it('21211 raises RestException with that code', async () => {
    const err = await client.messages
      .create({ to: '+15005550001', from: '+15005550006', body: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(twilio.RestException);
    expect(err).toMatchObject({ status: 400, code: 21211, moreInfo: 'https://www.twilio.com/docs/errors/21211' });
  });

  it('refuses bad credentials with 401/20003', async () => {
    const bad = twilio(SID, 'nope');
    bad.api.baseUrl = fake.url;
    const err = await bad.messages
      .create({ to: '+15558675310', from: '+15005550006', body: 'x' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, code: 20003 });
    const noAuth = await post({ To: '+15558675310' }, {});
    expect(noAuth.status).toBe(401);
    expect(noAuth.json).toMatchObject({
      code: 20003,
      status: 401,
      more_info: 'https://www.twilio.com/docs/errors/20003',
    });
  });

  it.each([
    ['no To', { From: '+15005550006', Body: 'x' }, 21604, "A 'To' phone number is required."],
    ['no From', { To: '+15558675310', Body: 'x' }, 21603, "A 'From' phone number is required."],
    ['no Body', { To: '+15558675310', From: '+15005550006' }, 21602, 'Message body is required.'],
    ['1601 chars', { To: '+15558675310', From: '+15005550006', Body: 'x'.repeat(1601) }, 21617, undefined],
    [
      '_ in callback host',
      { To: '+15558675310', From: '+15005550006', Body: 'x', StatusCallback: 'https://my_host.example.com/s' },
      21609,
      undefined,
    ],
    ['magic +15005550002', { To: '+15005550002', From: '+15005550006', Body: 'x' }, 21612, undefined],
    ['magic +15005550003', { To: '+15005550003', From: '+15005550006', Body: 'x' }, 21408, undefined],
    [
      'magic +15005550004',
      { To: '+15005550004', From: '+15005550006', Body: 'x' },
      21610,
      'Attempt to send to unsubscribed recipient',
    ],
    ['magic +15005550009', { To: '+15005550009', From: '+15005550006', Body: 'x' }, 21614, undefined],
    ['not a number', { To: 'not-a-number', From: '+15005550006', Body: 'x' }, 21211, undefined],
  ])('validates the create like Twilio: %s', async (_label, form, code, message) => {
    const res = await post(form);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code, status: 400, more_info: `https://www.twilio.com/docs/errors/${code}` });
    if (message) expect(res.json).toMatchObject({ message });
  });

  it('ignores a body that is not a form, as Twilio does', async () => {
    const res = await raw('POST', `/2010-04-01/Accounts/${SID}/Messages.json`, JSON.stringify({ To: '+1555' }), {
      'content-type': 'application/json',
      ...basic(),
    });
    expect(res.json).toMatchObject({ code: 21604 });
  });

  it('fetches the current resource, and 404s an unknown one', async () => {
    const created = await client.messages.create({ to: '+15558675310', from: '+15005550006', body: 'hi' });
    await fake.callbacksSettled();
    const fetched = await client.messages(created.sid).fetch();
    expect(fetched).toMatchObject({ sid: created.sid, status: 'delivered', priceUnit: 'USD' });
    expect(fetched.dateSent).toBeInstanceOf(Date);
    const missing = await client
      .messages(`SM${'0'.repeat(32)}`)
      .fetch()
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: 20404 });
  });

  it('calls back sent then delivered, signed so that the official validator accepts it', async () => {
    hits.length = 0;
    const m = await client.messages.create({
      to: '+15558675310',
      from: '+15005550006',
      body: 'hi',
      statusCallback: hookUrl,
    });
    await fake.callbacksSettled();
    expect(hits.map((h) => new URLSearchParams(h.body).get('MessageStatus'))).toEqual(['sent', 'delivered']);
    for (const h of hits) {
      const params = Object.fromEntries(new URLSearchParams(h.body));
      expect(params).toMatchObject({
        AccountSid: SID,
        ApiVersion: '2010-04-01',
        MessageSid: m.sid,
        SmsSid: m.sid,
        To: '+15558675310',
      });
      expect(validateRequest(TOKEN, String(h.headers['x-twilio-signature']), h.url, params)).toBe(true);
      expect(h.headers['i-twilio-idempotency-token']).toBeTruthy();
      expect(h.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    }
    expect(new URLSearchParams(hits[1]?.body).get('RawDlrDoneDate')).toMatch(/^\d{10}$/);
    expect(fake.callbacks.filter((c) => c.sid === m.sid).map((c) => c.httpStatus)).toEqual([204, 204]);
  });

  it('ends a ruled number undelivered (with ErrorCode) or failed', async () => {
    hits.length = 0;
    fake.respondTo('+15558675399', { outcome: 'undelivered', errorCode: 30005 });
    fake.respondTo('+15558675398', { outcome: 'failed' });
    await client.messages.create({ to: '+15558675399', from: '+15005550006', body: 'a', statusCallback: hookUrl });
    await client.messages.create({ to: '+15558675398', from: '+15005550006', body: 'b', statusCallback: hookUrl });
    await fake.callbacksSettled();
    const seen = hits.map((h) => Object.fromEntries(new URLSearchParams(h.body)));
    expect(seen.filter((p) => p.To === '+15558675399').map((p) => [p.MessageStatus, p.ErrorCode])).toEqual([
      ['sent', undefined],
      ['undelivered', '30005'],
    ]);
    expect(seen.filter((p) => p.To === '+15558675398').map((p) => [p.MessageStatus, p.ErrorCode])).toEqual([
      ['failed', '30008'],
    ]);
  });

  it('injects faults: errors with Retry-After, resets, garbage, per-number refusals', async () => {
    fake.failNext(1, { status: 429, code: 20429, message: 'Too Many Requests', retryAfter: 3 });
    const limited = await post({ To: '+15558675310', From: '+15005550006', Body: 'x' });
    expect(limited).toMatchObject({ status: 429, retryAfter: '3', json: { code: 20429 } });

    fake.resetNext(1);
    await expect(post({ To: '+15558675310', From: '+15005550006', Body: 'x' })).rejects.toThrow();

    fake.malformedNext(1);
    const garbage = await post({ To: '+15558675310', From: '+15005550006', Body: 'x' });
    expect(garbage.status).toBe(201);
    expect(garbage.json).toBeUndefined();

    fake.respondTo('+15558675377', {
      error: { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' },
    });
    expect((await post({ To: '+15558675377', From: '+15005550006', Body: 'x' })).json).toMatchObject({ code: 21610 });
  });

  async function post(form: Record<string, string>, auth: Record<string, string> = basic()) {
    return raw('POST', `/2010-04-01/Accounts/${SID}/Messages.json`, new URLSearchParams(form).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      ...auth,
    });
  }

  async function raw(method: 'GET' | 'POST', path: string, body: string, headers: Record<string, string>) {
    const res = await request(`${fake.url}${path}`, { method, body, headers });
    const text = await res.body.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, retryAfter: res.headers['retry-after'], json };
  }
});

function basic(): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}` };
}
