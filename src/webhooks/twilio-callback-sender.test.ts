import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateHost } from '../app/private-address.js';
import { PRIVATE_ADDRESS } from './public-only-lookup.js';
import { TwilioCallbackSender, twilioCallbackSignature } from './twilio-callback-sender.js';

// Worked vectors from providers.md §0 (twilio-node and twilio-python test suites).
const T1_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const T1_FORM = 'CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212';

describe('Twilio-style callback signatures', () => {
  it('matches Twilio’s worked example T1', () => {
    expect(twilioCallbackSignature('12345', T1_URL, T1_FORM)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it('signs each value of a repeated field once, in order (T7)', () => {
    const form = 'MessagingBinding.Address=%2B1415xxxxxxx&MessagingBinding.Address=%2B1325xxxxxxx';
    expect(twilioCallbackSignature('12345', T1_URL, form)).toBe('83O6e2vORAoJHUNzJjDWN1jz+BA=');
  });
});

describe('TwilioCallbackSender', () => {
  const hits: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      hits.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(hits.length === 1 ? 204 : 500).end();
    });
  });
  let base = '';
  const sender = new TwilioCallbackSender();

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await sender.close();
    await new Promise((r) => server.close(r));
  });

  it('posts the form signed so that the SDK’s validateRequest accepts it, and reports any status', async () => {
    const url = `${base}/status?account=1`;
    const body = 'MessageSid=SM1&MessageStatus=delivered&To=%2B14155552671';
    const token = 'f00dbabef00dbabef00dbabef00dbabe';
    const post = { url, secret: token, id: 'twc_1', timestamp: Date.now(), body };
    expect(await sender.post(post, AbortSignal.timeout(5_000))).toEqual({ statusCode: 204 });
    expect(await sender.post(post, AbortSignal.timeout(5_000))).toEqual({ statusCode: 500 });
    const [hit] = hits;
    expect(hit?.url).toBe('/status?account=1');
    expect(hit?.body).toBe(body);
    expect(hit?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(hit?.headers['i-twilio-idempotency-token']).toBe('twc_1');
    const params = Object.fromEntries(new URLSearchParams(body));
    expect(twilio.validateRequest(token, String(hit?.headers['x-twilio-signature']), url, params)).toBe(true);
  });

  it('with the SSRF guard, refuses a StatusCallback at a private address, as written or as resolved', async () => {
    const guarded = new TwilioCallbackSender({
      refuseAddress: isPrivateHost,
      resolve: (_hostname, _options, callback) => callback(null, [{ address: '10.0.0.8', family: 4 }]),
    });
    const before = hits.length;
    const port = new URL(base).port;
    for (const url of [`${base}/status`, `http://localhost:${port}/status`, 'http://callbacks.example.com/status']) {
      const post = { url, secret: 'f00dbabef00dbabef00dbabef00dbabe', id: 'twc_2', timestamp: Date.now(), body: 'a=1' };
      const code = await guarded.post(post, AbortSignal.timeout(5_000)).then(
        () => null,
        (e: unknown) => (e as { code?: string }).code,
      );
      expect(code).toBe(PRIVATE_ADDRESS);
    }
    expect(hits.length).toBe(before);
    await guarded.close();
  });
});
