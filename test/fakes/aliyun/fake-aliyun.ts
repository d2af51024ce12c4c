/**
 * @module test/fakes/aliyun/fake-aliyun
 * Aliyun Dysmsapi `SendSms` (2017-05-25) on loopback, speaking the real protocol: both signature
 * schemes the official SDK uses (ACS3-HMAC-SHA256 by default, the RPC HMAC-SHA1 one with
 * `signatureAlgorithm: 'v2'`), checked as the gateway checks them (±15 minutes, one use per
 * nonce); the account's signatures and templates; answers in the real shapes (business refusals
 * as HTTP 200 with `Code`, gateway refusals as 4xx/5xx, JSON or XML by `Format`); and SmsReport
 * pushed as unsigned JSON arrays to the console-configured URL, re-pushed when not acknowledged.
 * Plus faults on demand: vendor codes, HTTP errors from a load balancer, resets, garbage, latency.
 */
import { randomUUID } from 'node:crypto';
import { FaultQueue } from '../shared/fault-queue.js';
import { gatewayPage, sendRaw, startFakeHttpServer, type FakeExchange } from '../shared/fake-http-server.js';
import { verifyAcs3, decodeQuery, ACS3 } from './acs3-verifier.js';
import { errorFor, gateway, type FakeError } from './aliyun-errors.js';
import { answer, type Format } from './answers.js';
import { FlowControlCounter, type FlowControl } from './flow-control.js';
import { verifyRpc } from './rpc-verifier.js';
import { isFakeError, readSendSms, render, smsSizeOf, type FakeTemplate, type Recipient } from './send-sms.js';
import {
  ALIYUN_RETRY_DELAYS_MS,
  beijingTimestamp,
  smsReportPusher,
  type ReportPush,
  type SmsReport,
} from './sms-reports.js';

export const SMS_VERSION = '2017-05-25';

export interface FakeAliyunOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** Approved signatures (签名). */
  signNames: string[];
  /** Approved templates by TemplateCode. */
  templates: Record<string, FakeTemplate>;
  /** The SmsReport URL set in the console; null: no reports are pushed (default). */
  reportUrl?: string | null;
  /** Delay before queued reports are pushed, as one batch (default 50). */
  reportDelayMs?: number;
  /** Re-push schedule for batches not acknowledged (default Aliyun's 1, 5, 10 minutes). */
  reportRetryDelaysMs?: number[];
  /** Per number and signature flow control, as `isv.BUSINESS_LIMIT_CONTROL`; off by default. */
  flowControl?: FlowControl | null;
  /** Delay before each answer (default 0). */
  latencyMs?: number;
  /** The server's clock, for the ±15 minute check (default Date.now). */
  now?: () => number;
  port?: number;
}

/** How the fake treats one phone number (keyed by `+86…`/E.164 or as sent). */
export interface NumberRule {
  /** Refuse a request to this number with this business code (e.g. isv.BLACK_KEY_CONTROL_LIMIT). */
  code?: string;
  message?: string;
  /** How delivery ends when sent (default `delivered`). */
  outcome?: 'delivered' | 'undelivered';
  /** The carrier receipt for `undelivered` (default `UNDELIV`). */
  errCode?: string;
  errMsg?: string;
}

/** One accepted number, as the test sees it. */
export interface SentSms {
  bizId: string;
  requestId: string;
  /** As the request gave it. */
  phoneNumber: string;
  e164: string;
  signName: string;
  templateCode: string;
  params: Record<string, string>;
  outId: string | null;
  /** The text as the handset shows it, signature first. */
  text: string;
  smsSize: number;
  accessKeyId: string;
  signatureMethod: typeof ACS3 | 'HMAC-SHA1';
  at: number;
}

/** A request the fake refused, for tests to assert on. */
export interface RefusedRequest {
  code: string;
  message: string;
  status: number;
  requestId: string;
}

export interface FakeAliyun {
  /** The origin to give the client (`endpoint=` in a provider URL). */
  readonly url: string;
  /** host:port, for the official SDK's `endpoint`. */
  readonly host: string;
  readonly sent: readonly SentSms[];
  readonly refused: readonly RefusedRequest[];
  /** Every SmsReport push, re-pushes included. */
  readonly reports: readonly ReportPush[];
  /** Every HTTP request received, faults included. */
  readonly requests: number;
  /** Requests whose client went away before the answer. */
  readonly aborted: number;
  /** The next `n` signed SendSms calls answer this code, shaped as Aliyun would (business or gateway). */
  failNext(n: number, code: string, opts?: { message?: string; retryAfterMs?: number }): void;
  /** The next `n` requests answer this HTTP status with an HTML page, as a load balancer would. */
  httpErrorNext(n: number, status: number): void;
  /** The next `n` requests get their connection destroyed, unanswered. */
  resetNext(n: number): void;
  /** The next `n` requests answer 200 with truncated JSON; nothing is sent. */
  malformedNext(n: number): void;
  /** Drops every pending fault: the service has recovered. */
  clearFaults(): void;
  respondTo(phoneNumber: string, rule: NumberRule): void;
  setLatency(ms: number): void;
  setReportUrl(url: string | null): void;
  /** Pushes these reports (any JSON, for forged or odd ones) now, once, as Aliyun would. */
  pushReports(reports: unknown[], url?: string): Promise<ReportPush>;
  /** Resolves when every report queued so far has been pushed once. */
  reportsSettled(): Promise<void>;
  close(): Promise<void>;
}

type Fault =
  { kind: 'fail'; error: FakeError } | { kind: 'http'; status: number } | { kind: 'reset' } | { kind: 'malformed' };

const NONCE_TTL_MS = 15 * 60_000;

export async function startFakeAliyun(opts: FakeAliyunOptions): Promise<FakeAliyun> {
  const now = opts.now ?? Date.now;
  const secrets = new Map([[opts.accessKeyId, opts.accessKeySecret]]);
  const account = { signNames: new Set(opts.signNames), templates: new Map(Object.entries(opts.templates)) };
  let reportUrl = opts.reportUrl ?? null;
  let seq = 0;
  const faults = new FaultQueue<Fault>();
  const rules = new Map<string, NumberRule>();
  const nonces = new Map<string, number>();
  const flowControl = opts.flowControl ? new FlowControlCounter(opts.flowControl) : null;
  const sent: SentSms[] = [];
  const refused: RefusedRequest[] = [];
  const reports = smsReportPusher(
    () => reportUrl,
    () => opts.reportDelayMs ?? 50,
    () => opts.reportRetryDelaysMs ?? ALIYUN_RETRY_DELAYS_MS,
  );

  function handle({ req, res, text: body, reset }: FakeExchange): void {
    const requestId = randomUUID().toUpperCase();
    const hostId = req.headers.host ?? '127.0.0.1';

    const fault = faults.take();
    if (fault?.kind === 'reset') return reset();
    if (fault?.kind === 'http') return gatewayPage(res, fault.status);
    if (fault?.kind === 'malformed') return sendRaw(res, 200, '{"Code":"OK","BizId":"9006', 'application/json');

    let format: Format = 'JSON';
    const refuse = (e: FakeError): void => {
      refused.push({ code: e.code, message: e.message, status: e.status, requestId });
      const headers: Record<string, string> =
        e.retryAfterMs === undefined ? {} : { 'x-acs-retry-after': String(e.retryAfterMs) };
      if (e.status === 200) {
        return answer(res, format, 200, 'SendSmsResponse', { Message: e.message, RequestId: requestId, Code: e.code });
      }
      const recommend = `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(e.code)}&product=Dysmsapi&requestId=${requestId}`;
      const errorBody = {
        RequestId: requestId,
        HostId: hostId,
        Code: e.code,
        Message: e.message,
        Recommend: recommend,
      };
      answer(res, format, e.status, 'Error', errorBody, headers);
    };

    const url = req.url ?? '/';
    const q = url.indexOf('?');
    if ((q === -1 ? url : url.slice(0, q)) !== '/') return refuse(gateway('InvalidAction.NotFound'));
    const isForm = /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '');
    const params = { ...decodeQuery(q === -1 ? '' : url.slice(q + 1)), ...(isForm ? decodeQuery(body) : {}) };

    let accessKeyId: string;
    let nonce: string;
    let action: string;
    let version: string;
    let signatureMethod: SentSms['signatureMethod'];
    let businessParams: Record<string, string>;
    if ((req.headers.authorization ?? '').startsWith(`${ACS3} `)) {
      const auth = verifyAcs3(
        { method: req.method ?? 'GET', url, headers: req.headers, body },
        { secrets, now: now() },
      );
      if (!auth.ok) return refuse(auth);
      ({ accessKeyId, nonce, action, version } = auth);
      signatureMethod = ACS3;
      businessParams = params;
    } else if (params.Signature !== undefined) {
      // Errors too come back in the Format asked for (XML when none is).
      format = (params.Format ?? 'XML').toUpperCase() === 'JSON' ? 'JSON' : 'XML';
      const auth = verifyRpc(req.method ?? 'GET', params, { secrets, now: now() });
      if (!auth.ok) return refuse(auth);
      ({ accessKeyId, nonce, action, version } = auth);
      signatureMethod = 'HMAC-SHA1';
      businessParams = auth.params;
    } else {
      return refuse(gateway('IncompleteSignature', 'The request is not signed.'));
    }
    if (action !== 'SendSms') return refuse(gateway('InvalidAction.NotFound'));
    if (version !== SMS_VERSION) return refuse(gateway('InvalidVersion'));
    if (!useNonce(nonce)) return refuse(gateway('SignatureNonceUsed'));
    if (fault?.kind === 'fail') return refuse(fault.error);

    const call = readSendSms(businessParams, account);
    if (isFakeError(call)) return refuse(call);
    for (const r of call.recipients) {
      const rule = ruleFor(r);
      if (rule?.code) return refuse(errorFor(rule.code, rule.message === undefined ? {} : { message: rule.message }));
    }
    const limited =
      flowControl?.take(
        call.recipients.map((r) => `${r.e164}|${call.signName}`),
        now(),
      ) ?? null;
    if (limited) return refuse(limited);

    const bizId = newBizId();
    const at = now();
    const text = render(call);
    for (const r of call.recipients) {
      const entry: SentSms = {
        bizId,
        requestId,
        phoneNumber: r.given,
        e164: r.e164,
        signName: call.signName,
        templateCode: call.templateCode,
        params: call.params,
        outId: call.outId,
        text,
        smsSize: smsSizeOf(text),
        accessKeyId,
        signatureMethod,
        at,
      };
      sent.push(entry);
      reports.queue(reportFor(entry, r, ruleFor(r), now()));
    }
    answer(res, format, 200, 'SendSmsResponse', { Code: 'OK', Message: 'OK', BizId: bizId, RequestId: requestId });
  }

  function ruleFor(r: Recipient): NumberRule | undefined {
    return rules.get(r.e164) ?? rules.get(r.given);
  }

  /** A nonce may be used once within the window in which its timestamp is accepted. */
  function useNonce(nonce: string): boolean {
    const t = now();
    if (nonces.size > 10_000) for (const [n, at] of nonces) if (t - at > NONCE_TTL_MS) nonces.delete(n);
    const seen = nonces.get(nonce);
    if (seen !== undefined && t - seen <= NONCE_TTL_MS) return false;
    nonces.set(nonce, t);
    return true;
  }

  /** `<digits>^0`, the shape of a real BizId (e.g. `853819343905671399^0`). */
  function newBizId(): string {
    seq = (seq + 1) % 100_000;
    return `${now()}${String(seq).padStart(5, '0')}^0`;
  }

  const server = await startFakeHttpServer({
    handle,
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.latencyMs === undefined ? {} : { latencyMs: opts.latencyMs }),
  });

  return {
    url: server.url,
    host: `127.0.0.1:${server.port}`,
    sent,
    refused,
    reports: reports.log,
    get requests() {
      return server.requests;
    },
    get aborted() {
      return server.aborted;
    },
    failNext: (n, code, o) => faults.add(n, { kind: 'fail', error: errorFor(code, o) }),
    httpErrorNext: (n, status) => faults.add(n, { kind: 'http', status }),
    resetNext: (n) => faults.add(n, { kind: 'reset' }),
    malformedNext: (n) => faults.add(n, { kind: 'malformed' }),
    clearFaults: () => faults.clear(),
    respondTo: (number, rule) => void rules.set(number, rule),
    setLatency: (ms) => server.setLatency(ms),
    setReportUrl: (u) => void (reportUrl = u),
    pushReports: (list, u) => reports.push(list, u),
    reportsSettled: () => reports.settled(),
    async close() {
      await Promise.all([server.close(), reports.close()]);
    },
  };
}

function reportFor(sms: SentSms, r: Recipient, rule: NumberRule | undefined, reportedAt: number): SmsReport {
  const delivered = (rule?.outcome ?? 'delivered') === 'delivered';
  return {
    phone_number: r.mainland ? r.e164.slice(3) : r.e164.slice(1),
    send_time: beijingTimestamp(sms.at),
    report_time: beijingTimestamp(reportedAt),
    success: delivered,
    err_code: delivered ? 'DELIVERED' : (rule?.errCode ?? 'UNDELIV'),
    err_msg: delivered ? '用户接收成功' : (rule?.errMsg ?? '用户未接收'),
    sms_size: String(sms.smsSize),
    biz_id: sms.bizId,
    out_id: sms.outId ?? '',
  };
}
