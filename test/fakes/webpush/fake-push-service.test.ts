import { createPrivateKey, sign } from 'node:crypto';
import { Agent as HttpsAgent } from 'node:https';
import { Agent, request } from 'undici';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkVapid, startFakePushService, type FakePushService } from './index.js';

// The fake checked from the outside with the OFFICIAL web-push library as the client: its
// encryption and VAPID signing, its https sender, its error type.
const vapid = webpush.generateVAPIDKeys();
const SUBJECT = 'mailto:ops@example.com';
const options = (fake: FakePushService, over: webpush.RequestOptions = {}): webpush.RequestOptions => ({
  vapidDetails: { subject: SUBJECT, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
  TTL: 60,
  agent: new HttpsAgent({ ca: fake.ca }),
  ...over,
});

/** A VAPID JWT made by hand, to test the claims web-push would never produce. */
function jwt(claims: Record<string, unknown>, privateKey = vapid.privateKey, publicKey = vapid.publicKey): string {
  const pub = Buffer.from(publicKey, 'base64url');
  const key = createPrivateKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      d: privateKey,
      x: pub.subarray(1, 33).toString('base64url'),
      y: pub.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const head = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'ES256' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = sign('sha256', Buffer.from(`${head}.${body}`), { key, dsaEncoding: 'ieee-p1363' });
  return `vapid t=${head}.${body}.${signature.toString('base64url')}, k=${publicKey}`;
}

describe('fake push service, seen through web-push', () => {
  let fake: FakePushService;
  let agent: Agent;

  beforeAll(async () => {
    fake = await startFakePushService();
    agent = new Agent({ connect: { ca: fake.ca } });
  });
  afterAll(async () => {
    await agent.close();
    await fake.close();
  });

  it('takes a push over HTTPS (201 + Location), and records it decrypted as the browser reads it', async () => {
    const sub = fake.subscribe({ applicationServerKey: vapid.publicKey });
    const payload = JSON.stringify({ title: 'Tidings', body: 'Ваш код 1234 👍' });
    const res = await webpush.sendNotification(sub, payload, options(fake, { urgency: 'high', topic: 'otp' }));
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toMatch(new RegExp(`^${fake.url}/message/`));
    expect(fake.sent.at(-1)).toMatchObject({
      endpoint: sub.endpoint,
      ttl: 60,
      urgency: 'high',
      topic: 'otp',
      subject: SUBJECT,
      vapidKey: vapid.publicKey,
      payload,
      decryptError: null,
      location: res.headers.location,
    });
  });

  it('404s an unknown subscription and 410s an expired one, as WebPushError', async () => {
    const sub = fake.subscribe();
    await expect(
      webpush.sendNotification({ ...sub, endpoint: `${fake.url}/push/nope` }, 'x', options(fake)),
    ).rejects.toMatchObject({ statusCode: 404 });
    fake.expire(sub.endpoint);
    await expect(webpush.sendNotification(sub, 'x', options(fake))).rejects.toMatchObject({ statusCode: 410 });
  });

  it('403s a push signed with another key than the subscription was made for', async () => {
    const sub = fake.subscribe({ applicationServerKey: webpush.generateVAPIDKeys().publicKey });
    await expect(webpush.sendNotification(sub, 'x', options(fake))).rejects.toMatchObject({ statusCode: 403 });
  });

  it.each([
    ['no Authorization', {}, 401],
    ['no TTL', { authorization: 'ok' }, 400],
    ['a bad Urgency', { authorization: 'ok', ttl: '60', urgency: 'now' }, 400],
    ['a Topic over 32 characters', { authorization: 'ok', ttl: '60', topic: 'x'.repeat(33) }, 400],
    ['aesgcm content', { authorization: 'ok', ttl: '60', 'content-encoding': 'aesgcm' }, 415],
  ])('refuses %s', async (_label, headers: Record<string, string>, status) => {
    const sub = fake.subscribe();
    const { authorization, ...rest } = headers;
    const res = await request(sub.endpoint, {
      method: 'POST',
      dispatcher: agent,
      headers: { ...rest, ...(authorization ? { authorization: goodAuth() } : {}) },
      body: Buffer.alloc(120, 1),
    });
    expect(res.statusCode).toBe(status);
    expect(await res.body.json()).toMatchObject({ code: status });
  });

  it('refuses a body that is not aes128gcm (400) or over 4,096 bytes (413)', async () => {
    const sub = fake.subscribe();
    const post = async (body: Buffer) => {
      const res = await request(sub.endpoint, {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: goodAuth(), ttl: '0', 'content-encoding': 'aes128gcm' },
        body,
      });
      await res.body.dump();
      return res.statusCode;
    };
    expect(await post(Buffer.alloc(120, 1))).toBe(400);
    expect(await post(Buffer.alloc(4097, 1))).toBe(413);
  });

  it('injects faults: a status with Retry-After, a reset', async () => {
    const sub = fake.subscribe();
    fake.failNext(1, { status: 429, retryAfter: 7 });
    await expect(webpush.sendNotification(sub, 'x', options(fake))).rejects.toMatchObject({
      statusCode: 429,
      headers: expect.objectContaining({ 'retry-after': '7' }),
    });
    fake.resetNext(1);
    await expect(webpush.sendNotification(sub, 'x', options(fake))).rejects.toThrow();
    await expect(webpush.sendNotification(sub, 'x', options(fake))).resolves.toMatchObject({ statusCode: 201 });
    fake.failNext(2, { status: 503 });
    fake.clearFaults();
    await expect(webpush.sendNotification(sub, 'x', options(fake))).resolves.toMatchObject({ statusCode: 201 });
  });

  function goodAuth(): string {
    return jwt({ aud: fake.url, exp: Math.floor(Date.now() / 1000) + 3600, sub: SUBJECT });
  }
});

describe('checkVapid', () => {
  const AUD = 'https://push.example.net';
  const NOW = Date.parse('2026-01-01T00:00:00Z');
  const exp = (s: number) => Math.floor(NOW / 1000) + s;

  it('accepts the header web-push makes', () => {
    const { Authorization } = webpush.getVapidHeaders(
      AUD,
      SUBJECT,
      vapid.publicKey,
      vapid.privateKey,
      'aes128gcm',
      exp(3600),
    );
    expect(checkVapid(Authorization, AUD, NOW)).toEqual({
      ok: true,
      publicKey: vapid.publicKey,
      subject: SUBJECT,
      expiresAt: exp(3600) * 1000,
    });
  });

  it.each([
    ['another audience', jwt({ aud: 'https://other.example', exp: exp(60), sub: SUBJECT }), /aud/],
    ['an expired token', jwt({ aud: AUD, exp: exp(-1), sub: SUBJECT }), /expired/],
    ['exp beyond 24 hours', jwt({ aud: AUD, exp: exp(24 * 3600 + 60), sub: SUBJECT }), /24 hours/],
    ['no sub', jwt({ aud: AUD, exp: exp(60) }), /sub/],
    ['an http sub', jwt({ aud: AUD, exp: exp(60), sub: 'http://example.com' }), /sub/],
    [
      'a signature by another key',
      jwt({ aud: AUD, exp: exp(60), sub: SUBJECT }, webpush.generateVAPIDKeys().privateKey),
      /signature/,
    ],
    ['a k that is no point', `vapid t=a.b.c, k=${Buffer.alloc(65, 4).toString('base64url')}`, /curve/],
    ['no k', 'vapid t=a.b.c', /t= and k=/],
    ['another scheme', `WebPush abc`, /no vapid/],
  ])('refuses %s', (_label, header, reason) => {
    const check = checkVapid(header, AUD, NOW);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(reason);
  });

  it('refuses a token whose claims were changed after signing', () => {
    const header = jwt({ aud: AUD, exp: exp(60), sub: SUBJECT });
    const [t = '', k] = header.slice('vapid t='.length).split(', k=');
    const [head, , signature] = t.split('.');
    const forged = Buffer.from(JSON.stringify({ aud: AUD, exp: exp(600), sub: SUBJECT })).toString('base64url');
    expect(checkVapid(`vapid t=${head}.${forged}.${signature}, k=${k}`, AUD, NOW)).toMatchObject({
      ok: false,
      reason: 'bad signature',
    });
  });
});
