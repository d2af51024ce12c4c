/**
 * @module app/twilio-compat/twilio-errors
 * Errors as Twilio answers them: `{code, message, more_info, status}` with the HTTP status equal to
 * `status` (providers.md §1.1), so the caller's SDK raises the RestException its code already
 * handles. Our stable error codes map onto Twilio's in one table; a code with no Twilio counterpart
 * becomes the generic 20001 with our message, keeping our HTTP status (Twilio never answers 422, so
 * that one becomes 400, as Twilio answers its own validation errors).
 */
import { ERROR_CATALOGUE, type TidingsError } from '../../core/errors.js';

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export class TwilioApiError extends Error {
  override readonly name = 'TwilioApiError';

  constructor(
    readonly code: number,
    readonly status: number,
    message: string,
    /** When trying again can work (a limit's window); sent as Retry-After. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  body(): TwilioErrorBody {
    return { code: this.code, message: this.message, more_info: moreInfo(this.code), status: this.status };
  }
}

export const moreInfo = (code: number): string => `https://www.twilio.com/docs/errors/${code}`;

/** What the request was about, for the texts Twilio puts in its messages. */
export interface ErrorContext {
  to?: string;
  from?: string;
  /** The path asked for, for 20404. */
  path?: string;
}

interface Mapping {
  code: number;
  status: number;
  /** Twilio's own wording where we know it; our message otherwise. */
  message?: (ctx: ErrorContext, ours: string) => string;
}

/** Our stable code → Twilio's code, status and wording. */
export const TWILIO_ERROR_MAP: Readonly<Record<string, Mapping>> = {
  invalid_number: {
    code: 21211,
    status: 400,
    message: (c) => `The 'To' number ${c.to ?? ''} is not a valid phone number.`,
  },
  not_mobile: { code: 21614, status: 400, message: (c) => `To number: ${c.to ?? ''}, is not a mobile number` },
  recipient_suppressed: { code: 21610, status: 400, message: () => 'Attempt to send to unsubscribed recipient' },
  body_empty: { code: 21602, status: 400, message: () => 'Message body is required.' },
  body_too_long: {
    code: 21617,
    status: 400,
    message: () => 'The concatenated message body exceeds the 1600 character limit.',
  },
  destination_not_allowed: {
    code: 21408,
    status: 400,
    message: (c) =>
      `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${c.to ?? ''}.`,
  },
  channel_unavailable: { code: 21612, status: 400 },
  send_at_out_of_range: { code: 35114, status: 400 },
  unauthorized: { code: 20003, status: 401, message: () => 'Authenticate' },
  forbidden: { code: 20003, status: 403 },
  not_found: {
    code: 20404,
    status: 404,
    message: (c, ours) => (c.path ? `The requested resource ${c.path} was not found` : ours),
  },
  rate_limited: { code: 20429, status: 429, message: () => 'Too Many Requests' },
  recipient_rate_limited: { code: 14107, status: 429 },
  destination_paused: { code: 14107, status: 429 },
  unavailable: { code: 20503, status: 503, message: () => 'Service Unavailable' },
  internal_error: { code: 20500, status: 500, message: () => 'Internal Server Error' },
};

export const GENERIC_TWILIO_CODE = 20001;

export function fromTidingsError(err: TidingsError, ctx: ErrorContext = {}): TwilioApiError {
  const mapping = TWILIO_ERROR_MAP[err.code];
  if (mapping) {
    return new TwilioApiError(
      mapping.code,
      mapping.status,
      mapping.message ? mapping.message(ctx, err.message) : err.message,
      err.retryAfterMs,
    );
  }
  const status = ERROR_CATALOGUE[err.code].status;
  return new TwilioApiError(GENERIC_TWILIO_CODE, status === 422 ? 400 : status, err.message, err.retryAfterMs);
}

/** Refusals of the compat layer itself, before a request reaches acceptance. */
export const twilioErrors = {
  missingTo: () => new TwilioApiError(21604, 400, "A 'To' phone number is required."),
  missingFrom: () => new TwilioApiError(21603, 400, "A 'From' phone number is required."),
  missingBody: () => new TwilioApiError(21602, 400, 'Message body is required.'),
  badStatusCallback: () => new TwilioApiError(21609, 400, 'Invalid StatusCallback url'),
  authenticate: () => new TwilioApiError(20003, 401, 'Authenticate'),
  permissionDenied: () =>
    new TwilioApiError(20003, 403, 'Permission Denied: this credential may only read (role "read")'),
  notFound: (path: string) => new TwilioApiError(20404, 404, `The requested resource ${path} was not found`),
  invalidParameter: (message: string) => new TwilioApiError(GENERIC_TWILIO_CODE, 400, message),
};
