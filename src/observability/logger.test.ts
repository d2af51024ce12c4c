import { describe, expect, it } from 'vitest';
import { TidingsError } from '../core/errors.js';
import { ProviderError } from '../core/provider-error.js';
import type { Logger } from '../ports/logger.js';
import { createLogger } from './logger.js';

function memoryLogger(level = 'debug') {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(line) } });
  return {
    logger,
    raw: () => lines.join(''),
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('satisfies the Logger port', () => {
    const port: Logger = createLogger({ destination: { write: () => {} } });
    expect(typeof port.child({ a: 1 }).info).toBe('function');
  });

  it('writes one JSON object per line with a level name', () => {
    const { logger, entries } = memoryLogger();
    logger.info({ messageId: 'msg_1' }, 'accepted');
    logger.debug('details');
    expect(entries()).toMatchObject([
      { level: 'info', msg: 'accepted', messageId: 'msg_1' },
      { level: 'debug', msg: 'details' },
    ]);
  });

  it('masks numbers, texts, codes and secrets in fields', () => {
    const { logger, raw, entries } = memoryLogger();
    logger.info(
      {
        to: '+8613812348000',
        from: '+14155552671',
        body: 'Your code is 482913, call +447400123456',
        code: '482913',
        otp: 'A7X9Q2',
        token: 'tok_live_abcdef',
        headers: { authorization: 'Bearer sk_live_9f8e7d', cookie: 'sid=abc123xyz', 'x-api-key': 'key_0192837' },
        provider: { apiKey: 'ak_5566', accountSid: 'AC123', authToken: 'at_778899' },
        batch: [{ phone: '+4915123456789' }, { recipient: '+33612345678' }],
        webhook: { To: '+447700900123', Body: 'Hi 123456' },
        aliyun: { mobile: '13912345678', verification: { code: 774411 } },
      },
      'sent',
    );
    const out = raw();
    for (const secret of [
      '8613812348000',
      '4155552671',
      '482913',
      '7400123456',
      'A7X9Q2',
      'tok_live_abcdef',
      'sk_live_9f8e7d',
      'abc123xyz',
      'key_0192837',
      'ak_5566',
      'at_778899',
      '15123456789',
      '612345678',
      '7700900123',
      '123456',
      '13912345678',
      '774411',
    ]) {
      expect(out).not.toContain(secret);
    }
    const [entry] = entries();
    expect(entry).toMatchObject({
      to: '+86138****8000',
      from: '+14155****2671',
      code: '******',
      otp: '******',
      token: '[redacted]',
      headers: { authorization: '[redacted]', cookie: '[redacted]', 'x-api-key': '[redacted]' },
      provider: { accountSid: 'AC123' },
      batch: [{ phone: '+49151****6789' }, { recipient: '+33612****5678' }],
    });
    expect(entry?.body).toMatch(/^Your code is \*{6}, call \+/);
  });

  it('keeps error codes, status words and other ordinary values readable', () => {
    const { logger, entries } = memoryLogger();
    logger.warn({ code: 'invalid_number', field: 'to', from: 'queued', to: 'sending', attempts: 3, durationMs: 1234 });
    expect(entries()[0]).toMatchObject({
      code: 'invalid_number',
      field: 'to',
      from: 'queued',
      to: 'sending',
      attempts: 3,
      durationMs: 1234,
    });
  });

  it('masks e-mail recipients', () => {
    const { logger, raw } = memoryLogger();
    logger.info({ to: 'alice.smith@example.com', recipient: { email: 'x', timezone: 'Europe/Berlin' } });
    expect(raw()).not.toContain('alice.smith');
    expect(raw()).toContain('a****@example.com');
    expect(raw()).toContain('Europe/Berlin');
  });

  it('masks international numbers inside the message string', () => {
    const { logger, raw } = memoryLogger();
    logger.info('retrying +14155552671 after 2000 ms');
    logger.info({ to: '+447400123456' }, 'sending to %s', '+44 7400 123456');
    logger.info('formatted +1 (415) 555-2671 too');
    const out = raw();
    expect(out).not.toContain('4155552671');
    expect(out).not.toContain('7400 123456');
    expect(out).not.toContain('555-2671');
    expect(out).toContain('retrying +14155****2671 after 2000 ms');
  });

  it('masks numbers in errors but keeps their codes', () => {
    const { logger, raw, entries } = memoryLogger();
    logger.error(new TidingsError('invalid_number', 'Number +14155552671 is not valid', 'to'));
    const vendor = new Error("The 'To' number +15005550001 is not a valid phone number.");
    logger.error(
      {
        err: new ProviderError('invalid_recipient', 'Twilio refused the number', {
          providerCode: 21211,
          cause: vendor,
        }),
      },
      'send failed',
    );
    const out = raw();
    expect(out).not.toContain('4155552671');
    expect(out).not.toContain('5005550001');
    const [first, second] = entries();
    expect(first).toMatchObject({ err: { code: 'invalid_number', field: 'to', type: 'TidingsError' } });
    expect(second).toMatchObject({ err: { kind: 'invalid_recipient', providerCode: '21211' } });
  });

  it('masks child logger bindings', () => {
    const { logger, raw } = memoryLogger();
    logger.child({ to: '+8613812348000', messageId: 'msg_2', apiToken: 'zzz_secret_zzz' }).info('dispatching');
    const out = raw();
    expect(out).not.toContain('8613812348000');
    expect(out).not.toContain('zzz_secret_zzz');
    expect(out).toContain('msg_2');
  });

  it('masks the bindings of grandchildren too', () => {
    const { logger, entries } = memoryLogger();
    logger.child({ provider: 'twilio:primary' }).child({ body: 'PIN 9921', secret: 's3cr3t' }).info('x');
    expect(entries()[0]).toMatchObject({ provider: 'twilio:primary', body: 'PIN ****', secret: '[redacted]' });
  });

  it('does not change the object it was given, and survives cycles', () => {
    const { logger, entries } = memoryLogger();
    const fields: Record<string, unknown> = { to: '+14155552671', nested: { body: 'code 123456' } };
    fields.self = fields;
    logger.info(fields);
    expect(fields.to).toBe('+14155552671');
    expect((fields.nested as { body: string }).body).toBe('code 123456');
    expect(entries()[0]).toMatchObject({ to: '+14155****2671', self: '[Circular]' });
  });

  it('honours the level', () => {
    const { logger, entries } = memoryLogger('warn');
    logger.info('quiet');
    logger.warn('loud');
    expect(entries().map((e) => e.msg)).toEqual(['loud']);
  });
});
