import { describe, expect, it } from 'vitest';
import { canAdvance, isFinal, isPending } from './status.js';

describe('message status state machine', () => {
  it('moves forward through the lifecycle', () => {
    expect(canAdvance('queued', 'sending')).toBe(true);
    expect(canAdvance('sending', 'sent')).toBe(true);
    expect(canAdvance('sent', 'delivered')).toBe(true);
    expect(canAdvance('queued', 'delivered')).toBe(true); // a callback can overtake our own "sent"
  });

  it('never moves backwards or out of a final state', () => {
    expect(canAdvance('delivered', 'sent')).toBe(false);
    expect(canAdvance('sent', 'queued')).toBe(false);
    expect(canAdvance('delivered', 'undelivered')).toBe(false);
    expect(canAdvance('failed', 'delivered')).toBe(false);
    expect(canAdvance('canceled', 'sent')).toBe(false);
    expect(canAdvance('sent', 'sent')).toBe(false);
  });

  it('knows which states are final and which are still cancelable', () => {
    expect(['delivered', 'undelivered', 'failed', 'canceled'].every((s) => isFinal(s as never))).toBe(true);
    expect(isFinal('sent')).toBe(false);
    expect(isPending('queued')).toBe(true);
    expect(isPending('scheduled')).toBe(true);
    expect(isPending('sending')).toBe(false);
  });
});
