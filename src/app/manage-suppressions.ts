/**
 * @module app/manage-suppressions
 * The suppression API: look a number up, add it (with a reason), remove it, page through the list.
 * Numbers are normalized first, so `+1 (415) 555-0100` and `+14155550100` are the same entry.
 */
import { TidingsError } from '../core/errors.js';
import { normalizeRecipient } from '../content/phone.js';
import type { Suppression, SuppressionReason } from '../ports/suppression-store.js';
import type { AppDeps } from './deps.js';

export interface SuppressionView {
  number: string;
  reason: SuppressionReason;
  source: string;
  sourceMessageId: string | null;
  note: string | null;
  createdAt: string;
}

const view = (s: Suppression): SuppressionView => ({
  number: s.number,
  reason: s.reason,
  source: s.source,
  sourceMessageId: s.sourceMessageId,
  note: s.note,
  createdAt: new Date(s.createdAt).toISOString(),
});

function normalize(deps: AppDeps, input: string): string {
  // Any valid number can be suppressed, landlines included: the point is never to text it.
  return normalizeRecipient(input, {
    defaultRegion: deps.settings.defaultRegion as Parameters<typeof normalizeRecipient>[1]['defaultRegion'],
    channel: 'voice',
  }).e164;
}

export async function getSuppression(deps: AppDeps, number: string): Promise<SuppressionView> {
  const found = await deps.suppressionStore.get(normalize(deps, number));
  if (!found) throw new TidingsError('not_found', 'This number is not on the suppression list.');
  return view(found);
}

export async function putSuppression(
  deps: AppDeps,
  number: string,
  input: { reason?: SuppressionReason; note?: string },
): Promise<SuppressionView> {
  const entry: Suppression = {
    number: normalize(deps, number),
    reason: input.reason ?? 'manual',
    source: 'api',
    sourceMessageId: null,
    note: input.note ?? null,
    createdAt: deps.clock.now(),
  };
  await deps.suppressions.add(entry);
  return view(entry);
}

export async function deleteSuppression(deps: AppDeps, number: string): Promise<void> {
  if (!(await deps.suppressions.remove(normalize(deps, number)))) {
    throw new TidingsError('not_found', 'This number is not on the suppression list.');
  }
}

export async function listSuppressions(
  deps: AppDeps,
  q: { cursor?: string; reason?: SuppressionReason; limit?: number },
): Promise<{ data: SuppressionView[]; nextCursor: string | null }> {
  const limit = q.limit ?? 100;
  let after: string | undefined;
  if (q.cursor !== undefined) {
    after = Buffer.from(q.cursor, 'base64url').toString('utf8');
    if (!/^\+\d{4,15}$/.test(after)) throw new TidingsError('malformed_cursor', undefined, 'cursor');
  }
  const rows = await deps.suppressionStore.list({
    limit: limit + 1,
    ...(after !== undefined ? { after } : {}),
    ...(q.reason !== undefined ? { reason: q.reason } : {}),
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(view),
    nextCursor: rows.length > limit && last ? Buffer.from(last.number).toString('base64url') : null,
  };
}
