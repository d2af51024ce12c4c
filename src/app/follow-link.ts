/**
 * @module app/follow-link
 * A recipient opened a tracked short link: count the click (a conversion signal) and send them on.
 * Whatever goes wrong, they get the operator's fallback page and nothing else: no error text, no
 * hint whether a code exists, nothing about the message or whom it went to.
 */
import type { AnalyticsStore } from '../ports/analytics-store.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import { LINK_CODE } from './tracked-links.js';

export type LinkAnswer = { kind: 'redirect'; location: string } | { kind: 'fallback' };

export async function followLink(
  deps: { analytics: AnalyticsStore; clock: Clock; logger: Logger },
  code: string,
): Promise<LinkAnswer> {
  if (!LINK_CODE.test(code)) return { kind: 'fallback' };
  try {
    const link = await deps.analytics.recordClick(code, deps.clock.now());
    return link ? { kind: 'redirect', location: link.url } : { kind: 'fallback' };
  } catch (err) {
    deps.logger.warn({ err }, 'recording a link click failed; the visitor got the fallback page');
    return { kind: 'fallback' };
  }
}
