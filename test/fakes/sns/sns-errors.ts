/**
 * @module test/fakes/sns/sns-errors
 * SNS's answers as the Query protocol shapes them (providers.md §5.2): `PublishResponse` on success,
 * `ErrorResponse` with `Type`/`Code`/`Message` otherwise, each code with the HTTP status AWS gives it
 * (the SNS API model for SNS's own codes, the AWS common-errors list for the rest).
 */
import { randomUUID } from 'node:crypto';

export const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** A fault to answer with. `status` and `type` default from the code's entry in `STATUS_BY_CODE`. */
export interface SnsFault {
  code: string;
  message?: string;
  status?: number;
  type?: 'Sender' | 'Receiver';
  /** Seconds; sent as `Retry-After`. SNS itself sends none, but proxies in front of it may. */
  retryAfter?: number;
}

/** HTTP status per error code. */
export const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  // SNS Publish (API model, awsQueryError trait)
  AuthorizationError: 403,
  EndpointDisabled: 400,
  InternalError: 500,
  InvalidParameter: 400,
  ParameterValueInvalid: 400,
  InvalidSecurity: 403,
  KMSAccessDenied: 400,
  KMSDisabled: 400,
  KMSInvalidState: 400,
  KMSNotFound: 400,
  KMSOptInRequired: 403,
  KMSThrottling: 400,
  NotFound: 404,
  OptedOut: 400,
  PlatformApplicationDisabled: 400,
  Throttled: 429,
  ValidationException: 400,
  // Common to every Query API
  AccessDenied: 403,
  IncompleteSignature: 400,
  InternalFailure: 500,
  InvalidAction: 400,
  InvalidClientTokenId: 403,
  MissingAuthenticationToken: 403,
  NotAuthorized: 400,
  OptInRequired: 403,
  RequestExpired: 400,
  ServiceUnavailable: 503,
  SignatureDoesNotMatch: 403,
  Throttling: 400,
  ThrottlingException: 400,
  ValidationError: 400,
};

export function statusOf(fault: SnsFault): number {
  return fault.status ?? STATUS_BY_CODE[fault.code] ?? 400;
}

export function typeOf(fault: SnsFault): 'Sender' | 'Receiver' {
  return fault.type ?? (statusOf(fault) >= 500 ? 'Receiver' : 'Sender');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`);
}

export function errorResponseXml(fault: SnsFault, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${SNS_XMLNS}"><Error><Type>${typeOf(fault)}</Type><Code>${escapeXml(fault.code)}</Code>` +
    `<Message>${escapeXml(fault.message ?? fault.code)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

export function publishResponseXml(messageId: string, requestId: string): string {
  return (
    `<PublishResponse xmlns="${SNS_XMLNS}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`
  );
}

export const newRequestId = (): string => randomUUID();

/** The faults the fake raises by itself, with AWS's texts where we know them. */
export const snsErrors = {
  missingAuthenticationToken: (): SnsFault => ({
    code: 'MissingAuthenticationToken',
    message: 'Request is missing Authentication Token',
  }),
  incompleteSignature: (message: string): SnsFault => ({ code: 'IncompleteSignature', message }),
  invalidClientTokenId: (): SnsFault => ({
    code: 'InvalidClientTokenId',
    message: 'The security token included in the request is invalid.',
  }),
  signatureDoesNotMatch: (message?: string): SnsFault => ({
    code: 'SignatureDoesNotMatch',
    message:
      message ??
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  }),
  invalidAction: (action: string | null, version: string | null): SnsFault => ({
    code: 'InvalidAction',
    message:
      action === null || action === ''
        ? `Could not find operation for version ${version ?? 'NO_VERSION_SPECIFIED'}`
        : `The action ${action} is not valid for this web service.`,
  }),
  missingMessage: (): SnsFault => ({
    code: 'ValidationError',
    message:
      "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null",
  }),
  invalidParameter: (message: string): SnsFault => ({ code: 'InvalidParameter', message }),
  parameterValueInvalid: (message: string): SnsFault => ({ code: 'ParameterValueInvalid', message }),
};
