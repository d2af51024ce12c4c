import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMail } from './mime.js';
import { startFakeSmtp, type FakeSmtp } from './index.js';

// The fake checked from the outside with nodemailer, the client the adapter uses, in its plainest
// form (no pool): what it accepts and refuses, and how a recipient would read what it recorded.
describe('fake SMTP server', () => {
  let fake: FakeSmtp;
  const transport = (auth: { user: string; pass: string } | null = { user: 'mailer', pass: 's3cret' }) =>
    nodemailer.createTransport({
      host: fake.host,
      port: fake.port,
      secure: false,
      ...(auth ? { auth } : {}),
    });
  const mail = { from: 'Tidings <noreply@example.com>', to: 'jane@example.org', subject: 'Hi', text: 'Hello' };

  beforeAll(async () => {
    fake = await startFakeSmtp({ user: 'mailer', pass: 's3cret', maxSize: 10_000 });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('accepts a logged-in mail and records it decoded: UTF-8 subject and body, envelope, Message-ID', async () => {
    const text = `Bonjour Zoë, 你好 👍\n${'long line '.repeat(30)}\n=equals= and trailing space `;
    const info = await transport().sendMail({ ...mail, subject: 'Café ☕ 你好', text });
    expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as \d+$/);
    const got = fake.sent.at(-1);
    expect(got).toMatchObject({
      user: 'mailer',
      mailFrom: 'noreply@example.com',
      rcptTo: ['jane@example.org'],
      subject: 'Café ☕ 你好',
      text,
      messageId: info.messageId,
    });
    expect(got?.contentType).toMatch(/^text\/plain; charset=utf-8/);
    expect(got?.headers.from).toBe('Tidings <noreply@example.com>');
  });

  it('refuses a bad password with 535, and mail without a login with 530', async () => {
    const before = fake.authFailures;
    await expect(transport({ user: 'mailer', pass: 'nope' }).sendMail(mail)).rejects.toMatchObject({
      code: 'EAUTH',
      responseCode: 535,
    });
    expect(fake.authFailures).toBe(before + 1);
    await expect(transport(null).sendMail(mail)).rejects.toMatchObject({ responseCode: 530 });
  });

  it('refuses a ruled recipient at RCPT TO, and answers injected faults at their stage', async () => {
    fake.rejectRecipient('gone@example.org', 550, '5.1.1 <gone@example.org>: Recipient address rejected');
    await expect(transport().sendMail({ ...mail, to: 'gone@example.org' })).rejects.toMatchObject({
      responseCode: 550,
      command: 'RCPT TO',
    });
    fake.failNext(1, { stage: 'data', code: 554, message: '5.7.1 Spam detected' });
    await expect(transport().sendMail(mail)).rejects.toMatchObject({ responseCode: 554, command: 'DATA' });
    fake.failNext(1, { stage: 'mail', code: 451, message: '4.3.0 Try again later' });
    await expect(transport().sendMail(mail)).rejects.toMatchObject({ responseCode: 451, command: 'MAIL FROM' });
    const count = fake.sent.length;
    await transport().sendMail(mail);
    expect(fake.sent.length).toBe(count + 1);
  });

  it('refuses a message over SIZE with 552', async () => {
    await expect(transport().sendMail({ ...mail, text: 'x'.repeat(20_000) })).rejects.toMatchObject({
      responseCode: 552,
    });
  });

  it('drops the connection on demand', async () => {
    fake.dropNext(1);
    const dropped = fake.dropped;
    await expect(transport().sendMail(mail)).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    expect(fake.dropped).toBe(dropped + 1);
  });
});

describe('readMail', () => {
  it('requires nothing of its input and reports missing headers as absent', () => {
    const m = readMail(Buffer.from('Subject: =?UTF-8?B?w6k=?= =?UTF-8?Q?_x?=\r\n\r\nbody=\r\n'));
    expect(m).toMatchObject({ subject: 'é x', text: 'body=', overlongLines: 0 });
    expect(m.headers.from).toBeUndefined();
    expect(readMail(Buffer.from(`X: ${'a'.repeat(1000)}\r\n\r\n`)).overlongLines).toBe(1);
  });
});
