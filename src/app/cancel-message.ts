/**
 * @module app/cancel-message
 * Withdrawing a message that has not reached a provider yet.
 */
import { TidingsError } from '../core/errors.js';
import type { AppDeps } from './deps.js';
import { getMessage } from './query-messages.js';
import { publish, statusEvent } from './publish-events.js';

export async function cancelMessage(deps: AppDeps, id: string) {
  const outcome = await deps.store.cancel(id, deps.clock.now());
  if (outcome === 'not_found') throw new TidingsError('not_found', `No message ${id}.`);
  if (outcome === 'not_pending') {
    throw new TidingsError(
      'message_not_cancelable',
      'Only queued or scheduled messages not yet being sent can be canceled.',
    );
  }
  publish(deps, [statusEvent('canceled', deps.clock.now(), { messageId: id })]);
  return getMessage(deps, id);
}

/** Cancels everything still pending for a booking or order, e.g. when the appointment is called off. */
export async function cancelByReference(
  deps: AppDeps,
  reference: string,
): Promise<{ canceled: number; ids: string[] }> {
  const at = deps.clock.now();
  const ids = await deps.store.cancelByReference(reference, at);
  publish(
    deps,
    ids.map((messageId) => statusEvent('canceled', at, { messageId, reference })),
  );
  return { canceled: ids.length, ids };
}

/** Withdraws a cancelled campaign's messages that are still queued or scheduled. */
export async function cancelByCampaignMessages(deps: AppDeps, campaignId: string): Promise<number> {
  const at = deps.clock.now();
  const ids = await deps.store.cancelByCampaign(campaignId, at);
  publish(
    deps,
    ids.map((messageId) => statusEvent('canceled', at, { messageId })),
  );
  return ids.length;
}
