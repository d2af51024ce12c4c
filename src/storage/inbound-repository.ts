/**
 * @module storage/inbound-repository
 * Replies and their conversations. A reply and the `reply` event on the message it answers are
 * written in one transaction; a provider's retried webhook finds the reply already stored (unique
 * provider message id) and changes nothing.
 */
import type { Selectable } from 'kysely';
import type { KeywordAction } from '../core/keywords.js';
import type { SentimentLabel } from '../core/sentiment-label.js';
import type { ConversationTip, InboundRecord, InboundStore } from '../ports/inbound-store.js';
import type { StorageHandle } from './handle.js';
import { insertEvents } from './message-writes.js';
import type { InboundMessagesTable } from './schema.js';
import { DIMS_SELECT, RollupDelta, dimsOf } from './rollup-delta.js';
import { recordRollups } from './rollup-writes.js';

function fromRow(r: Selectable<InboundMessagesTable>): InboundRecord {
  return {
    id: r.id,
    provider: r.provider,
    providerMessageId: r.provider_message_id,
    from: r.from,
    to: r.to,
    body: r.body,
    receivedAt: Number(r.received_at),
    inReplyTo: r.in_reply_to,
    reference: r.reference,
    keyword: r.keyword as KeywordAction | null,
    intent: r.intent,
    sentiment: r.sentiment as SentimentLabel | null,
    sentimentScore: r.sentiment_score === null ? null : Number(r.sentiment_score),
    autoReply: r.auto_reply,
  };
}

export class InboundRepository implements InboundStore {
  constructor(private readonly storage: StorageHandle) {}

  insert(rec: InboundRecord): Promise<{ stored: boolean; record: InboundRecord }> {
    return this.storage.writes.run(async (tx) => {
      const existing = await tx
        .selectFrom('inbound_messages')
        .selectAll()
        .where('provider', '=', rec.provider)
        .where('provider_message_id', '=', rec.providerMessageId)
        .executeTakeFirst();
      if (existing) return { stored: false, record: fromRow(existing) };
      await tx
        .insertInto('inbound_messages')
        .values({
          id: rec.id,
          provider: rec.provider,
          provider_message_id: rec.providerMessageId,
          from: rec.from,
          to: rec.to,
          body: rec.body,
          received_at: rec.receivedAt,
          in_reply_to: rec.inReplyTo,
          reference: rec.reference,
          keyword: rec.keyword,
          intent: rec.intent,
          sentiment: rec.sentiment,
          sentiment_score: rec.sentimentScore,
          auto_reply: rec.autoReply,
        })
        .execute();
      if (rec.inReplyTo !== null) {
        const answered = await tx
          .selectFrom('messages')
          .select(DIMS_SELECT)
          .where('id', '=', rec.inReplyTo)
          .executeTakeFirst();
        if (answered) {
          const delta = new RollupDelta();
          delta.add(dimsOf(answered), { counts: { replies: 1, opt_outs: rec.keyword === 'opt_out' ? 1 : 0 } });
          await recordRollups({ tx, dialect: this.storage.dialect }, delta);
        }
        await insertEvents({ tx, dialect: this.storage.dialect }, [
          {
            messageId: rec.inReplyTo,
            type: 'reply',
            status: null,
            at: rec.receivedAt,
            provider: rec.provider,
            detail: {
              inboundId: rec.id,
              text: rec.body,
              ...(rec.keyword ? { keyword: rec.keyword } : {}),
              ...(rec.intent ? { intent: rec.intent } : {}),
              ...(rec.sentiment ? { sentiment: rec.sentiment } : {}),
            },
          },
        ]);
      }
      return { stored: true, record: rec };
    });
  }

  async lastSentTo(number: string, since: number): Promise<ConversationTip | null> {
    // Walks the (to, id) index backwards: ids sort by creation time.
    const row = await this.storage.db
      .selectFrom('messages')
      .select(['id', 'reference', 'template', 'template_version', 'created_at'])
      .where('to', '=', number)
      .where('status', 'not in', ['canceled'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row || Number(row.created_at) < since) return null;
    return {
      messageId: row.id,
      reference: row.reference,
      template:
        row.template === null || row.template_version === null
          ? null
          : { name: row.template, version: Number(row.template_version) },
    };
  }

  async list(opts: { from?: string; inReplyTo?: string; before?: string; limit: number }): Promise<InboundRecord[]> {
    let q = this.storage.db.selectFrom('inbound_messages').selectAll();
    if (opts.from !== undefined) q = q.where('from', '=', opts.from);
    if (opts.inReplyTo !== undefined) q = q.where('in_reply_to', '=', opts.inReplyTo);
    if (opts.before !== undefined) q = q.where('id', '<', opts.before);
    const rows = await q.orderBy('id', 'desc').limit(opts.limit).execute();
    return rows.map(fromRow);
  }
}
