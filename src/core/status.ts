/**
 * @module core/status
 * The lifecycle state machine. Providers report out of order (a late "sent" after "delivered"),
 * so a status only ever moves forward; a backwards report is recorded but not applied.
 */
import type { MessageStatus } from './message.js';

const RANK: Record<MessageStatus, number> = {
  scheduled: 0,
  queued: 1,
  sending: 2,
  sent: 3,
  // The three carrier outcomes share a rank: once one is known, the others cannot replace it.
  delivered: 4,
  undelivered: 4,
  failed: 4,
  canceled: 4,
};

export const FINAL_STATUSES: readonly MessageStatus[] = ['delivered', 'undelivered', 'failed', 'canceled'];

export function isFinal(status: MessageStatus): boolean {
  return RANK[status] === 4;
}

/** Still waiting to be handed to a provider, so it may be canceled. */
export function isPending(status: MessageStatus): boolean {
  return status === 'queued' || status === 'scheduled';
}

/** Whether moving from `current` to `next` is a step forward in the lifecycle. */
export function canAdvance(current: MessageStatus, next: MessageStatus): boolean {
  if (isFinal(current)) return false;
  return RANK[next] > RANK[current];
}
