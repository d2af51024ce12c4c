/**
 * Regression found by the crash-consistency chaos run (test/chaos): an accept killed after counting
 * its limits but before storing its messages left the duplicate rule's count behind, and the
 * client's retry with the same Idempotency-Key was refused as `duplicate_message` for a text that
 * never went out. The kill is stood in for by a store that fails once, between the same two steps.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTidings, type Tidings } from '../support/harness.js';

describe('a retry after an accept interrupted between counting and storing', () => {
  let t: Tidings;
  beforeEach(async () => {
    t = await startTidings({ TIDINGS_DUPLICATE_WINDOW: '10m' });
  });
  afterEach(async () => t.stop());

  /** The next store of accepted messages dies, as the process would have. */
  function interruptNextStore(): void {
    const store = t.rt.deps.store;
    const accept = store.accept.bind(store);
    store.accept = async () => {
      store.accept = accept;
      throw new Error('process killed before the messages were stored');
    };
  }

  const batch = { messages: [{ to: '+14155550123', body: 'Your table is ready', reference: 'interrupted' }] };

  it('accepts the batch retried with the same Idempotency-Key', async () => {
    interruptNextStore();
    const first = await t.api('POST', '/v1/messages/batch', batch, { 'idempotency-key': 'batch-1' });
    expect(first.status).toBe(500);
    const retry = await t.api('POST', '/v1/messages/batch', batch, { 'idempotency-key': 'batch-1' });
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ accepted: 1, rejected: 0 });
    const again = await t.api('POST', '/v1/messages/batch', batch, { 'idempotency-key': 'batch-1' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.results[0].id).toBe(retry.body.results[0].id);
  });

  it('accepts the single message retried with the same Idempotency-Key', async () => {
    interruptNextStore();
    const msg = batch.messages[0]!;
    expect((await t.api('POST', '/v1/messages', msg, { 'idempotency-key': 'one-1' })).status).toBe(500);
    const retry = await t.api('POST', '/v1/messages', msg, { 'idempotency-key': 'one-1' });
    expect(retry.status).toBe(202);
    expect(retry.body.status).toBe('queued');
  });

  it('still refuses the same text under another key, and a retry whose text did go out', async () => {
    const msg = batch.messages[0]!;
    expect((await t.api('POST', '/v1/messages', msg, { 'idempotency-key': 'a' })).status).toBe(202);
    const other = await t.api('POST', '/v1/messages', msg, { 'idempotency-key': 'b' });
    expect(other.body.error?.code).toBe('duplicate_message');
    // Key `b` was tried and refused; trying it again finds the text stored under `a`: still refused.
    const retried = await t.api('POST', '/v1/messages', msg, { 'idempotency-key': 'b' });
    expect(retried.body.error?.code).toBe('duplicate_message');
    const noKey = await t.api('POST', '/v1/messages', msg);
    expect(noKey.body.error?.code).toBe('duplicate_message');
  });
});
