/**
 * @module providers/sim/outcomes
 * What the simulated carrier does with a number, decided by its last four digits so that tests and
 * demos can produce every state on purpose. Modelled on Twilio's magic test numbers.
 */
import type { ProviderErrorKind } from '../../core/provider-error.js';

export type SimOutcome =
  | { type: 'deliver' }
  | { type: 'reject'; kind: ProviderErrorKind; code: string; message: string; onlyFirstAttempt?: boolean }
  | { type: 'undeliverable'; status: 'undelivered' | 'failed'; code: string; message: string }
  | { type: 'hang' };

export const SIM_OUTCOMES: Record<string, SimOutcome> = {
  '0001': {
    type: 'reject',
    kind: 'invalid_recipient',
    code: '21211',
    message: "The 'To' number is not a valid phone number.",
  },
  '0002': {
    type: 'reject',
    kind: 'invalid_recipient',
    code: '21612',
    message: "The 'To' phone number is not currently reachable.",
  },
  '0003': {
    type: 'reject',
    kind: 'permanent',
    code: '21408',
    message: 'Permission to send an SMS has not been enabled for the region.',
  },
  '0004': { type: 'reject', kind: 'opted_out', code: '21610', message: 'Attempt to send to unsubscribed recipient.' },
  '0005': {
    type: 'reject',
    kind: 'transient',
    code: '20500',
    message: 'Simulated outage: the first attempt fails.',
    onlyFirstAttempt: true,
  },
  '0006': { type: 'undeliverable', status: 'undelivered', code: '30003', message: 'Unreachable destination handset.' },
  '0007': { type: 'undeliverable', status: 'failed', code: '30007', message: 'Message filtered by the carrier.' },
  '0008': { type: 'hang' },
  '0009': {
    type: 'reject',
    kind: 'invalid_recipient',
    code: '21614',
    message: "The 'To' number is not a valid mobile number.",
  },
};

export function outcomeFor(to: string, attempt: number): SimOutcome {
  const outcome = SIM_OUTCOMES[to.slice(-4)];
  if (!outcome) return { type: 'deliver' };
  if (outcome.type === 'reject' && outcome.onlyFirstAttempt && attempt > 1) return { type: 'deliver' };
  return outcome;
}
