/**
 * @module app/accept-campaign-rows
 * Turns claimed campaign rows into messages through the same acceptance as `POST /v1/messages`
 * (prepareMessage, then the counted limits), so suppressions, banned words, limits and quiet hours
 * apply to a campaign as to any send, and a refused row keeps the refusal's code. Each row's message
 * is stored with its own idempotency key (`campaign:{id}:{row}`), in the same transaction as the
 * message: a row taken again after a crash finds its message instead of making a second one.
 */
import { isTidingsError, type TidingsError } from '../core/errors.js';
import { rowIdempotencyKey } from '../core/campaign.js';
import type { Message } from '../core/message.js';
import type { Campaign, ClaimedRow, RowOutcome } from '../ports/campaign-store.js';
import type { IdempotencyRecord } from '../ports/message-store.js';
import { loadTemplates, prepareMessage, type SendRequest } from './accept-message.js';
import type { AppDeps } from './deps.js';

/** Rows' idempotency records live in a scope of their own, apart from every API key's. */
export const CAMPAIGN_IDEMPOTENCY_SCOPE = 'campaign';
const REQUEST_HASH = 'campaign-row';

/** Refusals that say "not now" rather than "not this row": the row waits and is tried again. */
const NOT_NOW = new Set(['rate_limited', 'spend_limit_reached', 'destination_paused']);

/** Claims of a row whose template fails to render before the failure is taken as final. */
const RENDER_ATTEMPTS = 3;

/**
 * prepareMessage, with a second try when rendering fails: the renderer's time limit (50 ms) can be
 * hit by a pause of the process (a GC, a busy machine), not by the template; a real fault fails again.
 */
function prepareRow(...args: Parameters<typeof prepareMessage>): Message {
  try {
    return prepareMessage(...args);
  } catch (err) {
    if (!isTidingsError(err) || err.code !== 'template_render_failed') throw err;
    return prepareMessage(...args);
  }
}

export interface RowsAccepted {
  outcomes: RowOutcome[];
  /** Rows refused for now, with when to try them again. */
  later: { row: number; at: number }[];
}

function messageIdOf(record: IdempotencyRecord): string {
  return (JSON.parse(record.responseBody) as { id: string }).id;
}

function refusal(row: number, err: TidingsError): RowOutcome {
  return { row, status: 'refused', code: err.code, reason: err.message };
}

export async function acceptCampaignRows(deps: AppDeps, campaign: Campaign, rows: ClaimedRow[]): Promise<RowsAccepted> {
  const outcomes: RowOutcome[] = [];
  const later: { row: number; at: number }[] = [];
  const now = deps.clock.now();
  const caller = { apiKeyId: campaign.apiKeyId ?? 'campaign' };
  // Only a row taken before can have a message already: fresh rows skip the lookup.
  const fresh: ClaimedRow[] = [];
  for (const row of rows) {
    if (row.claims === 0) {
      fresh.push(row);
      continue;
    }
    const prior = await deps.store.findIdempotency(CAMPAIGN_IDEMPOTENCY_SCOPE, rowIdempotencyKey(campaign.id, row.row));
    if (prior) outcomes.push({ row: row.row, status: 'accepted', messageId: messageIdOf(prior) });
    else fresh.push(row);
  }
  const base: SendRequest = {
    template: campaign.template,
    purpose: campaign.purpose,
    channel: campaign.channel,
    ...(campaign.locale !== null ? { locale: campaign.locale } : {}),
    ...(campaign.from !== null ? { from: campaign.from } : {}),
  };
  const templates = await loadTemplates(deps, [base]);
  let prepared: { row: ClaimedRow; message: Message }[] = [];
  for (const row of fresh) {
    const req: SendRequest = { ...base, to: row.to, data: { ...(campaign.data ?? {}), ...(row.data ?? {}) } };
    try {
      const message = prepareRow(deps, req, caller, now, templates);
      message.campaignId = campaign.id;
      prepared.push({ row, message });
    } catch (err) {
      if (!isTidingsError(err)) throw err;
      // Still failing to render: most likely the render's time limit on a loaded machine. The row
      // keeps its lease and comes back when it runs out; only a row that keeps failing is refused.
      if (err.code === 'template_render_failed' && row.claims < RENDER_ATTEMPTS) continue;
      outcomes.push(refusal(row.row, err));
    }
  }
  if (prepared.length > 0 && deps.protection.acceptance.active) {
    const refusals = await deps.protection.acceptance.admit(
      prepared.map((p) => p.message),
      caller.apiKeyId,
    );
    prepared = prepared.filter((p, k) => {
      const err = refusals[k];
      if (!err) return true;
      if (NOT_NOW.has(err.code)) later.push({ row: p.row.row, at: now + (err.retryAfterMs ?? 60_000) });
      else outcomes.push(refusal(p.row.row, err));
      return false;
    });
  }
  // One accept per row, each with its own key; the store's coalescing writes them in one transaction.
  const guard = deps.protection.acceptance.guard() ?? undefined;
  const stored = await Promise.all(
    prepared.map(async ({ row, message }) => {
      const outcome = await deps.store.accept(
        [message],
        {
          scope: CAMPAIGN_IDEMPOTENCY_SCOPE,
          key: rowIdempotencyKey(campaign.id, row.row),
          requestHash: REQUEST_HASH,
          statusCode: 202,
          responseBody: JSON.stringify({ id: message.id }),
        },
        guard,
      );
      const repeat = outcome.kind === 'stored' ? (outcome.duplicates?.[0] ?? null) : null;
      const messageId = outcome.kind === 'existing' ? messageIdOf(outcome.record) : message.id;
      return { row: row.row, message, repeat, messageId, fresh: outcome.kind === 'stored' };
    }),
  );
  // Repeats the store's duplicate guard found (the same text to a number an earlier row or another
  // request stored first): refused like the ones admit found, and what was counted goes back.
  const repeats = stored.filter((s) => s.repeat !== null);
  if (repeats.length > 0) {
    await deps.protection.acceptance.release(
      repeats.map((r) => r.message),
      caller.apiKeyId,
    );
    for (const r of repeats) {
      outcomes.push(refusal(r.row, deps.protection.acceptance.duplicateRefusal(r.repeat!.earlierAt)));
    }
  }
  const accepted = stored.filter((s) => s.repeat === null);
  const newIds = accepted.filter((s) => s.fresh).map((s) => s.messageId);
  if (newIds.length > 0) {
    deps.queue.announce(newIds);
    deps.metrics.accepted(campaign.channel, newIds.length);
  }
  for (const s of accepted) outcomes.push({ row: s.row, status: 'accepted', messageId: s.messageId });
  return { outcomes, later };
}
