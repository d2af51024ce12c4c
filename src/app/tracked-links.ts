/**
 * @module app/tracked-links
 * Tracked short links: with a link domain configured and tracking asked for (by the request, or
 * by the template), every http(s) URL of a body is replaced at acceptance by `{domain}/l/{code}`,
 * before segments are counted, so the count and the cost are those of the text that is sent. The
 * codes are random (10 characters of [0-9A-Za-z], about 60 bits), so they cannot be guessed or
 * walked to learn other recipients' links, and they are stored with the message in the acceptance
 * transaction (see storage/message-writes).
 */
import { randomBytes } from 'node:crypto';
import type { TrackedLink } from '../core/message.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const CODE_LENGTH = 10;
export const LINK_CODE = /^[0-9A-Za-z]{10}$/;

/** URLs as people write them in texts; punctuation that ends a sentence is not part of one. */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?)\]}>'"»”’]+$/;

export function newLinkCode(): string {
  // 248 is the largest multiple of 62 below 256: bytes above it are skipped, so no letter is favoured.
  let code = '';
  while (code.length < CODE_LENGTH) {
    for (const b of randomBytes(16)) {
      if (b < 248 && code.length < CODE_LENGTH) code += ALPHABET[b % 62];
    }
  }
  return code;
}

/** Replaces each URL of `text` (except those already on `domain`) with a tracked short link. */
export function rewriteLinks(
  text: string,
  domain: string,
  newCode: () => string = newLinkCode,
): { text: string; links: TrackedLink[] } {
  const base = domain.replace(/\/+$/, '');
  const links: TrackedLink[] = [];
  const out = text.replace(URL_IN_TEXT, (match) => {
    const trail = TRAILING.exec(match)?.[0] ?? '';
    const url = match.slice(0, match.length - trail.length);
    if (url.toLowerCase().startsWith(`${base.toLowerCase()}/`) || !isHttpUrl(url)) return match;
    const code = newCode();
    links.push({ code, url });
    return `${base}/l/${code}${trail}`;
  });
  return { text: out, links };
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

export interface LinkSettings {
  /** `https://t.example.com`: where short links live; unset, no link is ever rewritten. */
  linkDomain?: string | undefined;
}

/**
 * The body to send and its links, for a request that asks for tracking (`trackLinks`, or its
 * template's default). Without a link domain the body is left alone.
 */
export function trackLinks(
  settings: LinkSettings,
  text: string,
  requested: boolean | undefined,
  templateDefault: boolean | undefined,
): { text: string; links: TrackedLink[] } {
  if (!settings.linkDomain || !(requested ?? templateDefault ?? false)) return { text, links: [] };
  return rewriteLinks(text, settings.linkDomain);
}
