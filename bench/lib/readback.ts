/**
 * @module bench/lib/readback
 * After the clock stops: reads every message back through the API (`GET /v1/messages/{id}`) and
 * finds when each was accepted (`createdAt`) and when it became `sent` (its first `sent` event).
 * This is how a user would audit a campaign, and it needs no knowledge of the database schema.
 */
import type { ApiClient } from './api.js';

interface EventView {
  type: string;
  status: string | null;
  at: string;
}

interface MessageWithEvents {
  id: string;
  status: string;
  attempts: number;
  createdAt: string;
  events: EventView[];
}

export interface Readback {
  /** Messages by their current status ("missing" when the GET failed). */
  byStatus: Record<string, number>;
  /** Accept-to-sent of each message that was sent, ms. */
  acceptToSentMs: number[];
  /** Epoch ms of the last `sent` event. */
  lastSentAt: number;
  /** Messages that needed more than one attempt. */
  retried: number;
}

export async function readBack(api: ApiClient, ids: readonly string[], concurrency = 32): Promise<Readback> {
  const byStatus: Record<string, number> = {};
  const acceptToSentMs: number[] = [];
  let lastSentAt = 0;
  let retried = 0;
  let next = 0;

  async function reader(): Promise<void> {
    while (next < ids.length) {
      const id = ids[next++] as string;
      const res = await api.get<MessageWithEvents>(`/v1/messages/${id}`).catch(() => null);
      if (!res || res.status !== 200) {
        byStatus['missing'] = (byStatus['missing'] ?? 0) + 1;
        continue;
      }
      const m = res.body;
      byStatus[m.status] = (byStatus[m.status] ?? 0) + 1;
      if (m.attempts > 1) retried++;
      const sent = m.events.find((e) => e.status === 'sent');
      if (!sent) continue;
      const sentAt = Date.parse(sent.at);
      acceptToSentMs.push(sentAt - Date.parse(m.createdAt));
      if (sentAt > lastSentAt) lastSentAt = sentAt;
    }
  }

  await Promise.all(Array.from({ length: concurrency }, reader));
  return { byStatus, acceptToSentMs, lastSentAt, retried };
}
