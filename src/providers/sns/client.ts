/**
 * @module providers/sns/client
 * The one call the adapter makes, `Publish`, through the official `@aws-sdk/client-sns`: it signs
 * SigV4 and reads SNS's XML, and surfaces the wire error code (`err.Code`) cleanly.
 *
 * The SDK is made to take everything from our URL and nothing from the machine. Left to itself it
 * reads credentials, region, endpoint (`AWS_ENDPOINT_URL_SNS`, `endpoint_url`), FIPS and dual-stack
 * switches, retry counts and defaults mode from environment variables and ~/.aws files; a stray
 * variable on a server would then send our messages from another account or to another endpoint.
 * So each of those is passed explicitly, and `maxAttempts: 1` leaves retries to our own policy.
 */
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import type { ProviderError } from '../../core/provider-error.js';
import type { SnsConfig } from './config.js';
import { transportError } from '../transport-error.js';
import { snsResponseError, snsUnreadableSuccess } from './errors.js';

export function createSnsClient(config: SnsConfig): SNSClient {
  return new SNSClient({
    region: config.region,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    ...(config.endpoint === null ? {} : { endpoint: config.endpoint }),
    ignoreConfiguredEndpointUrls: true,
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    maxAttempts: 1,
    retryMode: 'standard',
    // 'auto' (possible through AWS_DEFAULTS_MODE) would query the EC2 metadata service.
    defaultsMode: 'legacy',
    userAgentAppId: 'tidings',
  });
}

/**
 * Publishes and resolves with SNS's MessageId, or rejects with a classified `ProviderError`. Gives
 * up when `signal` aborts or after `timeoutMs`, whichever comes first.
 */
export async function publish(
  client: SNSClient,
  input: PublishCommandInput,
  signal: AbortSignal,
  opts: { timeoutMs: number; now: () => number },
): Promise<string> {
  if (signal.aborted) throw transportError('aborted', signal.reason, 'SNS');
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  let out;
  try {
    out = await client.send(new PublishCommand(input), { abortSignal: AbortSignal.any([signal, timeout]) });
  } catch (err) {
    if (signal.aborted) throw transportError('aborted', err, 'SNS');
    if (timeout.aborted) throw transportError('timeout', err, 'SNS', opts.timeoutMs);
    throw classifySdkError(err, opts.now());
  }
  if (!out.MessageId) {
    throw snsUnreadableSuccess(out.$metadata.httpStatusCode ?? 200, new Error('no MessageId in the answer'));
  }
  return out.MessageId;
}

/** What the SDK puts on its errors: service exceptions carry `$metadata.httpStatusCode` and `Code`. */
interface SdkErrorShape {
  message?: unknown;
  Code?: unknown;
  Type?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string; clockSkewCorrected?: boolean };
  $response?: { headers?: Record<string, string | undefined> };
}

export function classifySdkError(err: unknown, now: number): ProviderError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  // No HTTP status: the request never got an answer (refused, reset, DNS).
  if (status === undefined) return transportError('network', err, 'SNS');
  // A 2xx the SDK could not deserialize.
  if (status >= 200 && status < 300) return snsUnreadableSuccess(status, err);
  return snsResponseError(
    {
      httpStatus: status,
      code: typeof e.Code === 'string' && e.Code !== '' ? e.Code : null,
      type: typeof e.Type === 'string' ? e.Type : null,
      message: typeof e.message === 'string' ? e.message : '',
      requestId: e.$metadata?.requestId ?? null,
      retryAfter: e.$response?.headers?.['retry-after'] ?? null,
      clockSkewCorrected: e.$metadata?.clockSkewCorrected === true,
    },
    now,
  );
}
