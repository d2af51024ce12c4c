/**
 * @module types
 * The API's shapes as the dashboard reads them (see /openapi.json); only the fields it uses.
 */
export type MessageStatus =
  'queued' | 'scheduled' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'canceled';

export const MESSAGE_STATUSES: readonly MessageStatus[] = [
  'queued',
  'scheduled',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'canceled',
];

export const FINAL_STATUSES: ReadonlySet<string> = new Set(['delivered', 'undelivered', 'failed', 'canceled']);

export interface Money {
  amount: number;
  currency: string;
}

export interface Message {
  id: string;
  status: MessageStatus;
  channel: string;
  purpose: string;
  to: string;
  from: string | null;
  body: string;
  encoding: string;
  segments: number;
  sendAt: string | null;
  reference: string | null;
  provider: string | null;
  providerMessageId: string | null;
  attempts: number;
  template: { name: string; version: number; variant: string | null; locale: string } | null;
  cost: Money | null;
  price: Money | null;
  error: { code: string; message: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface MessageEvent {
  type: string;
  status: string | null;
  at: string;
  provider: string | null;
  detail: Record<string, unknown> | null;
}

export interface MessageWithEvents extends Message {
  events: MessageEvent[];
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface Inbound {
  id: string;
  provider: string;
  from: string;
  to: string | null;
  body: string;
  receivedAt: string;
  inReplyTo: string | null;
  keyword: string | null;
  intent: string | null;
  sentiment: string | null;
  autoReply: string | null;
}

export interface Variant {
  name: string;
  weight: number;
  body?: string;
  locales?: Record<string, string>;
  delay?: string;
}

export interface Template {
  name: string;
  version: number;
  body: string;
  locales: Record<string, string>;
  variants: Variant[];
  providerTemplates: Record<string, string>;
  replies: Record<string, string[]>;
  purpose: string | null;
  description: string | null;
  variables: string[];
  createdAt: string;
}

export interface TextPreview {
  text: string;
  characters: number;
  encoding: string;
  segments: number;
  ucs2Characters: string[];
  smartEncoding: { text: string; encoding: string; segments: number; segmentsSaved: number } | null;
  bannedTerm: string | null;
  cost: (Money & { provider: string }) | null;
  variant: string | null;
  locale: string | null;
  /** Only from POST /v1/preview. */
  variables?: string[];
  sampled?: string[];
}

export interface Suppression {
  number: string;
  reason: string;
  source: string;
  sourceMessageId: string | null;
  note: string | null;
  createdAt: string;
}

export const SUPPRESSION_REASONS = ['manual', 'opted_out', 'complaint', 'invalid'] as const;

export interface ProviderView {
  id: string;
  kind: string;
  channel: string;
  config: string;
  state: string;
  errorRate: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  recentSends: number;
}

export interface Routing {
  routes: { channel: string | null; countries: string[] | null; providers: { id: string; weight: number | null }[] }[];
  senders: Record<string, number>;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[] | null;
  createdAt: string;
}

export interface WebhookDelivery {
  id: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const WEBHOOK_EVENT_TYPES = [
  'message.queued',
  'message.sent',
  'message.delivered',
  'message.undelivered',
  'message.failed',
  'message.canceled',
  'message.fallback',
  'message.replied',
  'recipient.opted_out',
  'recipient.opted_in',
] as const;

/** One row of /v1/analytics (summary or breakdown): figures over a range of send hours. */
export interface ReportFigures {
  accepted: number;
  sent: number;
  delivered: number;
  undelivered: number;
  failed: number;
  deliveryRate: number | null;
  medianDeliverySeconds: number | null;
  p95DeliverySeconds: number | null;
  segments: number;
  /** By currency. */
  cost: Record<string, number>;
  replies: number;
  optOuts: number;
  conversions: number;
  converted: number;
  conversionRate: number | null;
}

export interface ReportRow extends ReportFigures {
  key: string | number | null;
}

export interface Breakdown {
  by: string;
  timezone: string;
  rows: ReportRow[];
}

export type ExperimentMetric = 'conversion' | 'click' | 'delivery';
export type ArmStatus = 'control' | 'not_enough_data' | 'significant' | 'not_significant';

export interface ExperimentArm {
  variant: string;
  weight: number | null;
  delaySeconds: number | null;
  sent: number;
  delivered: number;
  conversions: number;
  converted: number;
  clicked: number;
  trials: number;
  successes: number;
  rate: number | null;
  comparison: { difference: number; ci95: number[]; z: number; pValue: number; significant: boolean } | null;
  status: ArmStatus;
}

export interface Experiment {
  template: string;
  metric: ExperimentMetric;
  control: string;
  minSample: number;
  status: 'ready' | 'not_enough_data';
  from: string;
  to: string;
  variants: ExperimentArm[];
}
