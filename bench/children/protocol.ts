/**
 * @module bench/children/protocol
 * The messages the harness and its helper processes exchange over the IPC channel of `fork()`.
 * Typed in one place so that both ends agree; each child answers on the same channel it listens on.
 */

/** Sent by a child once it listens. */
export interface ReadyMessage {
  type: 'ready';
  url: string;
}

/** Options of the fake Twilio child, passed as JSON in argv[2]. */
export interface FakeTwilioChildOptions {
  accountSid: string;
  authToken: string;
  latencyMs: number;
  callbackDelayMs: number;
  maxStored: number;
}

/** Asks the fake Twilio what it accepted: creates whose body starts with `bodyPrefix`. */
export interface StatsRequest {
  type: 'stats';
  bodyPrefix: string;
}

export interface StatsReply {
  type: 'stats';
  /** Creates accepted (201) whose body starts with the prefix. */
  creates: number;
  /** Distinct bodies among them: every benchmark message has its own body. */
  distinctBodies: number;
  /** Bodies created more than once: each is a text a customer would have received twice. */
  duplicateBodies: number;
  /** All HTTP requests the fake received, faults and errors included. */
  requests: number;
  /** Requests whose client went away before the answer. */
  aborted: number;
  /** Status callbacks POSTed to Tidings, and how many of them failed. */
  callbacks: number;
  callbacksFailed: number;
}

export function isStatsRequest(m: unknown): m is StatsRequest {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'stats';
}

export function isReady(m: unknown): m is ReadyMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'ready';
}
