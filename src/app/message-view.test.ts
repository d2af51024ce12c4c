import { describe, expect, it } from 'vitest';
import type { MessageEvent } from '../core/message.js';
import { toEventView } from './message-view.js';

const event = (at: number): MessageEvent =>
  ({ messageId: 'msg_1', type: 'status', status: 'sent', at, provider: 'sim', detail: null }) satisfies MessageEvent;

describe('message views: times', () => {
  it('formats each time as ISO 8601, the same time twice in a row and a new one after it', () => {
    const times = [0, 1_764_028_800_123, 1_764_028_800_123, 1_764_028_800_124, 0, 1_764_028_800_123];
    expect(times.map((t) => toEventView(event(t)).at)).toEqual([
      '1970-01-01T00:00:00.000Z',
      '2025-11-25T00:00:00.123Z',
      '2025-11-25T00:00:00.123Z',
      '2025-11-25T00:00:00.124Z',
      '1970-01-01T00:00:00.000Z',
      '2025-11-25T00:00:00.123Z',
    ]);
  });

  it('still refuses a time that is not one', () => {
    expect(() => toEventView(event(Number.NaN))).toThrow(RangeError);
  });
});
