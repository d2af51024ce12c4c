/**
 * @module test/fakes/smtp/mime
 * Reads the single-part messages our adapter sends, the way a mail client would: unfolded headers,
 * RFC 2047 encoded words in the subject, and the body decoded by its Content-Transfer-Encoding and
 * charset. Enough to check what a recipient would read; not a general MIME parser.
 */

export interface ReadMail {
  /** Header names lower-cased, values unfolded (a repeated header keeps its first value). */
  headers: Record<string, string>;
  subject: string;
  text: string;
  /** Lines longer than RFC 5322's 998-character limit, which many servers refuse. */
  overlongLines: number;
}

export function readMail(raw: Buffer): ReadMail {
  const source = raw.toString('latin1');
  // latin1 maps bytes one to one, so string offsets are byte offsets.
  const blank = /\r?\n\r?\n/.exec(source);
  const head = blank ? source.slice(0, blank.index) : source;
  const bodyStart = blank ? blank.index + blank[0].length : source.length;
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= line.slice(colon + 1).trim();
  }
  // The line end that closes the last line belongs to the transfer, not to the text.
  const end = raw.subarray(-2).toString('latin1') === '\r\n' ? raw.length - 2 : raw.length;
  const body = raw.subarray(bodyStart, Math.max(bodyStart, end));
  const charset = /charset="?([\w-]+)"?/i.exec(headers['content-type'] ?? '')?.[1]?.toLowerCase() ?? 'us-ascii';
  const decoded = decodeBody(body, (headers['content-transfer-encoding'] ?? '7bit').toLowerCase());
  return {
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, decodeWords(latin1ToUtf8(v))])),
    subject: decodeWords(latin1ToUtf8(headers.subject ?? '')),
    text: new TextDecoder(charset === 'us-ascii' ? 'utf-8' : charset).decode(decoded).replace(/\r\n/g, '\n'),
    overlongLines: source.split(/\r?\n/).filter((l) => l.length > 998).length,
  };
}

function decodeBody(body: Buffer, encoding: string): Buffer {
  const text = body.toString('latin1');
  if (encoding === 'base64') return Buffer.from(text.replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(text);
  return body;
}

function decodeQuotedPrintable(text: string): Buffer {
  const unwrapped = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unwrapped.length; i++) {
    const hex = unwrapped.slice(i + 1, i + 3);
    if (unwrapped[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(unwrapped.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=`; whitespace between adjacent encoded words is dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, charset: string, kind: string, data: string) => {
      const bytes =
        kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : decodeQuotedPrintable(data.replace(/_/g, ' '));
      return new TextDecoder(charset.toLowerCase()).decode(bytes);
    });
}

/** Headers were read as latin1 bytes; raw UTF-8 in them (SMTPUTF8) is turned back into text. */
function latin1ToUtf8(value: string): string {
  return Buffer.from(value, 'latin1').toString('utf8');
}
