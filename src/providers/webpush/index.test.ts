import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import webpush from 'web-push';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakePushService, type FakePushService } from '../../../test/fakes/webpush/index.js';
import {
  neverAborted,
  outboundMessage,
  ProviderTestKit,
  sendError,
  until,
} from '../../../test/support/provider-test-kit.js';
import type { OutboundMessage, Provider, PushSubscription } from '../../ports/provider.js';
import { createWebPushProvider } from './index.js';

const { publicKey: PUB, privateKey: PRIV } = webpush.generateVAPIDKeys();

const message = (push: PushSubscription | null, over: Partial<OutboundMessage> = {}) =>
  outboundMessage(
    { channel: 'push', to: push?.endpoint ?? '' },
    { body: 'Your parcel arrives today between 10:00 and 12:00.', subject: 'Delivery', push, ...over },
  );

describe('Web Push provider against the fake push service', () => {
  let fake: FakePushService;
  let dir: string;
  /** The fake's certificate, as an operator would install a private push service's CA. */
  let caFile: string;
  const kit = new ProviderTestKit();
  const endpoints: string[] = [];

  const make = (query = '', keys = `${PUB}:${PRIV}`, trust = true): Provider =>
    kit.build(
      createWebPushProvider,
      `webpush://${keys}@ops%40example.com?${query}${trust ? `&ca=${encodeURIComponent(caFile)}` : ''}`,
    );
  const subscribe = (applicationServerKey: string | undefined = PUB): PushSubscription => {
    const sub = fake.subscribe(applicationServerKey ? { applicationServerKey } : {});
    endpoints.push(sub.endpoint);
    return sub;
  };

  beforeAll(async () => {
    fake = await startFakePushService();
    dir = await mkdtemp(join(tmpdir(), 'tidings-webpush-'));
    caFile = join(dir, 'push-ca.pem');
    await writeFile(caFile, fake.ca);
  });
  afterEach(async () => {
    fake.setLatency(0);
    // The endpoint is a capability URL: whoever has it can push to the user.
    await kit.cleanUp(PRIV, ...endpoints.map((e) => new URL(e).pathname));
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('pushes the notification, encrypted and VAPID-signed; the Location is the provider id', async () => {
    const p = make('ttl=600');
    expect(p).toMatchObject({ id: 'webpush:default', kind: 'webpush', channel: 'push' });
    const sub = subscribe();
    const result = await p.send(message(sub), neverAborted());
    expect(result).toEqual({ providerMessageId: expect.stringMatching(/\/message\//), status: 'sent', price: null });
    const got = fake.sent.at(-1);
    expect(got).toMatchObject({
      endpoint: sub.endpoint,
      ttl: 600,
      urgency: 'high',
      subject: 'mailto:ops@example.com',
      vapidKey: PUB,
      decryptError: null,
      location: result.providerMessageId,
    });
    expect(JSON.parse(got?.payload ?? '')).toEqual({
      title: 'Delivery',
      body: 'Your parcel arrives today between 10:00 and 12:00.',
      messageId: 'msg_1',
    });
  });

  it('a subscription that is gone (410) or unknown (404) → invalid_recipient', async () => {
    const p = make();
    const sub = subscribe();
    fake.expire(sub.endpoint);
    expect(await sendError(p, message(sub))).toMatchObject({ kind: 'invalid_recipient', providerCode: '410' });
    const unknown = { ...subscribe(), endpoint: `${fake.url}/push/unknown` };
    expect(await sendError(p, message(unknown))).toMatchObject({ kind: 'invalid_recipient', providerCode: '404' });
  });

  it('VAPID keys other than the subscription was made with → auth (403)', async () => {
    const other = webpush.generateVAPIDKeys();
    const err = await sendError(make('', `${other.publicKey}:${other.privateKey}`), message(subscribe()));
    expect(err).toMatchObject({ kind: 'auth', providerCode: '403', retryable: false });
  });

  it('no subscription, a plain-http endpoint or unusable keys → invalid_recipient, and no request', async () => {
    const p = make();
    const before = fake.requests;
    expect(await sendError(p, message(null))).toMatchObject({ kind: 'invalid_recipient' });
    const sub = subscribe();
    const http = { ...sub, endpoint: sub.endpoint.replace('https:', 'http:') };
    expect(await sendError(p, message(http))).toMatchObject({ kind: 'invalid_recipient' });
    const broken = { ...sub, keys: { p256dh: 'AAAA', auth: sub.keys.auth } };
    expect(await sendError(p, message(broken))).toMatchObject({ kind: 'invalid_recipient' });
    expect(fake.requests).toBe(before);
  });

  it('a notification too large for one push message → rejected_content, and no request', async () => {
    const before = fake.requests;
    const err = await sendError(make(), message(subscribe(), { body: 'x'.repeat(4000) }));
    expect(err).toMatchObject({ kind: 'rejected_content', retryable: false });
    expect(fake.requests).toBe(before);
  });

  it.each([
    [
      { status: 429, retryAfter: 5 },
      { kind: 'rate_limited', retryAfterMs: 5000 },
    ],
    [{ status: 500 }, { kind: 'transient', providerCode: '500' }],
    [
      { status: 503, retryAfter: 2 },
      { kind: 'unavailable', retryAfterMs: 2000 },
    ],
    [{ status: 400 }, { kind: 'permanent', providerCode: '400' }],
    [{ status: 413 }, { kind: 'rejected_content', providerCode: '413' }],
  ])('the push service answers %o → %o', async (fault, expected) => {
    fake.failNext(1, fault);
    expect(await sendError(make(), message(subscribe()))).toMatchObject(expected);
  });

  it('a connection reset → transient, and the next push works', async () => {
    const p = make();
    fake.resetNext(1);
    expect(await sendError(p, message(subscribe()))).toMatchObject({ kind: 'transient' });
    await expect(p.send(message(subscribe()), neverAborted())).resolves.toMatchObject({ status: 'sent' });
  });

  it('a slow service → transient after timeoutMs; an abort → transient; both drop the request', async () => {
    fake.setLatency(2_000);
    const aborted = fake.aborted;
    const started = Date.now();
    const err = await sendError(make('timeoutMs=200'), message(subscribe()));
    expect(err).toMatchObject({ kind: 'transient' });
    expect(err.message).toMatch(/200 ms/);
    expect(Date.now() - started).toBeLessThan(1_500);
    await until(() => fake.aborted === aborted + 1);

    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 100);
    expect((await sendError(make(), message(subscribe()), controller.signal)).kind).toBe('transient');
    await until(() => fake.aborted === aborted + 2);
    const requests = fake.requests;
    expect((await sendError(make(), message(subscribe()), controller.signal)).kind).toBe('transient');
    expect(fake.requests).toBe(requests);
  });

  it('without trusting the test CA, the service is unreachable (unavailable), as for any bad certificate', async () => {
    const err = await sendError(make('', `${PUB}:${PRIV}`, false), message(subscribe()));
    expect(err.kind).toBe('unavailable');
  });

  it('describe() masks the private key and names the ca file', () => {
    const text = make().describe();
    expect(text).toContain(PUB);
    expect(text).toContain('@ops%40example.com?');
    expect(text).toContain(`ca=${encodeURIComponent(caFile)}`);
    expect(text).not.toContain(PRIV);
  });

  it('a ca file that cannot be read, or holds no certificate, fails the start and says which file', async () => {
    const missing = join(dir, 'missing.pem');
    expect(() => make(`ca=${encodeURIComponent(missing)}`, `${PUB}:${PRIV}`, false)).toThrow(
      `Web Push ca file ${missing} cannot be read (ENOENT)`,
    );
    const notPem = join(dir, 'not.pem');
    await writeFile(notPem, 'hello');
    expect(() => make(`ca=${encodeURIComponent(notPem)}`, `${PUB}:${PRIV}`, false)).toThrow(/holds no PEM/);
  });
});
