/**
 * @module test/fakes/twilio/twilio-errors
 * Twilio's error answers as the real API shapes them: `{code, message, more_info, status}` with the
 * HTTP status equal to `status` (providers.md §1.1), and the test-credential magic numbers (§1.2).
 * Message texts are the ones seen in real responses where we could find them.
 */

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
  detail?: string;
}

/** A fault to answer with: Twilio's code and message, and optionally a Retry-After header. */
export interface FakeError {
  status: number;
  code: number;
  message: string;
  /** Seconds, or an HTTP date; sent as the `Retry-After` header. */
  retryAfter?: number | string;
}

export function errorBody(status: number, code: number, message: string, detail?: string): TwilioErrorBody {
  return {
    code,
    message,
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
    ...(detail === undefined ? {} : { detail }),
  };
}

export const twilioErrors = {
  badUsername: (): FakeError => ({ status: 401, code: 20003, message: 'Authentication Error - invalid username' }),
  authenticate: (): FakeError => ({ status: 401, code: 20003, message: 'Authenticate' }),
  notFound: (path: string): FakeError => ({
    status: 404,
    code: 20404,
    message: `The requested resource ${path} was not found`,
  }),
  tooManyRequests: (retryAfter?: number | string): FakeError => ({
    status: 429,
    code: 20429,
    message: 'Too Many Requests',
    ...(retryAfter === undefined ? {} : { retryAfter }),
  }),
  missingTo: (): FakeError => ({ status: 400, code: 21604, message: "A 'To' phone number is required." }),
  missingFrom: (): FakeError => ({ status: 400, code: 21603, message: "A 'From' phone number is required." }),
  missingBody: (): FakeError => ({ status: 400, code: 21602, message: 'Message body is required.' }),
  bodyTooLong: (): FakeError => ({
    status: 400,
    code: 21617,
    message: 'The concatenated message body exceeds the 1600 character limit.',
  }),
  badStatusCallback: (): FakeError => ({ status: 400, code: 21609, message: 'Invalid StatusCallback url' }),
  invalidTo: (to: string): FakeError => ({
    status: 400,
    code: 21211,
    message: `The 'To' number ${to} is not a valid phone number.`,
  }),
  unreachable: (to: string, from: string): FakeError => ({
    status: 400,
    code: 21612,
    message: `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number: ${from} via SMS.`,
  }),
  geoPermission: (to: string): FakeError => ({
    status: 400,
    code: 21408,
    message: `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}.`,
  }),
  unsubscribed: (): FakeError => ({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' }),
  notMobile: (to: string): FakeError => ({
    status: 400,
    code: 21614,
    message: `To number: ${to}, is not a mobile number`,
  }),
};

/** Test-credential magic `To` numbers (twilio.com/docs/iam/test-credentials). */
export function magicNumberError(to: string, from: string): FakeError | null {
  switch (to) {
    case '+15005550001':
      return twilioErrors.invalidTo(to);
    case '+15005550002':
      return twilioErrors.unreachable(to, from);
    case '+15005550003':
      return twilioErrors.geoPermission(to);
    case '+15005550004':
      return twilioErrors.unsubscribed();
    case '+15005550009':
      return twilioErrors.notMobile(to);
    default:
      return null;
  }
}

/** Texts Twilio gives with asynchronous delivery errors (status callbacks, `error_message`). */
export const DELIVERY_ERROR_MESSAGES: Readonly<Record<number, string>> = {
  30001: 'Queue overflow',
  30002: 'Account suspended',
  30003: 'Unreachable destination handset',
  30004: 'Message blocked',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Carrier violation',
  30008: 'Unknown error',
};
