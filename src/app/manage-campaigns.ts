/**
 * @module app/manage-campaigns
 * The campaign use cases behind /v1/campaigns: create (with inline recipients), add recipients from
 * CSV, start, pause, resume, cancel, and read progress and rejections.
 */
import type { Readable } from 'node:stream';
import { TidingsError } from '../core/errors.js';
import {
  acceptsRecipients,
  nextStatus,
  parseClock,
  type CampaignAction,
  type CampaignWindow,
} from '../core/campaign.js';
import type { Channel, Purpose } from '../core/message.js';
import { isTimeZone } from '../core/local-time.js';
import type { Campaign, CampaignStore, ImportEntry, RowRejection } from '../ports/campaign-store.js';
import { ImportTally, importCsv, recipientEntry, type ImportSummary } from './campaign-import.js';
import { toCampaignView, type CampaignView, type RateMeter } from './campaign-view.js';
import type { AppDeps } from './deps.js';
import { cancelByCampaignMessages } from './cancel-message.js';
import type { CampaignMessageCounts } from './campaign-message-counts.js';

/** Most rows a campaign may have in all its uploads. */
export const MAX_CAMPAIGN_ROWS = 1_000_000;
/** Most recipients given inline in the JSON of `POST /v1/campaigns`; more go by CSV. */
export const MAX_INLINE_RECIPIENTS = 10_000;

export interface CampaignDeps {
  app: AppDeps;
  campaigns: CampaignStore;
  newId: () => string;
  meter: RateMeter;
  /** The messages by status of a campaign's page, reused for a moment (see campaign-message-counts). */
  counts: CampaignMessageCounts;
}

export interface CreateCampaignRequest {
  name?: string;
  template: string;
  locale?: string;
  data?: Record<string, unknown>;
  purpose?: Purpose;
  from?: string;
  channel?: Channel;
  rate?: number;
  window?: CampaignWindow;
  startAt?: string;
  recipients?: { to: string; data?: Record<string, unknown> }[];
  start?: boolean;
}

export type CreateCampaignResult = CampaignView & { import?: ImportSummary };

function checkWindow(w: CampaignWindow | undefined): void {
  if (w === undefined) return;
  if (parseClock(w.start) === null)
    throw new TidingsError('validation_failed', 'window.start must be HH:MM.', 'window.start');
  if (parseClock(w.end) === null)
    throw new TidingsError('validation_failed', 'window.end must be HH:MM.', 'window.end');
  if (w.timezone !== undefined && !isTimeZone(w.timezone)) {
    throw new TidingsError('validation_failed', `"${w.timezone}" is not an IANA timezone.`, 'window.timezone');
  }
}

function parseStartAt(value: string | undefined): number | null {
  if (value === undefined) return null;
  const at = /(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) {
    throw new TidingsError('validation_failed', 'startAt must be an RFC 3339 time with an offset.', 'startAt');
  }
  return at;
}

/** Template data values are text in a CSV; inline JSON values are turned to text the same way. */
function asText(data: Record<string, unknown> | undefined): Record<string, string> | null {
  if (data === undefined) return null;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

async function mustGet(deps: CampaignDeps, id: string): Promise<Campaign> {
  const c = await deps.campaigns.get(id);
  if (!c) throw new TidingsError('not_found', `No campaign ${id}.`);
  return c;
}

export async function createCampaign(
  deps: CampaignDeps,
  req: CreateCampaignRequest,
  caller: { apiKeyId: string },
): Promise<CreateCampaignResult> {
  const { app } = deps;
  checkWindow(req.window);
  const startAt = parseStartAt(req.startAt);
  if (!(await app.templates.current(req.template))) {
    throw new TidingsError('template_not_found', `Template "${req.template}" does not exist.`, 'template');
  }
  const recipients = req.recipients ?? [];
  if (recipients.length > MAX_INLINE_RECIPIENTS) {
    throw new TidingsError(
      'validation_failed',
      `At most ${MAX_INLINE_RECIPIENTS} recipients inline; upload more as CSV.`,
      'recipients',
    );
  }
  const now = app.clock.now();
  const id = deps.newId();
  await deps.campaigns.create({
    id,
    name: req.name ?? `campaign ${new Date(now).toISOString()}`,
    status: 'draft',
    template: req.template,
    locale: req.locale ?? null,
    data: req.data ?? null,
    purpose: req.purpose ?? 'marketing',
    from: req.from ?? null,
    channel: req.channel ?? 'sms',
    rate: req.rate ?? 10,
    window: req.window ?? null,
    startAt,
    apiKeyId: caller.apiKeyId,
    createdAt: now,
  });
  let summary: ImportSummary | undefined;
  if (recipients.length > 0) {
    const tally = new ImportTally(deps.campaigns, id, () => app.clock.now());
    const entries: ImportEntry[] = recipients.map((r, i) =>
      recipientEntry(r.to, asText(r.data), i + 1, app.settings.defaultRegion),
    );
    for (let i = 0; i < entries.length; i += 1_000) await tally.flush(entries.slice(i, i + 1_000));
    summary = tally.summary;
  }
  if (req.start ?? recipients.length > 0) await campaignAction(deps, id, 'start');
  const view = await getCampaign(deps, id);
  return summary ? { ...view, import: summary } : view;
}

export async function uploadRecipients(
  deps: CampaignDeps,
  id: string,
  csv: Readable,
  maxBytes: number,
): Promise<ImportSummary> {
  const c = await mustGet(deps, id);
  if (!acceptsRecipients(c.status)) {
    csv.resume();
    throw new TidingsError(
      'campaign_state_conflict',
      `Recipients can be added only to a draft or paused campaign; this one is ${c.status}.`,
    );
  }
  return importCsv(deps.campaigns, id, csv, {
    defaultRegion: deps.app.settings.defaultRegion,
    maxRows: MAX_CAMPAIGN_ROWS,
    maxBytes,
    rowsBefore: c.counts.rowsRead,
    now: () => deps.app.clock.now(),
  });
}

export async function campaignAction(deps: CampaignDeps, id: string, action: CampaignAction): Promise<CampaignView> {
  const c = await mustGet(deps, id);
  const now = deps.app.clock.now();
  const to = nextStatus(c.status, action, { startAt: c.startAt, now });
  if (to === null || !(await deps.campaigns.transition(id, [c.status], to, now))) {
    throw new TidingsError('campaign_state_conflict', `A ${c.status} campaign cannot ${action}.`);
  }
  if (to === 'cancelled') {
    await deps.campaigns.cancelPending(id, now);
    await cancelByCampaignMessages(deps.app, id);
  }
  deps.counts.forget(id);
  return getCampaign(deps, id);
}

export async function getCampaign(deps: CampaignDeps, id: string): Promise<CampaignView> {
  const c = await mustGet(deps, id);
  const messages = await deps.counts.get(id);
  return toCampaignView(c, deps.app.clock.now(), { messages, meter: deps.meter });
}

export async function listCampaigns(
  deps: CampaignDeps,
  q: { cursor?: string; limit?: number },
): Promise<{ data: CampaignView[]; nextCursor: string | null }> {
  const limit = q.limit ?? 50;
  const rows = await deps.campaigns.list({ ...(q.cursor ? { before: q.cursor } : {}), limit });
  const now = deps.app.clock.now();
  return {
    data: rows.map((c) => toCampaignView(c, now)),
    nextCursor: rows.length === limit ? rows[rows.length - 1]!.id : null,
  };
}

export async function listRejections(
  deps: CampaignDeps,
  id: string,
  q: { cursor?: string; limit?: number },
): Promise<{ data: RowRejection[]; nextCursor: string | null }> {
  await mustGet(deps, id);
  let afterRow: number | undefined;
  if (q.cursor !== undefined) {
    afterRow = Number(q.cursor);
    if (!/^\d+$/.test(q.cursor) || !Number.isSafeInteger(afterRow)) {
      throw new TidingsError('malformed_cursor', undefined, 'cursor');
    }
  }
  const limit = q.limit ?? 100;
  const data = await deps.campaigns.rejections(id, { ...(afterRow !== undefined ? { afterRow } : {}), limit });
  return { data, nextCursor: data.length === limit ? String(data[data.length - 1]!.row) : null };
}
