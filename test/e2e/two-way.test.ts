import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio/index.js';
import { startTidings, waitFor, type Tidings } from '../support/harness.js';

describe('two-way through the simulated phone', () => {
  let t: Tidings;
  beforeAll(async () => {
    t = await startTidings();
    await t.api('PUT', '/v1/templates/booking', {
      body: 'Table for {{ guests }} at {{ time }}. Reply 1 to confirm, 2 to cancel.',
      replies: { confirm: ['1', 'Y', '确认'], cancel: ['2', 'N'] },
    });
  });
  afterAll(() => t.stop());

  const reply = (from: string, text: string) => t.api('POST', '/v1/sim/inbound', { from, text });

  it('links a reply to the booking it answers and records the intent on the message', async () => {
    const sent = await t.api('POST', '/v1/messages', {
      to: '+14155550310',
      template: 'booking',
      data: { guests: 4, time: '19:30' },
      reference: 'booking-310',
    });
    expect(sent.status).toBe(202);
    const res = await reply('+1 415 555 0310', ' 1 ');
    expect(res.status).toBe(200);
    expect(res.body.reply).toBeNull();
    expect(res.body.inbound).toMatchObject({
      from: '+14155550310',
      inReplyTo: sent.body.id,
      reference: 'booking-310',
      intent: 'confirm',
      keyword: null,
      sentiment: null,
    });
    const message = await t.api('GET', `/v1/messages/${sent.body.id}`);
    const replyEvent = message.body.events.find((e: { type: string }) => e.type === 'reply');
    expect(replyEvent.detail).toMatchObject({ intent: 'confirm', text: ' 1 ' });
    const byMessage = await t.api('GET', `/v1/inbound?messageId=${sent.body.id}`);
    expect(byMessage.body.data).toHaveLength(1);
  });

  it('keeps free text with a sentiment label', async () => {
    await t.api('POST', '/v1/messages', {
      to: '+14155550311',
      template: 'booking',
      data: { guests: 2, time: '18:00' },
    });
    const angry = await reply('+14155550311', 'This is terrible, I waited an hour and nobody called');
    expect(angry.body.inbound).toMatchObject({ intent: null, sentiment: 'negative' });
    const zh = await reply('+14155550311', '服务太差了，非常失望');
    expect(zh.body.inbound.sentiment).toBe('negative');
    const happy = await reply('+14155550311', 'Great, thanks so much!');
    expect(happy.body.inbound.sentiment).toBe('positive');
  });

  it('STOP suppresses the number with an auto-reply; sends are then refused; START restores', async () => {
    const from = '+14155550312';
    await t.api('POST', '/v1/messages', { to: from, body: 'Your order shipped' });
    const stop = await reply(from, 'Stop');
    expect(stop.body.reply).toMatch(/unsubscribed/);
    expect(stop.body.inbound.keyword).toBe('opt_out');
    const entry = await t.api('GET', `/v1/suppressions/${encodeURIComponent(from)}`);
    expect(entry.body).toMatchObject({ reason: 'opted_out', source: 'keyword', sourceMessageId: stop.body.inbound.id });
    const refused = await t.api('POST', '/v1/messages', { to: from, body: 'Sale!', purpose: 'marketing' });
    expect(refused.body.error.code).toBe('recipient_suppressed');
    const start = await reply(from, 'START');
    expect(start.body.inbound.keyword).toBe('opt_in');
    expect(start.body.reply).toMatch(/subscribed again/);
    expect((await t.api('POST', '/v1/messages', { to: from, body: 'Welcome back' })).status).toBe(202);
  });

  it('answers 退订 in Chinese, and HELP with help text', async () => {
    const td = await reply('+8613812348001', '退订');
    expect(td.body.reply).toContain('退订');
    expect(td.body.inbound.keyword).toBe('opt_out');
    const help = await reply('+14155550313', 'help');
    expect(help.body.reply).toMatch(/Reply STOP/);
    expect(help.body.inbound.keyword).toBe('help');
  });

  it('treats YES as an answer, not an opt-in, for a number that never opted out', async () => {
    await t.api('POST', '/v1/messages', {
      to: '+14155550314',
      template: 'booking',
      data: { guests: 1, time: '12:00' },
    });
    const yes = await reply('+14155550314', 'y');
    expect(yes.body.inbound).toMatchObject({ keyword: null, intent: 'confirm' });
  });
});

describe('two-way through Twilio: signed inbound webhooks and TwiML replies', () => {
  const SID = `AC${'d4'.repeat(16)}`;
  const TOKEN = 'two-way-twilio-token-0123456789';
  let fake: FakeTwilio;
  let t: Tidings;
  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: SID, authToken: TOKEN, callbackDelayMs: 10 });
    t = await startTidings({
      TIDINGS_PROVIDERS: `twilio://${SID}:${TOKEN}@+15005550006?baseUrl=${encodeURIComponent(fake.url)}`,
    });
  });
  afterAll(async () => {
    await t.stop();
    await fake.close();
  });

  const inbound = async (params: Record<string, string>, token = TOKEN) => {
    const url = `${t.url}/webhooks/twilio/inbound`;
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(token, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
  };
  const params = (sid: string, from: string, body: string) => ({
    MessageSid: sid,
    AccountSid: SID,
    From: from,
    To: '+15005550006',
    Body: body,
    NumMedia: '0',
  });

  it('refuses an unsigned or forged inbound webhook', async () => {
    const forged = await inbound(params(`SM${'0'.repeat(32)}`, '+14155550320', 'STOP'), 'not-the-token-000000000');
    expect(forged.status).toBe(403);
    expect((await t.api('GET', '/v1/suppressions/+14155550320')).status).toBe(404);
  });

  it('answers STOP with a TwiML MessagingResponse, once, even when Twilio retries the webhook', async () => {
    const p = params(`SM${'1'.repeat(32)}`, '+14155550321', 'STOP');
    const first = await inbound(p);
    expect(first.status).toBe(200);
    expect(first.type).toMatch(/text\/xml/);
    expect(first.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>You are unsubscribed/);
    const retry = await inbound(p);
    expect(retry.body).toBe(first.body);
    const list = await t.api('GET', '/v1/inbound?from=%2B14155550321');
    expect(list.body.data).toHaveLength(1);
    const sent = await t.api('POST', '/v1/messages', { to: '+14155550321', body: 'hello' });
    expect(sent.body.error.code).toBe('recipient_suppressed');
  });

  it('answers a plain reply with an empty TwiML response', async () => {
    const res = await inbound(params(`SM${'2'.repeat(32)}`, '+14155550322', 'See you then'));
    expect(res.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    await waitFor(
      () => t.api('GET', '/v1/inbound?from=%2B14155550322'),
      (r) => r.body.data.length === 1,
    );
  });
});
