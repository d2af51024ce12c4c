/**
 * @module app/query-inbound
 * Replies as the API shows them, newest first, by sender or by the message they answer.
 */
import { TidingsError } from '../core/errors.js';
import type { InboundRecord } from '../ports/inbound-store.js';
import type { InboundSms } from '../ports/provider.js';
import type { AppDeps } from './deps.js';
import { handleInbound } from './handle-inbound.js';

export interface InboundView {
  id: string;
  provider: string;
  from: string;
  to: string | null;
  body: string;
  receivedAt: string;
  inReplyTo: string | null;
  reference: string | null;
  keyword: string | null;
  intent: string | null;
  sentiment: string | null;
  autoReply: string | null;
}

export const toInboundView = (r: InboundRecord): InboundView => ({
  id: r.id,
  provider: r.provider,
  from: r.from,
  to: r.to,
  body: r.body,
  receivedAt: new Date(r.receivedAt).toISOString(),
  inReplyTo: r.inReplyTo,
  reference: r.reference,
  keyword: r.keyword,
  intent: r.intent,
  sentiment: r.sentiment,
  autoReply: r.autoReply,
});

export async function listInbound(
  deps: AppDeps,
  q: { from?: string; messageId?: string; cursor?: string; limit?: number },
): Promise<{ data: InboundView[]; nextCursor: string | null }> {
  const limit = q.limit ?? 50;
  let before: string | undefined;
  if (q.cursor !== undefined) {
    before = Buffer.from(q.cursor, 'base64url').toString('utf8');
    if (!/^in_[0-9A-Z]{26}$/.test(before)) throw new TidingsError('malformed_cursor', undefined, 'cursor');
  }
  const rows = await deps.inbound.list({
    limit: limit + 1,
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.messageId !== undefined ? { inReplyTo: q.messageId } : {}),
    ...(before !== undefined ? { before } : {}),
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(toInboundView),
    nextCursor: rows.length > limit && last ? Buffer.from(last.id).toString('base64url') : null,
  };
}

/** The simulator's phone: a recipient of `sim://` texts back (tests, demos, `tidings sim reply`). */
export async function simulateReply(
  deps: AppDeps,
  input: { from: string; text: string },
): Promise<{ reply: string | null; inbound: InboundView }> {
  const sim = deps.providers.find((p) => p.kind === 'sim');
  if (!sim) throw new TidingsError('not_found', 'No sim:// provider is configured, so there is no simulated phone.');
  const sms: InboundSms = {
    providerMessageId: `SIMIN${deps.ids.inbound().slice(3)}`,
    from: input.from,
    to: null,
    body: input.text,
    receivedAt: deps.clock.now(),
  };
  const reply = await handleInbound(deps, sim.id, sms);
  const [stored] = await deps.inbound.list({ from: input.from, limit: 1 });
  if (!stored) throw new Error('the simulated reply was not stored');
  return { reply, inbound: toInboundView(stored) };
}
