/**
 * @module providers/twilio-voice/config
 * A Twilio Voice provider is configured like the SMS one, with its own scheme:
 * `twilio-voice://ACCOUNT_SID:AUTH_TOKEN@+15551234567?language=en-US&ringSeconds=30&name=…`. The
 * account part is read by the Twilio parser; this file adds what a call needs: a caller number (a
 * Messaging Service cannot place calls), the language for messages whose locale is unknown, and
 * how long to let the phone ring.
 */
import { maskSecret } from '../../core/masking.js';
import { DEFAULT_BASE_URL, DEFAULT_CONNECTIONS, parseTwilioUrl, type TwilioConfig } from '../twilio/config.js';
import { voiceFor } from './voices.js';

export interface TwilioVoiceConfig extends Omit<TwilioConfig, 'from' | 'messagingServiceSid'> {
  /** The caller ID: a Twilio voice number or a verified caller ID, in E.164. */
  from: string;
  /** Read messages without a known locale in this language (BCP 47). */
  language: string;
  /** Twilio's `Timeout`: seconds to let the phone ring; null leaves Twilio's default (60). */
  ringSeconds: number | null;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const VOICE_OPTIONS = ['language', 'ringSeconds'] as const;
const DEFAULT_LANGUAGE = 'en-US';

export function parseTwilioVoiceUrl(input: URL | string): TwilioVoiceConfig {
  let url: URL;
  try {
    url = new URL(typeof input === 'string' ? input : input.href);
  } catch {
    // Never echo the input: it holds the auth token.
    throw new Error(
      'Twilio Voice provider URL is not a valid URL (twilio-voice://ACCOUNT_SID:AUTH_TOKEN@FROM?options)',
    );
  }
  const q = url.searchParams;
  const language = q.get('language') ?? DEFAULT_LANGUAGE;
  const ringSeconds = q.get('ringSeconds');
  for (const key of VOICE_OPTIONS) q.delete(key);
  if (!q.has('name')) q.set('name', 'default');
  const { messagingServiceSid, from, ...account } = parseTwilioUrl(url, 'twilio-voice');

  if (messagingServiceSid !== null || from === null || !E164.test(from)) {
    throw new Error(
      'Twilio Voice needs a caller number in E.164 (twilio-voice://SID:TOKEN@+15551234567); a Messaging Service cannot place calls',
    );
  }
  if (voiceFor(language) === null) throw new Error(`Twilio Voice has no reading voice for language "${language}"`);
  let ring: number | null = null;
  if (ringSeconds !== null) {
    ring = Number(ringSeconds);
    if (!Number.isInteger(ring) || ring < 5 || ring > 600) {
      throw new Error(`Twilio Voice ringSeconds must be a whole number from 5 to 600 (got "${ringSeconds}")`);
    }
  }
  return { ...account, from, language, ringSeconds: ring };
}

/** The config as an operator may see it: the same URL shape, the token masked. */
export function describeTwilioVoiceConfig(config: TwilioVoiceConfig): string {
  const q = new URLSearchParams();
  if (config.baseUrl !== DEFAULT_BASE_URL) q.set('baseUrl', config.baseUrl);
  q.set('language', config.language);
  q.set('name', config.name);
  if (config.ringSeconds !== null) q.set('ringSeconds', String(config.ringSeconds));
  q.set('timeoutMs', String(config.timeoutMs));
  if (config.connections !== DEFAULT_CONNECTIONS) q.set('connections', String(config.connections));
  if (config.maxPerSecond !== null) q.set('mps', String(config.maxPerSecond));
  return `twilio-voice://${config.accountSid}:${maskSecret(config.authToken)}@${config.from}?${q.toString()}`;
}
