/**
 * @module test/fakes/sns/fake-sns
 * Amazon SNS's Query API on loopback, for `Publish` to a phone number: form bodies, SigV4 checked the
 * way AWS checks it (scope, key, clock skew, signature over the bytes received), SNS's parameter
 * validation, and its XML answers with real codes and statuses. Faults on demand: any SNS error,
 * resets, unreadable answers, latency, a skewed clock.
 *
 * SNS makes no HTTP callback about delivery: it writes delivery status to CloudWatch Logs. The fake
 * keeps those records, in that JSON shape, in `deliveryLog`, and never calls anyone.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultQueue } from '../shared/fault-queue.js';
import { sendRaw, startFakeHttpServer, type FakeExchange } from '../shared/fake-http-server.js';
import { readPublishRequest, type MessageAttribute } from './publish-request.js';
import { verifySigV4 } from './sigv4-verifier.js';
import {
  errorResponseXml,
  newRequestId,
  publishResponseXml,
  snsErrors,
  statusOf,
  type SnsFault,
} from './sns-errors.js';

export interface FakeSnsOptions {
  accessKeyId: string;
  secretAccessKey: string;
  /** The region this endpoint serves; signatures must be scoped to it (default `us-east-1`). */
  region?: string;
  /** Delay before each answer (default 0). */
  latencyMs?: number;
  /** Default 0: any free port. */
  port?: number;
  /** Sends kept for inspection; the oldest go first (default 100,000). */
  maxStored?: number;
}

/** One accepted Publish, as the test sees it. */
export interface SentSms {
  messageId: string;
  phoneNumber: string;
  message: string;
  smsType: 'Promotional' | 'Transactional';
  senderId: string | null;
  originationNumber: string | null;
  maxPrice: number | null;
  attributes: Record<string, MessageAttribute>;
  accessKeyId: string;
  at: number;
  /** Accepted but never delivered: SNS answers a Publish to an opted-out number with a MessageId too. */
  suppressed: 'opted_out' | null;
}

/** An SMS delivery status record as SNS writes it to CloudWatch Logs. */
export interface DeliveryLogRecord {
  notification: { messageId: string; timestamp: string };
  delivery: {
    destination: string;
    smsType: string;
    providerResponse: string;
    dwellTimeMs: number;
    priceInUSD?: number;
  };
  status: 'SUCCESS' | 'FAILURE';
}

export interface FakeSns {
  /** Endpoint to give the client (`endpoint=` in an `sns://` URL, `endpoint` in the SDK). */
  readonly url: string;
  readonly region: string;
  readonly sent: readonly SentSms[];
  readonly deliveryLog: readonly DeliveryLogRecord[];
  /** Every HTTP request received, faults included. */
  readonly requests: number;
  /** Requests whose client went away before the answer (timeouts, aborts). */
  readonly aborted: number;
  /** Every error answered, in order, with its code and HTTP status. */
  readonly errors: readonly { code: string; status: number }[];
  /** The next `n` requests answer with this SNS error. */
  failNext(n: number, fault: SnsFault): void;
  /** The next `n` requests get their connection destroyed, unanswered. */
  resetNext(n: number): void;
  /** The next `n` requests answer `status` (default 200) with a body that is not SNS XML; nothing is sent. */
  malformedNext(n: number, status?: number): void;
  /** Drops every pending fault: the service has recovered. */
  clearFaults(): void;
  /** Publishes to `number` answer with this error. */
  refuse(number: string, fault: SnsFault): void;
  /** Publishes to `number` are accepted and never delivered, as for a recipient who replied STOP. */
  optOut(number: string): void;
  setLatency(ms: number): void;
  /** Moves the fake's clock (signature skew checks, `Date` header) away from the machine's. */
  setClockOffset(ms: number): void;
  close(): Promise<void>;
}

type Fault = { kind: 'fail'; fault: SnsFault } | { kind: 'reset' } | { kind: 'malformed'; status: number };

const PRICE_PER_SMS_USD = 0.00645;

export async function startFakeSns(opts: FakeSnsOptions): Promise<FakeSns> {
  const region = opts.region ?? 'us-east-1';
  const maxStored = opts.maxStored ?? 100_000;
  let clockOffsetMs = 0;
  const faults = new FaultQueue<Fault>();
  const refusals = new Map<string, SnsFault>();
  const optedOut = new Set<string>();
  const sent: SentSms[] = [];
  const deliveryLog: DeliveryLogRecord[] = [];
  const errors: { code: string; status: number }[] = [];
  const now = (): number => Date.now() + clockOffsetMs;

  function handle({ req, res, body, reset }: FakeExchange): void {
    const fault = faults.take();
    if (fault?.kind === 'reset') return reset();
    if (fault?.kind === 'fail') return answerError(res, fault.fault);
    if (fault?.kind === 'malformed') {
      const garbage = fault.status >= 500 ? '<html><body>Bad Gateway</body></html>' : '<PublishResponse xmlns="ht';
      return answer(res, fault.status, garbage, fault.status >= 500 ? 'text/html' : 'text/xml');
    }

    const verified = verifySigV4(
      { method: req.method ?? 'GET', target: req.url ?? '/', headers: pairs(req.rawHeaders), body },
      {
        region,
        service: 'sns',
        secretFor: (id) => (id === opts.accessKeyId ? opts.secretAccessKey : undefined),
        now: now(),
      },
    );
    if (!verified.ok) return answerError(res, verified.fault);

    const params = requestParams(req, body);
    const action = params.get('Action');
    const version = params.get('Version');
    if (action !== 'Publish' || version !== '2010-03-31')
      return answerError(res, snsErrors.invalidAction(action, version));

    const publish = readPublishRequest(params);
    if ('code' in publish) return answerError(res, publish);
    const refusal = refusals.get(publish.phoneNumber);
    if (refusal) return answerError(res, refusal);

    const messageId = randomUUID();
    const at = now();
    const suppressed = optedOut.has(publish.phoneNumber) ? 'opted_out' : null;
    if (sent.length >= maxStored) {
      sent.splice(0, Math.ceil(maxStored / 2));
      deliveryLog.splice(0, Math.ceil(maxStored / 2));
    }
    sent.push({
      messageId,
      phoneNumber: publish.phoneNumber,
      message: publish.message,
      smsType: publish.smsType,
      senderId: publish.senderId,
      originationNumber: publish.originationNumber,
      maxPrice: publish.maxPrice,
      attributes: publish.attributes,
      accessKeyId: verified.accessKeyId,
      at,
      suppressed,
    });
    deliveryLog.push(deliveryRecord(messageId, publish.phoneNumber, publish.smsType, suppressed, at));
    answer(res, 200, publishResponseXml(messageId, newRequestId()), 'text/xml');
  }

  function answerError(res: ServerResponse, fault: SnsFault): void {
    const status = statusOf(fault);
    errors.push({ code: fault.code, status });
    if (fault.retryAfter !== undefined) res.setHeader('retry-after', String(fault.retryAfter));
    answer(res, status, errorResponseXml(fault, newRequestId()), 'text/xml');
  }

  function answer(res: ServerResponse, status: number, body: string, contentType: string): void {
    sendRaw(res, status, body, contentType, {
      'x-amzn-requestid': newRequestId(),
      // AWS's clock, which the SDK reads to correct its own skew.
      date: new Date(now()).toUTCString(),
    });
  }

  const server = await startFakeHttpServer({
    handle,
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.latencyMs === undefined ? {} : { latencyMs: opts.latencyMs }),
  });

  return {
    url: server.url,
    region,
    sent,
    deliveryLog,
    errors,
    get requests() {
      return server.requests;
    },
    get aborted() {
      return server.aborted;
    },
    failNext: (n, fault) => faults.add(n, { kind: 'fail', fault }),
    resetNext: (n) => faults.add(n, { kind: 'reset' }),
    malformedNext: (n, status = 200) => faults.add(n, { kind: 'malformed', status }),
    clearFaults: () => faults.clear(),
    refuse: (number, fault) => void refusals.set(number, fault),
    optOut: (number) => void optedOut.add(number),
    setLatency: (ms) => server.setLatency(ms),
    setClockOffset: (ms) => void (clockOffsetMs = ms),
    close: () => server.close(),
  };
}

/** The Query protocol takes parameters from a form body, or from the query string of a GET. */
function requestParams(req: IncomingMessage, body: Buffer): URLSearchParams {
  const isForm = /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '');
  if (req.method === 'POST' && isForm) return new URLSearchParams(body.toString('utf8'));
  return new URL(req.url ?? '/', 'http://fake').searchParams;
}

function deliveryRecord(
  messageId: string,
  destination: string,
  smsType: string,
  suppressed: 'opted_out' | null,
  at: number,
): DeliveryLogRecord {
  const timestamp = new Date(at).toISOString().replace('T', ' ').replace('Z', '');
  if (suppressed) {
    return {
      notification: { messageId, timestamp },
      delivery: { destination, smsType, providerResponse: 'Phone number is opted out', dwellTimeMs: 0 },
      status: 'FAILURE',
    };
  }
  return {
    notification: { messageId, timestamp },
    delivery: {
      destination,
      smsType,
      providerResponse: 'Message has been accepted by phone carrier',
      dwellTimeMs: 0,
      priceInUSD: PRICE_PER_SMS_USD,
    },
    status: 'SUCCESS',
  };
}

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] ?? '', raw[i + 1] ?? '']);
  return out;
}
