/**
 * @module test/fakes/tencent/tencent-errors
 * Tencent's error answers as the API shapes them (providers.md §4.2): always HTTP 200, a
 * `Response.Error{Code, Message}` for a refused request, or a per-number `Code`/`Message` inside
 * `SendStatusSet`. Texts follow Tencent's English error documentation where we have it.
 */

/** A whole-request refusal: `{"Response":{"Error":{"Code","Message"},"RequestId"}}`. */
export interface FakeError {
  code: string;
  message: string;
}

/** Per-number outcome texts: the `Message` beside each `Code` in `SendStatusSet`. */
export const NUMBER_MESSAGES: Readonly<Record<string, string>> = {
  Ok: 'send success',
  'InvalidParameterValue.IncorrectPhoneNumber': 'incorrect phone number',
  'LimitExceeded.PhoneNumberDailyLimit':
    'the number of sms messages sent from a single mobile number every day exceeds the upper limit',
  'LimitExceeded.PhoneNumberOneHourLimit':
    'the number of sms messages sent from a single mobile number within 1 hour exceeds the upper limit',
  'LimitExceeded.PhoneNumberThirtySecondLimit':
    'the number of sms messages sent from a single mobile number within 30 seconds exceeds the upper limit',
  'LimitExceeded.PhoneNumberSameContentDailyLimit':
    'the number of sms messages with the same content sent to a single mobile number every day exceeds the upper limit',
  'LimitExceeded.DeliveryFrequencyLimit': 'delivery frequency limit',
  'FailedOperation.PhoneNumberInBlacklist': 'the mobile number is in the blocklist',
  'FailedOperation.ContainSensitiveWord': 'the sms content contains sensitive words',
  'FailedOperation.InsufficientBalanceInSmsPackage': 'insufficient balance in sms package',
};

export function numberMessage(code: string): string {
  return NUMBER_MESSAGES[code] ?? code;
}

export const tencentErrors = {
  invalidAction: (action: string): FakeError => ({
    code: 'InvalidAction',
    message: `The requested action \`${action}\` does not exist.`,
  }),
  noSuchVersion: (version: string): FakeError => ({
    code: 'NoSuchVersion',
    message: `The requested version \`${version}\` of the action does not exist.`,
  }),
  missingParameter: (name: string): FakeError => ({
    code: 'MissingParameter',
    message: `The request is missing a required parameter \`${name}\`.`,
  }),
  invalidParameter: (why: string): FakeError => ({ code: 'InvalidParameter', message: why }),
  invalidParameterValue: (why: string): FakeError => ({ code: 'InvalidParameterValue', message: why }),
  unsupportedRegion: (region: string): FakeError => ({
    code: 'UnsupportedRegion',
    message: `The region \`${region}\` is not supported by this product.`,
  }),
  emptyPhoneNumberSet: (): FakeError => ({
    code: 'MissingParameter.EmptyPhoneNumberSet',
    message: 'the PhoneNumberSet parameter is empty',
  }),
  phoneNumberCountLimit: (): FakeError => ({
    code: 'LimitExceeded.PhoneNumberCountLimit',
    message: 'the number of phone numbers in a single request exceeds the upper limit of 200',
  }),
  mixedNumbers: (): FakeError => ({
    code: 'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber',
    message: 'the request contains both Chinese mainland and international/Hong Kong, Macao and Taiwan numbers',
  }),
  sdkAppIdNotExist: (): FakeError => ({
    code: 'InvalidParameterValue.SdkAppIdNotExist',
    message: 'the SdkAppId does not exist',
  }),
  signature: (): FakeError => ({
    code: 'FailedOperation.SignatureIncorrectOrUnapproved',
    message: 'the signature is not approved or the submitted signature does not exist',
  }),
  template: (): FakeError => ({
    code: 'FailedOperation.TemplateIncorrectOrUnapproved',
    message: 'the template is not approved or the submitted template does not exist',
  }),
  templateParams: (want: number, got: number): FakeError => ({
    code: 'FailedOperation.TemplateParamSetNotMatchApprovedTemplate',
    message: `the request content does not match the approved template: it has ${want} variables, got ${got}`,
  }),
  templateParamFormat: (): FakeError => ({
    code: 'InvalidParameterValue.TemplateParameterFormatError',
    message: 'verification code templates take only 0-6 digit parameters',
  }),
  requestLimit: (): FakeError => ({
    code: 'RequestLimitExceeded',
    message:
      'Your current request times equals to `21` in a second, which exceeds the frequency limit `20` for a second.',
  }),
  internal: (): FakeError => ({
    code: 'InternalError',
    message: 'An internal error has occurred. Retry your request, but if the problem persists, contact us.',
  }),
};

/** A whole-request error for an arbitrary code, with Tencent's text when we know it. */
export function errorFor(code: string, message?: string): FakeError {
  return { code, message: message ?? NUMBER_MESSAGES[code] ?? `${code} (fake)` };
}
