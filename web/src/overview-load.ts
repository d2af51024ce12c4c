/**
 * @module overview-load
 * Everything the overview shows, fetched in one go: today's totals, per send hour and per
 * provider from the analytics API (exact at any volume: it reads hourly rollups), the newest
 * failures for their codes, the queue depth from /metrics and the providers' health.
 */
import { api, fetchText, withQuery } from './api';
import { parseMetrics, total } from './prometheus';
import type { Breakdown, Message, Page, ProviderView, ReportFigures } from './types';

/** How many of today's newest failed (and undelivered) messages are read for their codes. */
export const FAILURE_SAMPLE = 200;

export interface OverviewData {
  at: number;
  /** Today so far, by send hour (local midnight to the end of the current hour). */
  today: ReportFigures;
  byHour: Breakdown;
  byProvider: Breakdown;
  failures: Message[];
  failuresTruncated: boolean;
  queueDepth: number | null;
  providers: ProviderView[];
}

async function loadQueueDepth(signal: AbortSignal): Promise<number | null> {
  try {
    const samples = parseMetrics(await fetchText('/metrics', signal));
    return samples.some((s) => s.name === 'tidings_queue_depth') ? total(samples, 'tidings_queue_depth') : null;
  } catch {
    return null;
  }
}

export async function loadOverview(now: number, dayStart: number, signal: AbortSignal): Promise<OverviewData> {
  const from = new Date(dayStart).toISOString();
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const get = <T>(path: string) => api<T>('GET', path, undefined, { signal });
  const failed = (status: string) =>
    get<Page<Message>>(withQuery('/v1/messages', { status, since: from, limit: FAILURE_SAMPLE }));
  const [today, byHour, byProvider, failedPage, undeliveredPage, queueDepth, providers] = await Promise.all([
    get<ReportFigures>(withQuery('/v1/analytics/summary', { from })),
    get<Breakdown>(withQuery('/v1/analytics/breakdown', { from, by: 'hour', tz })),
    get<Breakdown>(withQuery('/v1/analytics/breakdown', { from, by: 'provider' })),
    failed('failed'),
    failed('undelivered'),
    loadQueueDepth(signal),
    get<{ data: ProviderView[] }>('/v1/providers'),
  ]);
  return {
    at: now,
    today,
    byHour,
    byProvider,
    failures: [...failedPage.data, ...undeliveredPage.data],
    failuresTruncated: failedPage.nextCursor !== null || undeliveredPage.nextCursor !== null,
    queueDepth,
    providers: providers.data,
  };
}
