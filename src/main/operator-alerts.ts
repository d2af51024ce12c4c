/**
 * @module main/operator-alerts
 * Builds the operator alerts from the configuration: the channels (a signed webhook, e-mail through
 * an SMTP provider built by the registry, or neither: the log always gets them), the shared ledger,
 * and the periodic check of the failure rate.
 */
import { EmailAlertChannel, WebhookAlertChannel } from '../app/alert-channels.js';
import { FailureAlerts } from '../app/failure-alerts.js';
import type { Config } from '../config/index.js';
import type { AlertChannel } from '../ports/alerts.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Provider } from '../ports/provider.js';
import { createProvider } from '../providers/registry.js';
import { AlertLedgerRepository } from '../storage/alert-ledger-repository.js';
import type { StorageHandle } from '../storage/handle.js';
import { StandardWebhookSender } from '../webhooks/standard-webhook-sender.js';

/** How often the failure rate is looked at (a rising rate is also caught as failures arrive). */
const CHECK_EVERY_MS = 10_000;
const NOTIFY_TIMEOUT_MS = 15_000;

export interface OperatorAlerts {
  alerts: FailureAlerts;
  close(): Promise<void>;
}

export async function createOperatorAlerts(
  storage: StorageHandle,
  config: Readonly<Config>,
  opts: { clock: Clock; logger: Logger; newId: (prefix: string) => string; publicUrl: string },
): Promise<OperatorAlerts> {
  const { alerts: a } = config;
  const logger = opts.logger.child({ component: 'alerts' });
  const channels: AlertChannel[] = [];
  // A sender of its own, without the SSRF guard of the application's webhooks: the alert hook is the
  // operator's own setting, and is often inside their network (Alertmanager, a chat relay).
  let sender: StandardWebhookSender | null = null;
  if (a.webhookUrl !== undefined) {
    sender = new StandardWebhookSender();
    channels.push(new WebhookAlertChannel(sender, a.webhookUrl, a.webhookSecret ?? null, () => opts.newId('alert')));
  }
  let mailer: Provider | null = null;
  if (a.emailUrl !== undefined) {
    mailer = await createProvider(a.emailUrl, {
      publicUrl: opts.publicUrl,
      clock: opts.clock,
      logger,
      reportStatus: () => {},
    });
    if (mailer.channel !== 'email') throw new Error('TIDINGS_ALERT_EMAIL_URL must name an e-mail provider (smtp://…)');
    channels.push(new EmailAlertChannel(mailer, a.emailTo, () => opts.newId('alert')));
  }
  const alerts = new FailureAlerts(
    { ledger: new AlertLedgerRepository(storage), channels, clock: opts.clock, logger },
    {
      failureRate: a.failureRate,
      minSends: a.minSends,
      windowMs: a.windowMs,
      coolDownMs: a.coolDownMs,
      notifyTimeoutMs: NOTIFY_TIMEOUT_MS,
    },
  );
  alerts.start(CHECK_EVERY_MS);
  return {
    alerts,
    async close() {
      await alerts.close();
      await mailer?.close?.();
      await sender?.close();
    },
  };
}
