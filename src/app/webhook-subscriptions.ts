/**
 * @module app/webhook-subscriptions
 * Which of the application's endpoints want which event types, held in memory so that publishing
 * an event nobody subscribed to costs a map lookup and no database write. The copy follows this
 * process's own changes at once and other processes' within the refresh interval (a cheap version
 * poll, as the banned-word list and the suppression list do).
 */
import { randomBytes } from 'node:crypto';
import { TidingsError } from '../core/errors.js';
import { APP_EVENT_TYPES, type AppEventType } from '../ports/app-events.js';
import type { WebhookEndpoint, WebhookEndpointStore } from '../ports/webhook-endpoints.js';
import { checkWebhookUrl } from './webhook-url.js';

/** How often a process re-reads endpoints that another process may have added or removed. */
export const WEBHOOK_SUBSCRIPTIONS_REFRESH_MS = 5_000;

export interface NewWebhookEndpoint {
  url: string;
  eventTypes?: readonly string[];
  description?: string;
}

/** 32 random bytes, as Standard Webhooks libraries expect a secret: `whsec_` + base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export class WebhookSubscriptions {
  private byType = new Map<AppEventType, readonly string[]>();
  private seenVersion = '';

  constructor(
    readonly store: WebhookEndpointStore,
    private readonly opts: { allowHttp: boolean; allowPrivate?: boolean; newId: () => string; now: () => number },
  ) {}

  /** Ids of the endpoints that receive events of this type (none: nobody listens). */
  subscribers(type: AppEventType): readonly string[] {
    return this.byType.get(type) ?? [];
  }

  async refresh(): Promise<void> {
    const version = await this.store.version();
    if (version === this.seenVersion) return;
    this.rebuild(await this.store.all());
    this.seenVersion = version;
  }

  /** Stores the endpoint; the secret is returned here and never again. */
  async create(input: NewWebhookEndpoint): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const url = checkWebhookUrl(input.url, this.opts);
    const endpoint: WebhookEndpoint = {
      id: this.opts.newId(),
      url,
      description: input.description ?? null,
      eventTypes: input.eventTypes === undefined ? null : eventTypes(input.eventTypes),
      createdAt: this.opts.now(),
    };
    const secret = newWebhookSecret();
    await this.store.create(endpoint, secret);
    await this.reload();
    return { endpoint, secret };
  }

  async remove(id: string): Promise<boolean> {
    const removed = await this.store.remove(id);
    if (removed) await this.reload();
    return removed;
  }

  private async reload(): Promise<void> {
    this.seenVersion = '';
    await this.refresh();
  }

  private rebuild(endpoints: readonly WebhookEndpoint[]): void {
    const byType = new Map<AppEventType, string[]>();
    for (const e of endpoints) {
      for (const type of e.eventTypes ?? APP_EVENT_TYPES) byType.set(type, [...(byType.get(type) ?? []), e.id]);
    }
    this.byType = byType;
  }
}

function eventTypes(given: readonly string[]): AppEventType[] {
  const unknown = given.filter((t) => !(APP_EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0) {
    throw new TidingsError(
      'validation_failed',
      `Unknown event type ${unknown.map((t) => `"${t}"`).join(', ')}; known: ${APP_EVENT_TYPES.join(', ')}.`,
      'eventTypes',
    );
  }
  if (given.length === 0) throw new TidingsError('validation_failed', 'Name at least one event type.', 'eventTypes');
  return [...new Set(given as AppEventType[])];
}
