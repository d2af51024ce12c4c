/**
 * No secret and no unmasked phone number in any log line. A full flow runs with the production
 * logger at `debug`, captured in memory: sends through the fake Twilio (one with a one-time code in
 * its body, one from a template with the code in its data), Twilio's signed status callbacks, an
 * inbound reply, STOP, a refused send, a bad key, a query by number, and signed deliveries to a
 * webhook endpoint. Then every line is searched for the raw numbers (in every spelling), the Twilio
 * auth token, the API keys, the webhook secret and the codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { createApiKey } from '../../src/app/api-keys.js';
import { createLogger } from '../../src/observability/logger.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio/index.js';
import { startTidings, TEST_KEY, waitFor, type Tidings } from '../support/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const SID = `AC${'5e'.repeat(16)}`;
const TOKEN = 'log-hygiene-twilio-token-0123456';
const TO = '+14155550377';
const OTHER = '+14155550388';
const CODE = '482916';
const TEMPLATE_CODE = '731845';

describe('log hygiene over a full end-to-end run at debug level', () => {
  const lines: string[] = [];
  let fake: FakeTwilio;
  let receiver: WebhookReceiver;
  let t: Tidings;
  const secrets: Record<string, string> = { 'Twilio auth token': TOKEN, 'env API key': TEST_KEY };

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: SID, authToken: TOKEN, callbackDelayMs: 10 });
    receiver = await startWebhookReceiver(204);
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => lines.push(line) } });
    t = await startTidings(
      {
        TIDINGS_PROVIDERS: `twilio://${SID}:${TOKEN}@+15005550006?baseUrl=${encodeURIComponent(fake.url)}`,
        TIDINGS_LOG_LEVEL: 'debug',
      },
      { logger },
    );
  });
  afterAll(async () => {
    await t.stop();
    await fake.close();
    await receiver.close();
  });

  it('runs the flow, then finds no secret, code or raw number in any line', async () => {
    const endpoint = await t.api('POST', '/v1/webhooks', { url: `${receiver.url}/tidings` });
    expect(endpoint.status).toBe(201);
    secrets['webhook secret'] = endpoint.body.secret;
    const sender = await createApiKey(t.rt.deps, 'hygiene', 'send');
    secrets['send API key'] = sender.key;
    await t.api('PUT', '/v1/templates/login', { body: 'Your login code is {{ code }}.' });

    const otp = await t.api(
      'POST',
      '/v1/messages',
      { to: TO, body: `Your code is ${CODE}`, purpose: 'otp' },
      {
        authorization: `Bearer ${sender.key}`,
      },
    );
    expect(otp.status).toBe(202);
    const templated = await t.api('POST', '/v1/messages', {
      to: OTHER,
      template: 'login',
      data: { code: TEMPLATE_CODE },
    });
    expect(templated.status).toBe(202);
    for (const id of [otp.body.id, templated.body.id]) {
      await waitFor(
        () => t.api('GET', `/v1/messages/${id}`),
        (r) => r.body.status === 'delivered',
      );
    }

    const inbound = async (body: string, sid: string) => {
      const url = `${t.url}/webhooks/twilio/inbound`;
      const params = { MessageSid: sid, AccountSid: SID, From: TO, To: '+15005550006', Body: body, NumMedia: '0' };
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, url, params),
        },
        body: new URLSearchParams(params).toString(),
      });
      expect(res.status).toBe(200);
    };
    await inbound(`thanks, got ${CODE}`, `SM${'7'.repeat(32)}`);
    await inbound('STOP', `SM${'8'.repeat(32)}`);
    const refused = await t.api('POST', '/v1/messages', { to: TO, body: `again ${CODE}` });
    expect(refused.body.error.code).toBe('recipient_suppressed');

    // Failures that tend to log what they were given.
    expect((await t.api('GET', '/v1/messages', undefined, { authorization: `Bearer ${sender.key}x` })).status).toBe(
      401,
    );
    expect((await t.api('GET', `/v1/messages?to=${encodeURIComponent(TO)}`)).status).toBe(200);
    expect((await t.api('GET', `/v1/suppressions/${encodeURIComponent(TO)}`)).status).toBe(200);
    await t.api('POST', '/v1/messages', `{"to": "${TO}", "body": "${CODE}"`);
    const forged = await fetch(`${t.url}/webhooks/twilio/status?To=${encodeURIComponent(TO)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
      body: new URLSearchParams({ To: TO, Body: CODE }).toString(),
    });
    expect(forged.status).toBe(403);

    await waitFor(
      async () => receiver.accepted().length,
      (n) => n >= 4,
    );

    // The run did log, and at debug level: an empty capture would pass the search trivially.
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.some((l) => l.includes('"level":"debug"'))).toBe(true);
    // The numbers were logged, masked (+14155****0377): the search below looks where they would be.
    expect(lines.some((l) => l.includes(`****${TO.slice(-4)}`))).toBe(true);

    const spellings = (e164: string) => [e164, e164.slice(1), e164.slice(2), encodeURIComponent(e164)];
    const forbidden: Record<string, string> = { ...secrets, 'one-time code': CODE, 'template code': TEMPLATE_CODE };
    for (const n of [TO, OTHER]) for (const s of spellings(n)) forbidden[`number ${s}`] = s;
    const leaks = Object.entries(forbidden).flatMap(([what, needle]) =>
      lines.filter((l) => l.includes(needle)).map((l) => `${what}: ${l.slice(0, 400)}`),
    );
    expect(leaks).toEqual([]);
  });
});
