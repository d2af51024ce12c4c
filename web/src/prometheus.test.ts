import { describe, expect, it } from 'vitest';
import { byLabel, parseMetrics, total } from './prometheus';

const TEXT = `# HELP tidings_queue_depth Jobs waiting
# TYPE tidings_queue_depth gauge
tidings_queue_depth 12
tidings_messages_failed_total{provider="sim:default",channel="sms",kind="invalid_recipient"} 3
tidings_messages_failed_total{provider="twilio:primary",channel="sms",kind="transient"} 2
tidings_messages_failed_total{provider="sim:default",channel="sms",kind="transient"} 1
tidings_provider_circuit_state{provider="a \\"quoted\\" one"} 1
tidings_provider_send_duration_seconds_bucket{le="+Inf",provider="sim:default",outcome="sent"} 2
not a metric line at all
tidings_broken NaN
`;

describe('parseMetrics', () => {
  const samples = parseMetrics(TEXT);

  it('reads gauges and labelled counters and skips comments and junk', () => {
    expect(total(samples, 'tidings_queue_depth')).toBe(12);
    expect(samples.some((s) => s.name === 'not')).toBe(false);
    expect(samples.some((s) => s.name === 'tidings_broken')).toBe(false);
  });

  it('sums over matching label sets', () => {
    expect(total(samples, 'tidings_messages_failed_total')).toBe(6);
    expect(total(samples, 'tidings_messages_failed_total', { provider: 'sim:default' })).toBe(4);
    expect(total(samples, 'tidings_messages_failed_total', { kind: 'nope' })).toBe(0);
  });

  it('groups by a label', () => {
    expect(Object.fromEntries(byLabel(samples, 'tidings_messages_failed_total', 'kind'))).toEqual({
      invalid_recipient: 3,
      transient: 3,
    });
  });

  it('unescapes label values and reads +Inf', () => {
    expect(byLabel(samples, 'tidings_provider_circuit_state', 'provider').get('a "quoted" one')).toBe(1);
    expect(byLabel(samples, 'tidings_provider_send_duration_seconds_bucket', 'le').get('+Inf')).toBe(2);
  });
});
