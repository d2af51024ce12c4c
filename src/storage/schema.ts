/**
 * @module storage/schema
 * The tables as Kysely sees them: one definition for every dialect. Times are epoch milliseconds
 * (integers), JSON is stored as text, so SQLite and PostgreSQL hold the same values.
 */
import type { Generated } from 'kysely';
import type {
  CampaignRecipientsTable,
  CampaignRejectionsTable,
  CampaignsTable,
  ReminderMessagesTable,
  RemindersTable,
} from './schema-outreach.js';

export type {
  CampaignRecipientsTable,
  CampaignRejectionsTable,
  CampaignsTable,
  ReminderMessagesTable,
  RemindersTable,
} from './schema-outreach.js';

export interface MessagesTable {
  id: string;
  api_key_id: string | null;
  channel: string;
  purpose: string;
  to: string;
  from: string | null;
  body: string;
  encoding: string;
  segments: number;
  status: string;
  provider: string | null;
  provider_message_id: string | null;
  reference: string | null;
  metadata: string | null;
  send_at: number | null;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
  template: string | null;
  template_version: number | null;
  variant: string | null;
  locale: string | null;
  /** JSON of the variables the template was rendered with. */
  template_data: string | null;
  cost: number | null;
  cost_currency: string | null;
  price: number | null;
  price_currency: string | null;
  /** JSON array of the channels still to try. */
  fallback: string | null;
  /** JSON of Contacts (e-mail, push subscription). */
  contacts: string | null;
  /** When a `sent` message that is still not delivered moves to its next channel. */
  fallback_at: number | null;
  /** Destination country (ISO 3166 alpha-2) of the number at acceptance: an analytics dimension. */
  country: string | null;
  /** When a provider last accepted it: time to delivery starts here. */
  sent_at: number | null;
  /** First conversion and first tracked-link click: a message converts once, however often. */
  converted_at: number | null;
  clicked_at: number | null;
  /** The campaign that made it, if any: progress counts messages by (campaign_id, status). */
  campaign_id: string | null;
  /** core/stable-hash of the body, for the duplicate lookup (storage/recent-duplicates); null before 0013. */
  body_hash: number | null;
}

export interface MessageEventsTable {
  seq: Generated<number>;
  message_id: string;
  type: string;
  status: string | null;
  at: number;
  provider: string | null;
  detail: string | null;
}

export interface JobsTable {
  message_id: string;
  /** Due time while waiting; lease expiry while held. */
  visible_at: number;
  attempts: number;
  lease_token: string | null;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response_body: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  role: string;
  created_at: number;
  revoked_at: number | null;
}

export interface TemplatesTable {
  name: string;
  /** Null once deleted: the versions stay, for the messages that used them. */
  current_version: number | null;
  updated_at: number;
}

export interface TemplateVersionsTable {
  name: string;
  version: number;
  /** JSON of TemplateContent. */
  content: string;
  created_at: number;
}

export interface BannedWordsTable {
  term: string;
  /** JSON array of purposes, or null for all. */
  purposes: string | null;
  created_at: number;
}

export interface SuppressionsTable {
  number: string;
  reason: string;
  source: string;
  source_message_id: string | null;
  note: string | null;
  created_at: number;
}

export interface ChangeCountersTable {
  name: string;
  value: number;
}

export interface InboundMessagesTable {
  id: string;
  provider: string;
  provider_message_id: string;
  from: string;
  to: string | null;
  body: string;
  received_at: number;
  in_reply_to: string | null;
  reference: string | null;
  keyword: string | null;
  intent: string | null;
  sentiment: string | null;
  sentiment_score: number | null;
  auto_reply: string | null;
}

export interface WebhookEndpointsTable {
  id: string;
  url: string;
  description: string | null;
  /** JSON array of event types, or null for all. */
  event_types: string | null;
  /** `whsec_…`: signing needs the secret itself, so it cannot be stored hashed. */
  secret: string;
  created_at: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  event_type: string;
  /** The JSON body as sent and signed. */
  payload: string;
  status: string;
  attempts: number;
  /** Due time while waiting, lease expiry while held, null once delivered or failed. */
  next_attempt_at: number | null;
  lease_token: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

export interface AlertStateTable {
  condition: string;
  /** 1 while the operators have been told it is firing and not yet that it resolved. */
  firing: number;
  notified_at: number | null;
  resolved_at: number | null;
}

export interface TwilioCompatAccountsTable {
  sid: string;
  name: string;
  role: string;
  token_hash: string;
  /** Kept as is: Twilio-style callbacks are signed with the token itself (docs/twilio-compat.md). */
  auth_token: string;
  created_at: number;
  revoked_at: number | null;
}

export interface TwilioCompatMessagesTable {
  message_id: string;
  account_sid: string;
  status_callback: string | null;
  messaging_service_sid: string | null;
  created_at: number;
}

export interface TwilioCallbacksTable {
  id: string;
  account_sid: string;
  message_id: string;
  url: string;
  event_type: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  lease_token: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

/** Counters per send hour and dimensions; see storage/rollup-delta for the columns. */
export interface RollupsTable {
  hour: number;
  provider: string;
  template: string;
  variant: string;
  country: string;
  purpose: string;
  channel: string;
  currency: string;
  [counter: string]: number | string;
}

export interface ConversionsTable {
  id: string;
  message_id: string;
  event: string;
  value: number | null;
  currency: string | null;
  /** `api` (POST /v1/conversions) or `click` (a tracked link). */
  source: string;
  at: number;
}

export interface ShortLinksTable {
  code: string;
  message_id: string;
  url: string;
  created_at: number;
  clicks: number;
  first_click_at: number | null;
}

/** Delivery reports waiting for the message they are about (storage/early-report-repository). */
export interface EarlyReportsTable {
  id: string;
  provider: string;
  /** The normalized report (core/status-event), as JSON. */
  report: string;
  received_at: number;
}

export interface Database {
  messages: MessagesTable;
  message_events: MessageEventsTable;
  jobs: JobsTable;
  idempotency_keys: IdempotencyKeysTable;
  api_keys: ApiKeysTable;
  templates: TemplatesTable;
  template_versions: TemplateVersionsTable;
  banned_words: BannedWordsTable;
  suppressions: SuppressionsTable;
  change_counters: ChangeCountersTable;
  inbound_messages: InboundMessagesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  alert_state: AlertStateTable;
  rollups: RollupsTable;
  conversions: ConversionsTable;
  short_links: ShortLinksTable;
  twilio_compat_accounts: TwilioCompatAccountsTable;
  twilio_compat_messages: TwilioCompatMessagesTable;
  twilio_callbacks: TwilioCallbacksTable;
  early_reports: EarlyReportsTable;
  campaigns: CampaignsTable;
  campaign_recipients: CampaignRecipientsTable;
  campaign_rejections: CampaignRejectionsTable;
  reminders: RemindersTable;
  reminder_messages: ReminderMessagesTable;
}
