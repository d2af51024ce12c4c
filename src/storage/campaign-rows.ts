/**
 * @module storage/campaign-rows
 * Campaign rows to domain records and back, and the statements the repository builds by hand: the
 * settle of many recipient rows in one `UPDATE … FROM (VALUES …)` (both engines), and the
 * rejected rows.
 */
import type { Selectable, Transaction } from 'kysely';
import type { CampaignStatus } from '../core/campaign.js';
import type { Channel, Purpose } from '../core/message.js';
import type { Campaign, RowRejection } from '../ports/campaign-store.js';
import type { Dialect } from './dialect.js';
import { chunk } from './rows.js';
import type { CampaignsTable, Database } from './schema.js';

type Tx = Transaction<Database>;

export function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function fromRow(r: Selectable<CampaignsTable>): Campaign {
  return {
    id: r.id,
    name: r.name,
    status: r.status as CampaignStatus,
    template: r.template,
    locale: r.locale,
    data: parseJson(r.data),
    purpose: r.purpose as Purpose,
    from: r.from,
    channel: r.channel as Channel,
    rate: Number(r.rate),
    window:
      r.window_start !== null && r.window_end !== null
        ? {
            start: r.window_start,
            end: r.window_end,
            ...(r.window_timezone !== null ? { timezone: r.window_timezone } : {}),
          }
        : null,
    startAt: r.start_at === null ? null : Number(r.start_at),
    counts: {
      rowsRead: Number(r.rows_read),
      recipients: Number(r.recipients),
      duplicates: Number(r.duplicates),
      invalid: Number(r.invalid),
      accepted: Number(r.accepted),
      refused: Number(r.refused),
      cancelled: Number(r.cancelled),
    },
    apiKeyId: r.api_key_id,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    startedAt: r.started_at === null ? null : Number(r.started_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  };
}

/** Statement text of a settle of `n` rows; cached, so the driver's prepared statement is reused. */
const settleSqlCache = new Map<string, string>();
export function settleSql(dialect: Dialect, n: number): string {
  const key = `${dialect}:${n}`;
  let text = settleSqlCache.get(key);
  if (text) return text;
  let p = 1;
  const ph = (cast: string) => (dialect === 'postgres' ? `$${++p}::${cast}` : '?');
  const tuples = Array.from({ length: n }, () => `(${ph('bigint')}, ${ph('text')}, ${ph('text')})`);
  text =
    `with v(rw, st, mid) as (values ${tuples.join(', ')}) ` +
    `update campaign_recipients set status = v.st, message_id = v.mid from v ` +
    `where campaign_recipients.campaign_id = ${dialect === 'postgres' ? '$1' : '?'} ` +
    `and campaign_recipients."row" = v.rw and campaign_recipients.status = 'pending' ` +
    `returning campaign_recipients."row" as "row", campaign_recipients.status as status`;
  settleSqlCache.set(key, text);
  return text;
}

export function duplicate(row: number, line: number | null): RowRejection {
  return { row, line, code: 'duplicate_recipient', reason: 'The number is already a recipient of this campaign.' };
}

export async function insertRejections(tx: Tx, id: string, rejections: RowRejection[], at: number): Promise<void> {
  for (const part of chunk(rejections, 500)) {
    await tx
      .insertInto('campaign_rejections')
      .values(part.map((r) => ({ campaign_id: id, row: r.row, line: r.line, code: r.code, reason: r.reason, at })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
