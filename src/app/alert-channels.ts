/**
 * @module app/alert-channels
 * Where operator alerts go. A webhook gets the same Standard Webhooks shape as the application's
 * events (`{type: "alert.firing" | "alert.resolved", timestamp, data}`), signed when a secret is
 * configured; e-mail goes through the e-mail provider the composition root built from an smtp:// URL.
 */
import type { Alert, AlertChannel } from '../ports/alerts.js';
import type { Provider } from '../ports/provider.js';
import type { WebhookSender } from '../ports/webhook-sender.js';

export function alertPayload(alert: Alert): string {
  return JSON.stringify({
    type: `alert.${alert.state}`,
    timestamp: new Date(alert.at).toISOString(),
    data: { condition: alert.condition, state: alert.state, summary: alert.summary, ...alert.detail },
  });
}

export function alertText(alert: Alert): string {
  const lines = [alert.summary, '', `condition: ${alert.condition}`, `state: ${alert.state}`];
  for (const [k, v] of Object.entries(alert.detail))
    lines.push(`${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  lines.push(`at: ${new Date(alert.at).toISOString()}`);
  return lines.join('\n');
}

export class WebhookAlertChannel implements AlertChannel {
  readonly name = 'webhook';

  constructor(
    private readonly sender: WebhookSender,
    private readonly url: string,
    private readonly secret: string | null,
    private readonly newId: () => string,
  ) {}

  async notify(alert: Alert, signal: AbortSignal): Promise<void> {
    const { statusCode } = await this.sender.post(
      { url: this.url, secret: this.secret, id: this.newId(), timestamp: alert.at, body: alertPayload(alert) },
      signal,
    );
    if (statusCode < 200 || statusCode >= 300) throw new Error(`alert webhook answered HTTP ${statusCode}`);
  }
}

export class EmailAlertChannel implements AlertChannel {
  readonly name = 'email';

  constructor(
    private readonly provider: Provider,
    private readonly to: readonly string[],
    private readonly newId: () => string,
  ) {}

  async notify(alert: Alert, signal: AbortSignal): Promise<void> {
    const subject = `[${alert.state === 'firing' ? 'ALERT' : 'RESOLVED'}] ${alert.summary}`;
    await Promise.all(
      this.to.map((to) =>
        this.provider.send(
          {
            id: this.newId(),
            channel: 'email',
            to,
            from: null,
            body: alertText(alert),
            encoding: 'UCS-2',
            segments: 1,
            attempt: 1,
            subject,
          },
          signal,
        ),
      ),
    );
  }
}
