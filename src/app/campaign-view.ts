/**
 * @module app/campaign-view
 * How a campaign looks to API callers: its settings, where its recipients stand, its messages by
 * status, the rate it is actually going at, and when it should be done.
 */
import { etaSeconds, type CampaignStatus, type CampaignWindow } from '../core/campaign.js';
import type { MessageStatus } from '../core/message.js';
import type { Campaign } from '../ports/campaign-store.js';

export interface CampaignView {
  id: string;
  name: string;
  status: CampaignStatus;
  template: string;
  locale: string | null;
  data: Record<string, unknown> | null;
  purpose: string;
  from: string | null;
  channel: string;
  rate: number;
  window: CampaignWindow | null;
  startAt: string | null;
  recipients: {
    rowsRead: number;
    total: number;
    pending: number;
    accepted: number;
    refused: number;
    cancelled: number;
    duplicates: number;
    invalid: number;
  };
  /** Only in the answer to a GET of one campaign: counting them costs an index scan. */
  messages?: Partial<Record<MessageStatus, number>>;
  progress: { currentRate: number | null; etaSeconds: number | null; eta: string | null };
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * Rows done per second over the last minute, from the counts seen at earlier reads. Kept in the
 * process that answers, so it needs no writes; a fresh process answers null until its second look.
 */
export class RateMeter {
  private readonly samples = new Map<string, { at: number; done: number }[]>();

  observe(id: string, at: number, done: number): number | null {
    const list = (this.samples.get(id) ?? []).filter((s) => at - s.at <= 60_000);
    list.push({ at, done });
    this.samples.set(id, list);
    if (this.samples.size > 1_000) this.samples.delete(this.samples.keys().next().value as string);
    const first = list[0]!;
    const seconds = (at - first.at) / 1000;
    return seconds >= 1 ? Math.round(((done - first.done) / seconds) * 10) / 10 : null;
  }
}

export function toCampaignView(
  c: Campaign,
  now: number,
  extra: { messages?: Partial<Record<MessageStatus, number>>; meter?: RateMeter } = {},
): CampaignView {
  const k = c.counts;
  const pending = Math.max(0, k.recipients - k.accepted - k.refused - k.cancelled);
  const moving = c.status === 'running' || c.status === 'scheduled';
  const currentRate =
    extra.meter && c.status === 'running' ? extra.meter.observe(c.id, now, k.accepted + k.refused) : null;
  const eta = moving
    ? etaSeconds(pending, currentRate !== null && currentRate > 0 ? Math.min(currentRate, c.rate) : c.rate)
    : null;
  const startsIn = c.status === 'scheduled' && c.startAt !== null ? Math.max(0, c.startAt - now) : 0;
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    template: c.template,
    locale: c.locale,
    data: c.data,
    purpose: c.purpose,
    from: c.from,
    channel: c.channel,
    rate: c.rate,
    window: c.window,
    startAt: iso(c.startAt),
    recipients: {
      rowsRead: k.rowsRead,
      total: k.recipients,
      pending,
      accepted: k.accepted,
      refused: k.refused,
      cancelled: k.cancelled,
      duplicates: k.duplicates,
      invalid: k.invalid,
    },
    ...(extra.messages ? { messages: extra.messages } : {}),
    progress: {
      currentRate,
      etaSeconds: eta === null ? null : eta + Math.ceil(startsIn / 1000),
      eta: eta === null ? null : iso(now + startsIn + eta * 1000),
    },
    createdAt: iso(c.createdAt)!,
    updatedAt: iso(c.updatedAt)!,
    startedAt: iso(c.startedAt),
    finishedAt: iso(c.finishedAt),
  };
}
