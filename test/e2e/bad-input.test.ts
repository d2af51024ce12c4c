import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTidings, TEST_KEY, type Tidings } from '../support/harness.js';

describe('bad input is refused with a stable code and stores nothing', () => {
  let t: Tidings;
  beforeAll(async () => {
    t = await startTidings();
  });
  afterAll(async () => {
    // Nothing of all that was stored.
    const listed = await t.api('GET', '/v1/messages?limit=500');
    expect(listed.body.data).toEqual([]);
    expect(await t.rt.queue.depth()).toBe(0);
    await t.stop();
  });

  const cases: Array<[string, unknown, number, string, string?]> = [
    ['malformed JSON', '{"to": "+14155552671", "body": ', 400, 'malformed_json'],
    ['empty body', '', 400, 'malformed_json'],
    ['a JSON array', '[]', 400, 'validation_failed'],
    ['missing to', { body: 'hi' }, 400, 'validation_failed', 'to'],
    ['to as a number', { to: 14155552671, body: 'hi' }, 400, 'validation_failed', 'to'],
    ['body as an object', { to: '+14155552671', body: { text: 'hi' } }, 400, 'validation_failed', 'body'],
    ['an unknown field', { to: '+14155552671', body: 'hi', priority: 'high' }, 400, 'unknown_field', 'priority'],
    ['an unknown channel', { to: '+14155552671', body: 'hi', channel: 'pigeon' }, 400, 'validation_failed', 'channel'],
    [
      'a channel with no provider',
      { to: '+14155552671', body: 'hi', channel: 'email' },
      422,
      'channel_unavailable',
      'channel',
    ],
    ['an invalid number', { to: '+1415555', body: 'hi' }, 422, 'invalid_number', 'to'],
    ['letters for a number', { to: 'call me maybe', body: 'hi' }, 422, 'invalid_number', 'to'],
    ['a national number without a region', { to: '4155552671', body: 'hi' }, 422, 'invalid_number', 'to'],
    ['a UK landline', { to: '+442071838750', body: 'hi' }, 422, 'not_mobile', 'to'],
    ['a Beijing landline', { to: '+861012345678', body: 'hi' }, 422, 'not_mobile', 'to'],
    ['an empty body text', { to: '+14155552671', body: '' }, 422, 'body_empty', 'body'],
    ['a body over 1,600 characters', { to: '+14155552671', body: 'a'.repeat(1601) }, 422, 'body_too_long', 'body'],
    ['no body and no template', { to: '+14155552671' }, 422, 'body_empty', 'body'],
    [
      'sendAt without an offset',
      { to: '+14155552671', body: 'hi', sendAt: '2030-01-01 09:00' },
      400,
      'validation_failed',
      'sendAt',
    ],
    [
      'sendAt years ahead',
      { to: '+14155552671', body: 'hi', sendAt: '2099-01-01T00:00:00Z' },
      422,
      'send_at_out_of_range',
      'sendAt',
    ],
    ['an unknown purpose', { to: '+14155552671', body: 'hi', purpose: 'spam' }, 400, 'validation_failed', 'purpose'],
  ];

  for (const [name, body, status, code, field] of cases) {
    it(`refuses ${name}`, async () => {
      const res = await t.api('POST', '/v1/messages', body);
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      if (field) expect(res.body.error.field).toBe(field);
      expect(typeof res.body.error.message).toBe('string');
    });
  }

  it('refuses an oversized request with 413', async () => {
    const res = await t.api('POST', '/v1/messages', { to: '+14155552671', body: 'a'.repeat(100_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('refuses a form-encoded request with 415', async () => {
    const res = await t.api('POST', '/v1/messages', 'to=%2B14155552671&body=hi', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('names the item and field of a bad batch entry', async () => {
    const res = await t.api('POST', '/v1/messages/batch', {
      messages: [
        { to: '+14155552671', body: 'ok' },
        { to: '+14155552671', body: 7 },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', field: 'messages[1].body' });
  });

  it('refuses requests without a valid key, and read-only keys may not send', async () => {
    const none = await fetch(`${t.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const wrong = await t.api('GET', '/v1/messages', undefined, { authorization: `Bearer ${TEST_KEY}x` });
    expect(wrong.status).toBe(401);
    const { createApiKey } = await import('../../src/app/api-keys.js');
    const { key } = await createApiKey(t.rt.deps, 'reader', 'read');
    const read = await t.api('GET', '/v1/messages', undefined, { authorization: `Bearer ${key}` });
    expect(read.status).toBe(200);
    const send = await t.api(
      'POST',
      '/v1/messages',
      { to: '+14155552671', body: 'hi' },
      { authorization: `Bearer ${key}` },
    );
    expect(send.status).toBe(403);
    expect(send.body.error.code).toBe('forbidden');
    await t.rt.deps.apiKeys.revoke(key.slice(3, 11), Date.now());
    t.rt.verifier.forget();
    expect((await t.api('GET', '/v1/messages', undefined, { authorization: `Bearer ${key}` })).status).toBe(401);
  });

  it('answers unknown routes and ids with not_found', async () => {
    expect((await t.api('GET', '/v1/nothing')).body.error.code).toBe('not_found');
    expect((await t.api('GET', '/v1/messages/msg_nope')).status).toBe(404);
  });

  it('serves health, readiness, metrics and the OpenAPI document without a key', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', worker: 'ok' } });
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toContain('tidings_queue_depth');
    expect(metrics).toContain('process_cpu_user_seconds_total');
    const doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/messages', '/v1/messages/batch', '/v1/messages/{id}']),
    );
    expect((await fetch(`${t.url}/docs`)).status).toBeLessThan(400);
  });
});
