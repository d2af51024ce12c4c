import { describe, expect, it } from 'vitest';
import { describeSmtpConfig, parseSmtpUrl } from './config.js';

const FROM = 'from=Tidings%20<noreply@example.com>';

describe('parseSmtpUrl', () => {
  it('reads smtp:// with login, port, sender and options', () => {
    expect(
      parseSmtpUrl(
        `smtp://mailer:p%40ss%2Fword@mail.example.com:2525?${FROM}&secure=false&requireTLS=true&name=eu&helo=tidings.example.com&timeoutMs=5000&connections=2&mps=10`,
      ),
    ).toEqual({
      name: 'eu',
      host: 'mail.example.com',
      port: 2525,
      secure: false,
      requireTLS: true,
      auth: { user: 'mailer', pass: 'p@ss/word' },
      from: 'Tidings <noreply@example.com>',
      fromAddress: 'noreply@example.com',
      helo: 'tidings.example.com',
      timeoutMs: 5000,
      connections: 2,
      maxPerSecond: 10,
    });
  });

  it('defaults: 587 plain/STARTTLS for smtp://, 465 TLS for smtps://, no login, name "default"', () => {
    expect(parseSmtpUrl(new URL(`smtp://relay.internal?from=noreply@example.com`))).toMatchObject({
      port: 587,
      secure: false,
      requireTLS: false,
      auth: null,
      name: 'default',
      timeoutMs: 15_000,
      connections: 3,
      fromAddress: 'noreply@example.com',
    });
    expect(parseSmtpUrl(`smtps://u:p@smtp.example.com?${FROM}`)).toMatchObject({ port: 465, secure: true });
    expect(parseSmtpUrl(`smtp://u:p@[::1]:25?${FROM}`)).toMatchObject({ host: '::1', port: 25 });
  });

  it.each([
    [`smtpx://u:p@h?${FROM}`, /smtp:\/\/ or smtps:\/\//],
    [`smtp://u:p@h`, /needs \?from=/],
    [`smtp://u:p@h?from=nobody`, /not one e-mail address/],
    [`smtp://u:p@h?from=a@example.com,b@example.com`, /not one e-mail address/],
    [`smtp://u@h?${FROM}`, /password is missing/],
    [`smtp://:p@h?${FROM}`, /user is missing/],
    [`smtp://u:p@h?${FROM}&secure=yes`, /secure must be true or false/],
    [`smtp://u:p@h?${FROM}&timeoutMs=0`, /timeoutMs must be a positive integer/],
    [`smtp://u:p@h?${FROM}&bogus=1`, /unknown option "bogus"/],
    [`smtp://u:p@h?${FROM}&name=a%20b`, /name/],
    [`smtp://u:p@h?${FROM}&helo=a%20b`, /helo/],
  ])('rejects %s', (url, message) => {
    expect(() => parseSmtpUrl(url)).toThrow(message);
  });

  it('never echoes the password in an error', () => {
    expect(() => parseSmtpUrl('smtp://u:hunter2@ bad')).toThrow(/not a valid URL/);
    expect(() => parseSmtpUrl('smtp://u:hunter2@ bad')).not.toThrow(/hunter2/);
    expect(() => parseSmtpUrl('smtp://u:hunter2@h')).not.toThrow(/hunter2/);
  });
});

describe('describeSmtpConfig', () => {
  it('prints the URL with the password masked', () => {
    const text = describeSmtpConfig(parseSmtpUrl(`smtps://mailer:hunter2hunter2@smtp.example.com?${FROM}`));
    expect(text).toBe(
      'smtps://mailer:hunt****@smtp.example.com:465?from=Tidings+%3Cnoreply%40example.com%3E&name=default&secure=true&timeoutMs=15000',
    );
    expect(text).not.toContain('hunter2hunter2');
    expect(describeSmtpConfig(parseSmtpUrl(`smtp://[::1]:25?${FROM}`))).toMatch(/^smtp:\/\/\[::1\]:25\?/);
  });
});
