/**
 * @module app/twilio-compat/deps
 * What the Twilio-compatible use cases work with: the application's own deps (acceptance, limits,
 * suppression all apply as on /v1), and the compat API's credentials and message records.
 */
import type { TwilioCompatAccountStore, TwilioCompatMessageStore } from '../../ports/twilio-compat.js';
import type { AppDeps } from '../deps.js';
import type { TwilioCompatVerifier } from './credentials.js';

export interface TwilioCompatDeps {
  app: AppDeps;
  accounts: TwilioCompatAccountStore;
  messages: TwilioCompatMessageStore;
  verifier: TwilioCompatVerifier;
  /** TIDINGS_ALLOW_HTTP_WEBHOOKS: StatusCallback URLs follow the same rule as webhook endpoints. */
  allowHttpCallbacks: boolean;
  /** TIDINGS_ALLOW_PRIVATE_WEBHOOKS: StatusCallback URLs may point at loopback or private addresses. */
  allowPrivateCallbacks?: boolean;
}
