/**
 * @module core/provider-error
 * The one shape a provider failure takes once its adapter has classified it. The dispatcher decides
 * retry, failover or give-up from `kind` alone, never from a vendor's message text.
 */
export type ProviderErrorKind =
  | 'transient' // network error, timeout, 5xx: try again later
  | 'rate_limited' // 429: try again after retryAfterMs
  | 'unavailable' // the provider is down or misconfigured for now: try again (later: another provider)
  | 'invalid_recipient' // the number cannot receive this: never retry
  | 'opted_out' // the recipient unsubscribed at the carrier: never retry
  | 'rejected_content' // the carrier refused the text: never retry as is
  | 'auth' // our credentials are wrong: retrying will not help without an operator
  | 'permanent'; // anything else the provider says will not work

export const RETRYABLE_KINDS: ReadonlySet<ProviderErrorKind> = new Set(['transient', 'rate_limited', 'unavailable']);

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly kind: ProviderErrorKind;
  /** The vendor's own code (Twilio 21211, ...), kept for the caller and the event log. */
  readonly providerCode: string | null;
  /** The provider asked us to wait this long (e.g. Retry-After). */
  readonly retryAfterMs: number | null;

  constructor(
    kind: ProviderErrorKind,
    message: string,
    opts: { providerCode?: string | number | null; retryAfterMs?: number | null; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.kind = kind;
    this.providerCode = opts.providerCode == null ? null : String(opts.providerCode);
    this.retryAfterMs = opts.retryAfterMs ?? null;
  }

  get retryable(): boolean {
    return RETRYABLE_KINDS.has(this.kind);
  }
}

export function isProviderError(err: unknown): err is ProviderError {
  return err instanceof ProviderError;
}
