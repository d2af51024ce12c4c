import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSmtp, type FakeSmtp } from '../../../test/fakes/smtp/index.js';
import {
  neverAborted,
  outboundMessage,
  ProviderTestKit,
  sendError,
  until,
} from '../../../test/support/provider-test-kit.js';
import type { OutboundMessage, Provider } from '../../ports/provider.js';
import { createSmtpProvider } from './index.js';

const USER = 'mailer';
const PASS = 'correct-horse-battery';
const TO = 'jane.doe@example.org';
const FROM = 'from=Tidings%20<noreply@example.com>';

const message = (over: Partial<OutboundMessage> = {}) =>
  outboundMessage(
    { channel: 'email', to: TO },
    { body: 'Your appointment is tomorrow at 10:00.\nReply to reschedule.', ...over },
  );

describe('SMTP provider against the fake SMTP server', () => {
  let fake: FakeSmtp;
  const kit = new ProviderTestKit();

  const make = (query = '', auth = `${USER}:${PASS}@`, port?: number): Provider =>
    kit.build(createSmtpProvider, `smtp://${auth}${fake.host}:${port ?? fake.port}?${FROM}${query}`);

  beforeAll(async () => {
    fake = await startFakeSmtp({ user: USER, pass: PASS, maxSize: 64 * 1024 });
  });
  afterEach(async () => {
    fake.setLatency(0);
    await kit.cleanUp(PASS, TO);
  });
  afterAll(async () => {
    await fake.close();
  });

  it('sends a plain-text UTF-8 mail; the Message-ID is the provider id', async () => {
    const p = make();
    expect(p).toMatchObject({ id: 'smtp:default', kind: 'smtp', channel: 'email' });
    const body = '您好 Zoë, your code is 4821 👍\n\nSee you.';
    const result = await p.send(message({ body, id: 'msg_01J' }), neverAborted());
    expect(result).toEqual({ providerMessageId: '<msg_01J@example.com>', status: 'sent', price: null });
    expect(fake.sent.at(-1)).toMatchObject({
      user: USER,
      mailFrom: 'noreply@example.com',
      rcptTo: [TO],
      messageId: '<msg_01J@example.com>',
      subject: '您好 Zoë, your code is 4821 👍',
      text: body,
      headers: { from: 'Tidings <noreply@example.com>', to: TO },
    });
    expect(fake.sent.at(-1)?.contentType).toMatch(/^text\/plain; charset=utf-8/);
  });

  it('uses the message subject when it has one, and keeps connections pooled', async () => {
    const p = make('&connections=1');
    const before = fake.connections;
    await p.send(message({ subject: 'Reminder' }), neverAborted());
    await p.send(message({ id: 'msg_2' }), neverAborted());
    expect(fake.sent.at(-2)?.subject).toBe('Reminder');
    expect(fake.sent.at(-1)?.subject).toBe('Your appointment is tomorrow at 10:00.');
    expect(fake.connections).toBe(before + 1);
  });

  it('a wrong password → auth (535)', async () => {
    const err = await sendError(make('', `${USER}:wrong-password@`), message());
    expect(err).toMatchObject({ kind: 'auth', providerCode: '535', retryable: false });
  });

  it('no login where one is required → auth (530)', async () => {
    expect(await sendError(make('', ''), message())).toMatchObject({ kind: 'auth', providerCode: '530' });
  });

  it('an unknown mailbox (550 at RCPT TO) → invalid_recipient, the address masked', async () => {
    fake.rejectRecipient('gone@example.org', 550, '5.1.1 <gone@example.org>: Recipient address rejected');
    const err = await sendError(make(), message({ to: 'gone@example.org' }));
    expect(err).toMatchObject({ kind: 'invalid_recipient', providerCode: '550' });
    expect(err.message).toContain('g***@example.org');
    expect(err.message).not.toContain('gone@example.org');
  });

  it.each(['not-an-address', 'x y@example.com', 'a@example.com, b@example.com', 'a@b', ''])(
    'a `to` that is not one address (%j) → invalid_recipient, and nothing is sent',
    async (to) => {
      const count = fake.sent.length;
      expect(await sendError(make(), message({ to }))).toMatchObject({ kind: 'invalid_recipient' });
      expect(fake.sent.length).toBe(count);
    },
  );

  it('a refused message (554 after DATA) → rejected_content', async () => {
    fake.failNext(1, { stage: 'data', code: 554, message: '5.7.1 Message rejected as spam' });
    expect(await sendError(make(), message())).toMatchObject({ kind: 'rejected_content', providerCode: '554' });
  });

  it('a message over the size limit (552) → rejected_content', async () => {
    expect(await sendError(make(), message({ body: 'x '.repeat(40_000) }))).toMatchObject({
      kind: 'rejected_content',
      providerCode: '552',
    });
  });

  it('4xx (greylisting, busy) → transient, and the next send works', async () => {
    const p = make();
    fake.failNext(1, { stage: 'rcpt', code: 451, message: '4.7.1 Greylisted, try again later' });
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient', providerCode: '451', retryable: true });
    fake.failNext(1, { stage: 'mail', code: 421, message: '4.3.2 Service shutting down' });
    expect(await sendError(p, message())).toMatchObject({ kind: 'transient', providerCode: '421' });
    await expect(p.send(message(), neverAborted())).resolves.toMatchObject({ status: 'sent' });
  });

  it('a dropped connection → transient', async () => {
    fake.dropNext(1);
    expect(await sendError(make(), message())).toMatchObject({ kind: 'transient' });
  });

  it('nobody listening → unavailable', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s: Server = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    expect(await sendError(make('', `${USER}:${PASS}@`, closed), message())).toMatchObject({
      kind: 'unavailable',
      providerCode: 'ECONNREFUSED',
    });
  });

  it('a server that does not answer in time → transient, said in ms', async () => {
    fake.setLatency(3_000);
    const started = Date.now();
    const err = await sendError(make('&timeoutMs=300'), message({ id: 'msg_slow' }));
    expect(err).toMatchObject({ kind: 'transient', providerCode: 'ETIMEDOUT' });
    expect(err.message).toMatch(/300 ms/);
    expect(Date.now() - started).toBeLessThan(2_000); // well before the server's 3 s answer
    // The server had the whole message: it delivers it, and only the answer is lost.
    await until(() => fake.sent.some((m) => m.messageId === '<msg_slow@example.com>'));
    expect(fake.pending).toBe(0);
  });

  it("the caller's AbortSignal → transient at once; a mail the server already had is still delivered", async () => {
    const p = make();
    fake.setLatency(3_000);
    const controller = new AbortController();
    const sending = sendError(p, message({ id: 'msg_abort' }), controller.signal);
    await until(() => fake.pending > 0);
    const started = Date.now();
    controller.abort(new Error('shutting down'));
    expect((await sending).kind).toBe('transient');
    expect(Date.now() - started).toBeLessThan(2_000); // well before the server's 3 s answer
    // The answer was lost, not the mail: a retry sends it again with the same Message-ID.
    await until(() => fake.sent.some((m) => m.messageId === '<msg_abort@example.com>'));

    const connections = fake.connections;
    expect((await sendError(p, message({ id: 'msg_never' }), controller.signal)).kind).toBe('transient');
    expect(fake.connections).toBe(connections);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.sent.some((m) => m.messageId === '<msg_never@example.com>')).toBe(false);
  });

  it('describe() masks the password', () => {
    const text = make().describe();
    expect(text).toBe(
      `smtp://${USER}:corr****@127.0.0.1:${fake.port}?from=Tidings+%3Cnoreply%40example.com%3E&name=default&secure=false&timeoutMs=15000`,
    );
  });
});
