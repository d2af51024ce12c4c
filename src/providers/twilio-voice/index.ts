/**
 * @module providers/twilio-voice
 * Twilio Programmable Voice as a fallback channel: one call per message, whose inline TwiML reads
 * the text aloud in its own language, and one signed callback when the call ends. It shares the
 * account URL, HTTP client, error table and signature check with the SMS adapter (../twilio).
 *
 * As with SMS, the Calls create has no idempotency key: a 5xx or an unreadable 2xx is `transient`,
 * and a retry may ring the phone twice. For a fallback that the recipient must hear, that is the
 * lesser harm.
 */
import { maskPhone } from '../../core/masking.js';
import { isProviderError, ProviderError } from '../../core/provider-error.js';
import type { OutboundMessage, Provider, ProviderFactory, SendResult } from '../../ports/provider.js';
import { TwilioClient, type CreateCallForm } from '../twilio/client.js';
import { twilioResponseError } from '../twilio/errors.js';
import { sendResultFromCall } from './call-result.js';
import { describeTwilioVoiceConfig, parseTwilioVoiceUrl } from './config.js';
import { createTwilioVoiceStatusWebhook } from './status-webhook.js';
import { MAX_TWIML_LENGTH, sayTwiml } from './twiml.js';
import { voiceFor, type SayVoice } from './voices.js';

export { parseTwilioVoiceUrl, type TwilioVoiceConfig } from './config.js';

const E164 = /^\+[1-9]\d{6,14}$/;

export const createTwilioVoiceProvider: ProviderFactory = (url, ctx): Provider => {
  const config = parseTwilioVoiceUrl(url);
  const id = `twilio-voice:${config.name}`;
  const logger = ctx.logger.child({ provider: id });
  const client = new TwilioClient(config);
  const statusCallback = `${ctx.publicUrl.replace(/\/+$/, '')}/webhooks/twilio-voice/status`;
  // Checked when the URL was parsed.
  const defaultVoice = voiceFor(config.language) as SayVoice;

  async function send(msg: OutboundMessage, signal: AbortSignal): Promise<SendResult> {
    const voice = voiceFor(msg.locale) ?? defaultVoice;
    const twiml = sayTwiml(msg.body, voice);
    if (twiml === null) {
      throw new ProviderError(
        'rejected_content',
        `The message is too long to read in one call (its TwiML would exceed ${MAX_TWIML_LENGTH} characters)`,
      );
    }
    const form: CreateCallForm = {
      To: msg.to,
      // The message's own sender only when it can place a call: an SMS sender ID cannot.
      From: msg.from !== null && E164.test(msg.from) ? msg.from : config.from,
      Twiml: twiml,
      StatusCallback: statusCallback,
      StatusCallbackEvent: 'completed',
      StatusCallbackMethod: 'POST',
    };
    if (config.ringSeconds !== null) form.Timeout = config.ringSeconds;

    try {
      const res = await client.createCall(form, signal);
      if (res.status < 200 || res.status >= 300) {
        throw twilioResponseError(res.status, res.headers, res.body, ctx.clock.now());
      }
      const placed = sendResultFromCall(res.status, res.body);
      logger.debug(
        { messageId: msg.id, to: maskPhone(msg.to), sid: placed.providerMessageId, language: voice.language },
        'twilio placed the call',
      );
      return placed;
    } catch (err) {
      if (isProviderError(err)) {
        logger.warn(
          { messageId: msg.id, to: maskPhone(msg.to), kind: err.kind, code: err.providerCode, err: err.message },
          'twilio call failed',
        );
      }
      throw err;
    }
  }

  return {
    id,
    kind: 'twilio-voice',
    channel: 'voice',
    capabilities: config.maxPerSecond === null ? {} : { maxPerSecond: config.maxPerSecond },
    send,
    statusWebhook: createTwilioVoiceStatusWebhook({ authToken: config.authToken, clock: ctx.clock }),
    describe: () => describeTwilioVoiceConfig(config),
    close: () => client.close(),
  };
};
