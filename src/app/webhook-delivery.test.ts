/**
 * The outbox end to end below HTTP: events published → rows stored (or none) → the delivery loop
 * posts them signed to a local receiver that fails, hangs, and recovers. Real storage on every
 * engine; two loops on one PostgreSQL database for the several-workers case.
 */
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresIfReachable, storageBackends } from '../../test/support/backends.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver.js';
import { waitFor } from '../../test/support/harness.js';
import type { AppEvent } from '../ports/app-events.js';
import { systemClock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Storage } from '../storage/connect.js';
import { WebhookDeliveryRepository } from '../storage/webhook-delivery-repository.js';
import { WebhookEndpointRepository } from '../storage/webhook-endpoint-repository.js';
import { StandardWebhookSender } from '../webhooks/standard-webhook-sender.js';
import { WebhookDeliveryLoop, type WebhookDeliveryOptions } from './webhook-delivery-loop.js';
import { WebhookOutbox } from './webhook-outbox.js';
import { WebhookSubscriptions } from './webhook-subscriptions.js';

const logger = pino({ level: 'silent' }) as unknown as Logger;
let seq = 0;
const nextId = (prefix: string) => () => `${prefix}_${String(++seq).padStart(26, '0')}`;

const FAST: WebhookDeliveryOptions = {
  concurrency: 8,
  timeoutMs: 300,
  schedule: [30, 30, 30, 30],
  pollMs: 20,
  retentionMs: 86_400_000,
};

interface Rig {
  subscriptions: WebhookSubscriptions;
  deliveries: WebhookDeliveryRepository;
  outbox: WebhookOutbox;
  loop(opts?: Partial<WebhookDeliveryOptions>): WebhookDeliveryLoop;
}

function rig(
  storage: Storage,
  loops: WebhookDeliveryLoop[],
  senders: StandardWebhookSender[],
  posted: { n: number } = { n: 0 },
): Rig {
  const subscriptions = new WebhookSubscriptions(new WebhookEndpointRepository(storage), {
    allowHttp: false,
    // The receivers listen on 127.0.0.1, which the SSRF guard refuses by default.
    allowPrivate: true,
    newId: nextId('whe'),
    now: () => Date.now(),
  });
  const deliveries = new WebhookDeliveryRepository(storage);
  const outbox = new WebhookOutbox(subscriptions, deliveries, { clock: systemClock, newId: nextId('whd') });
  return {
    subscriptions,
    deliveries,
    outbox,
    loop(opts = {}) {
      const sender = new StandardWebhookSender();
      senders.push(sender);
      // Counts this loop's requests, so a test can tell which loop did the work.
      const counting = {
        post: (req: Parameters<StandardWebhookSender['post']>[0], signal: AbortSignal) => {
          posted.n += 1;
          return sender.post(req, signal);
        },
      };
      const loop = new WebhookDeliveryLoop(
        { store: deliveries, sender: counting, clock: systemClock, logger, random: () => 0 },
        { ...FAST, ...opts },
      );
      loops.push(loop);
      loop.start();
      return loop;
    },
  };
}

const event = (type: AppEvent['type'], n: number): AppEvent => ({
  type,
  at: Date.UTC(2030, 0, 1) + n,
  data: { messageId: `msg_${n}`, status: type.split('.')[1] },
});

const rowCount = async (storage: Storage): Promise<number> => {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from webhook_deliveries`.execute(storage.db);
  return Number(rows[0]?.n ?? 0);
};

const headersOf = (h: Record<string, string | string[] | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]));

describe.each(await storageBackends())('webhook outbox and delivery on $name', (backend) => {
  let storage: Storage;
  let receiver: WebhookReceiver;
  let r: Rig;
  const loops: WebhookDeliveryLoop[] = [];
  const senders: StandardWebhookSender[] = [];

  beforeEach(async () => {
    storage = await backend.open();
    receiver = await startWebhookReceiver();
    r = rig(storage, loops, senders);
  });
  afterEach(async () => {
    await Promise.all(loops.splice(0).map((l) => l.stop()));
    await Promise.all(senders.splice(0).map((s) => s.close()));
    await receiver.close();
    await storage.close();
  });

  it('writes nothing when no endpoint subscribes', async () => {
    await r.subscriptions.refresh();
    await r.outbox.publish([event('message.sent', 1), event('message.delivered', 2)]);
    expect(await rowCount(storage)).toBe(0);
    // Subscribed to other types only: still nothing for these.
    await r.subscriptions.create({ url: receiver.url, eventTypes: ['recipient.opted_out'] });
    await r.outbox.publish([event('message.sent', 3)]);
    expect(await rowCount(storage)).toBe(0);
  });

  it('stores one delivery per event and subscribed endpoint, by type', async () => {
    const onlyDelivered = await r.subscriptions.create({ url: `${receiver.url}/a`, eventTypes: ['message.delivered'] });
    const everything = await r.subscriptions.create({ url: `${receiver.url}/b` });
    await r.outbox.publish([event('message.sent', 1), event('message.delivered', 2)]);
    const a = await r.deliveries.list(onlyDelivered.endpoint.id, { limit: 10 });
    const b = await r.deliveries.list(everything.endpoint.id, { limit: 10 });
    expect(a.map((d) => d.eventType)).toEqual(['message.delivered']);
    expect(b.map((d) => d.eventType).sort()).toEqual(['message.delivered', 'message.sent']);
  });

  it('learns of endpoints another process added, through the version poll', async () => {
    const other = new WebhookSubscriptions(new WebhookEndpointRepository(storage), {
      allowHttp: false,
      allowPrivate: true,
      newId: nextId('whe'),
      now: () => Date.now(),
    });
    await r.subscriptions.refresh();
    await other.create({ url: receiver.url, eventTypes: ['message.failed'] });
    expect(r.subscriptions.subscribers('message.failed')).toEqual([]);
    await r.subscriptions.refresh();
    expect(r.subscriptions.subscribers('message.failed')).toHaveLength(1);
  });

  it('retries through errors and timeouts, then delivers exactly once, signed, and logs the attempts', async () => {
    const { endpoint, secret } = await r.subscriptions.create({ url: `${receiver.url}/hook` });
    receiver.answer(500, 'hang', 503);
    r.loop();
    await r.outbox.publish([event('message.sent', 1)]);
    const [log] = await waitFor(
      () => r.deliveries.list(endpoint.id, { limit: 10 }),
      (l) => l[0]?.status === 'delivered',
    );
    expect(log).toMatchObject({
      status: 'delivered',
      attempts: 4,
      lastStatusCode: 204,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(receiver.received.map((x) => x.answer)).toEqual([500, 'hang', 503, 204]);
    // The same webhook-id on every attempt, so a receiver can drop a repeat.
    expect(new Set(receiver.received.map((x) => x.headers['webhook-id']))).toEqual(new Set([log?.id]));
    const ok = receiver.accepted();
    expect(ok).toHaveLength(1);
    expect(new Webhook(secret).verify(ok[0]?.body ?? '', headersOf(ok[0]?.headers ?? {}))).toEqual({
      type: 'message.sent',
      timestamp: '2030-01-01T00:00:00.001Z',
      data: { messageId: 'msg_1', status: 'sent' },
    });
    // Nothing more arrives once it was delivered.
    await new Promise((res) => setTimeout(res, 200));
    expect(receiver.received).toHaveLength(4);
  });

  it('records each failed attempt in the log while it retries', async () => {
    const { endpoint } = await r.subscriptions.create({ url: receiver.url });
    receiver.setDefault('hang');
    r.loop({ timeoutMs: 100, schedule: [60_000] });
    await r.outbox.publish([event('message.failed', 1)]);
    const [log] = await waitFor(
      () => r.deliveries.list(endpoint.id, { limit: 10 }),
      (l) => l[0]?.lastError !== null && l[0]?.lastError !== undefined,
    );
    expect(log).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: null,
      lastError: 'timed out after 100 ms',
    });
    expect(log?.nextAttemptAt).toBeGreaterThan(Date.now() + 50_000);
  });

  it('marks a delivery failed once the schedule is spent', async () => {
    const { endpoint } = await r.subscriptions.create({ url: receiver.url });
    receiver.setDefault(500);
    r.loop({ schedule: [20, 20] });
    await r.outbox.publish([event('message.sent', 1)]);
    const [log] = await waitFor(
      () => r.deliveries.list(endpoint.id, { limit: 10 }),
      (l) => l[0]?.status === 'failed',
    );
    expect(log).toMatchObject({
      attempts: 3,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
      nextAttemptAt: null,
      deliveredAt: null,
    });
    expect(receiver.received).toHaveLength(3);
  });

  it('keeps delivering to a healthy endpoint while another one hangs', async () => {
    const slow = await startWebhookReceiver('hang');
    try {
      await r.subscriptions.create({ url: slow.url });
      const fast = await r.subscriptions.create({ url: receiver.url });
      r.loop({ concurrency: 4, timeoutMs: 5_000 });
      const started = Date.now();
      await r.outbox.publish([1, 2, 3].map((n) => event('message.sent', n)));
      await waitFor(
        () => r.deliveries.list(fast.endpoint.id, { limit: 10 }),
        (l) => l.length === 3 && l.every((d) => d.status === 'delivered'),
      );
      // Three requests hang on the slow endpoint, yet the fast one got all three long before the timeout.
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(slow.received).toHaveLength(3);
    } finally {
      await slow.close();
    }
  });
});

const pg = await postgresIfReachable();

describe.skipIf(pg === null)('two delivery loops on one PostgreSQL database', () => {
  it('deliver every event exactly once between them', async () => {
    const { handles, close } = await (pg as NonNullable<typeof pg>).openShared(2);
    const receiver = await startWebhookReceiver();
    const loops: WebhookDeliveryLoop[] = [];
    const senders: StandardWebhookSender[] = [];
    try {
      const posted = [{ n: 0 }, { n: 0 }];
      const [a, b] = handles.map((h, i) => rig(h, loops, senders, posted[i])) as [Rig, Rig];
      await a.subscriptions.create({ url: receiver.url });
      await b.subscriptions.refresh();
      // Each loop takes a few at a time, so both get work.
      a.loop({ concurrency: 4 });
      b.loop({ concurrency: 4 });
      const events = Array.from({ length: 120 }, (_, i) => event('message.sent', i));
      await Promise.all([a.outbox.publish(events.slice(0, 60)), b.outbox.publish(events.slice(60))]);
      await waitFor(
        async () => receiver.accepted().length,
        (n) => n >= 120,
      );
      await new Promise((res) => setTimeout(res, 200));
      const ids = receiver.received.map((x) => String(x.headers['webhook-id']));
      expect(ids).toHaveLength(120);
      expect(new Set(ids).size).toBe(120);
      const bodies = new Set(
        receiver.received.map((x) => (JSON.parse(x.body) as { data: { messageId: string } }).data.messageId),
      );
      expect(bodies.size).toBe(120);
      // Both loops did part of the work.
      expect(posted.map((p) => p.n > 0)).toEqual([true, true]);
      expect((posted[0]?.n ?? 0) + (posted[1]?.n ?? 0)).toBe(120);
    } finally {
      await Promise.all(loops.map((l) => l.stop()));
      await Promise.all(senders.map((s) => s.close()));
      await receiver.close();
      await close();
    }
  });
});
