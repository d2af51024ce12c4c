import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import twilio from 'twilio';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from './index.js';
import { readTwiml } from './twiml.js';

// The Calls half of the fake, checked from the outside with Twilio's OFFICIAL SDK as the client.
const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'f00dbabef00dbabef00dbabef00dbabe';
const SCHEMA_NAME = 'api.v2010.account.call';
const TWIML = '<Response><Say language="en-US" voice="Google.en-US-Standard-A">Your code is 1 2 3.</Say></Response>';

const extract = JSON.parse(readFileSync(new URL('./call-schema.json', import.meta.url), 'utf8')) as {
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};
const ajv = new Ajv({ allErrors: true });
ajv.addVocabulary(['components', 'x-twilio']);
ajv.addFormat(
  'date-time-rfc-2822',
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/,
);
ajv.addFormat('currency', /^[A-Z]{3}$/);
ajv.addFormat('uri-map', true);
ajv.addSchema(extract, 'twilio-oai-call');
const validateCall = ajv.getSchema(`twilio-oai-call#/components/schemas/${SCHEMA_NAME}`);
const schemaProperties = Object.keys(extract.components.schemas[SCHEMA_NAME]?.properties ?? {}).sort();

interface Hit {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('fake Twilio Calls, seen through the official SDK', () => {
  let fake: FakeTwilio;
  let client: twilio.Twilio;
  let hooks: Server;
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
        hits.push({ method: req.method ?? '', url: `${origin}${req.url ?? ''}`, headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
    hookUrl = `${origin}/webhooks/twilio-voice/status?tenant=a`;
  });
  beforeEach(() => {
    hits.length = 0;
  });
  afterAll(async () => {
    await fake.close();
    await new Promise<void>((r) => hooks.close(() => r()));
  });

  it('creates a call the SDK parses, logs what its TwiML reads, and fetches it later', async () => {
    const call = await client.calls.create({ to: '+15558675310', from: '+15005550006', twiml: TWIML });
    expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(call).toMatchObject({ accountSid: SID, status: 'queued', to: '+15558675310', from: '+15005550006' });
    expect(call.dateCreated).toBeInstanceOf(Date);
    expect(fake.calls.at(-1)).toMatchObject({
      sid: call.sid,
      twimlError: null,
      said: [{ text: 'Your code is 1 2 3.', language: 'en-US', voice: 'Google.en-US-Standard-A' }],
      statusCallbackEvents: ['completed'],
    });
    await fake.callbacksSettled();
    const fetched = await client.calls(call.sid).fetch();
    expect(fetched).toMatchObject({ sid: call.sid, status: 'completed', priceUnit: 'USD' });
    expect(Number(fetched.duration)).toBeGreaterThan(0);
  });

  it('answers 201 with every property of the OpenAPI Call schema, validly typed', async () => {
    expect(validateCall).toBeDefined();
    const res = await post({ To: '+15558675310', From: '+15005550006', Twiml: TWIML });
    expect(res.status).toBe(201);
    const json = res.json as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(schemaProperties);
    expect(validateCall?.(json), JSON.stringify(validateCall?.errors)).toBe(true);
    expect(json).toMatchObject({
      direction: 'outbound-api',
      api_version: '2010-04-01',
      to_formatted: '(555) 867-5310',
    });
    expect(json.uri).toBe(`/2010-04-01/Accounts/${SID}/Calls/${String(json.sid)}.json`);
  });

  it.each([
    ['no To', { From: '+15005550006', Twiml: TWIML }, 21201],
    ['no From', { To: '+15558675310', Twiml: TWIML }, 21213],
    ['no Url, Twiml or ApplicationSid', { To: '+15558675310', From: '+15005550006' }, 21205],
    ['a bad Url', { To: '+15558675310', From: '+15005550006', Url: 'ftp://x/y' }, 21205],
    ['Twiml over 4,000 characters', { To: '+15558675310', From: '+15005550006', Twiml: 'x'.repeat(4001) }, 20001],
    [
      'an unknown callback event',
      { To: '+15558675310', From: '+15005550006', Twiml: TWIML, StatusCallbackEvent: 'hungup' },
      20001,
    ],
    [
      '_ in the callback host',
      { To: '+15558675310', From: '+15005550006', Twiml: TWIML, StatusCallback: 'https://my_host.example.com/s' },
      21609,
    ],
    ['a To that is no number', { To: 'nope', From: '+15005550006', Twiml: TWIML }, 21211],
  ])('validates the create like Twilio: %s', async (_label, form, code) => {
    const before = fake.calls.length;
    const res = await post(form);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code, status: 400, more_info: `https://www.twilio.com/docs/errors/${code}` });
    expect(fake.calls.length).toBe(before);
  });

  it('refuses bad credentials with 401/20003', async () => {
    const bad = twilio(SID, 'nope');
    bad.api.baseUrl = fake.url;
    const err = await bad.calls
      .create({ to: '+15558675310', from: '+15005550006', twiml: TWIML })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, code: 20003 });
  });

  it('calls back only `completed` by default, signed so that the official validator accepts it', async () => {
    const call = await client.calls.create({
      to: '+15558675310',
      from: '+15005550006',
      twiml: TWIML,
      statusCallback: hookUrl,
    });
    await fake.callbacksSettled();
    expect(hits).toHaveLength(1);
    const hit = hits[0] as Hit;
    const params = Object.fromEntries(new URLSearchParams(hit.body));
    expect(params).toMatchObject({
      AccountSid: SID,
      CallSid: call.sid,
      CallStatus: 'completed',
      To: '+15558675310',
      From: '+15005550006',
      CallbackSource: 'call-progress-events',
      SipResponseCode: '200',
    });
    expect(Number(params.CallDuration)).toBeGreaterThan(0);
    expect(validateRequest(TOKEN, String(hit.headers['x-twilio-signature']), hit.url, params)).toBe(true);
    expect(validateRequest('another-token', String(hit.headers['x-twilio-signature']), hit.url, params)).toBe(false);
    expect(hit.headers['i-twilio-idempotency-token']).toBeTruthy();
    expect(fake.callCallbacks.filter((c) => c.sid === call.sid).map((c) => c.httpStatus)).toEqual([204]);
  });

  it('calls back every event asked for, in order, and by GET when asked', async () => {
    const call = await client.calls.create({
      to: '+15558675310',
      from: '+15005550006',
      twiml: TWIML,
      statusCallback: hookUrl,
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      statusCallbackMethod: 'GET',
    });
    await fake.callbacksSettled();
    expect(hits.map((h) => h.method)).toEqual(['GET', 'GET', 'GET', 'GET']);
    const statuses = hits.map((h) => new URL(h.url).searchParams.get('CallStatus'));
    expect(statuses).toEqual(['queued', 'ringing', 'in-progress', 'completed']);
    expect(hits.map((h) => new URL(h.url).searchParams.get('SequenceNumber'))).toEqual(['0', '1', '2', '3']);
    for (const h of hits) {
      expect(new URL(h.url).searchParams.get('CallSid')).toBe(call.sid);
      expect(validateRequest(TOKEN, String(h.headers['x-twilio-signature']), h.url, {})).toBe(true);
    }
  });

  it.each(['busy', 'no-answer', 'failed', 'canceled'] as const)('ends a ruled number %s', async (outcome) => {
    const to = `+1555867${['busy', 'no-answer', 'failed', 'canceled'].indexOf(outcome)}400`;
    fake.respondTo(to, { call: outcome });
    const call = await client.calls.create({ to, from: '+15005550006', twiml: TWIML, statusCallback: hookUrl });
    await fake.callbacksSettled();
    expect(hits.map((h) => new URLSearchParams(h.body).get('CallStatus'))).toEqual([outcome]);
    expect(new URLSearchParams(hits[0]?.body).get('CallDuration')).toBe('0');
    expect(fake.call(call.sid)).toMatchObject({ status: outcome, duration: '0', price: null });
  });

  it('fails a call whose TwiML does not parse, and says why', async () => {
    const call = await client.calls.create({
      to: '+15558675310',
      from: '+15005550006',
      twiml: '<Response><Say>Fish & chips</Say></Response>',
      statusCallback: hookUrl,
    });
    await fake.callbacksSettled();
    expect(fake.calls.find((c) => c.sid === call.sid)?.twimlError).toMatch(/&/);
    expect(hits.map((h) => new URLSearchParams(h.body).get('CallStatus'))).toEqual(['failed']);
  });

  it('refuses per number and injects faults on calls as on messages', async () => {
    fake.respondTo('+15558675377', { error: { status: 400, code: 21215, message: 'Geo permissions' } });
    expect((await post({ To: '+15558675377', From: '+15005550006', Twiml: TWIML })).json).toMatchObject({
      code: 21215,
    });
    fake.failNext(1, { status: 429, code: 20429, message: 'Too Many Requests', retryAfter: 2 });
    expect(await post({ To: '+15558675310', From: '+15005550006', Twiml: TWIML })).toMatchObject({
      status: 429,
      retryAfter: '2',
    });
    fake.resetNext(1);
    await expect(post({ To: '+15558675310', From: '+15005550006', Twiml: TWIML })).rejects.toThrow();
  });

  async function post(form: Record<string, string>) {
    const res = await request(`${fake.url}/2010-04-01/Accounts/${SID}/Calls.json`, {
      method: 'POST',
      body: new URLSearchParams(form).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`,
      },
    });
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

describe('readTwiml', () => {
  it('reads entities, attributes in either quote, and several Says', () => {
    expect(
      readTwiml(
        `<?xml version="1.0" encoding="UTF-8"?><Response><Say language='cmn-CN'>你好 &amp; &#x4F60;&lt;</Say><Pause length="1"/><Say>b&quot;</Say></Response>`,
      ),
    ).toEqual({
      ok: true,
      says: [
        { text: '你好 & 你<', language: 'cmn-CN', voice: null },
        { text: 'b"', language: null, voice: null },
      ],
    });
  });

  it.each([
    ['<Say>x</Say>', /root/],
    ['<Response><Say>x</Response>', /unbalanced/],
    ['<Response><Say>x</Say>', /never closed/],
    ['<Response>a < b</Response>', /"<"/],
    ['<Response><Say voice="a&b">x</Say></Response>', /"&"/],
    ['<Response/><Response/>', /one <Response>/],
    ['hello', /outside|no <Response>/],
  ])('refuses %s', (source, reason) => {
    const reading = readTwiml(source);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.reason).toMatch(reason);
  });
});
