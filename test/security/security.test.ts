/**
 * The security properties of issue 12, part 4, each as a check that fails if the property is lost:
 * keys at rest, webhook authentication and replays, template sandbox escapes, request size limits
 * and the dashboard's headers, on the real app (`inject`) with real storage.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/api-keys.js';
import { twilioSignature } from '../../src/providers/twilio/signature.js';
import { startTidings, TEST_KEY, type Tidings } from '../support/harness.js';

const TWILIO_TOKEN = 'security-twilio-auth-token-0123';
const VOICE_TOKEN = 'security-voice-auth-token-01234';
const CALLBACK_TOKEN = 'security-callback-token-0123456789abcdef';

describe('security', () => {
  let t: Tidings;
  let publicUrl: string;
  beforeAll(async () => {
    t = await startTidings({
      TIDINGS_PROVIDERS: [
        'sim://?latency=1ms&deliverAfter=5ms',
        `twilio://AC00000000000000000000000000000000:${TWILIO_TOKEN}@+15005550006?baseUrl=http://127.0.0.1:9`,
        `twilio-voice://AC00000000000000000000000000000001:${VOICE_TOKEN}@+15005550007?baseUrl=http://127.0.0.1:9`,
        `aliyun://LTAIsec:secsecret0123456789@Sign?endpoint=http://127.0.0.1:9&callbackToken=${CALLBACK_TOKEN}`,
        `tencent://AKIDsec:secsecretkey0123456789abcdef@Sign?sdkAppId=1400000000&endpoint=http://127.0.0.1:9&callbackToken=${CALLBACK_TOKEN}`,
      ].join(','),
    });
    publicUrl = t.rt.config.publicUrl;
  });
  afterAll(async () => t.stop());

  const post = (url: string, payload: string, headers: Record<string, string>) =>
    t.server.app.inject({ method: 'POST', url, payload, headers });

  describe('API keys at rest', () => {
    it('stores only the SHA-256 of a key: neither the key nor its secret part is anywhere in the database files', async () => {
      const { key, record } = await createApiKey(t.rt.deps, 'at-rest', 'send');
      // tk_<8-char prefix>_<32-char secret>; the secret may itself contain '_'.
      const secretPart = key.slice('tk_12345678_'.length);
      expect(secretPart).toHaveLength(32);
      const db = new Database(join(t.dir, 'tidings.db'), { readonly: true });
      const rows = db.prepare('SELECT * FROM api_keys').all() as Array<Record<string, unknown>>;
      db.close();
      const mine = rows.find((r) => r['id'] === record.id);
      expect(mine?.['hash']).toBe(createHash('sha256').update(key).digest('hex'));
      for (const row of rows) {
        for (const value of Object.values(row)) {
          expect(String(value)).not.toContain(secretPart);
          expect(String(value)).not.toContain(TEST_KEY);
        }
      }
      // The raw bytes too (database, WAL and journal): no copy of a key outside the table's hash column.
      for (const file of readdirSync(t.dir).filter((f) => f.startsWith('tidings.db'))) {
        const bytes = readFileSync(join(t.dir, file)).toString('latin1');
        expect(bytes.includes(secretPart), file).toBe(false);
        expect(bytes.includes(TEST_KEY), file).toBe(false);
      }
    });

    it('compares every secret in constant time: the verifiers use timingSafeEqual and no === on secrets', () => {
      // Source checks, because a timing measurement in a unit test would be flaky: each module that
      // compares a presented secret must use timingSafeEqual, and must not compare one with === or !==.
      const modules = [
        'src/app/api-keys.ts',
        'src/app/twilio-compat/credentials.ts',
        'src/providers/twilio/signature.ts',
        'src/providers/callback-token.ts',
      ];
      for (const file of modules) {
        const source = readFileSync(file, 'utf8');
        expect(source, file).toMatch(/timingSafeEqual\(/);
        const risky = source
          .split('\n')
          .filter((line) => /(===|!==)/.test(line) && /(hash|signature|token|secret|digest)\b/i.test(line))
          .filter((line) => !/(=== null|!== null|=== undefined|!== undefined|=== ''|\.length)/.test(line));
        expect(risky, file).toEqual([]);
      }
    });
  });

  describe('provider webhooks', () => {
    const form = new URLSearchParams({
      MessageSid: 'SM00000000000000000000000000000001',
      MessageStatus: 'delivered',
      AccountSid: 'AC00000000000000000000000000000000',
      From: '+15005550006',
      To: '+14155552671',
      Body: 'STOP',
    }).toString();
    const params = Object.fromEntries(new URLSearchParams(form));
    const twilioCases: Array<[string, string]> = [
      ['/webhooks/twilio/status', TWILIO_TOKEN],
      ['/webhooks/twilio/inbound', TWILIO_TOKEN],
      ['/webhooks/twilio-voice/status', VOICE_TOKEN],
    ];

    for (const [path, token] of twilioCases) {
      it(`${path} refuses unsigned, mis-signed and tampered requests, and takes a signed one`, async () => {
        const url = `${publicUrl}${path}`;
        const good = twilioSignature(token, url, params);
        const formType = { 'content-type': 'application/x-www-form-urlencoded' };
        const refusals = [
          await post(path, form, formType),
          await post(path, form, { ...formType, 'x-twilio-signature': '' }),
          await post(path, form, { ...formType, 'x-twilio-signature': twilioSignature('wrong-token', url, params) }),
          await post(path, form.replace('delivered', 'failed'), { ...formType, 'x-twilio-signature': good }),
          await post(path, `${form}&Extra=1`, { ...formType, 'x-twilio-signature': good }),
          await post(`${path}?x=1`, form, { ...formType, 'x-twilio-signature': good }),
        ];
        for (const res of refusals) {
          expect(res.statusCode).toBe(403);
          expect(res.json().error.code).toBe('invalid_signature');
        }
        const ok = await post(path, form, { ...formType, 'x-twilio-signature': good });
        expect(ok.statusCode).toBe(200);
      });
    }

    const report = JSON.stringify([{ biz_id: 'nope', sid: 'nope', success: true, report_status: 'SUCCESS' }]);
    for (const provider of ['aliyun', 'tencent']) {
      it(`/webhooks/${provider}/status refuses a missing, wrong or near-miss token, and takes the right one`, async () => {
        const path = `/webhooks/${provider}/status`;
        const json = { 'content-type': 'application/json' };
        for (const query of [
          '',
          '?token=',
          '?token=wrong',
          `?token=${CALLBACK_TOKEN}x`,
          `?token=${CALLBACK_TOKEN.slice(1)}`,
          `?tok=${CALLBACK_TOKEN}`,
        ]) {
          const res = await post(`${path}${query}`, report, json);
          expect(res.statusCode, query).toBe(403);
          expect(res.json().error.code).toBe('invalid_signature');
        }
        expect((await post(`${path}?token=${CALLBACK_TOKEN}`, report, json)).statusCode).toBe(200);
      });
    }

    it('a provider that is not configured, or takes no callbacks, is a 404 with a code', async () => {
      for (const path of ['/webhooks/sns/status', '/webhooks/nope/inbound', '/webhooks/aliyun/inbound']) {
        const res = await post(path, '{}', { 'content-type': 'application/json' });
        expect(res.statusCode, path).toBe(404);
        expect(res.json().error.code).toBe('not_found');
      }
    });

    it('a replayed inbound message is stored once: replays are harmless where the protocol has no timestamp', async () => {
      const path = '/webhooks/twilio/inbound';
      const inbound = new URLSearchParams({
        MessageSid: 'SM00000000000000000000000000000002',
        AccountSid: 'AC00000000000000000000000000000000',
        From: '+14155550100',
        To: '+15005550006',
        Body: 'hello again',
      }).toString();
      const signature = twilioSignature(
        TWILIO_TOKEN,
        `${publicUrl}${path}`,
        Object.fromEntries(new URLSearchParams(inbound)),
      );
      for (let i = 0; i < 3; i++) {
        const res = await post(path, inbound, {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signature,
        });
        expect(res.statusCode).toBe(200);
      }
      const listed = await t.api('GET', '/v1/inbound?limit=100');
      const copies = (listed.body.data as Array<{ body?: string; text?: string }>).filter(
        (m) => (m.body ?? m.text) === 'hello again',
      );
      expect(copies).toHaveLength(1);
    });
  });

  describe('template sandbox', () => {
    const escapes: Array<[string, string, string]> = [
      ['include of a file', "{% include '/etc/passwd' %}", 'template_invalid'],
      ['render of a file', "{% render 'secrets' %}", 'template_invalid'],
      ['layout', "{% layout 'base' %}", 'template_invalid'],
      ['a huge loop', '{% for i in (1..100000000) %}x{% endfor %}', 'template_render_failed'],
      [
        'nested loops',
        '{% for i in (1..10000) %}{% for j in (1..10000) %}{% endfor %}{% endfor %}',
        'template_render_failed',
      ],
      ['constructor', '{{ name.constructor }}', 'template_variable_missing'],
      ['__proto__', '{{ name.__proto__ }}', 'template_variable_missing'],
      ['constructor.constructor', "{{ name['constructor']['constructor'] }}", 'template_variable_missing'],
      ['a prototype on the scope', '{{ constructor }}', 'template_variable_missing'],
    ];
    for (const [what, source, code] of escapes) {
      it(`refuses ${what} with ${code}`, async () => {
        const res = await t.api('POST', '/v1/preview', { template: { body: source }, data: { name: 'Ada' } });
        expect(res.status, JSON.stringify(res.body)).toBe(422);
        expect(res.body.error.code).toBe(code);
        expect(JSON.stringify(res.body)).not.toMatch(/native code|function Object|root:/);
      });
    }
  });

  describe('request size limits', () => {
    const cases: Array<[string, string, number, string]> = [
      ['POST', '/v1/messages', 64 * 1024, 'application/json'],
      ['POST', '/v1/messages/batch', 8 * 1024 * 1024, 'application/json'],
      ['PUT', '/v1/templates/big', 64 * 1024, 'application/json'],
      ['POST', '/v1/webhooks', 64 * 1024, 'application/json'],
      ['POST', '/webhooks/twilio/status', 256 * 1024, 'application/x-www-form-urlencoded'],
      ['POST', '/webhooks/aliyun/status', 256 * 1024, 'application/json'],
    ];
    for (const [method, url, limit, type] of cases) {
      it(`${method} ${url}: a body over ${limit} bytes is a 413 payload_too_large`, async () => {
        const payload =
          type === 'application/json' ? JSON.stringify({ body: 'a'.repeat(limit) }) : `Body=${'a'.repeat(limit)}`;
        const res = await t.server.app.inject({
          method: method as 'POST',
          url,
          payload,
          headers: { 'content-type': type, authorization: `Bearer ${TEST_KEY}` },
        });
        expect(res.statusCode).toBe(413);
        expect(res.json().error.code).toBe('payload_too_large');
      });
    }
  });

  describe('dashboard headers', () => {
    it('the dashboard route carries CSP, nosniff, frame denial and Referrer-Policy', async () => {
      const res = await t.server.app.inject('/');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    });
  });
});

describe('SSRF guard on admin-registered URLs (TIDINGS_ALLOW_PRIVATE_WEBHOOKS off)', () => {
  let t: Tidings;
  beforeAll(async () => {
    t = await startTidings({ TIDINGS_ALLOW_PRIVATE_WEBHOOKS: '0' });
  });
  afterAll(async () => t.stop());

  for (const url of [
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://10.1.2.3/hook',
    'https://[::1]/hook',
    'https://2130706433/hook',
  ]) {
    it(`refuses a webhook endpoint at ${url}`, async () => {
      const res = await t.api('POST', '/v1/webhooks', { url });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', field: 'url' });
    });
  }

  it('still takes a public https URL', async () => {
    expect((await t.api('POST', '/v1/webhooks', { url: 'https://hooks.example.com/tidings' })).status).toBe(201);
  });
});
