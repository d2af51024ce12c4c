/**
 * The webhook endpoints, the delivery outbox and the alert ledger on every storage engine; the
 * races between processes (two claimers, two alerting workers) on PostgreSQL, where they can happen.
 */
import { ulid } from 'ulid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresIfReachable, storageBackends } from '../../test/support/backends.js';
import type { NewWebhookDelivery } from '../ports/webhook-deliveries.js';
import type { WebhookEndpoint } from '../ports/webhook-endpoints.js';
import { AlertLedgerRepository } from './alert-ledger-repository.js';
import type { Storage } from './connect.js';
import { WebhookDeliveryRepository } from './webhook-delivery-repository.js';
import { WebhookEndpointRepository } from './webhook-endpoint-repository.js';

const T0 = Date.UTC(2030, 0, 1);
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const endpoint = (id: string, eventTypes: WebhookEndpoint['eventTypes'] = null): WebhookEndpoint => ({
  id,
  url: `https://app.example.com/hooks/${id}`,
  description: null,
  eventTypes,
  createdAt: T0,
});

let seq = 0;
const delivery = (endpointId: string, createdAt = T0): NewWebhookDelivery => ({
  id: `whd_${String(++seq).padStart(26, '0')}`,
  endpointId,
  eventType: 'message.sent',
  payload: JSON.stringify({ type: 'message.sent', timestamp: new Date(createdAt).toISOString(), data: { n: seq } }),
  createdAt,
});

describe.each(await storageBackends())('webhook storage on $name', (backend) => {
  let storage: Storage;
  let endpoints: WebhookEndpointRepository;
  let deliveries: WebhookDeliveryRepository;
  beforeEach(async () => {
    storage = await backend.open();
    endpoints = new WebhookEndpointRepository(storage);
    deliveries = new WebhookDeliveryRepository(storage);
  });
  afterEach(() => storage.close());

  it('keeps endpoints without ever reading the secret back, pages them, and bumps the version', async () => {
    const v0 = await endpoints.version();
    await endpoints.create(endpoint('whe_b', ['message.sent', 'message.failed']), SECRET);
    await endpoints.create(endpoint('whe_a'), SECRET);
    expect(await endpoints.version()).not.toBe(v0);
    const got = await endpoints.get('whe_b');
    expect(got).toEqual(endpoint('whe_b', ['message.sent', 'message.failed']));
    expect(JSON.stringify(await endpoints.all())).not.toContain(SECRET);
    expect((await endpoints.list({ limit: 1 })).map((e) => e.id)).toEqual(['whe_a']);
    expect((await endpoints.list({ limit: 5, after: 'whe_a' })).map((e) => e.id)).toEqual(['whe_b']);
    expect(await endpoints.get('whe_missing')).toBeNull();
  });

  it('removes an endpoint with its deliveries', async () => {
    await endpoints.create(endpoint('whe_a'), SECRET);
    await endpoints.create(endpoint('whe_b'), SECRET);
    await deliveries.enqueue([delivery('whe_a'), delivery('whe_b')]);
    const v = await endpoints.version();
    expect(await endpoints.remove('whe_a')).toBe(true);
    expect(await endpoints.remove('whe_a')).toBe(false);
    expect(await endpoints.version()).not.toBe(v);
    expect(await deliveries.list('whe_a', { limit: 10 })).toEqual([]);
    expect(await deliveries.list('whe_b', { limit: 10 })).toHaveLength(1);
  });

  it('leases due deliveries once, with the endpoint URL and secret, and gives them back when the lease runs out', async () => {
    await endpoints.create(endpoint('whe_a'), SECRET);
    const [first, later] = [delivery('whe_a', T0), delivery('whe_a', T0 + 60_000)];
    await deliveries.enqueue([first, later].filter((d) => d !== undefined));
    const claimed = await deliveries.claim({ limit: 10, now: T0, leaseMs: 30_000, leaseToken: 'a' });
    expect(claimed).toEqual([
      {
        id: first?.id,
        endpointId: 'whe_a',
        url: 'https://app.example.com/hooks/whe_a',
        secret: SECRET,
        eventType: 'message.sent',
        payload: first?.payload,
        attempt: 1,
        leaseToken: 'a',
      },
    ]);
    expect(await deliveries.claim({ limit: 10, now: T0 + 1, leaseMs: 30_000, leaseToken: 'b' })).toEqual([]);
    const again = await deliveries.claim({ limit: 10, now: T0 + 30_000, leaseMs: 30_000, leaseToken: 'c' });
    expect(again.map((d) => [d.id, d.attempt])).toEqual([[first?.id, 2]]);
    // The first holder's lease is gone: what it reports now is ignored.
    await deliveries.complete([
      { id: first?.id ?? '', leaseToken: 'a', at: T0 + 30_001, outcome: { type: 'delivered', statusCode: 200 } },
    ]);
    const [row] = await deliveries.list('whe_a', { limit: 10, before: later?.id ?? '' });
    expect(row).toMatchObject({ status: 'pending', attempts: 2, deliveredAt: null });
  });

  it('records retries, deliveries and failures in the log, newest first', async () => {
    await endpoints.create(endpoint('whe_a'), SECRET);
    const ds = [delivery('whe_a'), delivery('whe_a'), delivery('whe_a')];
    await deliveries.enqueue(ds);
    const claimed = await deliveries.claim({ limit: 10, now: T0, leaseMs: 30_000, leaseToken: 't' });
    expect(claimed).toHaveLength(3);
    const [a, b, c] = claimed.map((d) => d.id) as [string, string, string];
    await deliveries.complete([
      { id: a, leaseToken: 't', at: T0 + 10, outcome: { type: 'delivered', statusCode: 204 } },
      {
        id: b,
        leaseToken: 't',
        at: T0 + 10,
        outcome: { type: 'retry', statusCode: 500, error: 'HTTP 500', nextAttemptAt: T0 + 5_000 },
      },
      { id: c, leaseToken: 't', at: T0 + 10, outcome: { type: 'failed', statusCode: null, error: 'x'.repeat(2_000) } },
    ]);
    const log = await deliveries.list('whe_a', { limit: 10 });
    expect(log.map((d) => d.id)).toEqual([c, b, a]);
    expect(log[2]).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 204,
      lastError: null,
      nextAttemptAt: null,
      deliveredAt: T0 + 10,
    });
    expect(log[1]).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
      nextAttemptAt: T0 + 5_000,
    });
    expect(log[0]).toMatchObject({ status: 'failed', lastStatusCode: null, nextAttemptAt: null });
    expect(log[0]?.lastError).toHaveLength(500);
    expect((await deliveries.list('whe_a', { limit: 2 })).map((d) => d.id)).toEqual([c, b]);
    expect((await deliveries.list('whe_a', { limit: 2, before: b })).map((d) => d.id)).toEqual([a]);
    // Only the retry is due again, and only once its time comes.
    expect(await deliveries.claim({ limit: 10, now: T0 + 4_999, leaseMs: 1, leaseToken: 'u' })).toEqual([]);
    expect(
      (await deliveries.claim({ limit: 10, now: T0 + 5_000, leaseMs: 1, leaseToken: 'u' })).map((d) => [
        d.id,
        d.attempt,
      ]),
    ).toEqual([[b, 2]]);
  });

  it('stores many deliveries published at once, and drops those whose endpoint is gone', async () => {
    await endpoints.create(endpoint('whe_a'), SECRET);
    const many = Array.from({ length: 300 }, () => delivery('whe_a'));
    await Promise.all([
      deliveries.enqueue(many.slice(0, 150)),
      deliveries.enqueue(many.slice(150)),
      deliveries.enqueue([delivery('whe_gone')]),
    ]);
    expect(await deliveries.list('whe_a', { limit: 1_000 })).toHaveLength(300);
    const claimed = await deliveries.claim({ limit: 1_000, now: T0, leaseMs: 1_000, leaseToken: 't' });
    expect(claimed).toHaveLength(300);
    expect(await deliveries.list('whe_gone', { limit: 10 })).toEqual([]);
  });

  it('prunes settled attempts created before the cutoff, and keeps pending ones however old', async () => {
    await endpoints.create(endpoint('whe_a'), SECRET);
    const DAY = 86_400_000;
    // Ids as the runtime makes them (whd_ + a ULID of the creation time): the prune is a key range.
    const at = (t: number): NewWebhookDelivery => ({ ...delivery('whe_a', t), id: `whd_${ulid(t)}` });
    const [oldDelivered, oldFailed, oldPending, recent] = [at(T0), at(T0 + 1), at(T0 + 2), at(T0 + 10 * DAY)];
    const all = [oldDelivered, oldFailed, oldPending, recent];
    await deliveries.enqueue(all);
    await deliveries.claim({ limit: 10, now: T0 + 20 * DAY, leaseMs: 1_000, leaseToken: 't' });
    const settle = (d: NewWebhookDelivery, type: 'delivered' | 'failed') => ({
      id: d.id,
      leaseToken: 't',
      at: T0 + 20 * DAY,
      outcome: type === 'delivered' ? { type, statusCode: 200 } : { type, statusCode: 500, error: 'HTTP 500' },
    });
    await deliveries.complete([
      settle(oldDelivered, 'delivered'),
      settle(oldFailed, 'failed'),
      settle(recent, 'delivered'),
      {
        id: oldPending.id,
        leaseToken: 't',
        at: T0 + 20 * DAY,
        outcome: { type: 'retry', statusCode: 503, error: 'HTTP 503', nextAttemptAt: T0 + 21 * DAY },
      },
    ]);
    expect(await deliveries.prune(T0 + 5 * DAY)).toBe(2);
    expect((await deliveries.list('whe_a', { limit: 10 })).map((d) => d.id).sort()).toEqual(
      [oldPending.id, recent.id].sort(),
    );
    expect(await deliveries.prune(T0 + 5 * DAY)).toBe(0);
  });

  it('lets one caller notify per cool-down, and one caller announce the resolution', async () => {
    const ledger = new AlertLedgerRepository(storage);
    expect(await ledger.resolve('failure_rate', T0)).toBe(false);
    expect(await ledger.fire('failure_rate', T0, 60_000)).toBe(true);
    expect(await ledger.fire('failure_rate', T0 + 1_000, 60_000)).toBe(false);
    expect(await ledger.fire('circuit_open:sim:default', T0 + 1_000, 60_000)).toBe(true);
    expect(await ledger.resolve('failure_rate', T0 + 2_000)).toBe(true);
    expect(await ledger.resolve('failure_rate', T0 + 2_000)).toBe(false);
    // Flapping inside the cool-down: no new alert, and so no second resolution either.
    expect(await ledger.fire('failure_rate', T0 + 3_000, 60_000)).toBe(false);
    expect(await ledger.resolve('failure_rate', T0 + 4_000)).toBe(false);
    expect(await ledger.fire('failure_rate', T0 + 60_000, 60_000)).toBe(true);
  });
});

const pg = await postgresIfReachable();

describe.skipIf(pg === null)('webhook storage shared by several processes on PostgreSQL', () => {
  let handles: Storage[];
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ handles, close } = await (pg as NonNullable<typeof pg>).openShared(3));
  });
  afterEach(() => close());

  it('never leases one delivery to two claimers at once', async () => {
    await new WebhookEndpointRepository(handles[0] as Storage).create(endpoint('whe_a'), SECRET);
    const all = Array.from({ length: 400 }, () => delivery('whe_a'));
    await new WebhookDeliveryRepository(handles[0] as Storage).enqueue(all);
    const repos = handles.map((h) => new WebhookDeliveryRepository(h));
    const seen: string[] = [];
    for (let round = 0; round < 10; round++) {
      const got = await Promise.all(
        repos.map((r, i) => r.claim({ limit: 25, now: T0, leaseMs: 60_000, leaseToken: `p${i}` })),
      );
      for (const batch of got) seen.push(...batch.map((d) => d.id));
    }
    expect(seen).toHaveLength(400);
    expect(new Set(seen).size).toBe(400);
  });

  it('lets exactly one of several processes notify about the same condition', async () => {
    const ledgers = handles.map((h) => new AlertLedgerRepository(h));
    const fired = await Promise.all(ledgers.map((l) => l.fire('failure_rate', T0, 60_000)));
    expect(fired.filter(Boolean)).toHaveLength(1);
    const resolved = await Promise.all(ledgers.map((l) => l.resolve('failure_rate', T0 + 1)));
    expect(resolved.filter(Boolean)).toHaveLength(1);
  });
});
