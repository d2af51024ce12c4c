import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

describe('createMetrics', () => {
  it('counts accepted, sent, failed and status changes with their labels', async () => {
    const { registry, metrics } = createMetrics();
    metrics.accepted('sms', 3);
    metrics.accepted('sms', 2);
    metrics.sent('twilio:primary', 'sms', 0.12);
    metrics.sendFailed('twilio:primary', 'sms', 'rate_limited', 0.03);
    metrics.sendFailed('twilio:primary', 'sms', 'rate_limited', 0.04);
    metrics.statusChanged('twilio:primary', 'sms', 'delivered');

    const text = await registry.metrics();
    expect(text).toContain('tidings_messages_accepted_total{channel="sms"} 5');
    expect(text).toContain('tidings_messages_sent_total{provider="twilio:primary",channel="sms"} 1');
    expect(text).toContain(
      'tidings_messages_failed_total{provider="twilio:primary",channel="sms",kind="rate_limited"} 2',
    );
    expect(text).toContain(
      'tidings_message_status_total{provider="twilio:primary",channel="sms",status="delivered"} 1',
    );
  });

  it('records send durations in buckets from 10 ms to 30 s, by outcome', async () => {
    const { registry, metrics } = createMetrics();
    metrics.sent('sim', 'sms', 0.12);
    metrics.sendFailed('sim', 'sms', 'transient', 12);

    const text = await registry.metrics();
    const bucket = (le: string, outcome: string) =>
      `tidings_provider_send_duration_seconds_bucket{le="${le}",provider="sim",outcome="${outcome}"}`;
    expect(text).toContain(`${bucket('0.01', 'sent')} 0`);
    expect(text).toContain(`${bucket('0.1', 'sent')} 0`);
    expect(text).toContain(`${bucket('0.25', 'sent')} 1`);
    expect(text).toContain(`${bucket('10', 'failed')} 0`);
    expect(text).toContain(`${bucket('20', 'failed')} 1`);
    expect(text).toContain(`${bucket('30', 'failed')} 1`);
    expect(text).toContain('tidings_provider_send_duration_seconds_count{provider="sim",outcome="failed"} 1');
  });

  it('reads the queue depth on every scrape', async () => {
    const { registry, setQueueDepthSource } = createMetrics();
    let depth = 7;
    setQueueDepthSource(async () => depth);
    expect(await registry.metrics()).toMatch(/^tidings_queue_depth 7$/m);
    depth = 42;
    expect(await registry.metrics()).toMatch(/^tidings_queue_depth 42$/m);
  });

  it('still answers a scrape when the queue cannot be read', async () => {
    const { registry, setQueueDepthSource } = createMetrics();
    setQueueDepthSource(async () => {
      throw new Error('database is locked');
    });
    expect(await registry.metrics()).toMatch(/^tidings_queue_depth nan$/im); // prom-client writes "Nan"; Prometheus reads any case
  });

  it("reads the age of the oldest waiting job and today's spend on every scrape", async () => {
    const { registry, setQueueAgeSource, setSpendSource } = createMetrics();
    let age = 0;
    setQueueAgeSource(async () => age);
    setSpendSource(async () => ({ USD: 12.5, CNY: 3 }));
    expect(await registry.metrics()).toMatch(/^tidings_queue_oldest_age_seconds 0$/m);
    age = 312.5;
    const text = await registry.metrics();
    expect(text).toMatch(/^tidings_queue_oldest_age_seconds 312.5$/m);
    expect(text).toMatch(/^tidings_spend_today\{currency="USD"\} 12.5$/m);
    expect(text).toMatch(/^tidings_spend_today\{currency="CNY"\} 3$/m);
  });

  it('collects process metrics into its own registry, not the global one', async () => {
    const { registry, metrics } = createMetrics();
    metrics.accepted('sms', 1);
    expect(await registry.metrics()).toContain('process_cpu_user_seconds_total');
    expect(await globalRegistry.metrics()).not.toContain('tidings_messages_accepted_total');
    // Two instances in one process do not collide.
    expect(() => createMetrics()).not.toThrow();
  });

  it('takes a prefix', async () => {
    const { registry, metrics } = createMetrics({ prefix: 'acme_' });
    metrics.accepted('voice', 1);
    expect(await registry.metrics()).toContain('acme_messages_accepted_total{channel="voice"} 1');
  });
});
