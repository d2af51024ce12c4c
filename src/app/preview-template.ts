/**
 * @module app/preview-template
 * What a message from this template would look like, before anyone is texted: the text, its
 * encoding and segments, the characters that force UCS-2 (the usual surprise on a bill), what
 * smart encoding would save, any banned term, and the estimated cost.
 */
import { TidingsError } from '../core/errors.js';
import type { Purpose } from '../core/message.js';
import { estimateCost, type Money } from '../core/pricing.js';
import { chooseProvider } from '../core/routing.js';
import { countryOf, normalizeRecipient } from '../content/phone.js';
import { measure } from '../content/segments.js';
import { toGsmLookalikes, ucs2Characters } from '../content/smart-encoding.js';
import type { AppDeps } from './deps.js';
import { checkLocaleAndZone } from './accept-message.js';
import { renderTemplate } from './render-template.js';

export interface PreviewRequest {
  data?: Record<string, unknown>;
  locale?: string;
  /** A number to price the message for; without one, the price outside any listed country. */
  to?: string;
  variant?: string;
  version?: number;
  purpose?: Purpose;
  recipient?: { timezone?: string };
}

export interface PreviewView {
  template: string;
  version: number;
  variant: string | null;
  locale: string;
  text: string;
  characters: number;
  encoding: string;
  segments: number;
  ucs2Characters: string[];
  smartEncoding: { text: string; encoding: string; segments: number; segmentsSaved: number } | null;
  bannedTerm: string | null;
  cost: (Money & { provider: string }) | null;
}

export async function previewTemplate(deps: AppDeps, name: string, req: PreviewRequest): Promise<PreviewView> {
  checkLocaleAndZone(req);
  const ready =
    req.version === undefined ? await deps.templates.current(name) : await deps.templates.version(name, req.version);
  if (!ready) throw new TidingsError('not_found', `No template "${name}".`);
  const rendered = renderTemplate(deps.renderer, ready, {
    messageId: `preview_${deps.ids.message()}`,
    data: req.data ?? {},
    locale: req.locale ?? null,
    timezone: req.recipient?.timezone ?? deps.settings.defaultTimezone,
    ...(req.variant !== undefined ? { variant: req.variant } : {}),
  });
  const text = rendered.body;
  const size = measure(text);
  const smart = toGsmLookalikes(text);
  const to =
    req.to === undefined
      ? null
      : normalizeRecipient(req.to, {
          defaultRegion: deps.settings.defaultRegion as Parameters<typeof normalizeRecipient>[1]['defaultRegion'],
          channel: 'sms',
        }).e164;
  const provider = chooseProvider(deps.providers, 'sms');
  const segmentsToPay = smart.text !== text && deps.settings.smartEncoding ? smart.segmentsAfter : size.segments;
  const cost = provider
    ? estimateCost(deps.settings.prices, provider.kind, to === null ? null : countryOf(to), segmentsToPay)
    : null;
  return {
    template: ready.def.name,
    version: ready.def.version,
    variant: rendered.template.variant,
    locale: rendered.template.locale,
    text,
    characters: [...text].length,
    encoding: size.encoding,
    segments: size.segments,
    ucs2Characters: ucs2Characters(text),
    smartEncoding:
      smart.text === text
        ? null
        : {
            text: smart.text,
            encoding: smart.encodingAfter,
            segments: smart.segmentsAfter,
            segmentsSaved: smart.segmentsBefore - smart.segmentsAfter,
          },
    bannedTerm: deps.contentFilter.find(text, req.purpose ?? ready.def.purpose ?? 'transactional'),
    cost: cost && provider ? { ...cost, provider: provider.kind } : null,
  };
}
