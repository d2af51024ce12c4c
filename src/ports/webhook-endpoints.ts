/**
 * @module ports/webhook-endpoints
 * The application's own endpoints (POST /v1/webhooks): where its events go, which types it wants,
 * and the secret its deliveries are signed with. The secret is stored because signing needs it; it
 * is handed out once, at creation, and never read back through the API.
 */
import type { AppEventType } from './app-events.js';

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  /** The event types it subscribed to; null for every type, including types added later. */
  eventTypes: readonly AppEventType[] | null;
  createdAt: number;
}

export interface WebhookEndpointStore {
  create(endpoint: WebhookEndpoint, secret: string): Promise<void>;
  get(id: string): Promise<WebhookEndpoint | null>;
  /** A page in id order (ids sort by creation), after `after` (exclusive). */
  list(opts: { after?: string; limit: number }): Promise<WebhookEndpoint[]>;
  /** Every endpoint, for the in-memory copy the publish path reads. */
  all(): Promise<WebhookEndpoint[]>;
  /** Removes the endpoint and its deliveries, pending or not. */
  remove(id: string): Promise<boolean>;
  /** Changes whenever the set of endpoints does; cheap, so other processes can poll it. */
  version(): Promise<string>;
}
