/**
 * @module app/store-accepted
 * The last step of acceptance: the messages and the request's idempotency record go to the store
 * in one transaction, then the workers are woken. Where the store guards duplicates (the embedded
 * mode), it may refuse a few messages there, whose counted limits are given back; the request's
 * answer (and the record that replays it) is then built without them.
 */
import type { Message } from '../core/message.js';
import type { Repeat } from '../ports/message-store.js';
import type { AppDeps } from './deps.js';
import { replayOrConflict, type IdempotencyContext } from './idempotency.js';

/** What a request answers, given which of its messages the store refused as repeats (indexes). */
export type Respond = (duplicates: readonly Repeat[]) => { statusCode: number; body: unknown };

/**
 * Stores the messages with the request's idempotency record, and wakes the workers. Returns the
 * replay when the key was used before, else the indexes of the messages the store's duplicate
 * guard refused (a concurrent request with the same text stored first); what was counted for
 * those is given back.
 */
export async function storeAccepted(
  deps: AppDeps,
  messages: Message[],
  caller: { apiKeyId: string },
  idem: IdempotencyContext | null,
  respond: Respond,
): Promise<{ replay: ReturnType<typeof replayOrConflict> } | { duplicates: readonly Repeat[] }> {
  const record = (duplicates: readonly Repeat[]) => {
    const { statusCode, body } = respond(duplicates);
    return idem && { ...idem, statusCode, responseBody: JSON.stringify(body) };
  };
  const guard = deps.protection.acceptance.guard();
  const outcome = await deps.store.accept(
    messages,
    record([]),
    guard ? { ...guard, recordWithout: (duplicates) => record(duplicates)! } : undefined,
  );
  if (outcome.kind === 'existing' && idem) return { replay: replayOrConflict(outcome.record, idem) };
  const duplicates = outcome.kind === 'stored' ? (outcome.duplicates ?? []) : [];
  const refused = new Set(duplicates.map((d) => d.index));
  const kept = refused.size === 0 ? messages : messages.filter((_, i) => !refused.has(i));
  if (duplicates.length > 0) {
    await deps.protection.acceptance.release(
      duplicates.map((d) => messages[d.index]!),
      caller.apiKeyId,
    );
  }
  if (kept.length > 0) {
    deps.queue.announce(kept.map((m) => m.id));
    deps.metrics.accepted(kept[0]!.channel, kept.length);
  }
  return { duplicates };
}
