import { describe, expect, it } from 'vitest';
import { readTwiml } from '../../../test/fakes/twilio/twiml.js';
import { escapeXml, MAX_TWIML_LENGTH, sayTwiml } from './twiml.js';

const VOICE = { language: 'cmn-CN', voice: 'Google.cmn-CN-Standard-A' };

describe('sayTwiml', () => {
  it('reads the text twice with a pause between', () => {
    expect(sayTwiml('您的验证码是 1234', VOICE)).toBe(
      '<Response><Say language="cmn-CN" voice="Google.cmn-CN-Standard-A">您的验证码是 1234</Say>' +
        '<Pause length="1"/><Say language="cmn-CN" voice="Google.cmn-CN-Standard-A">您的验证码是 1234</Say></Response>',
    );
  });

  it('escapes markup in the text, so that a strict XML reader reads back exactly the text', () => {
    const body = `Fish & chips <b>"now"</b> it's 5 > 3\u0007\u0000`;
    const twiml = sayTwiml(body, VOICE) ?? '';
    const reading = readTwiml(twiml);
    expect(reading).toMatchObject({ ok: true });
    if (reading.ok)
      expect(reading.says.map((s) => s.text)).toEqual([
        `Fish & chips <b>"now"</b> it's 5 > 3`,
        `Fish & chips <b>"now"</b> it's 5 > 3`,
      ]);
    expect(twiml).not.toContain('<b>');
  });

  it('reads once when twice would not fit, and gives up when once would not', () => {
    const once = sayTwiml('a'.repeat(3000), VOICE) ?? '';
    expect(once.length).toBeLessThanOrEqual(MAX_TWIML_LENGTH);
    expect(once.match(/<Say /g)).toHaveLength(1);
    expect(sayTwiml('a'.repeat(1900), VOICE)?.match(/<Say /g)).toHaveLength(2);
    expect(sayTwiml('a'.repeat(MAX_TWIML_LENGTH), VOICE)).toBeNull();
    // Escaping counts: 800 ampersands become 4,000 characters.
    expect(sayTwiml('&'.repeat(800), VOICE)).toBeNull();
  });
});

describe('escapeXml', () => {
  it('escapes the five XML specials and drops characters XML cannot hold', () => {
    expect(escapeXml(`<a href="x">'&'</a>\t\n\r\u0001\uFFFF`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;\t\n\r',
    );
  });
});
