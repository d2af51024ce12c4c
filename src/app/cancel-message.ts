/**
 * @module app/cancel-message
 * Withdrawing a message that has not reached a provider yet.
 */
import { TidingsError } from '../core/errors.js';
import type { AppDeps } from './deps.js';
import { getMessage } from './query-messages.js';

export async function cancelMessage(deps: AppDeps, id: string) {
  const outcome = await deps.store.cancel(id, deps.clock.now());
  if (outcome === 'not_found') throw new TidingsError('not_found', `No message ${id}.`);
  if (outcome === 'not_pending') {
    throw new TidingsError(
      'message_not_cancelable',
      'Only queued or scheduled messages not yet being sent can be canceled.',
    );
  }
  return getMessage(deps, id);
}

/** Cancels everything still pending for a booking or order, e.g. when the appointment is called off. */
export async function cancelByReference(
  deps: AppDeps,
  reference: string,
): Promise<{ canceled: number; ids: string[] }> {
  const ids = await deps.store.cancelByReference(reference, deps.clock.now());
  return { canceled: ids.length, ids };
}
