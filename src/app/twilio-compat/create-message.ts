/**
 * @module app/twilio-compat/create-message
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`: Twilio's form fields in, Twilio's Message
 * resource out, and in between the same acceptance as `POST /v1/messages` (number checks,
 * suppression, content rules, limits, segments, the transactional store and queue). Twilio code
 * that switches its base URL gets failover, opt-out and analytics without changing a line.
 *
 * The compat record (whose message, which StatusCallback) is written before the message, under the
 * id the message will get, so no accepted message is ever without it; a refused message's record
 * is removed again.
 */
import { isTidingsError } from '../../core/errors.js';
import type { TwilioParams } from '../../core/twilio-signing.js';
import type { TwilioCompatAccount } from '../../ports/twilio-compat.js';
import { acceptMessage, type SendRequest } from '../accept-message.js';
import type { AppDeps } from '../deps.js';
import { checkWebhookUrl } from '../webhook-url.js';
import type { TwilioCompatDeps } from './deps.js';
import { toTwilioMessage, type TwilioMessage } from './message-resource.js';
import { fromTidingsError, twilioErrors } from './twilio-errors.js';

const SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/**
 * Fields Twilio documents for this call that Tidings takes without acting on them: routing,
 * pricing and retention are Tidings' own decisions. Anything else unknown is ignored too, as Twilio
 * does; only fields whose meaning we cannot honour are refused (see UNSUPPORTED).
 */
export const ACCEPTED_AND_IGNORED = [
  'ApplicationSid',
  'MaxPrice',
  'ProvideFeedback',
  'Attempt',
  'ValidityPeriod',
  'ForceDelivery',
  'ContentRetention',
  'AddressRetention',
  'PersistentAction',
  'TrafficType',
  'ShortenUrls',
  'SendAsMms',
  'RiskCheck',
  'FallbackFrom',
] as const;

/** Fields that would change what is sent; quietly dropping them would send something else. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  MediaUrl: 'MediaUrl is not supported: Tidings sends text messages (no MMS).',
  ContentSid: 'ContentSid is not supported: send the text in Body (Tidings templates live at /v1/templates).',
  ContentVariables: 'ContentVariables is not supported: send the text in Body.',
};

/** A single-valued form field: Twilio takes the first of repeated values. */
function field(form: TwilioParams, name: string): string | undefined {
  const v = form[name];
  return typeof v === 'string' ? v : v?.[0];
}

function bool(form: TwilioParams, name: string): boolean | undefined {
  const v = field(form, name)?.toLowerCase();
  if (v === undefined || v === '') return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw twilioErrors.invalidParameter(`${name} must be true or false.`);
}

interface CompatRequest {
  send: SendRequest;
  statusCallback: string | null;
  messagingServiceSid: string | null;
}

/** Twilio's own checks and field names, before our acceptance sees the request. */
export function readCreateForm(
  form: TwilioParams,
  opts: { allowHttpCallbacks: boolean; allowPrivateCallbacks?: boolean },
): CompatRequest {
  for (const [name, why] of Object.entries(UNSUPPORTED)) {
    if (form[name] !== undefined) throw twilioErrors.invalidParameter(why);
  }
  const to = field(form, 'To')?.trim();
  if (!to) throw twilioErrors.missingTo();
  const from = field(form, 'From')?.trim() || undefined;
  const service = field(form, 'MessagingServiceSid')?.trim() || undefined;
  if (service !== undefined && !SERVICE_SID.test(service)) {
    throw twilioErrors.invalidParameter(`MessagingServiceSid ${service} is not a valid Messaging Service SID (MG…).`);
  }
  if (from === undefined && service === undefined) throw twilioErrors.missingFrom();
  const body = field(form, 'Body');
  if (body === undefined || body === '') throw twilioErrors.missingBody();
  const callback = field(form, 'StatusCallback')?.trim() || undefined;
  if (callback !== undefined) {
    try {
      checkWebhookUrl(callback, {
        allowHttp: opts.allowHttpCallbacks,
        allowPrivate: opts.allowPrivateCallbacks ?? false,
      });
    } catch {
      throw twilioErrors.badStatusCallback();
    }
  }
  const scheduleType = field(form, 'ScheduleType');
  const sendAt = field(form, 'SendAt')?.trim() || undefined;
  if (scheduleType !== undefined && scheduleType !== 'fixed') {
    throw twilioErrors.invalidParameter(`ScheduleType ${scheduleType} is not supported; the only value is fixed.`);
  }
  if (scheduleType === 'fixed' && sendAt === undefined) {
    throw twilioErrors.invalidParameter('SendAt is required when ScheduleType is fixed.');
  }
  const smartEncoding = bool(form, 'SmartEncoded');
  return {
    send: {
      to,
      body,
      ...(from !== undefined ? { from } : {}),
      ...(sendAt !== undefined ? { sendAt } : {}),
      ...(smartEncoding !== undefined ? { smartEncoding } : {}),
    },
    // Signed and called exactly as given, as Twilio does.
    statusCallback: callback ?? null,
    messagingServiceSid: service ?? null,
  };
}

export async function createMessage(
  deps: TwilioCompatDeps,
  account: TwilioCompatAccount,
  form: TwilioParams,
): Promise<TwilioMessage> {
  const req = readCreateForm(form, {
    allowHttpCallbacks: deps.allowHttpCallbacks,
    allowPrivateCallbacks: deps.allowPrivateCallbacks ?? false,
  });
  const app = deps.app;
  const id = app.ids.message();
  await deps.messages.register({
    messageId: id,
    accountSid: account.sid,
    statusCallback: req.statusCallback,
    messagingServiceSid: req.messagingServiceSid,
    createdAt: app.clock.now(),
  });
  // Acceptance draws the id of the message it stores from deps.ids: hand it the one just registered.
  const withId: AppDeps = { ...app, ids: { ...app.ids, message: () => id } };
  let view;
  try {
    view = (await acceptMessage(withId, req.send, { apiKeyId: account.sid }, null)).body;
  } catch (err) {
    deps.messages.unregister(id).catch((e: unknown) => app.logger.warn({ err: e }, 'removing a compat record failed'));
    if (isTidingsError(err))
      throw fromTidingsError(err, { to: req.send.to, ...(req.send.from ? { from: req.send.from } : {}) });
    throw err;
  }
  return toTwilioMessage({
    id: view.id,
    accountSid: account.sid,
    messagingServiceSid: req.messagingServiceSid,
    to: view.to,
    from: view.from,
    body: view.body,
    status: view.status,
    segments: view.segments,
    errorCode: null,
    errorMessage: null,
    price: null,
    cost: view.cost,
    sentAt: null,
    createdAt: Date.parse(view.createdAt),
    updatedAt: Date.parse(view.updatedAt),
  });
}
