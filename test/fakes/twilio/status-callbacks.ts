/**
 * @module test/fakes/twilio/status-callbacks
 * What happens to a Message after the fake accepted it: the carrier moves it through its statuses
 * and, when a StatusCallback was given, Twilio POSTs each change there as a signed form (providers.md
 * §1.3). Signatures come from the OFFICIAL `twilio` package, so our verifier is checked against an
 * independent implementation rather than against itself.
 */
import { randomUUID } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { Agent, request } from 'undici';
import { dlrDoneDate, rfc2822, segmentsOf, type TwilioMessage, type TwilioMessageStatus } from './message-resource.js';
import { DELIVERY_ERROR_MESSAGES } from './twilio-errors.js';

/** How a message's delivery ends; `sent` means the carrier never reports beyond sent (no receipt). */
export type Outcome = 'delivered' | 'undelivered' | 'failed' | 'sent';

export interface CallbackRecord {
  sid: string;
  status: TwilioMessageStatus;
  url: string;
  params: Record<string, string>;
  /** The HTTP status our receiver answered, or null when the POST itself failed. */
  httpStatus: number | null;
  error: string | null;
  at: number;
}

export interface DeliveryPlan {
  outcome: Outcome;
  /** For undelivered/failed: a 300xx code (default 30003 undelivered, 30008 failed). */
  errorCode?: number;
  /** The sender a Messaging Service picks when none was given. */
  poolSender: string;
}

/** Price per segment the fake bills once a message is sent, as Twilio writes it. */
const PRICE_PER_SEGMENT = 0.0079;

export class StatusCallbacks {
  readonly log: CallbackRecord[] = [];
  readonly #running = new Set<Promise<void>>();
  // Per-step timers and per-POST controllers, not one shared AbortSignal: thousands of listeners on
  // one signal make every addEventListener linear, which throttles load tests.
  readonly #timers = new Map<NodeJS.Timeout, () => void>();
  readonly #inFlight = new Set<AbortController>();
  #closed = false;
  readonly #agent = new Agent({ keepAliveTimeout: 1_000 });

  constructor(
    private readonly authToken: string,
    private readonly delayMs: () => number,
  ) {}

  /** Moves `message` to its final status in the background, calling back at each step. */
  deliver(message: TwilioMessage, statusCallback: string | null, plan: DeliveryPlan): void {
    const run = this.#run(message, statusCallback, plan).catch(() => undefined);
    this.#running.add(run);
    void run.finally(() => this.#running.delete(run));
  }

  /** Resolves when every delivery started so far has finished. */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }

  /** Cancels pending steps and callbacks in flight, then waits for them to unwind. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
    for (const controller of this.#inFlight) controller.abort();
    await this.settled();
    await this.#agent.close();
  }

  async #run(message: TwilioMessage, url: string | null, plan: DeliveryPlan): Promise<void> {
    const steps: TwilioMessageStatus[] = message.status === 'accepted' ? ['queued'] : [];
    if (plan.outcome !== 'failed') steps.push('sent');
    if (plan.outcome !== 'sent') steps.push(plan.outcome);
    for (const status of steps) {
      await this.#wait(this.delayMs());
      this.#apply(message, status, plan);
      if (url !== null) await this.#post(message, status, url);
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

  #apply(message: TwilioMessage, status: TwilioMessageStatus, plan: DeliveryPlan): void {
    const now = Date.now();
    message.status = status;
    message.date_updated = rfc2822(now);
    if (message.from === null) message.from = plan.poolSender;
    if (message.num_segments === '0') message.num_segments = String(segmentsOf(message.body));
    if (status === 'sent') {
      message.date_sent = rfc2822(now);
      message.price = (-PRICE_PER_SEGMENT * Number(message.num_segments)).toFixed(5);
      message.price_unit = 'USD';
    }
    if (status === 'undelivered' || status === 'failed') {
      const code = plan.errorCode ?? (status === 'failed' ? 30008 : 30003);
      message.error_code = code;
      message.error_message = DELIVERY_ERROR_MESSAGES[code] ?? 'Unknown error';
    }
  }

  async #post(message: TwilioMessage, status: TwilioMessageStatus, url: string): Promise<void> {
    const params: Record<string, string> = {
      AccountSid: message.account_sid,
      ApiVersion: message.api_version,
      From: message.from ?? '',
      To: message.to,
      MessageSid: message.sid,
      SmsSid: message.sid,
      MessageStatus: status,
      SmsStatus: status,
    };
    if ((status === 'undelivered' || status === 'failed') && message.error_code !== null)
      params.ErrorCode = String(message.error_code);
    if (status === 'delivered' || status === 'undelivered') params.RawDlrDoneDate = dlrDoneDate(Date.now());
    const record: CallbackRecord = {
      sid: message.sid,
      status,
      url,
      params,
      httpStatus: null,
      error: null,
      at: Date.now(),
    };
    this.log.push(record);
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), 15_000); // Twilio gives up after 15 s too
    this.#inFlight.add(controller);
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.#agent,
        signal: controller.signal,
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'user-agent': 'TwilioProxy/1.1',
          'x-twilio-signature': getExpectedTwilioSignature(this.authToken, url, params),
          'i-twilio-idempotency-token': randomUUID(),
        },
        body: new URLSearchParams(params).toString(),
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
