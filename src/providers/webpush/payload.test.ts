import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES, notificationPayload } from './payload.js';

describe('notificationPayload', () => {
  it('is {title?, body, messageId} as JSON', () => {
    expect(JSON.parse(notificationPayload({ id: 'm1', body: 'Hi', subject: ' Reminder ' }) ?? '')).toEqual({
      title: 'Reminder',
      body: 'Hi',
      messageId: 'm1',
    });
    expect(JSON.parse(notificationPayload({ id: 'm1', body: 'Hi', subject: null }) ?? '')).toEqual({
      body: 'Hi',
      messageId: 'm1',
    });
  });

  it('counts UTF-8 bytes against the limit of one push message', () => {
    const overhead = JSON.stringify({ body: '', messageId: 'm' }).length;
    expect(notificationPayload({ id: 'm', body: 'x'.repeat(MAX_PAYLOAD_BYTES - overhead) })).not.toBeNull();
    expect(notificationPayload({ id: 'm', body: 'x'.repeat(MAX_PAYLOAD_BYTES - overhead + 1) })).toBeNull();
    expect(notificationPayload({ id: 'm', body: '你'.repeat(1400) })).toBeNull();
  });
});
