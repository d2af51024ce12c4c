/**
 * @module providers/smtp
 * Any SMTP server as the e-mail channel, through nodemailer: a small pool of kept-open connections,
 * one plain-text UTF-8 mail per message, the server's reply classified once (errors.ts). A mail the
 * server accepted (250) is `sent`: SMTP says nothing later about the inbox, so there is no callback.
 */
import nodemailer from 'nodemailer';
import { isProviderError, ProviderError } from '../../core/provider-error.js';
import type { OutboundMessage, Provider, ProviderFactory, SendResult } from '../../ports/provider.js';
import { describeSmtpConfig, isMailAddress, parseSmtpUrl } from './config.js';
import { maskAddresses, smtpError } from './errors.js';
import { plainMail } from './mail.js';

export { parseSmtpUrl, type SmtpConfig } from './config.js';

export const createSmtpProvider: ProviderFactory = (url, ctx): Provider => {
  const config = parseSmtpUrl(url);
  const id = `smtp:${config.name}`;
  const logger = ctx.logger.child({ provider: id });
  const transport = nodemailer.createTransport({
    pool: true,
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.requireTLS,
    ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.pass } } : {}),
    ...(config.helo ? { name: config.helo } : {}),
    maxConnections: config.connections,
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
    // nodemailer's own logger would print addresses; ours masks them.
    logger: false,
  });

  async function send(msg: OutboundMessage, signal: AbortSignal): Promise<SendResult> {
    const mail = plainMail(msg, config.from, config.fromAddress);
    try {
      // nodemailer reads `to` as an address list: "x y@example.com" would go to y@example.com.
      if (!isMailAddress(msg.to)) throw new ProviderError('invalid_recipient', 'Not one e-mail address');
      const info = await transport.sendMail({ ...mail, signal });
      if (info.rejected.length > 0 || info.accepted.length === 0) {
        // nodemailer resolves when at least one recipient was taken; we send to exactly one.
        throw smtpError({ code: 'EENVELOPE', message: `recipient refused: ${info.response}` }, config.timeoutMs);
      }
      logger.debug({ messageId: msg.id, to: maskAddresses(msg.to), mailId: info.messageId }, 'smtp accepted');
      return { providerMessageId: info.messageId, status: 'sent', price: null };
    } catch (err) {
      const failure = isProviderError(err) ? err : smtpError(err, config.timeoutMs);
      logger.warn(
        {
          messageId: msg.id,
          to: maskAddresses(msg.to),
          kind: failure.kind,
          code: failure.providerCode,
          err: failure.message,
        },
        'smtp send failed',
      );
      throw failure;
    }
  }

  return {
    id,
    kind: 'smtp',
    channel: 'email',
    capabilities: config.maxPerSecond === null ? {} : { maxPerSecond: config.maxPerSecond },
    send,
    describe: () => describeSmtpConfig(config),
    close: async () => transport.close(),
  };
};
