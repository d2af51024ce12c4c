/**
 * @module test/fakes/twilio/twiml
 * Twilio parses a call's TwiML when the call connects, and fails the call (error 12100, "Document
 * parse failure") when it is not well-formed XML with a `<Response>` root. The fake does the same
 * with this small reader, and keeps what `<Say>` would read, so tests can check what was spoken.
 */

export interface SaidText {
  text: string;
  language: string | null;
  voice: string | null;
}

export type TwimlReading = { ok: true; says: SaidText[] } | { ok: false; reason: string };

const TOKEN =
  /<\/?([A-Za-z][\w.-]*)((?:\s+[A-Za-z_:][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|<\?xml[^>]*\?>|[^<]+|</g;
const ATTRIBUTE = /([A-Za-z_:][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));|&/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Reads TwiML the way a strict XML parser would, or says why it cannot. */
export function readTwiml(source: string): TwimlReading {
  const stack: string[] = [];
  const says: SaidText[] = [];
  let open: SaidText | null = null;
  let sawRoot = false;
  for (const m of source.matchAll(TOKEN)) {
    const [token, name, attrs = '', selfClosing] = m;
    if (token === '<') return { ok: false, reason: 'a bare "<" in text' };
    if (token.startsWith('<?xml')) continue;
    if (name === undefined) {
      const text = decode(token);
      if (text === null) return { ok: false, reason: 'a bare "&" in text' };
      if (stack.length === 0 && text.trim() !== '') return { ok: false, reason: 'text outside <Response>' };
      if (open) open.text += text;
      continue;
    }
    if (token.startsWith('</')) {
      if (stack.pop() !== name) return { ok: false, reason: `unbalanced </${name}>` };
      if (name === 'Say') open = null;
      continue;
    }
    if (stack.length === 0) {
      if (sawRoot || name !== 'Response') return { ok: false, reason: 'the root element must be one <Response>' };
      sawRoot = true;
    }
    const attributes = readAttributes(attrs);
    if (attributes === null) return { ok: false, reason: `a bare "&" in an attribute of <${name}>` };
    if (name === 'Say') {
      const said = { text: '', language: attributes.language ?? null, voice: attributes.voice ?? null };
      says.push(said);
      if (!selfClosing) open = said;
    }
    if (!selfClosing) stack.push(name);
  }
  if (!sawRoot) return { ok: false, reason: 'no <Response>' };
  if (stack.length > 0) return { ok: false, reason: `<${stack.at(-1)}> is never closed` };
  return { ok: true, says };
}

function readAttributes(source: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const [, name = '', double, single] of source.matchAll(ATTRIBUTE)) {
    const value = decode(double ?? single ?? '');
    if (value === null) return null;
    out[name] = value;
  }
  return out;
}

function decode(text: string): string | null {
  let bad = false;
  const out = text.replace(ENTITY, (whole, named?: string, dec?: string, hex?: string) => {
    if (named) return NAMED[named] ?? '';
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    bad = true;
    return whole;
  });
  return bad ? null : out;
}
