/**
 * @module app/twilio-compat/status-callbacks
 * Status callbacks for messages sent through the compat API with a `StatusCallback`: the form
 * Twilio posts (MessageSid, MessageStatus, AccountSid, From, To, ApiVersion, ErrorCode…), built
 * when the status changes and stored in an outbox of its own. A worker's delivery loop (the same
 * one that delivers the application's webhooks: retries, timeouts, bounded concurrency) posts it
 * signed with X-Twilio-Signature under the account's auth token.
 *
 * It sits in front of the application's event sink and passes every event on. Like that sink it
 * only records, never delivers, so the send path that publishes is never held up by a receiver.
 */
import type { Message } from '../../core/message.js';
import type { AppEvent, AppEventSink, AppEventType } from '../../ports/app-events.js';
import type { Clock } from '../../ports/clock.js';
import type { MessageStore } from '../../ports/message-store.js';
import type {
  NewTwilioCallback,
  TwilioCallbackStore,
  TwilioCompatAccountStore,
  TwilioCompatMessageStore,
  TwilioCompatRegistration,
} from '../../ports/twilio-compat.js';
import { API_VERSION, twilioErrorCode, twilioStatus } from './message-resource.js';
import { toMessageSid } from './message-sid.js';

/** The events Twilio has a callback for: each status a message moves to after creation. */
const CALLBACK_EVENTS: ReadonlySet<AppEventType> = new Set([
  'message.queued',
  'message.sent',
  'message.delivered',
  'message.undelivered',
  'message.failed',
  'message.canceled',
]);

/** The form body Twilio sends to a StatusCallback for one status (providers.md §1.3). */
export function callbackForm(
  message: Pick<Message, 'id' | 'to' | 'from' | 'errorCode' | 'errorMessage'>,
  registration: Pick<TwilioCompatRegistration, 'accountSid' | 'messagingServiceSid'>,
  status: Message['status'],
): URLSearchParams {
  const sid = toMessageSid(message.id);
  const twilio = twilioStatus(status, registration.messagingServiceSid !== null);
  const form = new URLSearchParams();
  form.set('AccountSid', registration.accountSid);
  form.set('ApiVersion', API_VERSION);
  if (message.from !== null) form.set('From', message.from);
  form.set('MessageSid', sid);
  form.set('MessageStatus', twilio);
  if (registration.messagingServiceSid !== null) form.set('MessagingServiceSid', registration.messagingServiceSid);
  form.set('SmsSid', sid);
  form.set('SmsStatus', twilio);
  form.set('To', message.to);
  if (status === 'failed' || status === 'undelivered') {
    form.set('ErrorCode', String(twilioErrorCode(message.errorCode) ?? 30008));
    if (message.errorMessage !== null) form.set('ErrorMessage', message.errorMessage);
  }
  return form;
}

export interface TwilioCallbackOutboxDeps {
  /** Whether the compat API was ever used here: if not, an event costs no lookup. */
  accounts: Pick<TwilioCompatAccountStore, 'anyIssued'>;
  registrations: TwilioCompatMessageStore;
  callbacks: TwilioCallbackStore;
  /** For the To, From and error of the message at the time of the event. */
  messages: Pick<MessageStore, 'get'>;
  clock: Clock;
  newId: () => string;
  /** New callbacks were stored: the delivery loop should look now. */
  onStored?: () => void;
}

export class TwilioCallbackOutbox implements AppEventSink {
  constructor(
    private readonly inner: AppEventSink,
    private readonly deps: TwilioCallbackOutboxDeps,
  ) {}

  async publish(events: AppEvent[]): Promise<void> {
    await Promise.all([this.inner.publish(events), this.record(events)]);
  }

  private async record(events: AppEvent[]): Promise<void> {
    const statusEvents = events.filter(
      (e) =>
        CALLBACK_EVENTS.has(e.type) && typeof e.data['messageId'] === 'string' && typeof e.data['status'] === 'string',
    );
    if (statusEvents.length === 0 || !(await this.deps.accounts.anyIssued())) return;
    const registrations = await this.deps.registrations.callbacksFor(
      statusEvents.map((e) => e.data['messageId'] as string),
    );
    if (registrations.length === 0) return;
    const byId = new Map(registrations.map((r) => [r.messageId, r]));
    const messages = new Map<string, Message | null>();
    await Promise.all([...byId.keys()].map(async (id) => messages.set(id, await this.deps.messages.get(id))));
    const now = this.deps.clock.now();
    const rows: NewTwilioCallback[] = [];
    for (const e of statusEvents) {
      const id = e.data['messageId'] as string;
      const registration = byId.get(id);
      const message = messages.get(id);
      if (!registration?.statusCallback || !message) continue;
      const form = callbackForm(message, registration, e.data['status'] as Message['status']);
      rows.push({
        id: this.deps.newId(),
        accountSid: registration.accountSid,
        messageId: id,
        url: registration.statusCallback,
        eventType: e.type,
        payload: form.toString(),
        createdAt: now,
      });
    }
    if (rows.length === 0) return;
    await this.deps.callbacks.enqueue(rows);
    this.deps.onStored?.();
  }
}
