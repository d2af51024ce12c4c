import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../core/provider-error.js';
import { maskAddresses, smtpError } from './errors.js';

/** The shape nodemailer gives its errors (checked against the fake in index.test.ts). */
const reply = (responseCode: number, command: string, response = `${responseCode} nope`) =>
  Object.assign(new Error(`failed: ${response}`), { code: 'EENVELOPE', responseCode, command, response });
const network = (code: string, originalCode?: string) =>
  Object.assign(new Error(code), { code, ...(originalCode ? { originalCode } : {}) });

describe('smtpError', () => {
  it.each([
    [reply(535, 'AUTH PLAIN'), 'auth', '535'],
    [reply(530, 'MAIL FROM'), 'auth', '530'],
    [reply(534, 'AUTH LOGIN'), 'auth', '534'],
    [reply(421, 'CONN'), 'transient', '421'],
    [reply(450, 'RCPT TO'), 'transient', '450'],
    [reply(451, 'DATA'), 'transient', '451'],
    [reply(452, 'RCPT TO'), 'transient', '452'],
    [reply(503, 'DATA'), 'transient', '503'],
    [reply(550, 'RCPT TO'), 'invalid_recipient', '550'],
    [reply(551, 'RCPT TO'), 'invalid_recipient', '551'],
    [reply(552, 'RCPT TO'), 'invalid_recipient', '552'],
    [reply(553, 'RCPT TO'), 'invalid_recipient', '553'],
    [reply(554, 'RCPT TO'), 'permanent', '554'],
    [reply(550, 'DATA'), 'rejected_content', '550'],
    [reply(552, 'DATA'), 'rejected_content', '552'],
    [reply(554, 'DATA'), 'rejected_content', '554'],
    [reply(554, 'CONN'), 'rejected_content', '554'],
    [reply(550, 'MAIL FROM'), 'permanent', '550'],
    [reply(500, 'EHLO'), 'permanent', '500'],
    [network('EAUTH'), 'auth', 'EAUTH'],
    [network('ENOAUTH'), 'auth', 'ENOAUTH'],
    [network('ETIMEDOUT'), 'transient', 'ETIMEDOUT'],
    [network('ESOCKET', 'ECONNRESET'), 'transient', 'ESOCKET'],
    [network('ESOCKET', 'ECONNREFUSED'), 'unavailable', 'ECONNREFUSED'],
    [network('EDNS', 'ENOTFOUND'), 'unavailable', 'ENOTFOUND'],
    [network('ETLS'), 'unavailable', 'ETLS'],
    [network('ECONNECTION'), 'transient', 'ECONNECTION'],
    [network('EENVELOPE'), 'invalid_recipient', 'EENVELOPE'],
    [network('EABORT'), 'transient', null],
    [network('ESTREAM'), 'permanent', 'ESTREAM'],
  ])('%o → %s', (err, kind, code) => {
    const mapped = smtpError(err, 1000);
    expect(mapped).toBeInstanceOf(ProviderError);
    expect(mapped).toMatchObject({ kind, providerCode: code });
    expect(mapped.cause).toBe(err);
  });

  it('masks addresses the server quotes back, and says how long it waited', () => {
    const mapped = smtpError(reply(550, 'RCPT TO', '550 5.1.1 <jane.doe@example.org>: Recipient address rejected'), 1);
    expect(mapped.message).toBe('SMTP RCPT TO: 550 5.1.1 <j***@example.org>: Recipient address rejected');
    expect(smtpError(network('ETIMEDOUT'), 2500).message).toMatch(/2500 ms/);
    expect(smtpError('weird', 1)).toMatchObject({ kind: 'permanent' });
  });
});

describe('maskAddresses', () => {
  it('keeps the first letter and the domain', () => {
    expect(maskAddresses('to a@b.co and Zoë <zoe+x@mail.example.com>')).toBe(
      'to a***@b.co and Zoë <z***@mail.example.com>',
    );
  });
});
