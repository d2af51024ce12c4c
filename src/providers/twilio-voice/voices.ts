/**
 * @module providers/twilio-voice/voices
 * Which voice reads a message aloud. A message carries the BCP 47 tag of its text (`zh-CN`, `en`,
 * `pt-BR`); Twilio's text-to-speech wants its own language codes (Mandarin is `cmn-CN`, Cantonese
 * `yue-HK`) and a voice that speaks that language. We use Google's standard voices, which Twilio
 * offers as `Google.<language>-Standard-A`: one naming rule for every language, and the same price
 * tier as Polly's standard voices.
 */

export interface SayVoice {
  /** Twilio's `language` attribute of `<Say>`. */
  language: string;
  /** Twilio's `voice` attribute of `<Say>`. */
  voice: string;
}

/** BCP 47 tag (lower case) → Twilio TTS language. The bare language picks its most common region. */
const LANGUAGES: Readonly<Record<string, string>> = {
  zh: 'cmn-CN',
  'zh-cn': 'cmn-CN',
  'zh-sg': 'cmn-CN',
  'zh-hans': 'cmn-CN',
  'zh-tw': 'cmn-TW',
  'zh-hant': 'cmn-TW',
  'zh-hk': 'yue-HK',
  'zh-mo': 'yue-HK',
  cmn: 'cmn-CN',
  'cmn-tw': 'cmn-TW',
  yue: 'yue-HK',
  en: 'en-US',
  'en-us': 'en-US',
  'en-gb': 'en-GB',
  'en-au': 'en-AU',
  'en-in': 'en-IN',
  es: 'es-ES',
  'es-es': 'es-ES',
  'es-us': 'es-US',
  'es-mx': 'es-US',
  'es-419': 'es-US',
  fr: 'fr-FR',
  'fr-ca': 'fr-CA',
  de: 'de-DE',
  it: 'it-IT',
  ja: 'ja-JP',
  ko: 'ko-KR',
  pt: 'pt-BR',
  'pt-br': 'pt-BR',
  'pt-pt': 'pt-PT',
  ru: 'ru-RU',
  nl: 'nl-NL',
  'nl-be': 'nl-BE',
  sv: 'sv-SE',
  da: 'da-DK',
  nb: 'nb-NO',
  no: 'nb-NO',
  fi: 'fi-FI',
  pl: 'pl-PL',
  tr: 'tr-TR',
  hi: 'hi-IN',
  ar: 'ar-XA',
  id: 'id-ID',
  vi: 'vi-VN',
};

/**
 * The voice for a BCP 47 tag, or null when we have none for its language. Tries the tag, then its
 * language with the region, then with the script, then the language alone: `zh-Hant-TW` → `zh-tw`.
 */
export function voiceFor(locale: string | null | undefined): SayVoice | null {
  if (!locale) return null;
  const [lang = '', ...rest] = locale.trim().toLowerCase().replaceAll('_', '-').split('-');
  const script = rest.find((s) => /^[a-z]{4}$/.test(s));
  const region = rest.find((s) => /^([a-z]{2}|\d{3})$/.test(s));
  const candidates = [[lang, ...rest].join('-'), region && `${lang}-${region}`, script && `${lang}-${script}`, lang];
  for (const tag of candidates) {
    const language = tag ? LANGUAGES[tag] : undefined;
    if (language) return { language, voice: `Google.${language}-Standard-A` };
  }
  return null;
}
