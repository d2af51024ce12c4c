/**
 * @module test/fakes/aliyun/send-sms
 * What Dysmsapi checks in SendSms parameters before it sends anything (providers.md §3.1, §3.2):
 * the required parameters, the phone numbers (mainland with or without +86/0086/86, others as
 * country code + number), the account's approved signatures and templates, TemplateParam as a
 * JSON object of strings that fills every `${name}` of the template. Answers with Aliyun's codes.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { business, missing, type FakeError } from './aliyun-errors.js';

/** A template registered and approved in the fake account. */
export interface FakeTemplate {
  /** The approved text, with `${name}` for its variables. */
  content: string;
  /** International/HK-Macau-Taiwan templates (国际/港澳台) may not go to mainland numbers. */
  international?: boolean;
}

export interface FakeAccount {
  signNames: ReadonlySet<string>;
  templates: ReadonlyMap<string, FakeTemplate>;
}

export interface Recipient {
  /** As the request gave it. */
  given: string;
  /** `+8613800138000`-style, for rules and reports. */
  e164: string;
  mainland: boolean;
}

export interface SendSmsCall {
  recipients: Recipient[];
  signName: string;
  templateCode: string;
  template: FakeTemplate;
  params: Record<string, string>;
  outId: string | null;
}

const MAINLAND = /^(?:\+86|0086|86)?(1\d{10})$/;
const INTERNATIONAL = /^(?:\+|00)?([1-9]\d{6,14})$/;
const VARIABLE = /\$\{([^}]+)\}/g;
const MAX_NUMBERS = 1000;
/** Aliyun's template rules allow at most 35 characters per variable value. */
const MAX_PARAM_LENGTH = 35;
const URL_IN_TEXT = /(https?:\/\/|www\.)/i;

/**
 * Null when Aliyun would call the number illegal. A bare `1` + 10 digits is both a mainland mobile
 * and a NANP number; an international template reads it as the latter when it is a valid one.
 */
export function readRecipient(given: string, international = false): Recipient | null {
  const n = given.trim();
  const mainland = MAINLAND.exec(n);
  const explicitCountry = /^(?:\+|00|86)/.test(n);
  if (mainland && (explicitCountry || !international)) return { given, e164: `+86${mainland[1]}`, mainland: true };
  const intl = INTERNATIONAL.exec(n);
  const phone = intl?.[1] && !intl[1].startsWith('86') ? parsePhoneNumberFromString(`+${intl[1]}`) : undefined;
  if (phone?.isValid()) return { given, e164: phone.number, mainland: false };
  return mainland ? { given, e164: `+86${mainland[1]}`, mainland: true } : null;
}

export function variablesOf(content: string): string[] {
  return [...new Set([...content.matchAll(VARIABLE)].map((m) => m[1] ?? ''))];
}

/** The text as the handset shows it: 【signature】 then the filled template. */
export function render(call: SendSmsCall): string {
  return `【${call.signName}】${call.template.content.replace(VARIABLE, (_, name: string) => call.params[name] ?? '')}`;
}

/** Billed parts: 70 characters (signature included, any script) for one, 67 per part when longer. */
export function smsSizeOf(text: string): number {
  const chars = Array.from(text).length;
  return chars <= 70 ? 1 : Math.ceil(chars / 67);
}

export function readSendSms(params: Readonly<Record<string, string>>, account: FakeAccount): SendSmsCall | FakeError {
  for (const name of ['PhoneNumbers', 'SignName', 'TemplateCode']) if (!params[name]) return missing(name);
  const numbers = (params.PhoneNumbers ?? '').split(',');
  if (numbers.length > MAX_NUMBERS) return business('isv.MOBILE_COUNT_OVER_LIMIT');
  const signName = params.SignName ?? '';
  if (!account.signNames.has(signName)) return business('isv.SMS_SIGNATURE_ILLEGAL');
  const templateCode = params.TemplateCode ?? '';
  const template = account.templates.get(templateCode);
  if (!template) return business('isv.SMS_TEMPLATE_ILLEGAL');
  const recipients: Recipient[] = [];
  for (const n of numbers) {
    const r = readRecipient(n, template.international);
    if (!r) return business('isv.MOBILE_NUMBER_ILLEGAL');
    recipients.push(r);
  }
  if (template.international && recipients.some((r) => r.mainland)) {
    return business('isv.DOMESTIC_NUMBER_NOT_SUPPORTED');
  }

  let templateParams: Record<string, string> = {};
  if (params.TemplateParam !== undefined && params.TemplateParam !== '') {
    let json: unknown;
    try {
      json = JSON.parse(params.TemplateParam);
    } catch {
      return business('isv.INVALID_JSON_PARAM');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return business('isv.INVALID_JSON_PARAM');
    if (Object.values(json).some((v) => typeof v !== 'string')) return business('isv.INVALID_JSON_PARAM');
    templateParams = json as Record<string, string>;
  }
  for (const name of variablesOf(template.content)) {
    const value = templateParams[name];
    if (value === undefined) return business('isv.TEMPLATE_MISSING_PARAMETERS', `模板缺少变量 ${name}`);
    if (Array.from(value).length > MAX_PARAM_LENGTH) return business('isv.PARAM_LENGTH_LIMIT');
    if (URL_IN_TEXT.test(value)) return business('isv.PARAM_NOT_SUPPORT_URL');
  }

  return {
    recipients,
    signName,
    templateCode,
    template,
    params: templateParams,
    outId: params.OutId || null,
  };
}

export function isFakeError(x: SendSmsCall | FakeError): x is FakeError {
  return 'code' in x;
}
