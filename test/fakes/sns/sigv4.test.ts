import { describe, expect, it } from 'vitest';
import { verifySigV4, type VerifyOptions } from './sigv4-verifier.js';
import {
  awsUriEncode,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  sha256Hex,
  signature,
  signRequest,
  stringToSign,
  type SignableRequest,
} from './sigv4.js';

// Worked example S1 (providers.md §5.3): AWS's published IAM ListUsers request.
const S1_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const S1_NOW = Date.parse('2015-08-30T12:36:00Z');
const S1_SCOPE = { date: '20150830', region: 'us-east-1', service: 'iam' };
const S1_HASH = 'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59';
const S1_SIGNATURE = '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';
const S1_SIGNED = ['content-type', 'host', 'x-amz-date'];

const s1Unsigned: SignableRequest = {
  method: 'GET',
  target: '/?Action=ListUsers&Version=2010-05-08',
  headers: [
    ['Host', 'iam.amazonaws.com'],
    ['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'],
    ['X-Amz-Date', '20150830T123600Z'],
  ],
  body: '',
};

const s1Options: VerifyOptions = {
  region: 'us-east-1',
  service: 'iam',
  secretFor: (id) => (id === 'AKIDEXAMPLE' ? S1_SECRET : undefined),
  now: S1_NOW,
};

function withAuthorization(req: SignableRequest, authorization: string): SignableRequest {
  return { ...req, headers: [...req.headers, ['Authorization', authorization]] };
}

const s1Signed = withAuthorization(
  s1Unsigned,
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${S1_SIGNATURE}`,
);

describe('standalone signer: worked example S1', () => {
  it('builds the canonical request AWS hashes to f536975d…1a59', () => {
    const canonical = canonicalRequest(s1Unsigned, S1_SIGNED);
    expect(canonical).toBe(
      [
        'GET',
        '/',
        'Action=ListUsers&Version=2010-05-08',
        'content-type:application/x-www-form-urlencoded; charset=utf-8',
        'host:iam.amazonaws.com',
        'x-amz-date:20150830T123600Z',
        '',
        'content-type;host;x-amz-date',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ].join('\n'),
    );
    expect(sha256Hex(canonical)).toBe(S1_HASH);
  });

  it('signs it to 5d672d79…b5d7', () => {
    const toSign = stringToSign('20150830T123600Z', S1_SCOPE, canonicalRequest(s1Unsigned, S1_SIGNED));
    expect(toSign).toBe(`AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n${S1_HASH}`);
    expect(signature(S1_SECRET, S1_SCOPE, toSign)).toBe(S1_SIGNATURE);
  });

  it('signRequest produces the same Authorization header', () => {
    const signed = signRequest(s1Unsigned, {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: S1_SECRET,
      region: 'us-east-1',
      service: 'iam',
      now: S1_NOW,
    });
    const auth = signed.headers.find(([n]) => n === 'authorization')?.[1];
    expect(auth).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${S1_SIGNATURE}`,
    );
  });
});

describe('the fake verifier: worked example S1', () => {
  it('accepts the published request', () => {
    expect(verifySigV4(s1Signed, s1Options)).toEqual({ ok: true, accessKeyId: 'AKIDEXAMPLE' });
  });

  it('accepts it within 15 minutes either way, and says "Signature expired" or "not yet current" beyond', () => {
    expect(verifySigV4(s1Signed, { ...s1Options, now: S1_NOW + 14 * 60_000 }).ok).toBe(true);
    expect(verifySigV4(s1Signed, { ...s1Options, now: S1_NOW - 14 * 60_000 }).ok).toBe(true);
    expect(verifySigV4(s1Signed, { ...s1Options, now: S1_NOW + 16 * 60_000 })).toEqual({
      ok: false,
      fault: {
        code: 'SignatureDoesNotMatch',
        message:
          'Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T125200Z - 15 min.)',
      },
    });
    const early = verifySigV4(s1Signed, { ...s1Options, now: S1_NOW - 16 * 60_000 });
    expect(early.ok ? null : early.fault.message).toMatch(/^Signature not yet current: 20150830T123600Z/);
  });

  it.each([
    ['a changed query', { target: '/?Action=ListUsers&Version=2010-05-09' }],
    ['a body that was not signed', { body: 'Action=DeleteUser' }],
    ['another method', { method: 'POST' }],
    ['another path', { target: '/x?Action=ListUsers&Version=2010-05-08' }],
  ])('refuses %s with SignatureDoesNotMatch', (_what, change) => {
    const result = verifySigV4({ ...s1Signed, ...change }, s1Options);
    expect(result.ok ? null : result.fault.code).toBe('SignatureDoesNotMatch');
  });

  it('refuses a changed signed header, but not a changed unsigned one', () => {
    const tamper = (name: string, value: string): SignableRequest => ({
      ...s1Signed,
      headers: s1Signed.headers.map(([n, v]) => [n, n === name ? value : v] as const),
    });
    expect(verifySigV4(tamper('Host', 'evil.example.com'), s1Options).ok).toBe(false);
    const extra = { ...s1Signed, headers: [...s1Signed.headers, ['User-Agent', 'x'] as const] };
    expect(verifySigV4(extra, s1Options).ok).toBe(true);
  });

  it('answers each malformed or foreign credential with the code AWS uses', () => {
    const code = (req: SignableRequest, opts = s1Options) => {
      const r = verifySigV4(req, opts);
      return r.ok ? 'ok' : r.fault.code;
    };
    const auth = (a: string) => withAuthorization(s1Unsigned, a);
    const sig = `SignedHeaders=content-type;host;x-amz-date, Signature=${S1_SIGNATURE}`;
    expect(code(s1Unsigned)).toBe('MissingAuthenticationToken');
    expect(code(auth(`AWS4-HMAC-SHA1 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ${sig}`))).toBe(
      'IncompleteSignature',
    );
    expect(code(auth(`AWS4-HMAC-SHA256 ${sig}`))).toBe('IncompleteSignature');
    expect(code(auth(`AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/iam/aws4_request, ${sig}`))).toBe(
      'SignatureDoesNotMatch',
    );
    expect(code(auth(`AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sns/aws4_request, ${sig}`))).toBe(
      'SignatureDoesNotMatch',
    );
    expect(code(auth(`AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150831/us-east-1/iam/aws4_request, ${sig}`))).toBe(
      'SignatureDoesNotMatch',
    );
    expect(code(auth(`AWS4-HMAC-SHA256 Credential=AKIDOTHER/20150830/us-east-1/iam/aws4_request, ${sig}`))).toBe(
      'InvalidClientTokenId',
    );
    expect(code(s1Signed, { ...s1Options, secretFor: () => 'another secret' })).toBe('SignatureDoesNotMatch');
  });
});

describe('canonical forms', () => {
  it('encodes the SigV4 way: only unreserved characters stay', () => {
    expect(awsUriEncode("a b+c/d*e~f!'()")).toBe('a%20b%2Bc%2Fd%2Ae~f%21%27%28%29');
    expect(canonicalQuery('b=2&a=%2B1&a=0&c')).toBe('a=%2B1&a=0&b=2&c=');
  });

  it('normalizes the path and encodes its segments again', () => {
    expect(canonicalUri('/')).toBe('/');
    expect(canonicalUri('')).toBe('/');
    expect(canonicalUri('/a/./b/../c//d%20e/')).toBe('/a/c/d%2520e/');
  });

  it('signs a POST body: the payload hash covers the bytes received', () => {
    const post: SignableRequest = {
      method: 'POST',
      target: '/',
      headers: [
        ['host', '127.0.0.1:4566'],
        ['content-type', 'application/x-www-form-urlencoded'],
      ],
      body: 'Action=Publish&Version=2010-03-31&Message=hi&PhoneNumber=%2B15555550100',
    };
    const opts = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: S1_SECRET, region: 'us-east-1', service: 'sns' };
    const now = Date.parse('2026-01-02T03:04:05Z');
    const signed = signRequest(post, { ...opts, now });
    const verify = { region: 'us-east-1', service: 'sns', secretFor: () => S1_SECRET, now };
    expect(verifySigV4(signed, verify).ok).toBe(true);
    expect(verifySigV4({ ...signed, body: `${String(signed.body)}0` }, verify).ok).toBe(false);
  });
});
