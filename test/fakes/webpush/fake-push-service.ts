/**
 * @module test/fakes/webpush/fake-push-service
 * A Web Push service on loopback, over HTTPS with a certificate made at start (web-push and real
 * services speak nothing else). It hands out subscriptions the way a browser's push service does
 * (endpoint + P-256 `p256dh` + 16-byte `auth`), and checks each push as a service must (RFC 8030,
 * 8291, 8292): the subscription exists (404) and has not expired (410), the VAPID JWT is valid for
 * this origin (401) and made with the key the subscription was created for (403), TTL is present,
 * Urgency and Topic are valid (400), the body is aes128gcm (400, 415) and at most 4,096 bytes (413).
 * It answers 201 with a Location, records what it accepted, decrypted as the browser would read it,
 * and fails on demand: any status (with Retry-After), connection resets, slow answers.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FaultQueue } from '../shared/fault-queue.js';
import { sendRaw, startFakeHttpServer, type FakeExchange } from '../shared/fake-http-server.js';
import { decrypt, newSubscriber, readHeader, type Subscriber } from './aes128gcm.js';
import { selfSignedCertificate } from './self-signed.js';
import { checkVapid } from './vapid.js';

export interface FakePushServiceOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Largest body accepted (default 4,096 bytes, the minimum RFC 8030 asks services to take). */
  maxBodyBytes?: number;
}

export interface PushSubscriptionJson {
  endpoint: string;
  expirationTime: null;
  keys: { p256dh: string; auth: string };
}

/** One accepted push, as the test sees it. */
export interface AcceptedPush {
  endpoint: string;
  ttl: number;
  urgency: string;
  topic: string | null;
  /** The VAPID `sub` and key the push was signed with. */
  subject: string;
  vapidKey: string;
  /** The decrypted payload as the service worker would read it, or null with `decryptError`. */
  payload: string | null;
  decryptError: string | null;
  location: string;
  at: number;
}

/** A forced answer: an HTTP status, optionally with Retry-After. */
export interface PushFault {
  status: number;
  retryAfter?: number | string;
}

export interface FakePushService {
  /** The origin, `https://127.0.0.1:PORT`. */
  readonly url: string;
  /** The certificate (PEM) a client must trust. */
  readonly ca: string;
  readonly sent: readonly AcceptedPush[];
  readonly requests: number;
  /** Requests whose client went away before the answer. */
  readonly aborted: number;
  /** A new subscription, as `PushSubscription.toJSON()` gives it in a browser. */
  subscribe(opts?: { applicationServerKey?: string }): PushSubscriptionJson;
  /** From now on, pushes to this endpoint answer 410 Gone. */
  expire(endpoint: string): void;
  /** The next `n` pushes answer this status (with Retry-After when given). */
  failNext(n: number, fault: PushFault): void;
  /** The next `n` pushes get their connection destroyed, unanswered. */
  resetNext(n: number): void;
  /** Drops every pending fault: the service has recovered. */
  clearFaults(): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

interface Subscription {
  subscriber: Subscriber;
  applicationServerKey: string | null;
  expired: boolean;
}

type Fault = { kind: 'status'; fault: PushFault } | { kind: 'reset' };

const PUSH_PATH = /^\/push\/([\w-]+)$/;
const TOPIC = /^[A-Za-z0-9_-]{1,32}$/;
const URGENCIES = new Set(['very-low', 'low', 'normal', 'high']);

export async function startFakePushService(opts: FakePushServiceOptions = {}): Promise<FakePushService> {
  const tls = await selfSignedCertificate();
  const maxBody = opts.maxBodyBytes ?? 4096;
  const subscriptions = new Map<string, Subscription>();
  const sent: AcceptedPush[] = [];
  const faults = new FaultQueue<Fault>();
  let origin = '';

  function handle({ req, res, body, reset }: FakeExchange): void {
    const fault = faults.take();
    if (fault?.kind === 'reset') return reset();
    if (fault?.kind === 'status') {
      if (fault.fault.retryAfter !== undefined) res.setHeader('retry-after', String(fault.fault.retryAfter));
      return answer(res, fault.fault.status, 'Injected fault');
    }

    const id = PUSH_PATH.exec(new URL(req.url ?? '/', origin).pathname)?.[1];
    if (req.method !== 'POST') return answer(res, 405, 'Method not allowed');
    const subscription = id === undefined ? undefined : subscriptions.get(id);
    if (!subscription) return answer(res, 404, 'Subscription not found');
    if (subscription.expired) return answer(res, 410, 'Subscription expired');

    const vapid = checkVapid(req.headers.authorization, origin, Date.now());
    if (!vapid.ok) return answer(res, 401, `Invalid VAPID: ${vapid.reason}`);
    if (subscription.applicationServerKey !== null && vapid.publicKey !== subscription.applicationServerKey) {
      return answer(res, 403, 'VAPID key does not match the subscription');
    }

    const ttlHeader = req.headers.ttl;
    if (typeof ttlHeader !== 'string' || !/^\d+$/.test(ttlHeader)) return answer(res, 400, 'Missing or invalid TTL');
    const urgency = typeof req.headers.urgency === 'string' ? req.headers.urgency : 'normal';
    if (!URGENCIES.has(urgency)) return answer(res, 400, `Invalid Urgency: ${urgency}`);
    const topic = typeof req.headers.topic === 'string' ? req.headers.topic : null;
    if (topic !== null && !TOPIC.test(topic)) return answer(res, 400, 'Invalid Topic');

    if (body.length > maxBody) return answer(res, 413, `Payload over ${maxBody} bytes`);
    let payload: string | null = null;
    let decryptError: string | null = null;
    if (body.length > 0) {
      const encoding = req.headers['content-encoding'];
      if (encoding !== 'aes128gcm')
        return answer(res, 415, `Content-Encoding must be aes128gcm (got ${String(encoding)})`);
      const header = readHeader(body);
      if (typeof header === 'string') return answer(res, 400, `Bad aes128gcm body: ${header}`);
      const plain = decrypt(header, subscription.subscriber);
      if (typeof plain === 'string') decryptError = plain;
      else payload = plain.toString('utf8');
    }

    const location = `${origin}/message/${randomUUID()}`;
    sent.push({
      endpoint: `${origin}/push/${id}`,
      ttl: Number(ttlHeader),
      urgency,
      topic,
      subject: vapid.subject,
      vapidKey: vapid.publicKey,
      payload,
      decryptError,
      location,
      at: Date.now(),
    });
    res.writeHead(201, { location, 'content-length': 0 }).end();
  }

  const server = await startFakeHttpServer({
    handle,
    tls: { cert: tls.cert, key: tls.key },
    ...(opts.port === undefined ? {} : { port: opts.port }),
  });
  origin = server.url;

  return {
    url: origin,
    ca: tls.cert,
    sent,
    get requests() {
      return server.requests;
    },
    get aborted() {
      return server.aborted;
    },
    subscribe(o = {}) {
      const id = randomUUID();
      const subscriber = newSubscriber();
      subscriptions.set(id, { subscriber, applicationServerKey: o.applicationServerKey ?? null, expired: false });
      return {
        endpoint: `${origin}/push/${id}`,
        expirationTime: null,
        keys: {
          p256dh: subscriber.ecdh.getPublicKey().toString('base64url'),
          auth: subscriber.auth.toString('base64url'),
        },
      };
    },
    expire(endpoint) {
      const id = PUSH_PATH.exec(new URL(endpoint).pathname)?.[1];
      const subscription = id === undefined ? undefined : subscriptions.get(id);
      if (subscription) subscription.expired = true;
    },
    failNext: (n, fault) => faults.add(n, { kind: 'status', fault }),
    resetNext: (n) => faults.add(n, { kind: 'reset' }),
    clearFaults: () => faults.clear(),
    setLatency: (ms) => server.setLatency(ms),
    close: () => server.close(),
  };
}

/** Errors as Mozilla's autopush shapes them: `{code, error, message}` with the HTTP status as code. */
function answer(res: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ code: status, error: STATUS_TEXT[status] ?? 'Error', message });
  sendRaw(res, status, body, 'application/json');
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};
