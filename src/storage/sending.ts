/**
 * @module storage/sending
 * A message starts sending: the embedded queue's claim and the Redis queue's start both come
 * through here, so "which messages may be sent" and "what a start records" are decided once.
 */
import type { MessageStatus } from '../core/message.js';
import { insertEvents, type Tx } from './message-writes.js';
import { paddedInList } from './statement-shapes.js';

/** Statuses a job may (still) send from: `sending` is a job that was handed back or whose worker died. */
export const DISPATCHABLE: readonly MessageStatus[] = ['queued', 'scheduled', 'sending'];

export const isDispatchable = (status: string): boolean => DISPATCHABLE.includes(status as MessageStatus);

/**
 * Moves still-pending messages to `sending` with a `sending` event carrying the attempt. The update
 * re-checks the status, so a message canceled meanwhile (on PostgreSQL, by another process) stays canceled.
 */
export async function markSending(t: Tx, starting: ReadonlyArray<{ id: string; attempt: number }>, now: number) {
  if (starting.length === 0) return;
  await t.tx
    .updateTable('messages')
    .set({ status: 'sending', updated_at: now })
    .where('id', 'in', paddedInList(starting.map((j) => j.id)))
    .where('status', 'in', ['queued', 'scheduled'])
    .execute();
  await insertEvents(
    t,
    starting.map((j) => ({
      messageId: j.id,
      type: 'status',
      status: 'sending',
      at: now,
      provider: null,
      detail: { attempt: j.attempt },
    })),
  );
}
