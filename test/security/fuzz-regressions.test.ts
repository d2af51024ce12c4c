/**
 * Inputs `npm run fuzz` found breaking a property, kept as plain regression tests on the real app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTidings, TEST_KEY, type Tidings } from '../support/harness.js';

describe('fuzz findings', () => {
  let t: Tidings;
  beforeAll(async () => {
    t = await startTidings({
      TIDINGS_PROVIDERS:
        'twilio://AC00000000000000000000000000000000:regression-token-0123@+15005550006?baseUrl=http://127.0.0.1:9',
    });
  });
  afterAll(async () => t.stop());

  it('a Twilio callback with a parameter named constructor is refused as unsigned (it was a 500)', async () => {
    for (const payload of ['constructor=', '__proto__=x&MessageSid=SM1', 'hasOwnProperty=1&constructor=2']) {
      const res = await t.server.app.inject({
        method: 'POST',
        url: '/webhooks/twilio/status',
        payload,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('invalid_signature');
    }
  });

  it('a URL with invalid percent-encoding is a 400 validation_failed in our shape (it was Fastify’s)', async () => {
    for (const url of ['/v1/suppressions/%uD800', '/v1/messages/%E0%A4%A', '/2010-04-01/Accounts/%zz/Messages.json']) {
      const res = await t.server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TEST_KEY}` } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
  });

  it('the compat API reads constructor and __proto__ form fields as fields', async () => {
    const account = await t.api('POST', '/v1/twilio-compat/accounts', { name: 'regression' });
    const auth = `Basic ${Buffer.from(`${account.body.accountSid}:${account.body.authToken}`).toString('base64')}`;
    const res = await t.server.app.inject({
      method: 'POST',
      url: `/2010-04-01/Accounts/${account.body.accountSid}/Messages.json`,
      payload: '__proto__=x&constructor=y&To=%2B14155552671&From=%2B15005550006&Body=hi',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().body).toBe('hi');
  });
});
