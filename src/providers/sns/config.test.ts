import { describe, expect, it } from 'vitest';
import { describeSnsConfig, parseSnsUrl } from './config.js';

const AKID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const ENCODED = encodeURIComponent(SECRET);

describe('parseSnsUrl', () => {
  it('reads the region from the host and the sender settings from the query', () => {
    const c = parseSnsUrl(
      `sns://${AKID}:${ENCODED}@us-east-1?senderId=Tidings&smsType=Promotional&endpoint=http://127.0.0.1:4566&name=primary` +
        '&originationNumber=%2B15555550199&maxPrice=0.50&timeoutMs=2500&mps=20',
    );
    expect(c).toEqual({
      name: 'primary',
      accessKeyId: AKID,
      secretAccessKey: SECRET,
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4566',
      smsType: 'Promotional',
      senderId: 'Tidings',
      originationNumber: '+15555550199',
      maxPrice: '0.50',
      timeoutMs: 2500,
      maxPerSecond: 20,
    });
  });

  it('has defaults: name "default", Transactional, AWS endpoint, 10 s; accepts a URL object', () => {
    const c = parseSnsUrl(new URL(`sns://${AKID}:${ENCODED}@EU-WEST-1`));
    expect(c).toMatchObject({
      name: 'default',
      region: 'eu-west-1',
      endpoint: null,
      smsType: 'Transactional',
      senderId: null,
      originationNumber: null,
      maxPrice: null,
      timeoutMs: 10_000,
      maxPerSecond: null,
    });
  });

  it('takes a literal "+" in originationNumber, which a query reads as a space', () => {
    expect(parseSnsUrl(`sns://${AKID}:${ENCODED}@us-east-1?originationNumber=+15555550199`).originationNumber).toBe(
      '+15555550199',
    );
  });

  it('reads smsType in any case, and drops a trailing slash of the endpoint', () => {
    const c = parseSnsUrl(`sns://${AKID}:${ENCODED}@ap-southeast-2?smsType=promotional&endpoint=https://sns.local/`);
    expect(c).toMatchObject({ smsType: 'Promotional', endpoint: 'https://sns.local', region: 'ap-southeast-2' });
  });

  it.each([
    [`sns://:${ENCODED}@us-east-1`, /access key id is missing/],
    [`sns://${AKID}@us-east-1`, /secret access key is missing/],
    [`sns://${AKID}:${ENCODED}@useast1`, /not an AWS region/],
    [`sns://${AKID}:${ENCODED}@us-east-1:443`, /only a region/],
    [`sns://${AKID}:${ENCODED}@us-east-1/x`, /only a region/],
    [`sns://${AKID}:${ENCODED}@us-east-1?smsType=Urgent`, /Transactional or Promotional/],
    [`sns://${AKID}:${ENCODED}@us-east-1?senderId=My%20Shop`, /senderId/],
    [`sns://${AKID}:${ENCODED}@us-east-1?senderId=123456`, /senderId/],
    [`sns://${AKID}:${ENCODED}@us-east-1?senderId=TooLongSender1`, /senderId/],
    [`sns://${AKID}:${ENCODED}@us-east-1?originationNumber=5555550199`, /E\.164/],
    [`sns://${AKID}:${ENCODED}@us-east-1?maxPrice=-1`, /maxPrice/],
    [`sns://${AKID}:${ENCODED}@us-east-1?timeoutMs=0`, /timeoutMs must be a positive integer/],
    [`sns://${AKID}:${ENCODED}@us-east-1?endpoint=ftp://x`, /http\(s\)/],
    [`sns://${AKID}:${ENCODED}@us-east-1?endpoint=http://h/?a=1`, /query/],
    [`sns://${AKID}:${ENCODED}@us-east-1?bogus=1`, /unknown option "bogus"/],
    [`sns://${AKID}:${ENCODED}@us-east-1?name=a%20b`, /name/],
    [`twilio://${AKID}:${ENCODED}@us-east-1`, /sns:\/\//],
  ])('rejects %s', (url, message) => {
    expect(() => parseSnsUrl(url)).toThrow(message);
  });

  it('never echoes the secret in an error', () => {
    const messages: string[] = [];
    for (const url of [
      `sns://${AKID}:${ENCODED}@nowhere`,
      `sns://${AKID}:${SECRET}@us-east-1`,
      `sns://${AKID}:wJalr%zz@us-east-1`,
    ]) {
      try {
        parseSnsUrl(url);
      } catch (err) {
        messages.push((err as Error).message);
      }
    }
    expect(messages).toHaveLength(3);
    for (const m of messages) {
      expect(m).not.toMatch(/wJalr|EXAMPLEKEY/);
    }
  });
});

describe('describeSnsConfig', () => {
  it('prints the URL with the secret masked, and parses back to the same config', () => {
    const url = `sns://${AKID}:${ENCODED}@us-east-1?senderId=Tidings&endpoint=http://127.0.0.1:4566&name=primary&mps=5`;
    const text = describeSnsConfig(parseSnsUrl(url));
    expect(text).toBe(
      `sns://${AKID}:wJal****@us-east-1?endpoint=http%3A%2F%2F127.0.0.1%3A4566&name=primary&smsType=Transactional&senderId=Tidings&timeoutMs=10000&mps=5`,
    );
    expect(text).not.toContain('EXAMPLEKEY');
    const back = parseSnsUrl(text.replace('wJal****', ENCODED));
    expect(back).toEqual(parseSnsUrl(url));
  });
});
