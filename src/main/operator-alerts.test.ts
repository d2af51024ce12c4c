/**
 * The alert channels as an operator configures them: e-mail through the SMTP adapter (against the
 * fake SMTP server) and a signed webhook, from TIDINGS_ALERT_* settings.
 */
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteBackend } from '../../test/support/backends.js';
import { ManualClock } from '../../test/support/clock.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver.js';
import { startFakeSmtp, type FakeSmtp } from '../../test/fakes/smtp/index.js';
import { newWebhookSecret } from '../app/webhook-subscriptions.js';
import { ConfigError, loadConfig } from '../config/index.js';
import type { Logger } from '../ports/logger.js';
import type { Storage } from '../storage/connect.js';
import { createOperatorAlerts } from './operator-alerts.js';

const USER = 'alerts';
const PASS = 'alert-mail-password-1';

describe('operator alerts from the configuration', () => {
  let smtp: FakeSmtp;
  let receiver: WebhookReceiver;
  let storage: Storage;
  beforeAll(async () => {
    smtp = await startFakeSmtp({ user: USER, pass: PASS });
    receiver = await startWebhookReceiver();
    storage = await sqliteBackend.open();
  });
  afterAll(async () => {
    await storage.close();
    await receiver.close();
    await smtp.close();
  });

  // The receiver listens on 127.0.0.1 and private webhook targets are not allowed (the default):
  // the operators' own alert hook is not held to the SSRF guard of the application's endpoints.
  it('e-mails every recipient and posts the signed webhook, once per outage', async () => {
    const secret = newWebhookSecret();
    const config = loadConfig({
      TIDINGS_ALERT_EMAIL_URL: `smtp://${USER}:${PASS}@${smtp.host}:${smtp.port}?from=Tidings%20<alerts@example.com>`,
      TIDINGS_ALERT_EMAIL_TO: 'ops@example.com, oncall@example.com',
      TIDINGS_ALERT_WEBHOOK_URL: `${receiver.url}/ops`,
      TIDINGS_ALERT_WEBHOOK_SECRET: secret,
    });
    let n = 0;
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => lines.push(s) }) as unknown as Logger;
    const ops = await createOperatorAlerts(storage, config, {
      clock: new ManualClock(Date.now()),
      logger,
      newId: (p) => `${p}_${++n}`,
      publicUrl: 'http://127.0.0.1:1',
    });
    await ops.alerts.circuitChanged('twilio:primary', 'open');
    await ops.alerts.circuitChanged('twilio:primary', 'open');
    await ops.close();

    expect(smtp.sent.map((m) => m.rcptTo)).toEqual(
      expect.arrayContaining([['ops@example.com'], ['oncall@example.com']]),
    );
    expect(smtp.sent).toHaveLength(2);
    expect(smtp.sent[0]?.subject).toBe(
      '[ALERT] Tidings: provider twilio:primary is failing; its circuit opened and traffic fails over',
    );
    expect(smtp.sent[0]?.text).toContain('condition: circuit_open:twilio:primary');
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0];
    const headers = Object.fromEntries(Object.entries(got?.headers ?? {}).map(([k, v]) => [k, String(v)]));
    expect(new Webhook(secret).verify(got?.body ?? '', headers)).toMatchObject({
      type: 'alert.firing',
      data: { condition: 'circuit_open:twilio:primary', provider: 'twilio:primary' },
    });
    expect(lines.join('\n')).not.toContain(PASS);
  });

  it('wants an e-mail URL and its recipients together, and never echoes the URL', () => {
    const url = `smtp://${USER}:${PASS}@127.0.0.1:25?from=a@example.com`;
    expect(() => loadConfig({ TIDINGS_ALERT_EMAIL_URL: url })).toThrow(ConfigError);
    expect(() => loadConfig({ TIDINGS_ALERT_EMAIL_TO: 'ops@example.com' })).toThrow(/go together/);
    let message = '';
    try {
      loadConfig({ TIDINGS_ALERT_EMAIL_URL: `https://${PASS}@x`, TIDINGS_ALERT_EMAIL_TO: 'ops@example.com' });
    } catch (err) {
      message = String(err);
    }
    expect(message).toMatch(/TIDINGS_ALERT_EMAIL_URL/);
    expect(message).not.toContain(PASS);
  });
});
