import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTidings, waitFor, type Tidings } from '../support/harness.js';

const bannedFile = join(tmpdir(), `tidings-banned-${process.pid}.txt`);
writeFileSync(bannedFile, '# operator list\n代开发票\n[marketing]\nfree money\n');

describe('templates, content rules and cost through the HTTP API', () => {
  let t: Tidings;
  beforeAll(async () => {
    t = await startTidings({ TIDINGS_BANNED_WORDS_FILE: bannedFile, TIDINGS_DEFAULT_TIMEZONE: 'America/New_York' });
  });
  afterAll(() => t.stop());

  const reminder = {
    body: 'Hi {{ name | first_name }}, your table for {{ guests }} is at {{ at | local_time }}. Reply 1 to confirm.',
    locales: {
      zh: '{{ name | first_name }}您好，您预订的{{ guests }}人餐位在{{ at | local_time }}。回复1确认。',
    },
    description: 'booking reminder',
    providerTemplates: { aliyun: 'SMS_15305' },
  };

  it('saves a template as version 1, then version 2, and keeps both', async () => {
    const v1 = await t.api('PUT', '/v1/templates/booking-reminder', reminder);
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({ name: 'booking-reminder', version: 1, locales: { zh: reminder.locales.zh } });
    expect(v1.body.variables).toEqual(['at', 'guests', 'name']);
    const v2 = await t.api('PUT', '/v1/templates/booking-reminder', { ...reminder, description: 'v2' });
    expect(v2.body.version).toBe(2);
    const history = await t.api('GET', '/v1/templates/booking-reminder/versions');
    expect(history.body.data.map((d: { version: number }) => d.version)).toEqual([2, 1]);
    const old = await t.api('GET', '/v1/templates/booking-reminder?version=1');
    expect(old.body.description).toBe('booking reminder');
  });

  it('sends from a template: renders, records name, version and locale, and estimates cost', async () => {
    const res = await t.api('POST', '/v1/messages', {
      to: '+14155552671',
      template: 'booking-reminder',
      data: { name: 'Dr. Jane Smith', guests: 4, at: '2030-03-01T23:30:00Z' },
    });
    expect(res.status).toBe(202);
    expect(res.body.body).toMatch(/^Hi Jane, your table for 4 is at 6:30/);
    expect(res.body.template).toEqual({ name: 'booking-reminder', version: 2, variant: null, locale: 'default' });
    expect(res.body.cost).toEqual({ amount: 0.0083, currency: 'USD' });
    const done = await waitFor(
      () => t.api('GET', `/v1/messages/${res.body.id}`).then((r) => r.body),
      (m) => m.status === 'delivered',
    );
    expect(done.template.version).toBe(2);
  });

  it('falls back from zh-CN to zh and renders dates in the recipient timezone', async () => {
    const res = await t.api('POST', '/v1/messages', {
      to: '+8613812348000',
      template: 'booking-reminder',
      locale: 'zh-CN',
      recipient: { timezone: 'Asia/Shanghai' },
      data: { name: '欧阳娜娜', guests: 2, at: '2030-03-01T10:30:00Z' },
    });
    expect(res.status).toBe(202);
    expect(res.body.template.locale).toBe('zh');
    expect(res.body.body).toContain('娜娜您好');
    expect(res.body.body).toContain('18:30');
    expect(res.body.encoding).toBe('UCS-2');
  });

  it('refuses a missing variable with 422 naming it', async () => {
    const res = await t.api('POST', '/v1/messages', {
      to: '+14155552671',
      template: 'booking-reminder',
      data: { name: 'Ann', guests: 2 },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'template_variable_missing', field: 'data.at' });
  });

  it('refuses an unknown template, and a body together with a template', async () => {
    const missing = await t.api('POST', '/v1/messages', { to: '+14155552671', template: 'nope' });
    expect(missing.status).toBe(422);
    expect(missing.body.error.code).toBe('template_not_found');
    const both = await t.api('POST', '/v1/messages', { to: '+14155552671', template: 'booking-reminder', body: 'x' });
    expect(both.status).toBe(400);
    expect(both.body.error.field).toBe('body');
  });

  it('refuses templates that do not parse, with the locale at fault', async () => {
    const res = await t.api('PUT', '/v1/templates/broken', { body: 'ok', locales: { fr: 'Bonjour {% if %}' } });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'template_invalid', field: 'locales.fr' });
    const include = await t.api('PUT', '/v1/templates/sneaky', { body: "{% include '/etc/passwd' %}" });
    expect(include.status).toBe(422);
    const badName = await t.api('PUT', '/v1/templates/has%20space', { body: 'x' });
    expect(badName.status).toBe(400);
    expect(badName.body.error.field).toBe('name');
  });

  it('renders injection attempts harmlessly or refuses them', async () => {
    const saved = await t.api('PUT', '/v1/templates/probe', { body: '{{ name.constructor }}|{{ name.__proto__ }}' });
    expect(saved.status).toBe(200);
    const res = await t.api('POST', '/v1/messages', { to: '+14155552671', template: 'probe', data: { name: 'x' } });
    // Strict variables: prototype members are not data, so they are "missing", never a leak.
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('template_variable_missing');
    await t.api('PUT', '/v1/templates/loop', { body: '{% for i in (1..100000000) %}{{ i }}{% endfor %}' });
    const loop = await t.api('POST', '/v1/messages', { to: '+14155552671', template: 'loop' });
    expect(loop.status).toBe(422);
    expect(['template_render_failed', 'body_too_long']).toContain(loop.body.error.code);
  });

  it('chooses variants by weight, records the variant, and applies a send-time offset', async () => {
    await t.api('PUT', '/v1/templates/promo', {
      body: 'default copy',
      purpose: 'marketing',
      variants: [
        { name: 'plain', weight: 1, body: 'Sale today.' },
        { name: 'named', weight: 1, body: 'Hi {{ name }}, sale today.' },
        { name: 'later', weight: 1, delay: '2h' },
        { name: 'off', weight: 0, body: 'never' },
      ],
    });
    const res = await t.api('POST', '/v1/messages/batch', {
      messages: Array.from({ length: 300 }, () => ({ to: '+14155552671', template: 'promo', data: { name: 'Ann' } })),
    });
    expect(res.body.accepted).toBe(300);
    const counts: Record<string, number> = {};
    for (const r of res.body.results) counts[r.template.variant] = (counts[r.template.variant] ?? 0) + 1;
    expect(counts['off']).toBeUndefined();
    for (const v of ['plain', 'named', 'later']) expect(counts[v]).toBeGreaterThan(60);
    const later = res.body.results.find((r: { template: { variant: string } }) => r.template.variant === 'later');
    expect(later.status).toBe('scheduled');
    expect(later.body).toBe('default copy');
    expect(Date.parse(later.sendAt) - Date.parse(later.createdAt)).toBe(2 * 3_600_000);
    expect(later.purpose).toBe('marketing');
    // Stable: the same message id always maps to the same variant (read back from storage).
    const again = await t.api('GET', `/v1/messages/${later.id}`);
    expect(again.body.template.variant).toBe('later');
  });

  it('previews text, encoding, segments, UCS-2 characters, smart-encoding savings and cost', async () => {
    await t.api('PUT', '/v1/templates/curly', { body: 'Your order “{{ order }}” ships today — track it online…' });
    const res = await t.api('POST', '/v1/templates/curly/preview', { data: { order: 'A-17' }, to: '+447400123456' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ template: 'curly', version: 1, encoding: 'UCS-2', segments: 1 });
    expect(res.body.ucs2Characters).toEqual(['“', '”', '—', '…']);
    expect(res.body.smartEncoding).toMatchObject({ encoding: 'GSM-7', segmentsSaved: 0 });
    expect(res.body.cost).toEqual({ amount: 0.0463, currency: 'USD', provider: 'sim' });
  });

  it('smart encoding on request saves segments and is reported in the stored body', async () => {
    const body = `Hello – “quoted” text… ${'x'.repeat(60)}`;
    const plain = await t.api('POST', '/v1/messages', { to: '+14155552671', body });
    const smart = await t.api('POST', '/v1/messages', { to: '+14155552671', body, smartEncoding: true });
    expect(plain.body).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    expect(smart.body).toMatchObject({ encoding: 'GSM-7', segments: 1, segmentsSaved: 1 });
    expect(plain.body.segmentsSaved).toBeUndefined();
    expect(smart.body.body).toContain('"quoted"');
  });

  it('rejects banned terms from the file list, by purpose, with evasions, naming the term', async () => {
    const hit = await t.api('POST', '/v1/messages', { to: '+8613812348000', body: '专业代 开 發 票，联系我' });
    expect(hit.status).toBe(422);
    expect(hit.body.error).toMatchObject({ code: 'content_rejected', field: 'body' });
    expect(hit.body.error.message).toContain('代开发票');
    const transactional = await t.api('POST', '/v1/messages', { to: '+14155552671', body: 'Claim your FREE   money' });
    expect(transactional.status).toBe(202);
    const marketing = await t.api('POST', '/v1/messages', {
      to: '+14155552671',
      body: 'Claim your FREE   money',
      purpose: 'marketing',
    });
    expect(marketing.status).toBe(422);
  });

  it('manages the API banned-word list, and refuses a list that cannot compile', async () => {
    const put = await t.api('PUT', '/v1/banned-words', {
      terms: [{ term: 'casino' }, { term: 'loan', purposes: ['marketing'] }],
    });
    expect(put.status).toBe(200);
    expect(put.body.api).toEqual([
      { term: 'casino', purposes: 'all' },
      { term: 'loan', purposes: ['marketing'] },
    ]);
    expect(put.body.file.map((f: { term: string }) => f.term)).toEqual(['代开发票', 'free money']);
    const hit = await t.api('POST', '/v1/messages', { to: '+14155552671', body: 'Best C.A.S.I.N.O in town' });
    expect(hit.body.error.code).toBe('content_rejected');
    const bad = await t.api('PUT', '/v1/banned-words', { terms: [{ term: ' -- ' }] });
    expect(bad.status).toBe(400);
    const still = await t.api('GET', '/v1/banned-words');
    expect(still.body.api).toHaveLength(2);
  });

  it('retires a template: new sends refuse it, old messages keep their version', async () => {
    const del = await t.api('DELETE', '/v1/templates/probe');
    expect(del.status).toBe(204);
    expect((await t.api('GET', '/v1/templates/probe')).status).toBe(404);
    expect((await t.api('DELETE', '/v1/templates/probe')).status).toBe(404);
    const list = await t.api('GET', '/v1/templates');
    expect(list.body.data.map((d: { name: string }) => d.name)).not.toContain('probe');
  });
});
