/**
 * @module test/fakes/tencent/fake-tencent
 * Tencent Cloud SMS `SendSms` (2021-01-11) on loopback, speaking the real protocol: TC3-HMAC-SHA256
 * checked as Tencent's gateway checks it (scope date and service `sms`, signed headers, ±5 minutes),
 * the X-TC-* headers, the body's required fields, the account's sign names and templates, answers
 * in the real `Response` shapes (HTTP 200 with `Error`, or per-number `SendStatusSet`), and delivery
 * reports pushed as unsigned JSON arrays to the console-configured callback URL. Plus faults on
 * demand: vendor error codes, HTTP errors from a gateway, resets, garbage, latency.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import {
  feeOf,
  isFakeError,
  newSerialNo,
  normalizeNumber,
  readSendSms,
  render,
  type FakeTemplate,
  type SendSmsCall,
} from './send-sms.js';
import { FaultQueue } from '../shared/fault-queue.js';
import { gatewayPage, sendRaw, startFakeHttpServer, type FakeExchange } from '../shared/fake-http-server.js';
import { checkHeaders, SMS_VERSION } from './request-headers.js';
import { reportFor, statusReportPusher, type CallbackRecord } from './status-reports.js';
import { verifyTc3 } from './tc3-verifier.js';
import { errorFor, numberMessage, tencentErrors, type FakeError } from './tencent-errors.js';

export interface FakeTencentOptions {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  /** Approved sign names (签名内容). */
  signNames: string[];
  /** Approved templates by TemplateId. */
  templates: Record<string, FakeTemplate>;
  /** Regions the API answers for (default ap-guangzhou, ap-beijing, ap-nanjing). */
  regions?: string[];
  /** The status-report URL set in the console; null: no reports are pushed (default). */
  callbackUrl?: string | null;
  /** Delay before queued reports are pushed, as one batch (default 50). */
  callbackDelayMs?: number;
  /** Delay before each answer (default 0). */
  latencyMs?: number;
  /** The server's clock, for the ±5 minute timestamp check (default Date.now). */
  now?: () => number;
  port?: number;
}

/** How the fake treats one phone number. */
export interface NumberRule {
  /** Refuse this number with a per-number `Code` in `SendStatusSet` (e.g. FailedOperation.PhoneNumberInBlacklist). */
  code?: string;
  /** How delivery ends when sent (default `delivered`). */
  outcome?: 'delivered' | 'undelivered';
  /** The carrier receipt for `undelivered` (default `UNDELIV`). */
  errmsg?: string;
}

/** One accepted number, as the test sees it. */
export interface SentSms {
  serialNo: string;
  phoneNumber: string;
  sdkAppId: string;
  signName: string | null;
  templateId: string;
  params: string[];
  sessionContext: string;
  senderId: string | null;
  /** The text as the handset shows it. */
  text: string;
  fee: number;
  isoCode: string;
  requestId: string;
  at: number;
}

/** A whole request the fake refused (auth, headers, body), for tests to assert on. */
export interface RefusedRequest {
  code: string;
  message: string;
  requestId: string;
}

export interface FakeTencent {
  /** The origin to give the client (`endpoint=` in a provider URL). */
  readonly url: string;
  readonly sent: readonly SentSms[];
  readonly refused: readonly RefusedRequest[];
  readonly callbacks: readonly CallbackRecord[];
  /** Every HTTP request received, faults included. */
  readonly requests: number;
  /** Requests whose client went away before the answer. */
  readonly aborted: number;
  /** The next `n` SendSms answer `Response.Error` with this code (Tencent's text, or `message`). */
  failNext(n: number, code: string, message?: string): void;
  /** The next `n` requests answer this HTTP status with an HTML page, as a gateway would. */
  httpErrorNext(n: number, status: number): void;
  /** The next `n` requests get their connection destroyed, unanswered. */
  resetNext(n: number): void;
  /** The next `n` requests answer 200 with truncated JSON; nothing is sent. */
  malformedNext(n: number): void;
  /** Drops every pending fault: the service has recovered. */
  clearFaults(): void;
  respondTo(phoneNumber: string, rule: NumberRule): void;
  setLatency(ms: number): void;
  setCallbackUrl(url: string | null): void;
  /** Pushes these reports (any JSON, for forged or odd ones) now, as Tencent would. */
  pushStatus(reports: unknown[], url?: string): Promise<CallbackRecord>;
  /** Resolves when every report queued so far has been pushed. */
  callbacksSettled(): Promise<void>;
  close(): Promise<void>;
}

/** A refusal by Tencent itself, after the signature checks. */
type VendorFault = { kind: 'fail'; error: FakeError };
/** What a gateway or the network does to the next request, whatever it is. */
type GatewayFault = { kind: 'http'; status: number } | { kind: 'reset' } | { kind: 'malformed' };
type Fault = VendorFault | GatewayFault;

export const SMS_SERVICE = 'sms';
export { SMS_VERSION };
const DEFAULT_REGIONS = ['ap-guangzhou', 'ap-beijing', 'ap-nanjing'];

export async function startFakeTencent(opts: FakeTencentOptions): Promise<FakeTencent> {
  const now = opts.now ?? Date.now;
  const secrets = new Map([[opts.secretId, opts.secretKey]]);
  const regions = new Set(opts.regions ?? DEFAULT_REGIONS);
  const account = {
    sdkAppId: opts.sdkAppId,
    signNames: new Set(opts.signNames),
    templates: new Map(Object.entries(opts.templates)),
  };
  let callbackUrl = opts.callbackUrl ?? null;
  const faults = new FaultQueue<Fault>();
  const rules = new Map<string, NumberRule>();
  const sent: SentSms[] = [];
  const refused: RefusedRequest[] = [];
  const reports = statusReportPusher(
    () => callbackUrl,
    () => opts.callbackDelayMs ?? 50,
  );

  function handle({ req, res, text: body, reset }: FakeExchange): void {
    const requestId = randomUUID();

    // Gateway faults hit the next request whatever it is; vendor errors only one that passes auth.
    const fault = faults.takeIf((f): f is GatewayFault => f.kind !== 'fail');
    if (fault?.kind === 'reset') return reset();
    if (fault?.kind === 'http') return gatewayPage(res, fault.status);
    if (fault?.kind === 'malformed')
      return sendRaw(res, 200, '{"Response":{"SendStatusSet":[{"Seri', 'application/json');

    const refuse = (e: FakeError): void => {
      refused.push({ ...e, requestId });
      sendJson(res, { Response: { Error: { Code: e.code, Message: e.message }, RequestId: requestId } });
    };
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/') return sendRaw(res, 404, 'Not Found', 'text/plain');
    if (req.method !== 'POST')
      return refuse(tencentErrors.invalidParameter('SendSms is called with POST and a JSON body here.'));

    const headerError = checkHeaders(req.headers, regions);
    if (headerError) return refuse(headerError);
    const auth = verifyTc3(
      { method: req.method, url: req.url ?? '/', headers: req.headers, body },
      { secrets, now: now(), service: SMS_SERVICE },
    );
    if (!auth.ok) return refuse({ code: auth.code, message: auth.message });
    const vendorFault = faults.takeIf((f): f is VendorFault => f.kind === 'fail');
    if (vendorFault) return refuse(vendorFault.error);

    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return refuse(tencentErrors.invalidParameter('The request body is not valid JSON.'));
    }
    const call = readSendSms(json, account);
    if (isFakeError(call)) return refuse(call);
    sendJson(res, {
      Response: { SendStatusSet: call.phoneNumbers.map((n) => sendTo(n, call, requestId)), RequestId: requestId },
    });
  }

  function sendTo(given: string, call: SendSmsCall, requestId: string) {
    const { number, valid } = normalizeNumber(given);
    const isoCode = valid ? (parsePhoneNumberFromString(number)?.country ?? 'DEF') : 'DEF';
    const rule = rules.get(number) ?? rules.get(given);
    const code = !valid ? 'InvalidParameterValue.IncorrectPhoneNumber' : (rule?.code ?? 'Ok');
    const base = {
      PhoneNumber: number,
      SessionContext: call.sessionContext,
      Code: code,
      Message: numberMessage(code),
      IsoCode: isoCode,
    };
    if (code !== 'Ok') return { SerialNo: '', Fee: 0, ...base };

    const text = render(call);
    const at = now();
    const serialNo = newSerialNo();
    const fee = feeOf(text);
    sent.push({
      serialNo,
      phoneNumber: number,
      sdkAppId: call.sdkAppId,
      signName: call.international ? null : call.signName,
      templateId: call.templateId,
      params: call.params,
      sessionContext: call.sessionContext,
      senderId: call.senderId,
      text,
      fee,
      isoCode,
      requestId,
      at,
    });
    reports.queue(
      reportFor(
        serialNo,
        number,
        { delivered: (rule?.outcome ?? 'delivered') === 'delivered', errmsg: rule?.errmsg },
        at,
      ),
    );
    return { SerialNo: serialNo, Fee: fee, ...base };
  }

  const server = await startFakeHttpServer({
    handle,
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.latencyMs === undefined ? {} : { latencyMs: opts.latencyMs }),
  });

  return {
    url: server.url,
    sent,
    refused,
    callbacks: reports.log,
    get requests() {
      return server.requests;
    },
    get aborted() {
      return server.aborted;
    },
    failNext: (n, code, message) => faults.add(n, { kind: 'fail', error: errorFor(code, message) }),
    httpErrorNext: (n, status) => faults.add(n, { kind: 'http', status }),
    resetNext: (n) => faults.add(n, { kind: 'reset' }),
    malformedNext: (n) => faults.add(n, { kind: 'malformed' }),
    clearFaults: () => faults.clear(),
    respondTo: (number, rule) => void rules.set(number, rule),
    setLatency: (ms) => server.setLatency(ms),
    setCallbackUrl: (url) => void (callbackUrl = url),
    pushStatus: (list, url) => reports.push(list, url),
    callbacksSettled: () => reports.settled(),
    async close() {
      await Promise.all([server.close(), reports.close()]);
    },
  };
}

function sendJson(res: ServerResponse, body: unknown): void {
  sendRaw(res, 200, JSON.stringify(body), 'application/json');
}
