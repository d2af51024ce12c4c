/**
 * @module test/fakes/tencent/send-sms
 * What Tencent checks in a SendSms body before it sends anything (providers.md §4.1): required
 * fields and their types, the application, the sign, the template and its parameter count, and
 * the phone numbers, all answering with Tencent's codes. Per-number problems are not refusals of
 * the request: they come back inside `SendStatusSet`, which the server builds.
 */
import { randomInt } from 'node:crypto';
import { tencentErrors, type FakeError } from './tencent-errors.js';

/** A template registered and approved in the fake account. */
export interface FakeTemplate {
  /** The approved text, with `{1}`, `{2}`, … for its parameters. */
  content: string;
  /** Templates are either for mainland numbers (default) or international ones. */
  international?: boolean;
  /** Verification-code templates accept only parameters of 0–6 digits. */
  verification?: boolean;
}

export interface FakeAccount {
  sdkAppId: string;
  signNames: ReadonlySet<string>;
  templates: ReadonlyMap<string, FakeTemplate>;
}

export interface SendSmsCall {
  phoneNumbers: string[];
  sdkAppId: string;
  templateId: string;
  template: FakeTemplate;
  signName: string | null;
  params: string[];
  sessionContext: string;
  senderId: string | null;
  extendCode: string | null;
  international: boolean;
}

const MAINLAND_WITH_CODE = /^(?:\+86|86)(1\d{10})$/;
const MAINLAND_NATIONAL = /^1\d{10}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/** Mainland numbers may come without +86; Tencent answers with the +86 form. */
export function normalizeNumber(n: string): { number: string; mainland: boolean; valid: boolean } {
  const withCode = MAINLAND_WITH_CODE.exec(n);
  if (withCode) return { number: `+86${withCode[1]}`, mainland: true, valid: true };
  if (MAINLAND_NATIONAL.test(n)) return { number: `+86${n}`, mainland: true, valid: true };
  if (n.startsWith('+86')) return { number: n, mainland: true, valid: false };
  return { number: n, mainland: false, valid: E164.test(n) };
}

/** The number of distinct `{n}` slots in a template. */
export function slotsOf(content: string): number {
  return new Set([...content.matchAll(/\{(\d+)\}/g)].map((m) => m[1])).size;
}

export function render(call: SendSmsCall): string {
  const body = call.template.content.replace(/\{(\d+)\}/g, (_, i: string) => call.params[Number(i) - 1] ?? '');
  return call.signName !== null && !call.international ? `【${call.signName}】${body}` : body;
}

/** Billed segments: 70 characters for one text, 67 per part when longer (160/153 for plain ASCII). */
export function feeOf(text: string): number {
  const chars = Array.from(text).length;
  const [single, part] = /^[\x20-\x7e\n]*$/.test(text) ? [160, 153] : [70, 67];
  return chars <= single ? 1 : Math.ceil(chars / part);
}

export function readSendSms(json: unknown, account: FakeAccount): SendSmsCall | FakeError {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return tencentErrors.invalidParameter('The request body must be a JSON object.');
  }
  const b = json as Record<string, unknown>;
  for (const name of ['PhoneNumberSet', 'SmsSdkAppId', 'TemplateId']) {
    if (b[name] === undefined || b[name] === null) return tencentErrors.missingParameter(name);
  }
  if (!isStringArray(b.PhoneNumberSet)) return typeError('PhoneNumberSet', 'Array of String');
  if (b.TemplateParamSet !== undefined && !isStringArray(b.TemplateParamSet))
    return typeError('TemplateParamSet', 'Array of String');
  for (const name of ['SmsSdkAppId', 'TemplateId', 'SignName', 'SessionContext', 'SenderId', 'ExtendCode']) {
    if (b[name] !== undefined && typeof b[name] !== 'string') return typeError(name, 'String');
  }
  const phoneNumbers = b.PhoneNumberSet;
  const params = (b.TemplateParamSet as string[] | undefined) ?? [];
  const sessionContext = (b.SessionContext as string | undefined) ?? '';
  if (Buffer.byteLength(sessionContext) > 512) {
    return tencentErrors.invalidParameterValue('SessionContext must be shorter than 512 bytes.');
  }

  if (phoneNumbers.length === 0) return tencentErrors.emptyPhoneNumberSet();
  if (phoneNumbers.length > 200) return tencentErrors.phoneNumberCountLimit();
  const kinds = new Set(phoneNumbers.map((n) => normalizeNumber(n).mainland));
  if (kinds.size > 1) return tencentErrors.mixedNumbers();
  const international = !kinds.has(true);

  if (b.SmsSdkAppId !== account.sdkAppId) return tencentErrors.sdkAppIdNotExist();
  const signName = (b.SignName as string | undefined) || null;
  if (!international && (signName === null || !account.signNames.has(signName))) return tencentErrors.signature();
  const templateId = b.TemplateId as string;
  const template = account.templates.get(templateId);
  if (!template || Boolean(template.international) !== international) return tencentErrors.template();
  const slots = slotsOf(template.content);
  if (params.length !== slots) return tencentErrors.templateParams(slots, params.length);
  if (template.verification && params.some((p) => !/^\d{0,6}$/.test(p))) return tencentErrors.templateParamFormat();

  return {
    phoneNumbers,
    sdkAppId: account.sdkAppId,
    templateId,
    template,
    signName,
    params,
    sessionContext,
    senderId: (b.SenderId as string | undefined) || null,
    extendCode: (b.ExtendCode as string | undefined) || null,
    international,
  };
}

/** `2433:` + 28 digits, the shape of Tencent's SerialNo. */
export function newSerialNo(): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < 28) digits += String(randomInt(0, 1e9)).padStart(9, '0');
  return `${randomInt(1000, 10_000)}:${digits.slice(0, 28)}`;
}

export function isFakeError(x: SendSmsCall | FakeError): x is FakeError {
  return 'code' in x;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function typeError(name: string, type: string): FakeError {
  return tencentErrors.invalidParameter(`The type of parameter \`${name}\` must be ${type}.`);
}
