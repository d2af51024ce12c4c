/**
 * @module app/manage-webhooks
 * The webhook API: register an endpoint (its signing secret is shown in that answer and never
 * again), list, look up and remove endpoints, and read an endpoint's delivery log.
 */
import { TidingsError } from '../core/errors.js';
import type { WebhookDelivery } from '../ports/webhook-deliveries.js';
import type { WebhookEndpoint } from '../ports/webhook-endpoints.js';
import type { AppDeps } from './deps.js';
import type { NewWebhookEndpoint } from './webhook-subscriptions.js';

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string | null;
  /** null: every event type, including types added later. */
  eventTypes: string[] | null;
  createdAt: string;
}

export interface WebhookDeliveryView {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const endpointView = (e: WebhookEndpoint): WebhookEndpointView => ({
  id: e.id,
  url: e.url,
  description: e.description,
  eventTypes: e.eventTypes === null ? null : [...e.eventTypes],
  createdAt: new Date(e.createdAt).toISOString(),
});

const deliveryView = (d: WebhookDelivery): WebhookDeliveryView => ({
  id: d.id,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  nextAttemptAt: iso(d.nextAttemptAt),
  deliveredAt: iso(d.deliveredAt),
  createdAt: new Date(d.createdAt).toISOString(),
  updatedAt: new Date(d.updatedAt).toISOString(),
});

const ID = /^[A-Za-z0-9_]{1,64}$/;
const notFound = (): TidingsError => new TidingsError('not_found', 'No webhook endpoint has this id.');

function cursorId(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!ID.test(id)) throw new TidingsError('malformed_cursor', undefined, 'cursor');
  return id;
}

function page<T extends { id: string }, V>(rows: T[], limit: number, view: (r: T) => V): Page<V> {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    data: shown.map(view),
    nextCursor: rows.length > limit && last ? Buffer.from(last.id).toString('base64url') : null,
  };
}

export async function createWebhook(
  deps: AppDeps,
  input: NewWebhookEndpoint,
): Promise<WebhookEndpointView & { secret: string }> {
  const { endpoint, secret } = await deps.webhooks.create(input);
  return { ...endpointView(endpoint), secret };
}

export async function listWebhooks(
  deps: AppDeps,
  q: { cursor?: string; limit?: number },
): Promise<Page<WebhookEndpointView>> {
  const limit = q.limit ?? 100;
  const after = cursorId(q.cursor);
  const rows = await deps.webhooks.store.list({ limit: limit + 1, ...(after !== undefined ? { after } : {}) });
  return page(rows, limit, endpointView);
}

export async function getWebhook(deps: AppDeps, id: string): Promise<WebhookEndpointView> {
  const found = ID.test(id) ? await deps.webhooks.store.get(id) : null;
  if (!found) throw notFound();
  return endpointView(found);
}

export async function deleteWebhook(deps: AppDeps, id: string): Promise<void> {
  if (!ID.test(id) || !(await deps.webhooks.remove(id))) throw notFound();
}

export async function listWebhookDeliveries(
  deps: AppDeps,
  id: string,
  q: { cursor?: string; limit?: number },
): Promise<Page<WebhookDeliveryView>> {
  await getWebhook(deps, id);
  const limit = q.limit ?? 100;
  const before = cursorId(q.cursor);
  const rows = await deps.webhookDeliveries.list(id, { limit: limit + 1, ...(before !== undefined ? { before } : {}) });
  return page(rows, limit, deliveryView);
}
