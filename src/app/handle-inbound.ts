/**
 * @module app/handle-inbound
 * A recipient wrote back. In order:
 * 1. a keyword (STOP, 退订, START, HELP) acts on the suppression list and earns an automatic reply;
 *    opt-out always wins, START/YES re-subscribe only a number that had opted out (otherwise "YES"
 *    is just an answer to the last message);
 * 2. the reply is linked to the conversation, the latest message sent to that number within the
 *    window, so the application learns which booking or order it answers;
 * 3. a reply that matches an intent that message's template declared (`confirm`, `cancel`) is
 *    recorded as that intent; anything else keeps its text with a sentiment label.
 * A provider's retried webhook is recognised (same provider message id) and changes nothing twice.
 */
import { keywordAction, replyIntent, type KeywordAction } from '../core/keywords.js';
import type { AppEvent } from '../ports/app-events.js';
import type { ConversationTip, InboundRecord } from '../ports/inbound-store.js';
import type { InboundSms } from '../ports/provider.js';
import { countryOf } from '../content/phone.js';
import { analyzeSentiment } from '../content/sentiment.js';
import type { AppDeps } from './deps.js';
import { publish } from './publish-events.js';
import { recordReminderReply } from './reminder-replies.js';

const HAN = /\p{Script=Han}/u;

function language(sms: InboundSms, country: string | null): 'en' | 'zh' {
  return country === 'CN' || country === 'TW' || country === 'HK' || HAN.test(sms.body) ? 'zh' : 'en';
}

async function intentFor(deps: AppDeps, tip: ConversationTip | null, body: string): Promise<string | null> {
  if (!tip?.template) return null;
  const ready = await deps.templates.version(tip.template.name, tip.template.version);
  const replies = ready?.def.replies;
  return replies ? replyIntent(replies, body) : null;
}

/** Handles one inbound message; returns the automatic reply to send back, if any. */
export async function handleInbound(deps: AppDeps, providerId: string, sms: InboundSms): Promise<string | null> {
  const country = countryOf(sms.from);
  let keyword: KeywordAction | null = keywordAction(deps.settings.keywords, sms.body, country);
  if (keyword === 'opt_in' && deps.suppressions.blocks(sms.from, 'marketing') !== 'opted_out') keyword = null;

  const tip = await deps.inbound.lastSentTo(sms.from, sms.receivedAt - deps.settings.conversationWindowMs);
  const intent = keyword === null ? await intentFor(deps, tip, sms.body) : null;
  const mood = keyword === null && intent === null && sms.body.trim() !== '' ? analyzeSentiment(sms.body) : null;
  const lang = language(sms, country);
  const autoReply =
    keyword === 'opt_out'
      ? deps.settings.autoReplies.optOut[lang]
      : keyword === 'opt_in'
        ? deps.settings.autoReplies.optIn[lang]
        : keyword === 'help'
          ? deps.settings.autoReplies.help[lang]
          : null;

  const record: InboundRecord = {
    id: deps.ids.inbound(),
    provider: providerId,
    providerMessageId: sms.providerMessageId,
    from: sms.from,
    to: sms.to,
    body: sms.body,
    receivedAt: sms.receivedAt,
    inReplyTo: tip?.messageId ?? null,
    reference: tip?.reference ?? null,
    keyword,
    intent,
    sentiment: mood?.label ?? null,
    sentimentScore: mood?.score ?? null,
    autoReply,
  };
  const { stored, record: saved } = await deps.inbound.insert(record);
  if (!stored) return saved.autoReply; // a retried webhook: answer the same, do nothing twice

  const events: AppEvent[] = [];
  if (keyword === 'opt_out') {
    await deps.suppressions.add({
      number: sms.from,
      reason: 'opted_out',
      source: 'keyword',
      sourceMessageId: record.id,
      note: sms.body.trim().slice(0, 100),
      createdAt: sms.receivedAt,
    });
    events.push({
      type: 'recipient.opted_out',
      at: sms.receivedAt,
      data: { number: sms.from, keyword: sms.body.trim(), inboundId: record.id },
    });
  } else if (keyword === 'opt_in') {
    await deps.suppressions.remove(sms.from);
    events.push({ type: 'recipient.opted_in', at: sms.receivedAt, data: { number: sms.from, inboundId: record.id } });
  }
  events.push({
    type: 'message.replied',
    at: sms.receivedAt,
    data: {
      inboundId: record.id,
      messageId: record.inReplyTo,
      reference: record.reference,
      from: sms.from,
      text: sms.body,
      keyword,
      intent,
      sentiment: record.sentiment,
    },
  });
  if (intent !== null && record.inReplyTo !== null) {
    const answered = await recordReminderReply(deps, {
      messageId: record.inReplyTo,
      intent,
      inboundId: record.id,
      from: sms.from,
      text: sms.body,
      at: sms.receivedAt,
    });
    if (answered) events.push(answered);
  }
  publish(deps, events);
  deps.logger.info(
    {
      provider: providerId,
      inboundId: record.id,
      inReplyTo: record.inReplyTo,
      keyword,
      intent,
      sentiment: record.sentiment,
    },
    'reply received',
  );
  return autoReply;
}
