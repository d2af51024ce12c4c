import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp/index.js';
import { startFakeTwilio, twilioErrors, type FakeTwilio } from '../fakes/twilio/index.js';
import { startTidings, waitFor, type Tidings } from '../support/harness.js';

const SID = `AC${'c3'.repeat(16)}`;
const TOKEN = 'token-for-the-fallback-suite-0123';
const FROM = '+15005550006';

describe('channel fallback: SMS → voice → e-mail on one message', () => {
  let twilio: FakeTwilio;
  let smtp: FakeSmtp;
  let t: Tidings;

  beforeAll(async () => {
    twilio = await startFakeTwilio({ accountSid: SID, authToken: TOKEN, callbackDelayMs: 20 });
    smtp = await startFakeSmtp({ user: 'mailer', pass: 'mail-secret' });
    const base = encodeURIComponent(twilio.url);
    t = await startTidings({
      TIDINGS_PROVIDERS: [
        `twilio://${SID}:${TOKEN}@${FROM}?baseUrl=${base}`,
        `twilio-voice://${SID}:${TOKEN}@${FROM}?baseUrl=${base}`,
        `smtp://mailer:mail-secret@${smtp.host}:${smtp.port}?from=${encodeURIComponent('Tidings <noreply@example.com>')}`,
      ].join(','),
      TIDINGS_RETRY_BASE_DELAY: '20ms',
      TIDINGS_RETRY_MAX_DELAY: '50ms',
      TIDINGS_FALLBACK_AFTER: '1s',
    });
  });
  afterAll(async () => {
    await t.stop();
    await twilio.close();
    await smtp.close();
  });

  const get = async (id: string) => (await t.api('GET', `/v1/messages/${id}`)).body;

  it('refuses a fallback it could not carry out, at acceptance', async () => {
    const noEmail = await t.api('POST', '/v1/messages', {
      to: '+14155550100',
      body: 'x',
      fallback: ['email'],
    });
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.error).toMatchObject({ code: 'validation_failed', field: 'fallback.0' });
    const noPush = await t.api('POST', '/v1/messages', {
      to: '+14155550100',
      body: 'x',
      fallback: ['push'],
      recipient: { push: { endpoint: 'https://push.example/abc', keys: { p256dh: 'k', auth: 'a' } } },
    });
    expect(noPush.status).toBe(422);
    expect(noPush.body.error.code).toBe('channel_unavailable');
    const badEmail = await t.api('POST', '/v1/messages', {
      to: '+14155550100',
      body: 'x',
      fallback: ['email'],
      recipient: { email: 'not-an-address' },
    });
    expect(badEmail.status).toBe(422);
    expect(badEmail.body.error.code).toBe('invalid_email');
  });

  const chain = (m: { events: { type: string; detail: { from: string; to: string; trigger: string } }[] }) =>
    m.events.filter((e) => e.type === 'fallback').map((e) => [e.detail.from, e.detail.to, e.detail.trigger]);

  it('falls back to a voice call when the SMS is undelivered, then to e-mail when nobody answers', async () => {
    const to = '+14155550123';
    twilio.respondTo(to, { outcome: 'undelivered', call: 'no-answer' });
    const res = await t.api('POST', '/v1/messages', {
      to,
      body: 'Your table for 2 is at 19:30 tonight.',
      fallback: ['voice', 'email'],
      recipient: { email: 'guest@example.com' },
    });
    expect(res.status).toBe(202);
    const done = await waitFor(
      () => get(res.body.id),
      (m) => m.channel === 'email' && m.status === 'sent',
      15_000,
    );
    expect(done.to).toBe('guest@example.com');
    expect(chain(done)).toEqual([
      ['sms', 'voice', 'undelivered'],
      ['voice', 'email', 'undelivered'],
    ]);
    const calls = twilio.calls.filter((c) => c.to === to);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.said.map((s) => s.text)).toContain('Your table for 2 is at 19:30 tonight.');
    const mail = smtp.sent.find((m) => m.rcptTo.includes('guest@example.com'));
    expect(mail?.text).toContain('Your table for 2 is at 19:30 tonight.');
    expect(mail?.messageId).toContain(res.body.id);
  });

  it('moves on at once when a channel fails for good (the number is unsubscribed from SMS and calls)', async () => {
    const to = '+14155550126';
    twilio.respondTo(to, { error: twilioErrors.unsubscribed() });
    const res = await t.api('POST', '/v1/messages', {
      to,
      body: 'Payment received.',
      fallback: ['voice', 'email'],
      recipient: { email: 'payer@example.com' },
    });
    const done = await waitFor(
      () => get(res.body.id),
      (m) => m.channel === 'email' && m.status === 'sent',
      15_000,
    );
    expect(chain(done)).toEqual([
      ['sms', 'voice', 'failed'],
      ['voice', 'email', 'failed'],
    ]);
    const failures = done.events.filter((e: { type: string }) => e.type === 'fallback');
    expect(failures[0].detail).toMatchObject({ errorCode: '21610', kind: 'opted_out' });
  });

  it('falls back when a sent SMS is not delivered in time', async () => {
    const to = '+14155550124';
    twilio.respondTo(to, { outcome: 'sent' });
    const res = await t.api('POST', '/v1/messages', {
      to,
      body: 'Code 123456',
      fallback: ['email'],
      recipient: { email: 'late@example.com' },
    });
    const done = await waitFor(
      () => get(res.body.id),
      (m) => m.channel === 'email' && m.status === 'sent',
      15_000,
    );
    const fallback = done.events.find((e: { type: string }) => e.type === 'fallback');
    expect(fallback.detail).toMatchObject({ from: 'sms', to: 'email', trigger: 'not_delivered_in_time' });
    expect(fallback.detail.previousProviderMessageId).toMatch(/^SM/);
  });

  it('does not fall back once the SMS is delivered', async () => {
    const res = await t.api('POST', '/v1/messages', {
      to: '+14155550125',
      body: 'Delivered fine',
      fallback: ['email'],
      recipient: { email: 'never@example.com' },
    });
    await waitFor(
      () => get(res.body.id),
      (m) => m.status === 'delivered',
    );
    await new Promise((r) => setTimeout(r, 2_500));
    const after = await get(res.body.id);
    expect(after.channel).toBe('sms');
    expect(after.status).toBe('delivered');
    expect(smtp.sent.some((m) => m.rcptTo.includes('never@example.com'))).toBe(false);
  });
});
