/**
 * @module ports/webhook-deliveries
 * The outbox of the application's webhooks: one row per event and endpoint, written when the event
 * happens, delivered later by a loop that leases rows the way the jobs table is leased (a crashed
 * deliverer's rows come back when the lease runs out), and kept afterwards as the delivery log.
 */
import type { AppEventType } from './app-events.js';

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface NewWebhookDelivery {
  id: string;
  endpointId: string;
  eventType: AppEventType;
  /** The exact JSON body the endpoint receives (and the signature covers). */
  payload: string;
  /** Also when it is first due. */
  createdAt: number;
}

/** A delivery as the log shows it. */
export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventType: AppEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  /** When it is tried next (while one is in flight: when its lease runs out); null once settled. */
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A delivery leased for one attempt, with what it takes to send it. */
export interface LeasedWebhookDelivery {
  id: string;
  endpointId: string;
  url: string;
  secret: string;
  eventType: AppEventType;
  payload: string;
  /** 1 for the first attempt. */
  attempt: number;
  leaseToken: string;
}

export type WebhookDeliveryOutcome =
  | { type: 'delivered'; statusCode: number }
  | { type: 'retry'; statusCode: number | null; error: string; nextAttemptAt: number }
  | { type: 'failed'; statusCode: number | null; error: string };

export interface WebhookDeliveryResult {
  id: string;
  leaseToken: string;
  at: number;
  outcome: WebhookDeliveryOutcome;
}

export interface WebhookDeliveryStore {
  enqueue(deliveries: NewWebhookDelivery[]): Promise<void>;
  /** Leases up to `limit` due deliveries until now + leaseMs; safe with claimers in other processes. */
  claim(opts: { limit: number; now: number; leaseMs: number; leaseToken: string }): Promise<LeasedWebhookDelivery[]>;
  /** Records attempts; a result whose lease was lost (it expired and another claimer took the row) is ignored. */
  complete(results: WebhookDeliveryResult[]): Promise<void>;
  /** Deletes delivered and failed attempts created before `before`; pending ones stay. Returns how many went. */
  prune(before: number): Promise<number>;
  /** An endpoint's log, newest first, before `before` (exclusive). */
  list(endpointId: string, opts: { before?: string; limit: number }): Promise<WebhookDelivery[]>;
}
