import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver.js';
import { newWebhookSecret } from '../app/webhook-subscriptions.js';
import { isPrivateHost } from '../app/private-address.js';
import { PRIVATE_ADDRESS, type Resolver } from './public-only-lookup.js';
import { StandardWebhookSender, USER_AGENT } from './standard-webhook-sender.js';

const flat = (h: Record<string, string | string[] | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));

describe('Standard Webhooks sender against a local receiver', () => {
  let receiver: WebhookReceiver;
  const sender = new StandardWebhookSender();
  const secret = newWebhookSecret();
  const body = JSON.stringify({
    type: 'message.sent',
    timestamp: '2030-01-01T00:00:00.000Z',
    data: { messageId: 'msg_1', note: '您好 👍' },
  });

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(() => receiver.setDefault(204));
  afterAll(async () => {
    await sender.close();
    await receiver.close();
  });

  it("signs so that the standardwebhooks package's own verifier accepts it", async () => {
    const now = Date.now();
    const res = await sender.post(
      { url: `${receiver.url}/hooks`, secret, id: 'whd_01', timestamp: now, body },
      AbortSignal.timeout(5_000),
    );
    expect(res.statusCode).toBe(204);
    const got = receiver.received.at(-1);
    expect(got?.path).toBe('/hooks');
    expect(got?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'webhook-id': 'whd_01',
      'webhook-timestamp': String(Math.floor(now / 1000)),
    });
    expect(got?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const headers = flat(got?.headers ?? {});
    expect(new Webhook(secret).verify(got?.body ?? '', headers)).toEqual(JSON.parse(body));
    // A changed body, or another endpoint's secret, does not verify.
    expect(() => new Webhook(secret).verify(`${got?.body} `, headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(newWebhookSecret()).verify(got?.body ?? '', headers)).toThrow(WebhookVerificationError);
  });

  it('sends no signature without a secret', async () => {
    await sender.post(
      { url: receiver.url, secret: null, id: 'alert_1', timestamp: Date.now(), body },
      AbortSignal.timeout(5_000),
    );
    expect(receiver.received.at(-1)?.headers['webhook-signature']).toBeUndefined();
    expect(receiver.received.at(-1)?.headers['webhook-id']).toBe('alert_1');
  });

  it('reports any status the receiver answers, and rejects when it does not answer in time', async () => {
    receiver.setDefault(500);
    const failed = await sender.post(
      { url: receiver.url, secret, id: 'x', timestamp: Date.now(), body },
      AbortSignal.timeout(5_000),
    );
    expect(failed.statusCode).toBe(500);
    receiver.setDefault('hang');
    const started = Date.now();
    await expect(
      sender.post({ url: receiver.url, secret, id: 'y', timestamp: Date.now(), body }, AbortSignal.timeout(200)),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('rejects when nobody listens', async () => {
    const closed = await startWebhookReceiver();
    const url = closed.url;
    await closed.close();
    await expect(
      sender.post({ url, secret, id: 'z', timestamp: Date.now(), body }, AbortSignal.timeout(2_000)),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  describe('with the SSRF guard (private targets not allowed)', () => {
    /** A DNS that answers with loopback for names that look public, as a rebinding attacker would. */
    const rebinding: Resolver = (hostname, _options, callback) =>
      callback(null, hostname === 'hooks.example.com' ? [{ address: '127.0.0.1', family: 4 }] : []);
    const post = (s: StandardWebhookSender, url: string) =>
      s.post({ url, secret, id: 'whd_ssrf', timestamp: Date.now(), body }, AbortSignal.timeout(5_000));
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) =>
          (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code,
      );

    it('refuses a URL whose host is a private address or localhost, before connecting', async () => {
      const guarded = new StandardWebhookSender({ refuseAddress: isPrivateHost });
      const before = receiver.received.length;
      const port = new URL(receiver.url).port;
      expect(await refusal(post(guarded, `http://127.0.0.1:${port}/hooks`))).toBe(PRIVATE_ADDRESS);
      expect(await refusal(post(guarded, `http://localhost:${port}/hooks`))).toBe(PRIVATE_ADDRESS);
      expect(receiver.received.length).toBe(before);
      await guarded.close();
    });

    it('refuses a public-looking name that resolves to a private address, at connect time', async () => {
      const guarded = new StandardWebhookSender({ refuseAddress: isPrivateHost, resolve: rebinding });
      const before = receiver.received.length;
      const port = new URL(receiver.url).port;
      expect(await refusal(post(guarded, `http://hooks.example.com:${port}/hooks`))).toBe(PRIVATE_ADDRESS);
      expect(receiver.received.length).toBe(before);
      await guarded.close();
    });

    it('connects to an address that passed the check, never to one that did not', async () => {
      const port = new URL(receiver.url).port;
      const twoAnswers: Resolver = (_hostname, _options, callback) =>
        callback(null, [
          { address: '127.0.0.1', family: 4 },
          { address: '127.0.0.2', family: 4 },
        ]);
      // The receiver listens on 127.0.0.1 only. With 127.0.0.1 refused, the socket may only try
      // 127.0.0.2, where nothing listens: refused, and the receiver sees nothing.
      const before = receiver.received.length;
      const strict = new StandardWebhookSender({ refuseAddress: (a) => a === '127.0.0.1', resolve: twoAnswers });
      expect(await refusal(post(strict, `http://hooks.example.com:${port}/hooks`))).toBe('ECONNREFUSED');
      expect(receiver.received.length).toBe(before);
      await strict.close();
      // With 127.0.0.2 refused instead, it reaches the receiver, under the name the URL gave.
      const lenient = new StandardWebhookSender({ refuseAddress: (a) => a === '127.0.0.2', resolve: twoAnswers });
      expect((await post(lenient, `http://hooks.example.com:${port}/hooks`)).statusCode).toBe(204);
      expect(receiver.received.at(-1)?.headers.host).toBe(`hooks.example.com:${port}`);
      await lenient.close();
    });
  });
});
