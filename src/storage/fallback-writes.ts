/**
 * @module storage/fallback-writes
 * Moving messages to their next channel. Rare next to sends, so plainly row by row, inside the
 * shared write transaction: the message's channel, address and status change, a `fallback` event
 * records why, and the job is put back (or created) unleased with a fresh attempt count, all at once.
 * A worker's late completion of the old job cannot delete the new one: completions match the lease.
 */
import { sql } from 'kysely';
import { FALLBACK_BLOCKED, addressFor } from '../core/fallback.js';
import type { Channel, Contacts } from '../core/message.js';
import type { FallbackMove, FallbackRequest } from '../ports/message-store.js';
import { insertEvents, type Tx } from './message-writes.js';
import { paddedInList } from './statement-shapes.js';

export async function applyFallbacks(t: Tx, requests: FallbackRequest[]): Promise<FallbackMove[]> {
  if (requests.length === 0) return [];
  const { tx } = t;
  const rows = await tx
    .selectFrom('messages')
    .select(['id', 'channel', 'status', 'fallback', 'contacts', 'provider_message_id'])
    .where('id', 'in', paddedInList(requests.map((r) => r.id)))
    .where('fallback', 'is not', null)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const moved: FallbackMove[] = [];
  for (const req of requests) {
    const row = byId.get(req.id);
    if (!row || FALLBACK_BLOCKED.has(row.status) || row.fallback === null) continue;
    byId.delete(req.id); // a message listed twice moves once
    const remaining = JSON.parse(row.fallback) as Channel[];
    const contacts = row.contacts === null ? null : (JSON.parse(row.contacts) as Contacts);
    // Skip channels with no address (validated at acceptance, so only after a contact was removed).
    let next: Channel | undefined;
    let address: string | null = null;
    while (remaining.length > 0 && address === null) {
      next = remaining.shift();
      address = next === undefined ? null : addressFor(next, contacts);
    }
    if (next === undefined || address === null) continue;
    await tx
      .updateTable('messages')
      .set({
        channel: next,
        to: address,
        status: 'queued',
        fallback: remaining.length === 0 ? null : JSON.stringify(remaining),
        fallback_at: null,
        provider_message_id: null,
        updated_at: req.at,
      })
      .where('id', '=', req.id)
      .execute();
    await insertEvents(t, [
      {
        messageId: req.id,
        type: 'fallback',
        status: 'queued',
        at: req.at,
        provider: null,
        detail: {
          from: row.channel,
          to: next,
          ...(row.provider_message_id ? { previousProviderMessageId: row.provider_message_id } : {}),
          ...req.reason,
        },
      },
    ]);
    await tx
      .insertInto('jobs')
      .values({ message_id: req.id, visible_at: req.at, attempts: 0, lease_token: null })
      .onConflict((oc) => oc.column('message_id').doUpdateSet({ visible_at: req.at, attempts: 0, lease_token: null }))
      .execute();
    moved.push({ id: req.id, from: row.channel, to: next });
  }
  return moved;
}

export async function selectDueForFallback(t: Pick<Tx, 'tx'>, now: number, limit: number): Promise<string[]> {
  const rows = await t.tx
    .selectFrom('messages')
    .select('id')
    .where('fallback_at', 'is not', null)
    .where('fallback_at', '<=', now)
    .where(sql.ref('status'), '=', 'sent')
    .orderBy('fallback_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
