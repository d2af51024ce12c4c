/**
 * Operator alerts: thousands of failures make one alert per cool-down, across processes too (the
 * ledger is real storage), a circuit opening makes one, and each clears with one "resolved".
 */
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storageBackends, type PostgresBackend } from '../../test/support/backends.js';
import { ManualClock } from '../../test/support/clock.js';
import { waitFor } from '../../test/support/harness.js';
import { startWebhookReceiver } from '../../test/support/webhook-receiver.js';
import { ProviderError } from '../core/provider-error.js';
import type { Alert, AlertChannel } from '../ports/alerts.js';
import type { Logger } from '../ports/logger.js';
import { noMetrics } from '../ports/metrics.js';
import { AlertLedgerRepository } from '../storage/alert-ledger-repository.js';
import type { Storage } from '../storage/connect.js';
import { StandardWebhookSender } from '../webhooks/standard-webhook-sender.js';
import { WebhookAlertChannel } from './alert-channels.js';
import { FailureAlerts, observeSends, type AlertPolicy } from './failure-alerts.js';
import { DEFAULT_HEALTH, ProviderHealth } from './provider-health.js';
import { newWebhookSecret } from './webhook-subscriptions.js';

const MIN = 60_000;
const POLICY: AlertPolicy = {
  failureRate: 0.2,
  minSends: 50,
  windowMs: 5 * MIN,
  coolDownMs: 15 * MIN,
  notifyTimeoutMs: 2_000,
};

class RecordingChannel implements AlertChannel {
  readonly name = 'recording';
  readonly alerts: Alert[] = [];
  async notify(alert: Alert): Promise<void> {
    this.alerts.push(alert);
  }
}

function captureLogger(lines: Record<string, unknown>[]): Logger {
  const stream = { write: (s: string) => lines.push(JSON.parse(s) as Record<string, unknown>) };
  return pino({ level: 'info' }, stream) as unknown as Logger;
}

describe.each(await storageBackends())('failure alerts on $name', (backend) => {
  let storage: Storage;
  let clock: ManualClock;
  let channel: RecordingChannel;
  let logs: Record<string, unknown>[];
  const make = (ledgerStorage: Storage = storage, channels: AlertChannel[] = [channel]) =>
    new FailureAlerts(
      { ledger: new AlertLedgerRepository(ledgerStorage), channels, clock, logger: captureLogger(logs) },
      POLICY,
    );

  beforeEach(async () => {
    storage = await backend.open();
    clock = new ManualClock();
    channel = new RecordingChannel();
    logs = [];
  });
  afterEach(() => storage.close());

  it('turns an outage of thousands of failures into one alert, one reminder per cool-down, and one resolved notice', async () => {
    const alerts = make();
    const metrics = observeSends(noMetrics, alerts);
    for (let i = 0; i < 40; i++) metrics.sent('sim:a', 'sms', 0.01);
    for (let minute = 0; minute < 14; minute++) {
      for (let i = 0; i < 300; i++) metrics.sendFailed('sim:a', 'sms', 'unavailable', 0.01);
      await alerts.check();
      clock.advance(MIN);
    }
    expect(channel.alerts).toHaveLength(1);
    expect(channel.alerts[0]).toMatchObject({ condition: 'failure_rate', state: 'firing' });
    expect(channel.alerts[0]?.detail).toMatchObject({ sends: 340, failures: 300 });
    expect(channel.alerts[0]?.summary).toMatch(/88\.2% of sends failed in the last 5 min/);
    // Still failing once the cool-down is over: one reminder.
    clock.advance(2 * MIN);
    for (let i = 0; i < 300; i++) metrics.sendFailed('sim:a', 'sms', 'transient', 0.01);
    await alerts.check();
    await alerts.check();
    expect(channel.alerts.map((a) => a.state)).toEqual(['firing', 'firing']);
    // Recovery: the failures slide out of the window and sends succeed again.
    clock.advance(6 * MIN);
    for (let i = 0; i < 100; i++) metrics.sent('sim:a', 'sms', 0.01);
    await alerts.check();
    await alerts.check();
    expect(channel.alerts.map((a) => a.state)).toEqual(['firing', 'firing', 'resolved']);
    expect(channel.alerts[2]?.summary).toMatch(/back under 20%/);
    // The log has every alert too, for deployments with no channel.
    expect(logs.filter((l) => String(l.msg).startsWith('ALERT:'))).toHaveLength(2);
    await alerts.close();
  });

  it('raises the alert as the failures arrive, without waiting for the periodic check', async () => {
    const alerts = make();
    const metrics = observeSends(noMetrics, alerts);
    for (let i = 0; i < 60; i++) metrics.sendFailed('sim:a', 'sms', 'unavailable', 0.01);
    await waitFor(
      async () => channel.alerts.length,
      (n) => n === 1,
    );
    await alerts.close();
    expect(channel.alerts).toHaveLength(1);
  });

  it('does not count failures that blame the recipient or the content, nor alert on too few sends', async () => {
    const alerts = make();
    const metrics = observeSends(noMetrics, alerts);
    for (let i = 0; i < 500; i++) metrics.sendFailed('sim:a', 'sms', i % 2 ? 'invalid_recipient' : 'opted_out', 0.01);
    for (let i = 0; i < 49; i++) metrics.sendFailed('sim:a', 'sms', 'unavailable', 0.01);
    await alerts.check();
    await alerts.close();
    expect(channel.alerts).toEqual([]);
  });

  it('lets only one of several processes alert about the same outage', async () => {
    // SQLite has one process; on PostgreSQL each handle has its own pool, as another process would.
    const shared =
      backend.name === 'postgres'
        ? await (backend as PostgresBackend).openShared(2)
        : { handles: [storage, storage], close: async () => {} };
    try {
      const processes = shared.handles.map((h) => make(h));
      for (const alerts of processes) {
        const metrics = observeSends(noMetrics, alerts);
        for (let i = 0; i < 100; i++) metrics.sendFailed('sim:a', 'sms', 'unavailable', 0.01);
      }
      await Promise.all(processes.map((a) => a.check()));
      await Promise.all(processes.map((a) => a.close()));
      expect(channel.alerts.filter((a) => a.state === 'firing')).toHaveLength(1);
    } finally {
      await shared.close();
    }
  });

  it('alerts once when a provider circuit opens, however often it re-opens, and once when it closes', async () => {
    const alerts = make();
    const health = new ProviderHealth(
      ['sim:a'],
      captureLogger([]),
      { ...DEFAULT_HEALTH, failureThreshold: 3, halfOpenAfterMs: 30, authIsolationMs: 60_000 },
      (id, state) => void alerts.circuitChanged(id, state),
    );
    const down = () => Promise.reject(new ProviderError('unavailable', 'HTTP 503'));
    const fail = () => health.run('sim:a', down).catch(() => undefined);
    for (let i = 0; i < 50; i++) await fail();
    // Half-open probes that fail open it again.
    for (let round = 0; round < 3; round++) {
      await new Promise((r) => setTimeout(r, 40));
      await fail();
    }
    await waitFor(
      async () => channel.alerts.length,
      (n) => n >= 1,
    );
    await new Promise((r) => setTimeout(r, 40));
    await health.run('sim:a', async () => 'ok');
    await alerts.close();
    health.close();
    expect(channel.alerts.map((a) => [a.condition, a.state])).toEqual([
      ['circuit_open:sim:a', 'firing'],
      ['circuit_open:sim:a', 'resolved'],
    ]);
    expect(channel.alerts[0]?.summary).toMatch(/sim:a is failing/);
  });

  it('alerts when credentials are refused, and announces no recovery when the process merely shuts down', async () => {
    const alerts = make();
    const health = new ProviderHealth(
      ['twilio:primary'],
      captureLogger([]),
      { ...DEFAULT_HEALTH, failureThreshold: 3, halfOpenAfterMs: 30, authIsolationMs: 60_000 },
      (id, state) => void alerts.circuitChanged(id, state),
    );
    health.isolateForAuth('twilio:primary', new ProviderError('auth', 'Authenticate', { providerCode: '20003' }));
    await waitFor(
      async () => channel.alerts.length,
      (n) => n === 1,
    );
    await alerts.close();
    health.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(channel.alerts.map((a) => a.state)).toEqual(['firing']);
  });

  it('still reaches the other channels, and the log, when one channel fails', async () => {
    const broken: AlertChannel = {
      name: 'broken',
      notify: async () => {
        throw new Error('mail server down');
      },
    };
    const alerts = make(storage, [broken, channel]);
    await alerts.circuitChanged('twilio:primary', 'open');
    await alerts.close();
    expect(channel.alerts).toHaveLength(1);
    expect(logs.some((l) => l.channel === 'broken' && String(l.msg).includes('sending an alert failed'))).toBe(true);
  });
});

describe('the alert webhook channel', () => {
  it('posts the alert as a Standard Webhooks event, signed with the configured secret', async () => {
    const receiver = await startWebhookReceiver();
    const sender = new StandardWebhookSender();
    const secret = newWebhookSecret();
    try {
      const hook = new WebhookAlertChannel(sender, `${receiver.url}/ops`, secret, () => 'alert_1');
      const at = Date.now();
      await hook.notify(
        { condition: 'failure_rate', state: 'firing', summary: 'Tidings: 50% failed', detail: { rate: 0.5 }, at },
        AbortSignal.timeout(2_000),
      );
      const got = receiver.received[0];
      const headers = Object.fromEntries(Object.entries(got?.headers ?? {}).map(([k, v]) => [k, String(v)]));
      expect(new Webhook(secret).verify(got?.body ?? '', headers)).toEqual({
        type: 'alert.firing',
        timestamp: new Date(at).toISOString(),
        data: { condition: 'failure_rate', state: 'firing', summary: 'Tidings: 50% failed', rate: 0.5 },
      });
      receiver.setDefault(500);
      await expect(
        hook.notify({ condition: 'x', state: 'resolved', summary: 's', detail: {}, at }, AbortSignal.timeout(2_000)),
      ).rejects.toThrow(/HTTP 500/);
    } finally {
      await sender.close();
      await receiver.close();
    }
  });
});
