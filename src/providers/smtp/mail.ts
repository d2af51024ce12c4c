/**
 * @module providers/smtp/mail
 * One message as one plain-text e-mail. The Message-ID is ours (`<message id@sender's domain>`), the
 * same on every attempt: it is the provider message id, and a retry after a lost answer arrives as
 * the same mail, which receiving servers and clients may fold into one.
 */
import type { OutboundMessage } from '../../ports/provider.js';
import { senderAddress } from './config.js';

/** Subjects made from the body stop here, so that they fit a mail client's list. */
export const SUBJECT_LENGTH = 60;

export interface PlainMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

/**
 * The message's own subject, or else its body's first non-blank line, cut to 60 characters
 * (code points) with an ellipsis.
 */
export function subjectOf(msg: Pick<OutboundMessage, 'subject' | 'body'>): string {
  const given = oneLine(msg.subject ?? '');
  if (given !== '') return given;
  const first = oneLine(msg.body.split(/\r\n|\r|\n/).find((line) => line.trim() !== '') ?? '');
  const chars = Array.from(first);
  return chars.length <= SUBJECT_LENGTH
    ? first
    : `${chars
        .slice(0, SUBJECT_LENGTH - 1)
        .join('')
        .trimEnd()}…`;
}

/** `from` is the configured sender unless the message names an address of its own. */
export function plainMail(msg: OutboundMessage, configuredFrom: string, fromAddress: string): PlainMail {
  let from = configuredFrom;
  let domainOf = fromAddress;
  if (msg.from !== null && msg.from.includes('@')) {
    // A sender that is no address (an SMS sender ID, say) is ignored rather than sent as garbage.
    try {
      domainOf = senderAddress(msg.from);
      from = msg.from;
    } catch {
      // keep the configured sender
    }
  }
  return {
    from,
    to: msg.to,
    subject: subjectOf(msg),
    text: msg.body,
    messageId: `<${idPart(msg.id)}@${domainOf.slice(domainOf.lastIndexOf('@') + 1)}>`,
  };
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]+/g;

function oneLine(text: string): string {
  return text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

/** The left part of a Message-ID is a dot-atom (RFC 5322 §3.6.4): no spaces, brackets or `@`. */
function idPart(id: string): string {
  return id.replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/g, '-').replace(/^\.+|\.+$/g, '') || 'message';
}
