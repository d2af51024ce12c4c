/**
 * @module providers/twilio/inbound-webhook
 * Messages a recipient sends to our Twilio number (providers.md §1.4), checked like every Twilio
 * webhook, and the answer Twilio expects: TwiML, with a `<Message>` when we reply at once (§1.5).
 */
import type { Clock } from '../../ports/clock.js';
import type { InboundSms, InboundWebhook, RawRequest } from '../../ports/provider.js';
import { requestParams, verifyTwilioRequest } from './verify-request.js';

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

export function twimlReply(reply: string | null): { contentType: string; body: string } {
  const body =
    reply === null
      ? `${XML_HEAD}<Response/>`
      : `${XML_HEAD}<Response><Message>${escapeXml(reply)}</Message></Response>`;
  return { contentType: 'text/xml', body };
}

export function createTwilioInboundWebhook(opts: { authToken: string; clock: Clock }): InboundWebhook {
  return {
    verify: (req: RawRequest) => verifyTwilioRequest(opts.authToken, req),
    parse(req: RawRequest): InboundSms[] {
      const p = requestParams(req);
      const sid = p.get('MessageSid') || p.get('SmsSid');
      const from = p.get('From');
      if (!sid || !from) return [];
      return [
        {
          providerMessageId: sid,
          from,
          to: p.get('To') || null,
          body: p.get('Body') ?? '',
          receivedAt: opts.clock.now(),
        },
      ];
    },
    respond: twimlReply,
  };
}
