/**
 * @module test/fakes/twilio/fake-calls
 * The Voice half of the fake Twilio: `POST /Calls.json` checked like Twilio checks it, the Call
 * resource kept for `GET`, every accepted call in a log the tests read (with what `<Say>` would
 * read aloud), and the call's progress called back, signed.
 */
import { readCallRequest, type CallbackEvent } from './call-request.js';
import { newCall, type TwilioCall } from './call-resource.js';
import { CallProgress, type CallCallbackRecord, type CallOutcome } from './call-progress.js';
import { readTwiml, type SaidText } from './twiml.js';
import type { FakeError } from './twilio-errors.js';

/** One accepted create, as the test sees it. */
export interface AcceptedCall {
  sid: string;
  to: string;
  from: string;
  twiml: string | null;
  url: string | null;
  /** What each `<Say>` of the inline TwiML reads, in order. */
  said: SaidText[];
  /** Why the TwiML could not be parsed (the call then fails), or null. */
  twimlError: string | null;
  statusCallback: string | null;
  statusCallbackEvents: CallbackEvent[];
  statusCallbackMethod: 'POST' | 'GET';
  at: number;
}

/** How the fake treats a call to one number. */
export interface CallRule {
  error?: FakeError;
  /** How the call ends (default `completed`). */
  call?: CallOutcome;
}

export class FakeCalls {
  readonly accepted: AcceptedCall[] = [];
  readonly progress: CallProgress;
  readonly #store = new Map<string, TwilioCall>();

  constructor(
    private readonly accountSid: string,
    authToken: string,
    delayMs: () => number,
  ) {
    this.progress = new CallProgress(authToken, delayMs);
  }

  get callbacks(): readonly CallCallbackRecord[] {
    return this.progress.log;
  }

  /** Places a call, or answers with the error Twilio would give. */
  create(form: URLSearchParams, ruleFor: (to: string) => CallRule | undefined): TwilioCall | FakeError {
    const req = readCallRequest(form);
    if ('code' in req) return req;
    const rule = ruleFor(req.to);
    if (rule?.error) return rule.error;

    const at = Date.now();
    const call = newCall({ accountSid: this.accountSid, to: req.to, from: req.from, at });
    this.#store.set(call.sid, call);
    const reading = req.twiml === null ? null : readTwiml(req.twiml);
    const said = reading?.ok ? reading.says : [];
    const twimlError = reading && !reading.ok ? reading.reason : null;
    this.accepted.push({
      sid: call.sid,
      to: req.to,
      from: req.from,
      twiml: req.twiml,
      url: req.url,
      said,
      twimlError,
      statusCallback: req.statusCallback,
      statusCallbackEvents: req.statusCallbackEvents,
      statusCallbackMethod: req.statusCallbackMethod,
      at,
    });
    this.progress.run(call, {
      outcome: twimlError === null ? (rule?.call ?? 'completed') : 'failed',
      statusCallback: req.statusCallback,
      events: req.statusCallbackEvents,
      method: req.statusCallbackMethod,
      // Roughly the time text-to-speech takes to read it all, at 15 characters a second.
      talkSeconds: Math.max(1, Math.ceil(said.reduce((n, s) => n + s.text.length, 0) / 15)),
    });
    return call;
  }

  get(sid: string): TwilioCall | undefined {
    return this.#store.get(sid);
  }

  settled(): Promise<void> {
    return this.progress.settled();
  }

  close(): Promise<void> {
    return this.progress.close();
  }
}
