/* eslint-disable @typescript-eslint/no-explicit-any -- responses are checked field by field in the assertions */
/**
 * The application's webhooks through the HTTP API, with the simulator carrier: register an endpoint,
 * send a message, and receive message.sent and message.delivered signed per Standard Webhooks, on
 * SQLite and on PostgreSQL.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/api-keys.js';
import { storageBackends } from '../support/backends.js';
import { startTidings, waitFor, type Tidings } from '../support/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const headersOf = (h: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]));

describe.each(await storageBackends())('webhooks to the application on $name', (backend) => {
  let t: Tidings;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await startTidings(
      { TIDINGS_WEBHOOK_RETRY_SCHEDULE: '50ms,50ms,50ms', TIDINGS_WEBHOOK_TIMEOUT: '2s' },
      { backend },
    );
  });
  afterAll(async () => {
    await t.stop();
    await receiver.close();
  });

  it('delivers message.sent and message.delivered, signed, and logs them', async () => {
    const created = await t.api('POST', '/v1/webhooks', {
      url: `${receiver.url}/tidings`,
      eventTypes: ['message.sent', 'message.delivered'],
      description: 'bookings app',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: `${receiver.url}/tidings`,
      eventTypes: ['message.sent', 'message.delivered'],
      description: 'bookings app',
    });
    expect(created.body.id).toMatch(/^whe_/);
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    // The first attempt of the first event fails: it still arrives, once.
    receiver.answer(500);
    const sent = await t.api('POST', '/v1/messages', { to: '+14155550100', body: 'Your table is booked.' });
    expect(sent.status).toBe(202);
    await waitFor(
      async () => receiver.accepted().length,
      (n) => n >= 2,
    );
    const events = receiver.accepted().map((r) => {
      const verified = new Webhook(secret).verify(r.body, headersOf(r.headers)) as any;
      expect(r.path).toBe('/tidings');
      return verified;
    });
    expect(events.map((e) => e.type).sort()).toEqual(['message.delivered', 'message.sent']);
    for (const e of events) {
      expect(e.data).toMatchObject({ messageId: sent.body.id, channel: 'sms', provider: 'sim:default' });
      expect(Date.parse(e.timestamp)).not.toBeNaN();
    }

    const log = await waitFor(
      () => t.api('GET', `/v1/webhooks/${created.body.id}/deliveries`),
      (r) => r.body.data?.length === 2 && r.body.data.every((d: any) => d.status === 'delivered'),
    );
    expect(log.body.nextCursor).toBeNull();
    expect(log.body.data.map((d: any) => d.attempts).sort()).toEqual([1, 2]);
    expect(log.body.data.find((d: any) => d.attempts === 2)).toMatchObject({ lastStatusCode: 204, lastError: null });
    // Paged, newest first.
    const first = await t.api('GET', `/v1/webhooks/${created.body.id}/deliveries?limit=1`);
    expect(first.body.data).toHaveLength(1);
    const second = await t.api(
      'GET',
      `/v1/webhooks/${created.body.id}/deliveries?limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.data[0].id < first.body.data[0].id).toBe(true);
    expect(second.body.nextCursor).toBeNull();
  });

  it('delivers replies and opt-outs, each to the endpoints that asked for them', async () => {
    const created = await t.api('POST', '/v1/webhooks', {
      url: `${receiver.url}/replies`,
      eventTypes: ['message.replied', 'recipient.opted_out'],
    });
    expect(created.status).toBe(201);
    const stop = await t.api('POST', '/v1/sim/inbound', { from: '+14155550177', text: 'STOP' });
    expect(stop.status).toBeLessThan(300);
    const got = await waitFor(
      async () => receiver.accepted().filter((r) => r.path === '/replies'),
      (rs) => rs.length >= 2,
    );
    const events = got.map((r) => new Webhook(created.body.secret).verify(r.body, headersOf(r.headers)) as any);
    expect(events.map((e) => e.type).sort()).toEqual(['message.replied', 'recipient.opted_out']);
    expect(events.find((e) => e.type === 'recipient.opted_out').data).toMatchObject({ number: '+14155550177' });
    // The first endpoint asked for message.sent and message.delivered only.
    expect(receiver.accepted().filter((r) => r.path === '/tidings')).toHaveLength(2);
  });

  it('never shows the secret again', async () => {
    const created = await t.api('POST', '/v1/webhooks', { url: 'https://app.example.com/hooks' });
    expect(created.status).toBe(201);
    expect(created.body.eventTypes).toBeNull();
    const list = await t.api('GET', '/v1/webhooks');
    const one = await t.api('GET', `/v1/webhooks/${created.body.id}`);
    expect(list.status).toBe(200);
    expect(list.body.data.map((e: any) => e.id)).toContain(created.body.id);
    expect(one.body).toEqual({ ...created.body, secret: undefined });
    for (const text of [JSON.stringify(list.body), JSON.stringify(one.body)]) {
      expect(text).not.toContain(created.body.secret);
      expect(text).not.toContain('whsec_');
    }
    expect((await t.api('GET', '/v1/webhooks?limit=1')).body.nextCursor).toEqual(expect.any(String));
    expect((await t.api('DELETE', `/v1/webhooks/${created.body.id}`)).status).toBe(204);
    expect((await t.api('GET', `/v1/webhooks/${created.body.id}`)).status).toBe(404);
    expect((await t.api('GET', `/v1/webhooks/${created.body.id}/deliveries`)).status).toBe(404);
    expect((await t.api('DELETE', `/v1/webhooks/${created.body.id}`)).status).toBe(404);
  });

  it('refuses plain http to other hosts, unknown event types, and keys that are not admin', async () => {
    const http = await t.api('POST', '/v1/webhooks', { url: 'http://app.example.com/hooks' });
    expect(http.status).toBe(400);
    expect(http.body.error).toMatchObject({ code: 'validation_failed', field: 'url' });
    const types = await t.api('POST', '/v1/webhooks', { url: 'https://a.example.com/', eventTypes: ['message.read'] });
    expect(types.status).toBe(400);
    expect(types.body.error).toMatchObject({ code: 'validation_failed', field: 'eventTypes' });
    expect(types.body.error.message).toContain('message.read');
    const { key } = await createApiKey(t.rt.deps, 'sender', 'send');
    const asSender = await t.api('GET', '/v1/webhooks', undefined, { authorization: `Bearer ${key}` });
    expect(asSender.status).toBe(403);
    const unauthenticated = await t.api(
      'POST',
      '/v1/webhooks',
      { url: 'https://a.example.com/' },
      { authorization: '' },
    );
    expect(unauthenticated.status).toBe(401);
  });
});

describe('webhooks over plain http on a development network', () => {
  it('are accepted with TIDINGS_ALLOW_HTTP_WEBHOOKS=1', async () => {
    const t = await startTidings({ TIDINGS_ALLOW_HTTP_WEBHOOKS: '1' });
    try {
      const created = await t.api('POST', '/v1/webhooks', { url: 'http://app.internal:8080/hooks' });
      expect(created.status).toBe(201);
      expect(created.body.url).toBe('http://app.internal:8080/hooks');
    } finally {
      await t.stop();
    }
  });
});
