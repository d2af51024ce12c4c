/**
 * @module test/fakes/smtp/fake-smtp
 * A submission server on loopback (smtp-server, the same author's counterpart of nodemailer) that
 * checks what a real one checks: a login before any mail (535 for bad credentials, 530 without
 * one), address syntax, the SIZE limit, and the headers RFC 5322 requires (From, Date; a
 * Message-ID, which large providers insist on). It records every accepted mail decoded as a
 * recipient would read it, and fails on demand with any reply code at MAIL FROM, RCPT TO or after
 * DATA, slowly, or by dropping the connection.
 */
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import { readMail } from './mime.js';

export interface FakeSmtpOptions {
  user: string;
  pass: string;
  /** Largest message accepted, in bytes, announced as SIZE (default 1 MiB). */
  maxSize?: number;
  /** Default 0: any free port. */
  port?: number;
}

/** One accepted mail, as the test sees it. */
export interface ReceivedMail {
  /** The login that sent it. */
  user: string;
  mailFrom: string;
  rcptTo: string[];
  headers: Record<string, string>;
  messageId: string;
  subject: string;
  /** The decoded plain-text body, line ends as `\n`. */
  text: string;
  contentType: string;
  raw: Buffer;
  at: number;
}

/** A reply to answer with at one stage of the transaction. */
export interface SmtpFault {
  stage: 'mail' | 'rcpt' | 'data';
  code: number;
  message: string;
}

export interface FakeSmtp {
  readonly host: string;
  readonly port: number;
  readonly sent: readonly ReceivedMail[];
  /** Connections opened so far (a pool keeps a few). */
  readonly connections: number;
  readonly authFailures: number;
  /** Connections the fake dropped on demand (`dropNext`). */
  readonly dropped: number;
  /** Messages fully received whose reply is still held back (`setLatency`). */
  readonly pending: number;
  /** The next `n` transactions answer `fault` at its stage. */
  failNext(n: number, fault: SmtpFault): void;
  /** Refuse this recipient at RCPT TO with `code` (e.g. 550 "5.1.1 No such user"). */
  rejectRecipient(address: string, code: number, message: string): void;
  /** The next `n` messages have their connection destroyed after DATA, unanswered. */
  dropNext(n: number): void;
  /** Delay before answering each message's DATA. */
  setLatency(ms: number): void;
  close(): Promise<void>;
}

export async function startFakeSmtp(opts: FakeSmtpOptions): Promise<FakeSmtp> {
  const sent: ReceivedMail[] = [];
  const faults: SmtpFault[] = [];
  const rejected = new Map<string, { code: number; message: string }>();
  const sockets = new Map<string, Socket>();
  let drops = 0;
  let latencyMs = 0;
  let connections = 0;
  let authFailures = 0;
  let dropped = 0;
  let pending = 0;

  const replyError = (code: number, message: string): Error =>
    Object.assign(new Error(message), { responseCode: code });
  const faultAt = (stage: SmtpFault['stage']): SmtpFault | undefined => {
    if (faults[0]?.stage !== stage) return undefined;
    return faults.shift();
  };

  const server = new SMTPServer({
    logger: false,
    banner: 'fake submission server',
    // No certificate here: the adapter's smtp:// path without STARTTLS, as on a trusted network.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    authMethods: ['PLAIN', 'LOGIN'],
    size: opts.maxSize ?? 1024 * 1024,
    onConnect(session, callback) {
      connections++;
      const socket = socketOf(session);
      if (socket) sockets.set(session.id, socket);
      callback();
    },
    onAuth(auth, _session, callback) {
      if (auth.username === opts.user && auth.password === opts.pass) return callback(null, { user: auth.username });
      authFailures++;
      callback(replyError(535, '5.7.8 Authentication credentials invalid'));
    },
    onMailFrom(_address, _session, callback) {
      const fault = faultAt('mail');
      callback(fault ? replyError(fault.code, fault.message) : null);
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const rule = rejected.get(address.address.toLowerCase());
      const fault = faultAt('rcpt');
      const refusal = fault ?? rule;
      callback(refusal ? replyError(refusal.code, refusal.message) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        void (async () => {
          if (drops > 0) {
            drops--;
            dropped++;
            sockets.get(session.id)?.destroy();
            return;
          }
          pending++;
          if (latencyMs > 0) await sleep(latencyMs);
          pending--;
          // A server that has the whole message delivers it even if the client is gone by now.
          const fault = faultAt('data');
          if (fault) return callback(replyError(fault.code, fault.message));
          if (stream.sizeExceeded) return callback(replyError(552, '5.3.4 Message size exceeds fixed limit'));
          const raw = Buffer.concat(chunks);
          const mail = readMail(raw);
          const missing = ['from', 'date', 'message-id'].filter((h) => !mail.headers[h]);
          if (missing.length > 0) {
            return callback(replyError(550, `5.7.1 Message rejected: missing ${missing.join(', ')} header`));
          }
          if (mail.overlongLines > 0) return callback(replyError(554, '5.6.0 Line longer than 998 characters'));
          const envelope = session.envelope;
          sent.push({
            user: String(session.user ?? ''),
            mailFrom: envelope.mailFrom ? envelope.mailFrom.address : '',
            rcptTo: envelope.rcptTo.map((r) => r.address),
            headers: mail.headers,
            messageId: mail.headers['message-id'] ?? '',
            subject: mail.subject,
            text: mail.text,
            contentType: mail.headers['content-type'] ?? '',
            raw,
            at: Date.now(),
          });
          callback(null, `2.0.0 Ok: queued as ${sent.length}`);
        })();
      });
    },
    onClose(session) {
      sockets.delete(session.id);
    },
  });

  /** smtp-server keeps each connection's socket; dropping one on demand needs it. */
  function socketOf(session: SMTPServerSession): Socket | undefined {
    for (const c of server.connections) if (c.id === session.id) return c._socket;
    return undefined;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    host: '127.0.0.1',
    port,
    sent,
    get connections() {
      return connections;
    },
    get authFailures() {
      return authFailures;
    },
    get dropped() {
      return dropped;
    },
    get pending() {
      return pending;
    },
    failNext(n, fault) {
      for (let i = 0; i < n; i++) faults.push(fault);
    },
    rejectRecipient(address, code, message) {
      rejected.set(address.toLowerCase(), { code, message });
    },
    dropNext(n) {
      drops += n;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets.values()) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
