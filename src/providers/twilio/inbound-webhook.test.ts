import { describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { createTwilioInboundWebhook } from './inbound-webhook.js';

const TOKEN = 'inbound-test-token-0123456789';
const URL = 'https://sms.example.com/webhooks/twilio/inbound';
const clock = { now: () => Date.UTC(2030, 0, 1) };

function signed(params: Record<string, string>, token = TOKEN) {
  const rawBody = new URLSearchParams(params).toString();
  const signature = twilio.getExpectedTwilioSignature(token, URL, params);
  return {
    url: URL,
    method: 'POST',
    headers: { 'x-twilio-signature': signature, 'content-type': 'application/x-www-form-urlencoded' },
    rawBody,
  };
}

describe('Twilio inbound webhook', () => {
  const hook = createTwilioInboundWebhook({ authToken: TOKEN, clock });
  const params = { MessageSid: 'SM' + 'a'.repeat(32), From: '+14155550100', To: '+15005550006', Body: 'STOP' };

  it('verifies Twilio signatures computed by the official SDK and parses the message', () => {
    const req = signed(params);
    expect(hook.verify(req)).toBe(true);
    expect(hook.parse(req)).toEqual([
      {
        providerMessageId: params.MessageSid,
        from: '+14155550100',
        to: '+15005550006',
        body: 'STOP',
        receivedAt: clock.now(),
      },
    ]);
  });

  it('refuses a forged or altered request', () => {
    expect(hook.verify(signed(params, 'someone-elses-token-000000'))).toBe(false);
    const tampered = signed(params);
    tampered.rawBody = tampered.rawBody.replace('STOP', 'START');
    expect(hook.verify(tampered)).toBe(false);
    const unsigned = { ...signed(params), headers: {} };
    expect(hook.verify(unsigned)).toBe(false);
  });

  it('answers in TwiML, escaping the reply', () => {
    expect(hook.respond(null).body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(hook.respond('You are unsubscribed <&> "bye"').body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>You are unsubscribed &lt;&amp;&gt; &quot;bye&quot;</Message></Response>',
    );
  });
});
