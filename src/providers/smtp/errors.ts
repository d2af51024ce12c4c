/**
 * @module providers/smtp/errors
 * SMTP failures mapped once, here, onto `ProviderError` kinds. The reply code says most of it
 * (RFC 5321: 4xx try again later, 5xx do not); the command it answered says whom it is about: a
 * 550 to RCPT TO is the mailbox, a 550 or 554 after DATA is the message. nodemailer's error stays
 * attached as `cause`, its reply code as `providerCode`.
 */
import { ProviderError, type ProviderErrorKind } from '../../core/provider-error.js';

/** What nodemailer puts on its errors (NodemailerError), read defensively. */
interface SmtpFailure {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
  originalCode?: string;
  message?: string;
}

/**
 * Reply code (and the command it answered, when that changes the meaning) → kind. Looked up as
 * `"<code> <command>"`, then `"<code>"`; other replies fall to their class: 4xx transient, 5xx permanent.
 */
const REPLY_KINDS: ReadonlyMap<string, ProviderErrorKind> = new Map([
  ['530', 'auth'], // authentication required
  ['534', 'auth'], // authentication mechanism too weak
  ['535', 'auth'], // credentials invalid
  ['538', 'auth'], // encryption required for this mechanism
  ['503', 'transient'], // bad sequence of commands: the session's state, not the message; a new one may work
  ['550 RCPT TO', 'invalid_recipient'], // mailbox unavailable / unknown user
  ['551 RCPT TO', 'invalid_recipient'], // user not local
  ['552 RCPT TO', 'invalid_recipient'], // mailbox full
  ['553 RCPT TO', 'invalid_recipient'], // mailbox name not allowed
  ['554 RCPT TO', 'permanent'], // typically "relay access denied": our configuration, not the recipient
  ['550 DATA', 'rejected_content'], // refused after reading the message: policy, spam, content
  ['552 DATA', 'rejected_content'], // message too large
  ['554 DATA', 'rejected_content'], // transaction failed: content or policy
  ['554', 'rejected_content'],
  ['550 MAIL FROM', 'permanent'], // the sender is refused: an operator must fix `from`
  ['553 MAIL FROM', 'permanent'],
]);

/** Codes of the connection's own failures: the server is not there for us now. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function smtpError(err: unknown, timeoutMs: number): ProviderError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SmtpFailure;
  const reply = typeof e.responseCode === 'number' ? e.responseCode : null;

  if (e.code === 'EABORT') return new ProviderError('transient', 'The SMTP send was aborted', { cause: err });
  if (reply !== null) {
    const command = normalizeCommand(e.command);
    const kind =
      REPLY_KINDS.get(`${reply} ${command}`) ??
      REPLY_KINDS.get(String(reply)) ??
      (reply >= 400 && reply < 500 ? 'transient' : 'permanent');
    const text = maskAddresses(e.response ?? String(reply));
    return new ProviderError(kind, `SMTP ${command ? `${command}: ` : ''}${text}`, { providerCode: reply, cause: err });
  }
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') {
    return new ProviderError('auth', `SMTP login failed: ${maskAddresses(e.message ?? e.code)}`, {
      providerCode: e.code,
      cause: err,
    });
  }
  if (e.code === 'ETIMEDOUT') {
    return new ProviderError('transient', `The SMTP server did not answer within ${timeoutMs} ms`, {
      providerCode: e.code,
      cause: err,
    });
  }
  if (e.code === 'EDNS' || (e.originalCode !== undefined && UNREACHABLE.has(e.originalCode))) {
    return new ProviderError('unavailable', `SMTP server unreachable: ${e.originalCode ?? e.code}`, {
      providerCode: e.originalCode ?? e.code ?? null,
      cause: err,
    });
  }
  if (e.code === 'ETLS' || e.code === 'EREQUIRETLS') {
    // A certificate or TLS setup problem: it will not fix itself between retries, but it is not the message's fault.
    return new ProviderError('unavailable', `SMTP TLS failed: ${maskAddresses(e.message ?? e.code)}`, {
      providerCode: e.code,
      cause: err,
    });
  }
  if (e.code === 'ESOCKET' || e.code === 'ECONNECTION' || e.code === 'EPROTOCOL') {
    return new ProviderError('transient', `SMTP connection failed: ${e.originalCode ?? e.code}`, {
      providerCode: e.code,
      cause: err,
    });
  }
  if (e.code === 'EENVELOPE') {
    // Refused before any server saw it: the address itself does not parse.
    return new ProviderError('invalid_recipient', `SMTP envelope refused: ${maskAddresses(e.message ?? '')}`, {
      providerCode: e.code,
      cause: err,
    });
  }
  return new ProviderError('permanent', `SMTP send failed: ${maskAddresses(e.message ?? String(err))}`, {
    providerCode: e.code ?? null,
    cause: err,
  });
}

/** nodemailer names commands as sent (`RCPT TO`, `DATA`, `AUTH PLAIN`, `MAIL FROM`). */
function normalizeCommand(command: string | undefined): string {
  const c = (command ?? '').toUpperCase().trim();
  if (c.startsWith('AUTH')) return 'AUTH';
  return c;
}

const ADDRESS_IN_TEXT = /([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

/** `jane.doe@example.com` → `j***@example.com`: servers quote recipients back, and errors reach logs. */
export function maskAddresses(text: string): string {
  return text.replace(ADDRESS_IN_TEXT, (_m, local: string, domain: string) => `${local.slice(0, 1)}***@${domain}`);
}
