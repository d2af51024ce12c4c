/**
 * The Twilio-compatible status-callback outbox on every storage engine: leased with the account's
 * auth token, settled by the current lease only, and pruned by the same rules as webhook deliveries.
 */
import { ulid } from 'ulid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storageBackends } from '../../test/support/backends.js';
import type { NewTwilioCallback } from '../ports/twilio-compat.js';
import type { Storage } from './connect.js';
import { TwilioCallbackRepository } from './twilio-callback-repository.js';
import { TwilioCompatAccountRepository } from './twilio-compat-repository.js';

const T0 = Date.UTC(2030, 0, 1);
const DAY = 86_400_000;
const SID = `AC${'c3'.repeat(16)}`;
const TOKEN = 'compat-callback-token-0123456789';

const callback = (createdAt: number): NewTwilioCallback => ({
  id: `twc_${ulid(createdAt)}`,
  accountSid: SID,
  messageId: `msg_${ulid(createdAt)}`,
  url: 'https://app.example.com/twilio-status',
  eventType: 'message.sent',
  payload: 'MessageStatus=sent',
  createdAt,
});

describe.each(await storageBackends())('Twilio-compatible callbacks on $name', (backend) => {
  let storage: Storage;
  let callbacks: TwilioCallbackRepository;
  beforeEach(async () => {
    storage = await backend.open();
    callbacks = new TwilioCallbackRepository(storage);
    await new TwilioCompatAccountRepository(storage).insert(
      { sid: SID, name: 'app', role: 'send', tokenHash: 'ab'.repeat(32), createdAt: T0, revokedAt: null },
      TOKEN,
    );
  });
  afterEach(() => storage.close());

  it('leases due callbacks with the auth token, records results by the current lease, and prunes settled ones', async () => {
    const [old, oldRetry, recent] = [callback(T0), callback(T0 + 1), callback(T0 + 10 * DAY)];
    await callbacks.enqueue([old, oldRetry, recent]);
    const claimed = await callbacks.claim({ limit: 10, now: T0 + 20 * DAY, leaseMs: 1_000, leaseToken: 'a' });
    expect(claimed.map((c) => [c.id, c.secret, c.endpointId, c.attempt])).toEqual([
      [old.id, TOKEN, SID, 1],
      [oldRetry.id, TOKEN, SID, 1],
      [recent.id, TOKEN, SID, 1],
    ]);
    const at = T0 + 20 * DAY;
    await callbacks.complete([
      { id: old.id, leaseToken: 'a', at, outcome: { type: 'delivered', statusCode: 200 } },
      { id: recent.id, leaseToken: 'a', at, outcome: { type: 'failed', statusCode: 404, error: 'HTTP 404' } },
      {
        id: oldRetry.id,
        leaseToken: 'stale',
        at,
        outcome: { type: 'delivered', statusCode: 200 },
      },
    ]);
    // The stale lease's report was ignored: that callback is still pending, so it is kept.
    expect(await callbacks.prune(T0 + 5 * DAY)).toBe(1);
    expect(await callbacks.prune(T0 + 30 * DAY)).toBe(1);
    const again = await callbacks.claim({ limit: 10, now: at + 1_000, leaseMs: 1_000, leaseToken: 'b' });
    expect(again.map((c) => [c.id, c.attempt])).toEqual([[oldRetry.id, 2]]);
  });
});
