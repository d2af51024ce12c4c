import webpush from 'web-push';
import { describe, expect, it } from 'vitest';
import { describeWebPushConfig, parseWebPushUrl } from './config.js';

const { publicKey: PUB, privateKey: PRIV } = webpush.generateVAPIDKeys();
const other = webpush.generateVAPIDKeys();

describe('parseWebPushUrl', () => {
  it('reads the key pair, a mailto: contact and the options', () => {
    expect(
      parseWebPushUrl(
        `webpush://${PUB}:${PRIV}@ops%40example.com?ttl=3600&urgency=normal&name=app&timeoutMs=2000&mps=50` +
          '&ca=%2Fetc%2Ftidings%2Fpush-ca.pem',
      ),
    ).toEqual({
      name: 'app',
      publicKey: PUB,
      privateKey: PRIV,
      subject: 'mailto:ops@example.com',
      ttlSeconds: 3600,
      urgency: 'normal',
      timeoutMs: 2000,
      maxPerSecond: 50,
      caFile: '/etc/tidings/push-ca.pem',
    });
  });

  it('reads a web contact as an https: subject, and has defaults', () => {
    expect(parseWebPushUrl(new URL(`webpush://${PUB}:${PRIV}@example.com/contact`))).toMatchObject({
      name: 'default',
      subject: 'https://example.com/contact',
      ttlSeconds: 86_400,
      urgency: 'high',
      timeoutMs: 10_000,
      maxPerSecond: null,
      caFile: null,
    });
    expect(parseWebPushUrl(`webpush://${PUB}:${PRIV}@example.com`).subject).toBe('https://example.com');
  });

  it.each([
    [`web-push://${PUB}:${PRIV}@ops%40example.com`, /webpush:\/\//],
    [`webpush://${PUB}@ops%40example.com`, /VAPID keys/],
    [`webpush://${PUB}:${other.privateKey}@ops%40example.com`, /not one pair/],
    [`webpush://${PUB.slice(0, 40)}:${PRIV}@ops%40example.com`, /65-byte/],
    [`webpush://${PUB}:${PRIV.slice(0, 20)}@ops%40example.com`, /32 bytes/],
    [`webpush://${PUB}:abc%2Bdef@ops%40example.com`, /base64url/],
    [`webpush://${PUB}:${PRIV}@localhost`, /needs a contact/],
    [`webpush://${PUB}:${PRIV}@ops%40example.com/x`, /takes no path/],
    [`webpush://${PUB}:${PRIV}@ops%40example.com?ttl=-1`, /ttl/],
    [`webpush://${PUB}:${PRIV}@ops%40example.com?ttl=9999999`, /ttl/],
    [`webpush://${PUB}:${PRIV}@ops%40example.com?urgency=now`, /urgency/],
    [`webpush://${PUB}:${PRIV}@ops%40example.com?bogus=1`, /unknown option "bogus"/],
    [`webpush://${PUB}:${PRIV}@ops%40example.com?name=a%20b`, /name/],
    [`webpush://${PUB}:${PRIV}@ops%40example.com?ca=`, /path of a PEM file/],
  ])('rejects %s', (url, message) => {
    expect(() => parseWebPushUrl(url)).toThrow(message);
  });

  it('never echoes the private key in an error', () => {
    for (const url of [
      `not a url ${PRIV}`,
      `webpush://${PUB}:${PRIV}@localhost`,
      `webpush://${other.publicKey}:${PRIV}@a.io`,
    ]) {
      let text = '';
      try {
        parseWebPushUrl(url);
      } catch (err) {
        text = (err as Error).message;
      }
      expect(text).not.toBe('');
      expect(text).not.toContain(PRIV);
    }
  });
});

describe('describeWebPushConfig', () => {
  it('prints the URL with the private key masked, and it parses back', () => {
    const text = describeWebPushConfig(parseWebPushUrl(`webpush://${PUB}:${PRIV}@ops%40example.com?ttl=60`));
    expect(text).toBe(
      `webpush://${PUB}:${PRIV.slice(0, 4)}****@ops%40example.com?name=default&timeoutMs=10000&ttl=60&urgency=high`,
    );
    expect(text).not.toContain(PRIV);
    const https = describeWebPushConfig(parseWebPushUrl(`webpush://${PUB}:${PRIV}@example.com/contact`));
    expect(https).toMatch(/@example\.com\/contact\?/);
    const withCa = parseWebPushUrl(`webpush://${PUB}:${PRIV}@example.com?ca=/etc/ca.pem`);
    expect(parseWebPushUrl(describeWebPushConfig(withCa).replace(/:[^:@]*\*{4}@/, `:${PRIV}@`))).toEqual(withCa);
  });
});
