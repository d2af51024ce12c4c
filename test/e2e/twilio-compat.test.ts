/* eslint-disable @typescript-eslint/no-explicit-any -- raw Twilio JSON is checked field by field and against the schema */
/**
 * The Twilio-compatible API end to end, with Twilio's OFFICIAL Node SDK as the client, pointed at
 * Tidings by one line (`client.api.baseUrl = …`, providers.md §1.8), and the simulated carrier
 * behind. Every request the SDK sends and every answer Tidings gives is validated against Twilio's
 * own OpenAPI description (extracts in test/fakes/twilio/), and status callbacks are checked with
 * the SDK's own `validateRequest`, as a receiver written for Twilio would.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storageBackends } from '../support/backends.js';
import { startTidings, waitFor, type Tidings } from '../support/harness.js';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../support/webhook-receiver.js';

// Twilio's OpenAPI description, as extracted beside the fake Twilio (see each file's $comment).
const resourceExtract = JSON.parse(
  readFileSync(new URL('../fakes/twilio/message-schema.json', import.meta.url), 'utf8'),
) as { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
const operationsExtract = JSON.parse(
  readFileSync(new URL('../fakes/twilio/messages-api-schema.json', import.meta.url), 'utf8'),
) as {
  paths: Record<string, { get: { parameters: { name: string; schema: object }[] } }>;
  components: { schemas: Record<string, object> };
};
const oai = {
  components: { schemas: { ...resourceExtract.components.schemas, ...operationsExtract.components.schemas } },
};
const MESSAGE = 'api.v2010.account.message';
const MESSAGE_PROPERTIES = Object.keys(resourceExtract.components.schemas[MESSAGE]?.properties ?? {}).sort();

function withTwilioFormats(ajv: Ajv): Ajv {
  ajv.addVocabulary(['components', 'paths', 'x-twilio']);
  ajv.addFormat(
    'date-time-rfc-2822',
    /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/,
  );
  ajv.addFormat('phone-number', /^(\+[1-9]\d{6,14}|[a-z]+:.+|[A-Za-z0-9 ]{1,11})$/);
  ajv.addFormat('currency', /^[A-Za-z]{3}$/);
  ajv.addFormat('uri-map', true);
  ajv.addFormat('int64', true);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/);
  // Twilio's own examples give the *_uri fields as paths ("/2010-04-01/…"), so "uri" is a reference.
  ajv.addFormat('uri', (s: string) => {
    try {
      new URL(s, 'https://api.twilio.com');
      return true;
    } catch {
      return false;
    }
  });
  return ajv;
}
// Answers are JSON and are checked strictly; form fields and query strings are text on the wire, so
// their booleans and integers are checked as the server reads them (coerced).
const strict = withTwilioFormats(new Ajv({ allErrors: true, strict: false }));
strict.addSchema(oai, 'twilio-oai');
const coercing = withTwilioFormats(new Ajv({ allErrors: true, strict: false, coerceTypes: true }));
coercing.addSchema(oai, 'twilio-oai');
const validateMessage = strict.getSchema(`twilio-oai#/components/schemas/${MESSAGE}`)!;
const validateList = strict.getSchema('twilio-oai#/components/schemas/ListMessageResponse')!;
const validateCreateRequest = coercing.getSchema('twilio-oai#/components/schemas/CreateMessageRequest')!;
const listParameters = operationsExtract.paths['/2010-04-01/Accounts/{AccountSid}/Messages.json']!.get.parameters;
const validateListQuery = coercing.compile({
  type: 'object',
  properties: Object.fromEntries(listParameters.filter((p) => p.name !== 'AccountSid').map((p) => [p.name, p.schema])),
  additionalProperties: false,
});

function expectValid(validate: { (v: unknown): boolean; errors?: unknown }, value: unknown): void {
  const ok = validate(value);
  expect(validate.errors ?? null, JSON.stringify(value)).toBeNull();
  expect(ok).toBe(true);
}

function expectMessageResource(json: any): void {
  expectValid(validateMessage, json);
  expect(Object.keys(json).sort()).toEqual(MESSAGE_PROPERTIES);
}

/** What the SDK sent and what it got back, recorded by an httpClient that then does the real work. */
interface Exchange {
  method: string;
  uri: string;
  data: Record<string, unknown> | undefined;
  status: number;
  body: any;
}

class RecordingClient extends twilio.RequestClient {
  readonly exchanges: Exchange[] = [];
  override async request(opts: Parameters<twilio.RequestClient['request']>[0]): Promise<any> {
    const res = await super.request(opts);
    this.exchanges.push({
      method: String(opts.method).toUpperCase(),
      uri: opts.uri,
      data: opts.data as Record<string, unknown> | undefined,
      status: res.statusCode,
      body: res.body,
    });
    return res;
  }
}

const FROM = '+15017122661';
const form = (r: ReceivedWebhook): Record<string, string> => Object.fromEntries(new URLSearchParams(r.body));

describe.each(await storageBackends())(
  'Twilio-compatible API, driven by the official twilio SDK, on $name',
  (backend) => {
    let t: Tidings;
    let receiver: WebhookReceiver;
    let sid: string;
    let token: string;
    let http: RecordingClient;
    let client: ReturnType<typeof twilio>;

    const sdk = (accountSid: string, authToken: string, opts: { accountSid?: string } = {}) => {
      const c = twilio(accountSid, authToken, { ...opts, httpClient: http, autoRetry: false });
      c.api.baseUrl = t.url; // the one line a Twilio user changes
      return c;
    };
    const issue = async (role: 'send' | 'read') => {
      const res = await t.api('POST', '/v1/twilio-compat/accounts', { name: `e2e ${role}`, role });
      expect(res.status).toBe(201);
      return res.body as { accountSid: string; authToken: string };
    };
    const callbacksFor = (messageSid: string) => receiver.received.filter((r) => form(r)['MessageSid'] === messageSid);

    beforeAll(async () => {
      receiver = await startWebhookReceiver(200);
      t = await startTidings(
        { TIDINGS_PROVIDERS: 'sim://?latency=5ms&deliverAfter=80ms', TIDINGS_WEBHOOK_RETRY_SCHEDULE: '50ms,50ms,50ms' },
        { backend },
      );
      ({ accountSid: sid, authToken: token } = await issue('send'));
      http = new RecordingClient();
      client = sdk(sid, token);
    });
    beforeEach(() => {
      http.exchanges.length = 0;
    });
    afterAll(async () => {
      await t?.stop();
      await receiver?.close();
    });

    it('issues credentials shaped like Twilio’s, shows the token once, and lists them without it', async () => {
      expect(sid).toMatch(/^AC[0-9a-f]{32}$/);
      expect(token).toMatch(/^[0-9a-f]{32}$/);
      const list = await t.api('GET', '/v1/twilio-compat/accounts');
      expect(list.status).toBe(200);
      const mine = list.body.data.find((a: any) => a.accountSid === sid);
      expect(mine).toMatchObject({ role: 'send', revokedAt: null });
      expect(JSON.stringify(list.body)).not.toContain(token);
    });

    it('creates a message: 201 with the Message resource Twilio documents, from the form the SDK sends', async () => {
      const msg = await client.messages.create({ to: '+14155552671', from: FROM, body: 'Your table is booked.' });
      expect(msg.sid).toMatch(/^SM[0-9a-f]{32}$/);
      expect(msg).toMatchObject({
        accountSid: sid,
        to: '+14155552671',
        from: FROM,
        body: 'Your table is booked.',
        status: 'queued',
        numSegments: '1',
        numMedia: '0',
        direction: 'outbound-api',
        apiVersion: '2010-04-01',
        errorCode: null,
        dateSent: null,
        uri: `/2010-04-01/Accounts/${sid}/Messages/${msg.sid}.json`,
      });
      expect(msg.dateCreated).toBeInstanceOf(Date);
      const [exchange] = http.exchanges;
      expect(exchange).toMatchObject({
        method: 'POST',
        uri: `${t.url}/2010-04-01/Accounts/${sid}/Messages.json`,
        status: 201,
      });
      expectValid(validateCreateRequest, exchange!.data);
      expectMessageResource(exchange!.body);
    });

    it('the SID is the message: Tidings’ own API shows the same message, sent by the simulator', async () => {
      const msg = await client.messages.create({ to: '+14155552672', from: FROM, body: 'Same message' });
      const v1 = await t.api('GET', '/v1/messages?to=%2B14155552672');
      expect(v1.body.data).toHaveLength(1);
      const done = await waitFor(
        () => client.messages(msg.sid).fetch(),
        (m) => m.status === 'delivered',
      );
      expect(done.dateSent).toBeInstanceOf(Date);
      expect((await t.api('GET', `/v1/messages/${v1.body.data[0].id}`)).body.status).toBe('delivered');
      const fetched = http.exchanges.filter((e) => e.method === 'GET');
      expect(fetched.length).toBeGreaterThan(0);
      for (const e of fetched) expectMessageResource(e.body);
    });

    it('posts Twilio-signed status callbacks to StatusCallback: sent, then delivered', async () => {
      const url = `${receiver.url}/twilio/status?tenant=7`;
      const msg = await client.messages.create({
        to: '+14155552673',
        from: FROM,
        body: 'Track me',
        statusCallback: url,
      });
      expect(msg.status).toBe('queued');
      await waitFor(
        async () => callbacksFor(msg.sid).map((r) => form(r)['MessageStatus']),
        (s) => s.includes('delivered'),
      );
      const got = callbacksFor(msg.sid);
      expect(got.map((r) => form(r)['MessageStatus'])).toEqual(['sent', 'delivered']);
      for (const r of got) {
        const params = form(r);
        const signature = String(r.headers['x-twilio-signature']);
        expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
        expect(r.path).toBe('/twilio/status?tenant=7');
        expect(twilio.validateRequest(token, signature, url, params)).toBe(true);
        expect(twilio.validateRequest('0'.repeat(32), signature, url, params)).toBe(false);
        expect(twilio.validateRequest(token, signature, url, { ...params, MessageStatus: 'failed' })).toBe(false);
        expect(params).toMatchObject({
          MessageSid: msg.sid,
          SmsSid: msg.sid,
          AccountSid: sid,
          From: FROM,
          To: '+14155552673',
          ApiVersion: '2010-04-01',
        });
        expect(params['SmsStatus']).toBe(params['MessageStatus']);
        expect(params['ErrorCode']).toBeUndefined();
      }
    });

    it('a carrier failure reaches the callback with its ErrorCode, and the resource with error_code', async () => {
      const url = `${receiver.url}/failed`;
      const msg = await client.messages.create({
        to: '+14155550007',
        from: FROM,
        body: 'Filtered',
        statusCallback: url,
      });
      await waitFor(
        async () => callbacksFor(msg.sid).map((r) => form(r)['MessageStatus']),
        (s) => s.includes('failed'),
      );
      const failed = callbacksFor(msg.sid).find((r) => form(r)['MessageStatus'] === 'failed')!;
      expect(form(failed)['ErrorCode']).toBe('30007');
      expect(twilio.validateRequest(token, String(failed.headers['x-twilio-signature']), url, form(failed))).toBe(true);
      const fetched = await client.messages(msg.sid).fetch();
      expect(fetched).toMatchObject({ status: 'failed', errorCode: 30007 });
    });

    it('retries a callback the receiver refused, with the same idempotency token, until it is taken', async () => {
      receiver.answer(500, 503);
      const url = `${receiver.url}/flaky`;
      const msg = await client.messages.create({
        to: '+14155552674',
        from: FROM,
        body: 'Retry me',
        statusCallback: url,
      });
      await waitFor(
        async () =>
          callbacksFor(msg.sid)
            .filter((r) => r.answer === 200)
            .map((r) => form(r)['MessageStatus']),
        (s) => s.includes('sent') && s.includes('delivered'),
      );
      const sent = callbacksFor(msg.sid).filter((r) => form(r)['MessageStatus'] === 'sent');
      expect(sent.length).toBeGreaterThanOrEqual(2);
      expect(new Set(sent.map((r) => r.headers['i-twilio-idempotency-token'])).size).toBe(1);
    });

    it('lists an account’s messages newest first, in Twilio’s pages, and the SDK follows next_page_uri', async () => {
      const to = '+14155552675';
      const sids: string[] = [];
      for (let i = 0; i < 5; i++) sids.push((await client.messages.create({ to, from: FROM, body: `n${i}` })).sid);
      http.exchanges.length = 0;
      const all = await client.messages.list({ to, pageSize: 2 });
      expect(all.map((m) => m.sid)).toEqual([...sids].reverse());
      const pages = http.exchanges;
      expect(pages).toHaveLength(3);
      for (const p of pages) {
        expect(p.status).toBe(200);
        expectValid(validateList, p.body);
        for (const m of p.body.messages) expectMessageResource(m);
        const query = Object.fromEntries(new URL(p.uri).searchParams);
        expectValid(validateListQuery, query);
      }
      expect(pages.map((p) => p.body.messages.length)).toEqual([2, 2, 1]);
      expect(pages[0]!.body).toMatchObject({
        page: 0,
        page_size: 2,
        start: 0,
        end: 1,
        previous_page_uri: null,
        first_page_uri: `/2010-04-01/Accounts/${sid}/Messages.json?To=%2B14155552675&PageSize=2&Page=0`,
        uri: `/2010-04-01/Accounts/${sid}/Messages.json?To=%2B14155552675&PageSize=2&Page=0`,
        next_page_uri: `/2010-04-01/Accounts/${sid}/Messages.json?To=%2B14155552675&PageSize=2&Page=1&PageToken=PA${sids[3]}`,
      });
      expect(pages[2]!.body).toMatchObject({ page: 2, start: 4, end: 4, next_page_uri: null });
      expect(pages[1]!.body.previous_page_uri).toBe(
        `/2010-04-01/Accounts/${sid}/Messages.json?To=%2B14155552675&PageSize=2&Page=0&PageToken=PB${sids[2]}`,
      );

      // And back: the SDK follows previous_page_uri to the same messages it read going forwards.
      const firstPage = await client.messages.page({ to, pageSize: 2 });
      const second = await firstPage.nextPage();
      const third = await second!.nextPage();
      const backToSecond = await third!.previousPage();
      const backToFirst = await backToSecond!.previousPage();
      expect(backToSecond!.instances.map((m) => m.sid)).toEqual([sids[2], sids[1]]);
      expect(backToFirst!.instances.map((m) => m.sid)).toEqual([sids[4], sids[3]]);
      expect(http.exchanges[http.exchanges.length - 1]!.body.previous_page_uri).toBeNull();

      const limited = await client.messages.list({ to, limit: 3 });
      expect(limited.map((m) => m.sid)).toEqual(sids.slice(2).reverse());
    });

    it('filters by From and by DateSent', async () => {
      const to = '+14155552676';
      const other = '+15005550006';
      const a = await client.messages.create({ to, from: other, body: 'from the other number' });
      await client.messages.create({ to, from: FROM, body: 'from the usual number' });
      expect((await client.messages.list({ to, from: other })).map((m) => m.sid)).toEqual([a.sid]);
      await waitFor(
        () => client.messages(a.sid).fetch(),
        (m) => m.dateSent !== null,
      );
      const today = new Date();
      const dayAfter = new Date(Date.now() + 86_400_000);
      expect((await client.messages.list({ to, from: other, dateSent: today })).map((m) => m.sid)).toEqual([a.sid]);
      expect(await client.messages.list({ to, from: other, dateSentAfter: dayAfter })).toEqual([]);
      expect((await client.messages.list({ to, from: other, dateSentBefore: dayAfter })).map((m) => m.sid)).toEqual([
        a.sid,
      ]);
    });

    it('schedules with SendAt and ScheduleType=fixed', async () => {
      const sendAt = new Date(Date.now() + 3_600_000);
      const msg = await client.messages.create({
        to: '+14155552677',
        messagingServiceSid: `MG${'ab'.repeat(16)}`,
        body: 'Later',
        sendAt,
        scheduleType: 'fixed',
      });
      expect(msg).toMatchObject({ status: 'scheduled', messagingServiceSid: `MG${'ab'.repeat(16)}`, from: null });
      expectValid(validateCreateRequest, http.exchanges[0]!.data);
      expectMessageResource(http.exchanges[0]!.body);
    });

    describe('errors, as the SDK raises them (RestException with Twilio’s code)', () => {
      const refusal = async (p: Promise<unknown>) => {
        const err: any = await p.then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(twilio.RestException);
        const last = http.exchanges[http.exchanges.length - 1]!;
        expect(Object.keys(last.body).sort()).toEqual(['code', 'message', 'more_info', 'status']);
        expect(last.body.status).toBe(last.status);
        expect(last.body.more_info).toBe(`https://www.twilio.com/docs/errors/${last.body.code}`);
        return { code: err.code as number, status: err.status as number, message: err.message as string };
      };

      it('21211: the To number is not valid', async () => {
        const e = await refusal(client.messages.create({ to: '+1555', from: FROM, body: 'x' }));
        expect(e).toMatchObject({ code: 21211, status: 400 });
        expect(e.message).toContain('+1555');
      });

      it('21610: the recipient opted out (on the suppression list)', async () => {
        expect((await t.api('PUT', '/v1/suppressions/+14155552678', { reason: 'opted_out' })).status).toBeLessThan(300);
        const e = await refusal(client.messages.create({ to: '+14155552678', from: FROM, body: 'x' }));
        expect(e).toMatchObject({ code: 21610, status: 400, message: 'Attempt to send to unsubscribed recipient' });
      });

      it('21602 without Body, 21603 without From or MessagingServiceSid, 21617 over 1,600 characters', async () => {
        expect(await refusal(client.messages.create({ to: '+14155552679', from: FROM }))).toMatchObject({
          code: 21602,
          status: 400,
        });
        expect(await refusal(client.messages.create({ to: '+14155552679', body: 'x' }))).toMatchObject({
          code: 21603,
          status: 400,
        });
        expect(
          await refusal(client.messages.create({ to: '+14155552679', from: FROM, body: 'a'.repeat(1601) })),
        ).toMatchObject({ code: 21617, status: 400 });
      });

      it('21604 without To (a raw request: the SDK itself insists on To)', async () => {
        const res = await fetch(`${t.url}/2010-04-01/Accounts/${sid}/Messages.json`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ From: FROM, Body: 'x' }).toString(),
        });
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({
          code: 21604,
          message: "A 'To' phone number is required.",
          more_info: 'https://www.twilio.com/docs/errors/21604',
          status: 400,
        });
      });

      it('21609: a StatusCallback that is not a usable URL', async () => {
        expect(
          await refusal(
            client.messages.create({
              to: '+14155552679',
              from: FROM,
              body: 'x',
              statusCallback: 'http://example.com/s',
            }),
          ),
        ).toMatchObject({ code: 21609, status: 400 });
      });

      it('nothing is stored for a refused message', async () => {
        await refusal(client.messages.create({ to: '+14155552680', from: FROM, body: 'a'.repeat(1601) }));
        expect(await client.messages.list({ to: '+14155552680' })).toEqual([]);
        expect((await t.api('GET', '/v1/messages?to=%2B14155552680')).body.data).toEqual([]);
      });

      it('20003: a wrong token, an unknown account, or another account’s path', async () => {
        expect(await refusal(sdk(sid, 'f'.repeat(32)).messages.list({ limit: 1 }))).toMatchObject({
          code: 20003,
          status: 401,
        });
        expect(await refusal(sdk(`AC${'1'.repeat(32)}`, token).messages.list({ limit: 1 }))).toMatchObject({
          code: 20003,
          status: 401,
        });
        const other = await issue('send');
        expect(
          await refusal(sdk(sid, token, { accountSid: other.accountSid }).messages.list({ limit: 1 })),
        ).toMatchObject({ code: 20003, status: 401 });
      });

      it('20003 (403): a read credential reads but does not send', async () => {
        const reader = await issue('read');
        const readOnly = sdk(reader.accountSid, reader.authToken);
        expect(await readOnly.messages.list({ limit: 1 })).toEqual([]);
        expect(await refusal(readOnly.messages.create({ to: '+14155552681', from: FROM, body: 'x' }))).toMatchObject({
          code: 20003,
          status: 403,
        });
      });

      it('20404: an unknown SID, and a message of another account or of /v1', async () => {
        expect(await refusal(client.messages(`SM${'0'.repeat(32)}`).fetch())).toMatchObject({
          code: 20404,
          status: 404,
        });
        const other = await issue('send');
        const theirs = await sdk(other.accountSid, other.authToken).messages.create({
          to: '+14155552682',
          from: FROM,
          body: 'not yours',
        });
        expect(await refusal(client.messages(theirs.sid).fetch())).toMatchObject({ code: 20404, status: 404 });
        expect(await client.messages.list({ to: '+14155552682' })).toEqual([]);
      });

      it('a revoked credential stops working', async () => {
        const gone = await issue('send');
        const c = sdk(gone.accountSid, gone.authToken);
        expect(await c.messages.list({ limit: 1 })).toEqual([]);
        expect((await t.api('DELETE', `/v1/twilio-compat/accounts/${gone.accountSid}`)).status).toBe(204);
        expect(await refusal(c.messages.list({ limit: 1 }))).toMatchObject({ code: 20003, status: 401 });
      });
    });
  },
);

describe('Twilio-compatible API under limits and on unknown paths', () => {
  let t: Tidings;
  beforeAll(async () => {
    t = await startTidings({ TIDINGS_API_REQUEST_LIMIT: '3/1m' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('counts each account’s requests like an API key’s, and answers 20429 with Retry-After past the limit', async () => {
    const { accountSid, authToken } = (await t.api('POST', '/v1/twilio-compat/accounts', { role: 'read' })).body;
    const client = twilio(accountSid, authToken, { autoRetry: false });
    client.api.baseUrl = t.url;
    for (let i = 0; i < 3; i++) expect(await client.messages.list({ limit: 1 })).toEqual([]);
    const err: any = await client.messages.list({ limit: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(twilio.RestException);
    expect({ code: err.code, status: err.status }).toEqual({ code: 20429, status: 429 });
    const raw = await fetch(`${t.url}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
      headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}` },
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers an unknown resource under /2010-04-01 with Twilio’s 20404', async () => {
    const res = await fetch(`${t.url}/2010-04-01/Accounts/AC${'0'.repeat(32)}/Calls.json`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 20404, status: 404 });
  });
});
