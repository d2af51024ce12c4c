/**
 * @module core/status-event
 * What a provider tells us about a message after it was sent, normalized from any wire format.
 */
import type { MessageStatus } from './message.js';

export interface StatusEvent {
  /** The id the provider gave the message when it accepted it. */
  providerMessageId: string;
  status: MessageStatus;
  /** The provider's own error code for undelivered/failed (Twilio 30003, ...). */
  errorCode: string | null;
  errorMessage: string | null;
  at: number;
  /** Anything else worth keeping in the event log (raw status name, carrier done date, ...). */
  detail: Record<string, unknown>;
}
