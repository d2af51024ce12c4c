import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio/index.js';
import { twilioErrors } from '../fakes/twilio/twilio-errors.js';
import { startTidings, waitFor, type Tidings } from '../support/harness.js';

const SID = `AC${'a1'.repeat(16)}`;
const TOKEN = 'test-auth-token-0123456789abcdef';
const FROM = '+15005550006';

describe('end to end through the Twilio adapter and a fake Twilio', () => {
  let fake: FakeTwilio;
  let t: Tidings;

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: SID, authToken: TOKEN, callbackDelayMs: 20 });
    // The seed's own variables, pointed at the fake by TWILIO_BASE_URL.
    t = await startTidings({
      TIDINGS_PROVIDERS: '',
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_PHONE_NUMBER: FROM,
      TWILIO_BASE_URL: fake.url,
      TIDINGS_RETRY_BASE_DELAY: '50ms',
      TIDINGS_RETRY_MAX_DELAY: '200ms',
      TIDINGS_RETRY_MAX_ATTEMPTS: '5',
    });
  });
  afterEach(() => fake.callbacksSettled());
  afterAll(async () => {
    await t.stop();
    await fake.close();
  });

  const get = async (id: string) => (await t.api('GET', `/v1/messages/${id}`)).body;
  const send = async (to: string, body: string) => {
    const res = await t.api('POST', '/v1/messages', { to, body });
    expect(res.status).toBe(202);
    return res.body.id as string;
  };

  it('uses the Twilio provider configured by TWILIO_* variables', () => {
    expect(t.rt.deps.providers.map((p) => p.id)).toEqual(['twilio:primary']);
    expect(t.rt.deps.providers[0]?.describe()).not.toContain(TOKEN);
  });

  it('applies callbacks that overtake the send they report on, once the send is recorded', async () => {
    // The fake calls back (sent, delivered) 20 ms after accepting, but answers us only after 1.5 s.
    fake.respondTo('+14155552699', { answerDelayMs: 1_500 });
    const id = await send('+14155552699', 'Your table is booked');
    const mine = () => fake.callbacks.filter((c) => fake.message(c.sid)?.to === '+14155552699');
    // Both callbacks were answered while our send still waited for the fake's answer.
    const early = await waitFor(
      async () => mine(),
      // A record is logged as its POST starts: wait for both answers.
      (cs) => cs.length === 2 && cs.every((c) => c.httpStatus !== null),
    );
    expect(early.map((c) => [c.status, c.httpStatus])).toEqual([
      ['sent', 200],
      ['delivered', 200],
    ]);
    expect((await get(id)).status).not.toBe('delivered');
    const done = await waitFor(
      () => get(id),
      (m) => m.status === 'delivered',
    );
    expect(done.events.map((e: { type: string; status?: string }) => e.status ?? e.type)).toContain('delivered');
  });

  it('accepts, sends through Twilio, and follows the signed callbacks to delivered', async () => {
    const id = await send('+14155552671', 'Your order has shipped');
    const done = await waitFor(
      () => get(id),
      (m) => m.status === 'delivered',
    );
    expect(done.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    const sent = fake.messages.find((m) => m.sid === done.providerMessageId);
    expect(sent).toMatchObject({ to: '+14155552671', from: FROM, body: 'Your order has shipped' });
    expect(sent?.statusCallback).toBe(`${t.url}/webhooks/twilio/status`);
    await fake.callbacksSettled();
    const mine = fake.callbacks.filter((c) => c.sid === done.providerMessageId);
    expect(mine.map((c) => [c.status, c.httpStatus])).toEqual([
      ['sent', 200],
      ['delivered', 200],
    ]);
    expect(done.events.map((e: { type: string; status: string }) => `${e.type}:${e.status}`)).toEqual(
      expect.arrayContaining(['accepted:queued', 'status:sending', 'status:sent', 'status:delivered']),
    );
  });

  it('keeps the carrier error code of an undelivered message', async () => {
    fake.respondTo('+14155552672', { outcome: 'undelivered', errorCode: 30003 });
    const id = await send('+14155552672', 'Hello');
    const done = await waitFor(
      () => get(id),
      (m) => m.status === 'undelivered',
    );
    expect(done.error.code).toBe('30003');
  });

  it('retries 429 (honouring Retry-After) and 5xx with backoff, then succeeds once', async () => {
    fake.failNext(1, twilioErrors.tooManyRequests(1));
    fake.failNext(1, { status: 503, code: 20503, message: 'Service Unavailable' });
    const before = fake.messages.length;
    const started = Date.now();
    const id = await send('+14155552673', 'Retry me');
    const done = await waitFor(
      () => get(id),
      (m) => m.status === 'delivered',
      10_000,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000); // Retry-After: 1
    expect(done.attempts).toBe(3);
    const failures = done.events.filter((e: { type: string }) => e.type === 'attempt_failed');
    expect(
      failures.map((e: { detail: { kind: string; errorCode: string } }) => [e.detail.kind, e.detail.errorCode]),
    ).toEqual([
      ['rate_limited', '20429'],
      ['unavailable', '20503'],
    ]);
    expect(fake.messages.length - before).toBe(1);
  });

  it('retries a reset connection', async () => {
    fake.resetNext(1);
    const id = await send('+14155552674', 'Reset');
    const done = await waitFor(
      () => get(id),
      (m) => m.status === 'delivered',
      10_000,
    );
    expect(done.attempts).toBe(2);
  });

  it('fails permanently with the provider code, without retrying', async () => {
    const before = fake.requests;
    const id = await send('+15005550001', 'Invalid per Twilio'); // Twilio magic number: 21211
    const done = await waitFor(
      () => get(id),
      (m) => m.status === 'failed',
    );
    expect(done.error.code).toBe('21211');
    expect(done.attempts).toBe(1);
    expect(fake.requests - before).toBe(1);
  });

  it('refuses status callbacks with a bad or missing signature and changes nothing', async () => {
    const id = await send('+14155552675', 'Hold');
    const sent = await waitFor(
      () => get(id),
      (m) => m.status === 'delivered',
    );
    const body = new URLSearchParams({
      AccountSid: SID,
      MessageSid: sent.providerMessageId,
      MessageStatus: 'failed',
      ErrorCode: '30008',
    }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const forged = await fetch(`${t.url}/webhooks/twilio/status`, {
      method: 'POST',
      headers: { ...headers, 'x-twilio-signature': 'bm9wZQ==' },
      body,
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');
    const unsigned = await fetch(`${t.url}/webhooks/twilio/status`, { method: 'POST', headers, body });
    expect(unsigned.status).toBe(403);
    const after = await get(id);
    expect(after.status).toBe('delivered');
    expect(after.events.length).toBe(sent.events.length);
  });

  it('records a late, out-of-order callback without moving the status back', async () => {
    const { twilioSignature } = await import('../../src/providers/twilio/signature.js');
    const id = await send('+14155552676', 'Late');
    const done = await waitFor(
      () => get(id),
      (m) => m.status === 'delivered',
    );
    const params = { AccountSid: SID, MessageSid: done.providerMessageId, MessageStatus: 'sent' };
    const url = `${t.url}/webhooks/twilio/status`;
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(TOKEN, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(200);
    const after = await get(id);
    expect(after.status).toBe('delivered');
    expect(after.events.at(-1)).toMatchObject({ type: 'status_ignored', status: 'sent' });
  });
});
