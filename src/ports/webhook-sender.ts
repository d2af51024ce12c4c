/**
 * @module ports/webhook-sender
 * One signed HTTP POST to someone else's server: the application's endpoints and the operators'
 * alert hook. Signed per the Standard Webhooks specification (webhook-id, webhook-timestamp,
 * webhook-signature), so receivers can use any Standard Webhooks library to check it.
 */
export interface SignedPost {
  url: string;
  /** `whsec_…`; null sends the body unsigned (an alert hook configured without a secret). */
  secret: string | null;
  /** webhook-id: the same on every attempt, so the receiver can drop a repeat. */
  id: string;
  /** Epoch ms of this attempt (webhook-timestamp, in seconds on the wire). */
  timestamp: number;
  /** The JSON body, exactly as signed. */
  body: string;
}

export interface WebhookSender {
  /**
   * Resolves with the receiver's status code, whatever it is; rejects when no answer came
   * (connection refused, reset, `signal` aborted by the caller's timeout).
   */
  post(req: SignedPost, signal: AbortSignal): Promise<{ statusCode: number }>;
  close?(): Promise<void>;
}
