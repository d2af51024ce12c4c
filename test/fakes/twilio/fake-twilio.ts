/**
 * @module test/fakes/twilio/fake-twilio
 * A Twilio Messages and Calls API on loopback that speaks the real protocol: HTTP Basic auth, form
 * bodies, Twilio's validation and error shapes, the full Message and Call JSON, and signed status
 * callbacks. It checks
 * what Twilio checks, so tests of our adapter (and end-to-end runs) meet the same answers they would
 * meet in production, plus faults on demand: errors, resets, garbage, latency.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultQueue } from '../shared/fault-queue.js';
import { sendRaw as writeRaw, startFakeHttpServer, type FakeExchange } from '../shared/fake-http-server.js';
import type { CallCallbackRecord, CallOutcome } from './call-progress.js';
import { isFakeError, readCreateRequest } from './create-request.js';
import { FakeCalls, type AcceptedCall } from './fake-calls.js';
import type { TwilioCall } from './call-resource.js';
import { newMessage, newSid, type TwilioMessage } from './message-resource.js';
import { StatusCallbacks, type CallbackRecord, type Outcome } from './status-callbacks.js';
import { errorBody, magicNumberError, twilioErrors, type FakeError } from './twilio-errors.js';

export interface FakeTwilioOptions {
  accountSid: string;
  authToken: string;
  /** Delay before each answer (default 0). */
  latencyMs?: number;
  /** Delay before each status change (of a message or a call) and its callback (default 50). */
  callbackDelayMs?: number;
  /** Default 0: any free port. */
  port?: number;
  /** Messages (and callback records) kept for inspection; the oldest go first (default 100,000). */
  maxStored?: number;
}

/** How the fake treats one `To` number. */
export interface NumberRule {
  /** Refuse the create with this Twilio error. */
  error?: FakeError;
  /** How delivery ends after a successful create (default `delivered`). */
  outcome?: Outcome;
  /** ErrorCode for `undelivered`/`failed` (default 30003 / 30008). */
  errorCode?: number;
  /** How a call to this number ends (default `completed`); `error` refuses calls too. */
  call?: CallOutcome;
  /**
   * Hold the create's answer this long while the carrier's status changes and callbacks go ahead:
   * a provider whose callbacks overtake its own answer (a slow network back, a busy client).
   */
  answerDelayMs?: number;
}

/** One accepted create, as the test sees it. */
export interface AcceptedMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
  at: number;
}

export interface FakeTwilio {
  /** Base URL to give the client (`baseUrl=` in a provider URL, `client.api.baseUrl` in the SDK). */
  readonly url: string;
  readonly messages: readonly AcceptedMessage[];
  readonly callbacks: readonly CallbackRecord[];
  /** Accepted `POST /Calls.json`, with what their TwiML reads aloud. */
  readonly calls: readonly AcceptedCall[];
  readonly callCallbacks: readonly CallCallbackRecord[];
  /** Every HTTP request received, faults included. */
  readonly requests: number;
  /** Requests whose client went away before the answer (timeouts, aborts). */
  readonly aborted: number;
  /** Every fault served, in order, with the `Body` of the create it struck (chaos runs check retries against it). */
  readonly faultLog: readonly ServedFault[];
  /** The next `n` creates (messages or calls) answer with this Twilio error. */
  failNext(n: number, error: FakeError): void;
  /** The next `n` creates get their connection destroyed, unanswered. */
  resetNext(n: number): void;
  /** The next `n` creates answer `status` (default 201) with a truncated JSON body; nothing is created. */
  malformedNext(n: number, status?: number): void;
  /**
   * The next `n` creates are carried out (the message is accepted and logged, as Twilio would) but
   * answered only after `delayMs`: past the client's timeout, a send it gave up on still went out.
   */
  slowNext(n: number, delayMs: number): void;
  respondTo(number: string, rule: NumberRule): void;
  setLatency(ms: number): void;
  /** Drops every pending fault: the service has recovered. */
  clearFaults(): void;
  /** The current Message resource, as GET would return it. */
  message(sid: string): TwilioMessage | undefined;
  /** The current Call resource, as GET would return it. */
  call(sid: string): TwilioCall | undefined;
  /** Resolves when every status change (messages and calls) scheduled so far has happened and been called back. */
  callbacksSettled(): Promise<void>;
  close(): Promise<void>;
}

type Fault =
  | { kind: 'fail'; error: FakeError }
  | { kind: 'reset' }
  | { kind: 'malformed'; status: number }
  | { kind: 'slow'; delayMs: number };

/** One fault as served: what it was, when, and the text of the create it struck. */
export interface ServedFault {
  kind: 'fail' | 'reset' | 'malformed' | 'slow';
  /** HTTP status answered (null for a reset). */
  status: number | null;
  /** The `Retry-After` header sent, in seconds, if any. */
  retryAfter: number | string | null;
  body: string | null;
  at: number;
}

const CREATE = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const FETCH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/;
const CREATE_CALL = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\.json$/;
const FETCH_CALL = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\/([^/]+)\.json$/;
const POOL_SENDER = '+15005550006';

export async function startFakeTwilio(opts: FakeTwilioOptions): Promise<FakeTwilio> {
  const faults = new FaultQueue<Fault>();
  const rules = new Map<string, NumberRule>();
  const store = new Map<string, TwilioMessage>();
  const messages: AcceptedMessage[] = [];
  const defaultServiceSid = newSid('MG');
  const callbacks = new StatusCallbacks(opts.authToken, () => opts.callbackDelayMs ?? 50);
  const calls = new FakeCalls(opts.accountSid, opts.authToken, () => opts.callbackDelayMs ?? 50);
  const maxStored = opts.maxStored ?? 100_000;
  const faultLog: ServedFault[] = [];

  /** Load tests run millions of sends through one fake: drop the older half, amortized O(1). */
  function forgetOldest(): void {
    const drop = Math.ceil(maxStored / 2);
    let i = 0;
    for (const sid of store.keys()) {
      if (i++ >= drop) break;
      store.delete(sid);
    }
    messages.splice(0, Math.max(0, messages.length - (maxStored - drop)));
    callbacks.log.splice(0, Math.max(0, callbacks.log.length - 3 * (maxStored - drop)));
  }

  function handle({ req, res, text: raw, reset }: FakeExchange): void {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const create = CREATE.exec(path) ?? CREATE_CALL.exec(path);
    const fetch = FETCH.exec(path) ?? FETCH_CALL.exec(path);
    const isCall = path.includes('/Calls');
    if (create && req.method === 'POST') {
      const fault = faults.take();
      if (fault) logFault(fault, raw);
      if (fault?.kind === 'slow') return slowly(fault.delayMs, res, (held) => handleAuthorized(req, held, raw, create));
      if (fault?.kind === 'reset') return reset();
      if (fault?.kind === 'fail') return sendError(res, fault.error);
      if (fault?.kind === 'malformed') return sendRaw(res, fault.status, '{"sid": "SM', 'application/json');
    }
    if (create && req.method === 'POST') return handleAuthorized(req, res, raw, create);
    const auth = checkAuth(req.headers.authorization, fetch?.[1] ?? null);
    if (auth) return sendError(res, auth, 'Your AccountSid or AuthToken was incorrect.');
    if (fetch && req.method === 'GET') {
      const found = isCall ? calls.get(fetch[2] ?? '') : store.get(fetch[2] ?? '');
      return found ? sendJson(res, 200, found) : sendError(res, twilioErrors.notFound(path));
    }
    return sendError(res, twilioErrors.notFound(path));
  }

  function handleAuthorized(req: IncomingMessage, res: ServerResponse, raw: string, create: RegExpExecArray): void {
    const auth = checkAuth(req.headers.authorization, create[1] ?? null);
    if (auth) return sendError(res, auth, 'Your AccountSid or AuthToken was incorrect.');
    const isForm = /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '');
    const form = new URLSearchParams(isForm ? raw : '');
    if (!req.url?.includes('/Calls')) return createMessage(res, form);
    const call = calls.create(form, (to) => rules.get(to));
    return 'code' in call ? sendError(res, call) : sendJson(res, 201, call);
  }

  function logFault(fault: Fault, raw: string): void {
    const status = fault.kind === 'fail' ? fault.error.status : fault.kind === 'malformed' ? fault.status : null;
    const retryAfter = fault.kind === 'fail' ? (fault.error.retryAfter ?? null) : null;
    const body = new URLSearchParams(raw).get('Body');
    faultLog.push({ kind: fault.kind, status: fault.kind === 'slow' ? 201 : status, retryAfter, body, at: Date.now() });
    if (faultLog.length > maxStored) faultLog.splice(0, faultLog.length - maxStored);
  }

  function checkAuth(header: string | undefined, pathSid: string | null): FakeError | null {
    const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
    const decoded = m ? Buffer.from(m[1] ?? '', 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const user = colon === -1 ? decoded : decoded.slice(0, colon);
    const password = colon === -1 ? '' : decoded.slice(colon + 1);
    if (!/^AC[0-9a-fA-F]{32}$/.test(user)) return twilioErrors.badUsername();
    if (user !== opts.accountSid || password !== opts.authToken) return twilioErrors.authenticate();
    if (pathSid !== null && pathSid !== opts.accountSid) return twilioErrors.authenticate();
    return null;
  }

  function createMessage(res: ServerResponse, form: URLSearchParams): void {
    const parsed = readCreateRequest(form);
    if (isFakeError(parsed)) return sendError(res, parsed);
    const rule = rules.get(parsed.to);
    const refusal = rule?.error ?? magicNumberError(parsed.to, parsed.from ?? POOL_SENDER);
    if (refusal) return sendError(res, refusal);

    const at = Date.now();
    const message = newMessage({
      accountSid: opts.accountSid,
      to: parsed.to,
      from: parsed.from,
      messagingServiceSid: parsed.messagingServiceSid,
      defaultServiceSid,
      body: parsed.body,
      numMedia: parsed.mediaUrls.length,
      at,
    });
    if (store.size >= maxStored) forgetOldest();
    store.set(message.sid, message);
    messages.push({
      sid: message.sid,
      to: parsed.to,
      from: parsed.from,
      messagingServiceSid: parsed.messagingServiceSid,
      body: parsed.body,
      statusCallback: parsed.statusCallback,
      at,
    });
    // A copy of the answer goes on the wire (now or after answerDelayMs); status changes mutate the stored resource only.
    if (rule?.answerDelayMs === undefined) sendJson(res, 201, message);
    else {
      const answer = structuredClone(message);
      setTimeout(() => sendJson(res, 201, answer), rule.answerDelayMs);
    }
    callbacks.deliver(message, parsed.statusCallback, {
      outcome: rule?.outcome ?? 'delivered',
      ...(rule?.errorCode === undefined ? {} : { errorCode: rule.errorCode }),
      poolSender: POOL_SENDER,
    });
  }

  const server = await startFakeHttpServer({
    handle,
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.latencyMs === undefined ? {} : { latencyMs: opts.latencyMs }),
  });

  return {
    url: server.url,
    messages,
    callbacks: callbacks.log,
    calls: calls.accepted,
    callCallbacks: calls.callbacks,
    get requests() {
      return server.requests;
    },
    get aborted() {
      return server.aborted;
    },
    faultLog,
    failNext: (n, error) => faults.add(n, { kind: 'fail', error }),
    resetNext: (n) => faults.add(n, { kind: 'reset' }),
    malformedNext: (n, status = 201) => faults.add(n, { kind: 'malformed', status }),
    slowNext: (n, delayMs) => faults.add(n, { kind: 'slow', delayMs }),
    respondTo: (number, rule) => void rules.set(number, rule),
    setLatency: (ms) => server.setLatency(ms),
    clearFaults: () => faults.clear(),
    message: (sid) => store.get(sid),
    call: (sid) => calls.get(sid),
    callbacksSettled: async () => {
      await Promise.all([callbacks.settled(), calls.settled()]);
    },
    async close() {
      await Promise.all([server.close(), callbacks.close(), calls.close()]);
    },
  };
}

/**
 * Does the work now, answers after `delayMs` (or never, when the client has gone by then): the
 * answer written meanwhile is held on a stand-in for `res` and written out at the end.
 */
function slowly(delayMs: number, res: ServerResponse, work: (held: ServerResponse) => void): void {
  const held = Object.create(res) as ServerResponse;
  let head: unknown[] = [];
  let body: string | undefined;
  held.writeHead = ((...args: unknown[]) => {
    head = args;
    return held;
  }) as unknown as ServerResponse['writeHead'];
  held.end = ((chunk?: string) => {
    body = chunk;
    return held;
  }) as unknown as ServerResponse['end'];
  work(held);
  setTimeout(() => {
    if (res.destroyed) return;
    (res.writeHead as (...a: unknown[]) => ServerResponse)(...head);
    res.end(body);
  }, delayMs).unref();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendRaw(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

function sendError(res: ServerResponse, e: FakeError, detail?: string): void {
  if (e.retryAfter !== undefined) res.setHeader('retry-after', String(e.retryAfter));
  if (e.status === 401) res.setHeader('www-authenticate', 'Basic realm="Twilio API"');
  sendJson(res, e.status, errorBody(e.status, e.code, e.message, e.status === 401 ? detail : undefined));
}

function sendRaw(res: ServerResponse, status: number, body: string, contentType: string): void {
  writeRaw(res, status, body, contentType, { 'twilio-request-id': newSid('RQ') });
}
