import { describe, expect, it } from 'vitest';
import { AliyunApiError, aliyunError, aliyunHttpError, kindOfCode } from './errors.js';

// 2024-03-01 12:00:00 UTC = 20:00 in Beijing: four hours to Beijing midnight.
const NOW = Date.UTC(2024, 2, 1, 12, 0, 0);
const ctx = { requestId: 'CDDD2912-0000', httpStatus: 200, now: NOW };

describe('kindOfCode', () => {
  it.each([
    ['isv.BUSINESS_LIMIT_CONTROL', 200, 'rate_limited'],
    ['isv.DAY_LIMIT_CONTROL', 200, 'rate_limited'],
    ['isv.MONTH_LIMIT_CONTROL', 200, 'unavailable'],
    ['isv.MOBILE_NUMBER_ILLEGAL', 200, 'invalid_recipient'],
    ['isv.MOBILE_COUNT_OVER_LIMIT', 200, 'permanent'],
    ['isv.AMOUNT_NOT_ENOUGH', 200, 'unavailable'],
    ['isv.OUT_OF_SERVICE', 200, 'unavailable'],
    ['isv.SMS_SIGNATURE_ILLEGAL', 200, 'rejected_content'],
    ['isv.SIGN_STATE_ILLEGAL', 200, 'rejected_content'],
    ['isv.SMS_SIGN_ILLEGAL', 200, 'rejected_content'],
    ['isv.SMS_TEMPLATE_ILLEGAL', 200, 'rejected_content'],
    ['isv.TEMPLATE_MISSING_PARAMETERS', 200, 'rejected_content'],
    ['isv.INVALID_JSON_PARAM', 200, 'rejected_content'],
    ['isv.PARAM_LENGTH_LIMIT', 200, 'rejected_content'],
    ['isv.PARAM_NOT_SUPPORT_URL', 200, 'rejected_content'],
    ['isv.BLACK_KEY_CONTROL_LIMIT', 200, 'rejected_content'],
    ['isv.SMS_SIGNATURE_SCENE_ILLEGAL', 200, 'rejected_content'],
    ['isv.DENY_IP_RANGE', 200, 'auth'],
    ['isv.DOMESTIC_NUMBER_NOT_SUPPORTED', 200, 'permanent'],
    ['isp.RAM_PERMISSION_DENY', 200, 'auth'],
    ['isv.PRODUCT_UN_SUBSCRIPT', 200, 'auth'],
    ['isv.ACCOUNT_NOT_EXISTS', 200, 'auth'],
    ['isv.ACCOUNT_ABNORMAL', 200, 'auth'],
    ['isp.SYSTEM_ERROR', 200, 'transient'],
    ['SignatureDoesNotMatch', 400, 'auth'],
    ['InvalidAccessKeyId.NotFound', 404, 'auth'],
    ['InvalidTimeStamp.Expired', 400, 'auth'],
    ['SignatureNonceUsed', 400, 'transient'],
    ['Throttling.User', 400, 'rate_limited'],
    ['MissingSignName', 400, 'permanent'],
    ['InvalidVersion', 400, 'unavailable'],
    ['ServiceUnavailable', 503, 'unavailable'],
    ['InternalError', 500, 'transient'],
    // Codes not in the table fall back on their family, then on the HTTP status.
    ['Throttling.Something.New', 400, 'rate_limited'],
    ['InvalidAccessKeyId.Expired', 400, 'auth'],
    ['isp.NEW_PLATFORM_ERROR', 200, 'transient'],
    ['isv.NEW_BUSINESS_ERROR', 200, 'permanent'],
    ['SomethingNew', 502, 'transient'],
    ['SomethingNew', 503, 'unavailable'],
    ['SomethingNew', 500, 'transient'],
    ['SomethingNew', 403, 'auth'],
    ['SomethingNew', 429, 'rate_limited'],
    ['SomethingNew', 400, 'permanent'],
  ])('%s (HTTP %i) → %s', (code, status, kind) => {
    expect(kindOfCode(code, status)).toBe(kind);
  });
});

describe('aliyunError', () => {
  it('keeps the code as providerCode and the vendor error, with masked numbers, as cause', () => {
    const err = aliyunError('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号 13800138000', {
      ...ctx,
      recommend: 'https://api.aliyun.com/troubleshoot?q=x',
    });
    expect(err).toMatchObject({ kind: 'invalid_recipient', providerCode: 'isv.MOBILE_NUMBER_ILLEGAL' });
    expect(err.message).toBe('Aliyun isv.MOBILE_NUMBER_ILLEGAL: 非法手机号 13800****8000');
    expect(err.cause).toBeInstanceOf(AliyunApiError);
    expect(err.cause).toMatchObject({
      code: 'isv.MOBILE_NUMBER_ILLEGAL',
      requestId: 'CDDD2912-0000',
      httpStatus: 200,
      recommend: 'https://api.aliyun.com/troubleshoot?q=x',
    });
  });

  it("reads flow control's window from Aliyun's message", () => {
    const after = (message: string) => aliyunError('isv.BUSINESS_LIMIT_CONTROL', message, ctx).retryAfterMs;
    expect(after('触发分钟级流控Permits:1')).toBe(60_000);
    expect(after('触发小时级流控Permits:5')).toBe(3_600_000);
    expect(after('触发天级流控Permits:10')).toBe(4 * 3_600_000);
    expect(after('流控')).toBeNull();
    expect(aliyunError('isv.DAY_LIMIT_CONTROL', '', ctx).retryAfterMs).toBe(4 * 3_600_000);
  });

  it('takes the gateway retry hint when there is one, and never sets retryAfter on other kinds', () => {
    const gateway = { ...ctx, httpStatus: 400 };
    expect(aliyunError('Throttling.User', 'denied', { ...gateway, retryAfterHeader: '1500' }).retryAfterMs).toBe(1500);
    expect(aliyunError('Throttling.User', 'denied', gateway).retryAfterMs).toBeNull();
    expect(aliyunError('Throttling.User', 'denied', { ...gateway, retryAfterHeader: 'soon' }).retryAfterMs).toBeNull();
    expect(aliyunError('isp.SYSTEM_ERROR', '', { ...ctx, retryAfterHeader: '1500' }).retryAfterMs).toBeNull();
  });
});

describe('aliyunHttpError', () => {
  it('classify by status when there is no Aliyun body, masking numbers in the snippet', () => {
    expect(aliyunHttpError(502, {}, '<html>bad gateway</html>', NOW)).toMatchObject({
      kind: 'transient',
      providerCode: '502',
    });
    expect(aliyunHttpError(503, { 'retry-after': '2' }, '', NOW)).toMatchObject({
      kind: 'unavailable',
      providerCode: '503',
      retryAfterMs: 2000,
    });
    expect(aliyunHttpError(500, {}, 'oops', NOW)).toMatchObject({ kind: 'transient' });
    expect(aliyunHttpError(404, {}, 'Not Found', NOW)).toMatchObject({ kind: 'permanent' });
    expect((aliyunHttpError(400, {}, 'bad +8613800138000', NOW).cause as Error).message).toBe('bad +86138****8000');
  });
});
