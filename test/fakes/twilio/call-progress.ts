/**
 * @module test/fakes/twilio/call-progress
 * What happens to a Call after the fake accepted it: it rings, is answered (or not), reads its TwiML,
 * and ends. Each progress event the create asked for (`StatusCallbackEvent`, default `completed`) is
 * sent to `StatusCallback` signed with `X-Twilio-Signature`, by the OFFICIAL `twilio` package, as a
 * form POST or, with `StatusCallbackMethod=GET`, as a query string.
 *
 * Twilio itself answers TwiML it cannot parse with a spoken "application error" (error 12100), and the
 * call may still end `completed`. The fake ends such a call `failed` instead, so that bad TwiML can
 * never pass a test as delivered; `AcceptedCall.twimlError` says why.
 */
import { randomUUID } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { Agent, request } from 'undici';
import type { CallbackEvent } from './call-request.js';
import type { TwilioCall, TwilioCallStatus } from './call-resource.js';
import { rfc2822 } from './message-resource.js';

export type CallOutcome = 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

export interface CallCallbackRecord {
  sid: string;
  event: CallbackEvent;
  callStatus: TwilioCallStatus;
  url: string;
  method: 'POST' | 'GET';
  params: Record<string, string>;
  /** The HTTP status our receiver answered, or null when the request itself failed. */
  httpStatus: number | null;
  error: string | null;
  at: number;
}

export interface CallPlan {
  outcome: CallOutcome;
  statusCallback: string | null;
  events: readonly CallbackEvent[];
  method: 'POST' | 'GET';
  /** Seconds the call lasts once answered. */
  talkSeconds: number;
}

/** SIP answers Twilio reports with each ending (`SipResponseCode`). */
const SIP_CODES: Readonly<Record<CallOutcome, string>> = {
  completed: '200',
  busy: '486',
  'no-answer': '487',
  failed: '500',
  canceled: '487',
};

const PRICE_PER_MINUTE = 0.014;

export class CallProgress {
  readonly log: CallCallbackRecord[] = [];
  readonly #running = new Set<Promise<void>>();
  readonly #timers = new Map<NodeJS.Timeout, () => void>();
  readonly #inFlight = new Set<AbortController>();
  readonly #agent = new Agent({ keepAliveTimeout: 1_000 });
  #closed = false;

  constructor(
    private readonly authToken: string,
    private readonly delayMs: () => number,
  ) {}

  /** Moves `call` to its end in the background, calling back the events asked for. */
  run(call: TwilioCall, plan: CallPlan): void {
    const run = this.#run(call, plan).catch(() => undefined);
    this.#running.add(run);
    void run.finally(() => this.#running.delete(run));
  }

  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
    for (const controller of this.#inFlight) controller.abort();
    await this.settled();
    await this.#agent.close();
  }

  async #run(call: TwilioCall, plan: CallPlan): Promise<void> {
    const steps: [CallbackEvent, TwilioCallStatus][] = [['initiated', 'queued']];
    if (plan.outcome !== 'failed') steps.push(['ringing', 'ringing']);
    if (plan.outcome === 'completed') steps.push(['answered', 'in-progress']);
    steps.push(['completed', plan.outcome]);
    let sequence = 0;
    for (const [event, status] of steps) {
      await this.#wait(this.delayMs());
      this.#apply(call, status, plan);
      if (plan.statusCallback !== null && plan.events.includes(event)) {
        await this.#send(call, event, status, plan, sequence++);
      }
    }
  }

  #wait(ms: number): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('closed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.set(timer, () => {
        clearTimeout(timer);
        reject(new Error('closed'));
      });
    });
  }

  #apply(call: TwilioCall, status: TwilioCallStatus, plan: CallPlan): void {
    const now = Date.now();
    call.status = status;
    call.date_updated = rfc2822(now);
    if (status === 'in-progress') call.start_time = rfc2822(now);
    if (status === plan.outcome) {
      call.end_time = rfc2822(now);
      const seconds = status === 'completed' ? plan.talkSeconds : 0;
      call.duration = String(seconds);
      if (status === 'completed') {
        call.price = (-PRICE_PER_MINUTE * Math.max(1, Math.ceil(seconds / 60))).toFixed(5);
      }
    }
  }

  async #send(
    call: TwilioCall,
    event: CallbackEvent,
    status: TwilioCallStatus,
    plan: CallPlan,
    sequence: number,
  ): Promise<void> {
    const base = plan.statusCallback ?? '';
    const params: Record<string, string> = {
      AccountSid: call.account_sid,
      ApiVersion: call.api_version,
      CallSid: call.sid,
      CallStatus: status,
      Called: call.to,
      Caller: call.from,
      Direction: call.direction,
      From: call.from,
      To: call.to,
      Timestamp: rfc2822(Date.now()),
      CallbackSource: 'call-progress-events',
      SequenceNumber: String(sequence),
    };
    if (event === 'completed') {
      params.CallDuration = call.duration ?? '0';
      params.SipResponseCode = SIP_CODES[plan.outcome];
    }
    // GET callbacks carry the parameters in the URL, which is then signed with no body params.
    const form = new URLSearchParams(params).toString();
    const url = plan.method === 'GET' ? `${base}${base.includes('?') ? '&' : '?'}${form}` : base;
    const signature = getExpectedTwilioSignature(this.authToken, url, plan.method === 'GET' ? {} : params);
    const record: CallCallbackRecord = {
      sid: call.sid,
      event,
      callStatus: status,
      url,
      method: plan.method,
      params,
      httpStatus: null,
      error: null,
      at: Date.now(),
    };
    this.log.push(record);
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), 15_000);
    this.#inFlight.add(controller);
    try {
      const headers: Record<string, string> = {
        'user-agent': 'TwilioProxy/1.1',
        'x-twilio-signature': signature,
        'i-twilio-idempotency-token': randomUUID(),
      };
      if (plan.method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
      const res = await request(url, {
        method: plan.method,
        dispatcher: this.#agent,
        signal: controller.signal,
        headers,
        ...(plan.method === 'POST' ? { body: form } : {}),
      });
      await res.body.dump();
      record.httpStatus = res.statusCode;
    } catch (err) {
      record.error = err instanceof Error ? err.message : String(err);
    } finally {
      clearTimeout(timeout);
      this.#inFlight.delete(controller);
    }
  }
}
