import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver.js';
import { newWebhookSecret } from '../app/webhook-subscriptions.js';
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
});
