import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../core/provider-error.js';
import type { HttpAnswer } from '../http-client.js';
import { sendResultFromResponse } from './send-result.js';

const NOW = Date.UTC(2024, 2, 1, 12, 0, 0);
const res = (status: number, body: unknown, headers: HttpAnswer['headers'] = {}): HttpAnswer => ({
  status,
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

function failure(r: HttpAnswer): ProviderError {
  try {
    sendResultFromResponse(r, NOW);
  } catch (err) {
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }
  throw new Error('expected a ProviderError');
}

describe('sendResultFromResponse', () => {
  it('reads the BizId of a send', () => {
    const ok = { Code: 'OK', Message: 'OK', BizId: '9006197469364984^0', RequestId: 'F655A8D5' };
    expect(sendResultFromResponse(res(200, ok), NOW)).toEqual({
      providerMessageId: '9006197469364984^0',
      status: 'sent',
      price: null,
    });
  });

  it('classifies a business refusal that came with HTTP 200', () => {
    const e = failure(
      res(200, { Message: '触发分钟级流控Permits:1', RequestId: 'R1', Code: 'isv.BUSINESS_LIMIT_CONTROL' }),
    );
    expect(e).toMatchObject({ kind: 'rate_limited', providerCode: 'isv.BUSINESS_LIMIT_CONTROL', retryAfterMs: 60_000 });
    expect(e.cause).toMatchObject({ requestId: 'R1', httpStatus: 200 });
  });

  it('classifies a gateway refusal by its code and keeps the retry hint', () => {
    const sig = {
      RequestId: 'R2',
      HostId: 'dysmsapi.aliyuncs.com',
      Code: 'SignatureDoesNotMatch',
      Message: 'Specified signature is not matched with our calculation.',
      Recommend: 'https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch',
    };
    expect(failure(res(400, sig))).toMatchObject({ kind: 'auth', providerCode: 'SignatureDoesNotMatch' });
    const throttled = failure(res(400, { ...sig, Code: 'Throttling.User' }, { 'x-acs-retry-after': '2000' }));
    expect(throttled).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2000 });
    // "OK" with an error status is still a failure.
    expect(failure(res(500, { Code: 'OK' }))).toMatchObject({ kind: 'transient' });
  });

  it('falls back on the status when the body is not Aliyun’s, and retries an unreadable success', () => {
    expect(failure(res(503, '<html>503</html>'))).toMatchObject({ kind: 'unavailable', providerCode: '503' });
    expect(failure(res(200, '{"Code":"OK","Biz'))).toMatchObject({ kind: 'transient' });
    expect(failure(res(200, { Code: 'OK', Message: 'OK' }))).toMatchObject({ kind: 'transient' });
    expect(failure(res(200, [1]))).toMatchObject({ kind: 'transient' });
  });
});
