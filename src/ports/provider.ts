/**
 * @module ports/provider
 * A provider is anything that can carry a message one hop further: a carrier API, a mail server,
 * the built-in simulator. The contract is one sentence: `send` resolves with the provider's id for
 * the message, or rejects with a classified `ProviderError`, and gives up when `signal` aborts.
 * Retries, routing and bookkeeping happen around it, so adapters stay dumb.
 */
import type { Channel, Encoding, PushContact } from '../core/message.js';
import type { StatusEvent } from '../core/status-event.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';

export interface OutboundMessage {
  id: string;
  channel: Channel;
  /**
   * The address on this message's channel: E.164 for `sms` and `voice`, an e-mail address for
   * `email`, the subscription's endpoint URL for `push` (its keys are in `push`).
   */
  to: string;
  from: string | null;
  /** The rendered text. Voice reads it aloud; e-mail sends it as the plain-text part. */
  body: string;
  encoding: Encoding;
  segments: number;
  /** 1 for the first try; adapters may pass it on (Twilio's `Attempt`). */
  attempt: number;
  /** BCP 47 language of `body` (e.g. `zh-CN`), when known: voice picks its reading voice from it. */
  locale?: string | null;
  /** E-mail subject line, when the message has one. */
  subject?: string | null;
  /** The Web Push subscription, for `push`. */
  push?: PushSubscription | null;
  /**
   * Set when the message was rendered from one of our templates. Template-based providers
   * (Aliyun, Tencent) send their registered template instead of `body`: they look up
   * `providerTemplates[kind]` (or their own configured mapping by `name`) and pass `data` as
   * the template's parameters.
   */
  template?: TemplateRef | null;
}

export type PushSubscription = PushContact;

export interface TemplateRef {
  name: string;
  version: number;
  /** The variables the message was rendered with; values are strings, numbers or booleans. */
  data: Record<string, unknown>;
  /** Provider kind (`aliyun`, `tencent`) → that provider's registered template id for this template. */
  providerTemplates: Record<string, string>;
}

export interface SendResult {
  providerMessageId: string;
  /** The status the provider reports at acceptance, when it says more than "accepted". */
  status?: 'sent' | 'queued';
  /** Cost as the provider reports it, in its currency, when known at send time. */
  price?: { amount: number; currency: string } | null;
}

export interface ProviderCapabilities {
  maxPerSecond?: number;
  countries?: string[];
  /**
   * Whether delivery is reported after acceptance. Default: whether the provider has a status
   * webhook. Without reports, "not delivered in time" would be every message, so it never triggers
   * a fallback.
   */
  deliveryReports?: boolean;
}

/** An inbound HTTP request exactly as it arrived, so signatures can be checked over raw bytes. */
export interface RawRequest {
  /** The URL the provider called, as the public sees it (scheme, host, port, path, query). */
  url: string;
  method: string;
  headers: Record<string, string | undefined>;
  rawBody: string;
}

/** The status-callback side of a provider: believe nothing before `verify` says yes. */
export interface StatusWebhook {
  verify(req: RawRequest): boolean;
  parse(req: RawRequest): StatusEvent[];
  /**
   * The answer the provider expects once a callback is taken (Tencent wants JSON `{"result":0}`,
   * Aliyun `{"code":0}`); without it a provider may count the push as failed and resend it.
   * Absent: an empty TwiML `<Response/>`, which Twilio expects.
   */
  readonly ack?: { contentType: string; body: string };
}

/** One SMS a recipient sent us, as the provider reported it. */
export interface InboundSms {
  providerMessageId: string;
  /** The sender (our recipient), E.164. */
  from: string;
  /** Our number it was sent to, when the provider says. */
  to: string | null;
  body: string;
  receivedAt: number;
}

/** The inbound side of a provider: verify, parse, and answer in the provider's own form. */
export interface InboundWebhook {
  verify(req: RawRequest): boolean;
  parse(req: RawRequest): InboundSms[];
  /** The HTTP answer: with `reply`, an automatic reply in the provider's native form (TwiML for Twilio). */
  respond(reply: string | null): { contentType: string; body: string };
}

export interface Provider {
  /** `kind:name`, e.g. `twilio:primary`; `kind` also names its webhook routes. */
  readonly id: string;
  readonly kind: string;
  readonly channel: Channel;
  readonly capabilities: ProviderCapabilities;
  send(msg: OutboundMessage, signal: AbortSignal): Promise<SendResult>;
  /**
   * False when this provider cannot carry the message at all (e.g. Aliyun has no registered
   * template for it), so routing skips it instead of spending an attempt. Absent: it can.
   */
  canCarry?(msg: OutboundMessage): boolean;
  readonly statusWebhook?: StatusWebhook;
  readonly inboundWebhook?: InboundWebhook;
  /** Configuration as an operator may see it, with secrets masked. */
  describe(): string;
  close?(): Promise<void>;
}

/** What a provider factory is given besides its own URL. */
export interface ProviderContext {
  /** Base URL at which the provider's callbacks reach us (for StatusCallback and signatures). */
  publicUrl: string;
  /** For providers that learn delivery outcomes in-process (the simulator). */
  reportStatus(providerId: string, events: StatusEvent[]): void;
  logger: Logger;
  clock: Clock;
}

export type ProviderFactory = (url: URL, ctx: ProviderContext) => Provider;
