/**
 * @module test/fakes/aliyun/aliyun-errors
 * Aliyun's error answers as Dysmsapi shapes them (providers.md §3.2). Two kinds:
 * - business refusals of the SMS service (`isv.*`, `isp.*`): HTTP 200,
 *   `{"Message","RequestId","Code"}`, no BizId; texts from Aliyun's "API错误码" page;
 * - gateway refusals (signature, credentials, parameters, throttling): HTTP 4xx/5xx,
 *   `{"RequestId","HostId","Code","Message","Recommend"}`.
 */

export interface FakeError {
  code: string;
  message: string;
  /** 200 for business refusals; the gateway's status otherwise. */
  status: number;
  /** Sent as `x-acs-retry-after` (throttling). */
  retryAfterMs?: number;
}

/** Business codes and Aliyun's (Chinese) texts for them. */
export const BUSINESS_MESSAGES: Readonly<Record<string, string>> = {
  'isv.BUSINESS_LIMIT_CONTROL': '触发分钟级流控Permits:1',
  'isv.DAY_LIMIT_CONTROL': '触发日发送限额',
  'isv.MONTH_LIMIT_CONTROL': '触发月发送限额',
  'isv.MOBILE_NUMBER_ILLEGAL': '非法手机号',
  'isv.MOBILE_COUNT_OVER_LIMIT': '手机号码数量超过限制',
  'isv.AMOUNT_NOT_ENOUGH': '账户余额不足',
  'isv.OUT_OF_SERVICE': '业务停机',
  'isv.SMS_SIGNATURE_ILLEGAL': '该账号下找不到对应签名',
  'isv.SIGN_STATE_ILLEGAL': '签名状态不合法',
  'isv.SMS_TEMPLATE_ILLEGAL': '该账号下找不到对应模板',
  'isv.TEMPLATE_MISSING_PARAMETERS': '模板缺少变量',
  'isv.INVALID_JSON_PARAM': 'JSON参数不合法，只接受字符串值',
  'isv.PARAM_LENGTH_LIMIT': '参数超出长度限制',
  'isv.PARAM_NOT_SUPPORT_URL': '不支持URL',
  'isv.BLACK_KEY_CONTROL_LIMIT': '黑名单管控',
  'isv.SMS_SIGNATURE_SCENE_ILLEGAL': '签名的适用场景与短信类型不匹配',
  'isv.DENY_IP_RANGE': '源IP地址所在的地区被禁用',
  'isv.DOMESTIC_NUMBER_NOT_SUPPORTED': '国际/港澳台消息模板不支持发送境内号码',
  'isv.PRODUCT_UN_SUBSCRIPT': '未开通云通信产品的阿里云客户',
  'isv.ACCOUNT_NOT_EXISTS': '账户不存在',
  'isv.ACCOUNT_ABNORMAL': '账户异常',
  'isp.RAM_PERMISSION_DENY': 'RAM权限DENY',
  'isp.SYSTEM_ERROR': '系统错误',
};

/** Gateway codes: HTTP status and the gateway's English text. */
export const GATEWAY_ERRORS: Readonly<Record<string, { status: number; message: string }>> = {
  SignatureDoesNotMatch: { status: 400, message: 'Specified signature is not matched with our calculation.' },
  IncompleteSignature: { status: 400, message: 'The request signature does not conform to Aliyun standards.' },
  'InvalidAccessKeyId.NotFound': { status: 404, message: 'Specified access key is not found.' },
  'InvalidTimeStamp.Expired': { status: 400, message: 'Specified time stamp or date value is expired.' },
  'InvalidTimeStamp.Format': { status: 400, message: 'Specified time stamp or date value is not well formatted.' },
  SignatureNonceUsed: { status: 400, message: 'Specified signature nonce was used already.' },
  InvalidVersion: { status: 400, message: 'Specified parameter Version is not valid.' },
  'InvalidAction.NotFound': { status: 404, message: 'Specified api is not found, please check your url and method.' },
  Throttling: { status: 400, message: 'Request was denied due to request throttling.' },
  'Throttling.User': { status: 400, message: 'Request was denied due to user flow control.' },
  'Throttling.Api': { status: 400, message: 'Request was denied due to api flow control.' },
  InternalError: {
    status: 500,
    message: 'The request processing has failed due to some unknown error, exception or failure.',
  },
  ServiceUnavailable: { status: 503, message: 'The request has failed due to a temporary failure of the server.' },
};

export function business(code: string, message?: string): FakeError {
  return { code, message: message ?? BUSINESS_MESSAGES[code] ?? `${code} (fake)`, status: 200 };
}

export function gateway(code: string, message?: string): FakeError {
  const known = GATEWAY_ERRORS[code];
  return { code, message: message ?? known?.message ?? `${code} (fake)`, status: known?.status ?? 400 };
}

/** `MissingSignName` and friends: a required parameter is absent. */
export function missing(name: string): FakeError {
  return { code: `Missing${name}`, message: `${name} is mandatory for this action.`, status: 400 };
}

/** Any code, shaped the way Aliyun would send it: `isv.*`/`isp.*` as business answers, the rest by the gateway. */
export function errorFor(code: string, opts: { message?: string; retryAfterMs?: number } = {}): FakeError {
  const base = /^is[vp]\./.test(code) ? business(code, opts.message) : gateway(code, opts.message);
  return opts.retryAfterMs === undefined ? base : { ...base, retryAfterMs: opts.retryAfterMs };
}
