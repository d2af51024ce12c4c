/**
 * @module storage/schema-outreach
 * The tables of sending to many at once and ahead of time: campaigns (their recipients and the rows
 * refused) and appointment reminders (with the message each offset scheduled). Part of the one
 * schema in storage/schema.ts, kept in a file of its own for size.
 */
import type { Generated } from 'kysely';

export interface CampaignsTable {
  id: string;
  name: string;
  status: string;
  template: string;
  locale: string | null;
  /** JSON of the data every recipient's message is rendered with (a row's own columns win). */
  data: string | null;
  purpose: string;
  from: string | null;
  channel: string;
  /** Messages per second. */
  rate: number;
  window_start: string | null;
  window_end: string | null;
  window_timezone: string | null;
  start_at: number | null;
  paced_until: Generated<number>;
  /** Rows numbered so far (uploads append after them). */
  rows_read: Generated<number>;
  recipients: Generated<number>;
  duplicates: Generated<number>;
  invalid: Generated<number>;
  accepted: Generated<number>;
  refused: Generated<number>;
  cancelled: Generated<number>;
  api_key_id: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
}

export interface CampaignRecipientsTable {
  campaign_id: string;
  row: number;
  to: string;
  /** JSON of the row's own data columns. */
  data: string | null;
  status: string;
  due_at: number;
  claims: Generated<number>;
  message_id: string | null;
}

export interface CampaignRejectionsTable {
  campaign_id: string;
  row: number;
  line: number | null;
  code: string;
  reason: string;
  at: number;
}

export interface RemindersTable {
  reference: string;
  api_key_id: string;
  appointment_at: number;
  timezone: string;
  /** JSON of what each message is made from (to, template, data, locale, purpose…). */
  request: string;
  /** JSON array of offset labels, as asked for. */
  offsets: string;
  status: string;
  reply: string | null;
  replied_at: number | null;
  request_hash: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface ReminderMessagesTable {
  reference: string;
  offset_label: string;
  /** Null: the offset was already past, nothing was scheduled. */
  message_id: string | null;
  send_at: number;
}
