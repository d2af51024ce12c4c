/**
 * @module core/errors
 * The catalogue of stable error codes a caller can see. A code never changes meaning; the HTTP
 * layer maps `status` straight onto the response. Messages are for people; `code` is for programs.
 */
export const ERROR_CATALOGUE = {
  validation_failed: { status: 400, message: 'The request does not match the schema.' },
  unknown_field: { status: 400, message: 'The request has a field this endpoint does not know.' },
  malformed_json: { status: 400, message: 'The request body is not valid JSON.' },
  malformed_cursor: { status: 400, message: 'The paging cursor is not one this server issued.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, message: 'The request body has an unsupported content type.' },
  invalid_number: { status: 422, message: 'The phone number is not valid.' },
  invalid_email: { status: 422, message: 'The e-mail address is not valid.' },
  not_mobile: { status: 422, message: 'The phone number cannot receive SMS (it is not a mobile number).' },
  body_too_long: { status: 422, message: 'The message body is too long.' },
  body_empty: { status: 422, message: 'The message body is empty.' },
  send_at_out_of_range: { status: 422, message: 'sendAt is too far in the future.' },
  template_not_found: { status: 422, message: 'No template has this name.' },
  template_invalid: { status: 422, message: 'The template cannot be parsed or breaks a template rule.' },
  template_variable_missing: { status: 422, message: 'The template uses a variable that data does not give.' },
  template_render_failed: { status: 422, message: 'The template could not be rendered with this data.' },
  recipient_suppressed: { status: 422, message: 'The recipient is on the suppression list (opted out or invalid).' },
  content_rejected: { status: 422, message: 'The message contains a banned term.' },
  channel_unavailable: { status: 422, message: 'No provider is configured for this channel.' },
  idempotency_conflict: { status: 409, message: 'This Idempotency-Key was used with a different request.' },
  message_not_cancelable: { status: 409, message: 'The message has already been handed to a provider.' },
  campaign_state_conflict: { status: 409, message: 'The campaign is not in a state that allows this.' },
  csv_header_invalid: {
    status: 422,
    message: 'The CSV header row does not name a phone number column (to, phone or number).',
  },
  reminder_offset_invalid: {
    status: 422,
    message: 'A reminder offset is malformed, not before the appointment, too far, or repeated.',
  },
  appointment_time_invalid: {
    status: 422,
    message: 'The appointment time or timezone is not valid, or the time has passed.',
  },
  reminder_exists: { status: 409, message: 'A reminder with this reference exists, made by a different request.' },
  reminder_not_modifiable: {
    status: 409,
    message: 'The reminder was canceled; create a new one under another reference.',
  },
  reminder_conflict: {
    status: 409,
    message: 'The reminder was changed by another request at the same time; read it and try again.',
  },
  unauthorized: { status: 401, message: 'A valid API key is required (Authorization: Bearer <key>).' },
  forbidden: { status: 403, message: 'This API key may not do that.' },
  invalid_signature: { status: 403, message: 'The webhook signature is missing or wrong.' },
  not_found: { status: 404, message: 'No such resource.' },
  method_not_allowed: { status: 405, message: 'Method not allowed.' },
  rate_limited: { status: 429, message: 'This API key is over its request or message limit; try again later.' },
  recipient_rate_limited: { status: 429, message: 'This number has had as many messages of this purpose as it may.' },
  duplicate_message: { status: 409, message: 'The same text went to this number a moment ago.' },
  destination_not_allowed: { status: 422, message: 'Messages to this country are not allowed.' },
  destination_paused: { status: 429, message: 'Messages to this number range are paused after a surge.' },
  spend_limit_reached: { status: 429, message: 'The spend limit for this period is reached.' },
  unavailable: { status: 503, message: 'The service is not ready.' },
  internal_error: { status: 500, message: 'Something went wrong on our side.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** For refusals by a limit: which limit (`recipient.otp.1h`, `api.requests`), and when trying again can work. */
export interface LimitDetail {
  limit?: string;
  retryAfterMs?: number;
}

/** An error meant for the caller: a stable code, a human message, and the field at fault. */
export class TidingsError extends Error {
  override readonly name = 'TidingsError';
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly limit: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message?: string, field?: string, detail: LimitDetail = {}) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.code = code;
    this.field = field;
    this.limit = detail.limit;
    this.retryAfterMs = detail.retryAfterMs;
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }
}

export function isTidingsError(err: unknown): err is TidingsError {
  return err instanceof TidingsError;
}
