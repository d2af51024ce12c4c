import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTidings, type Tidings } from '../support/harness.js';

const bannedFile = join(tmpdir(), `tidings-draft-banned-${process.pid}.txt`);
writeFileSync(bannedFile, '[marketing]\nfree money\n');

describe('POST /v1/preview: live preview of unsaved text and templates', () => {
  let t: Tidings;
  beforeAll(async () => {
    t = await startTidings({ TIDINGS_BANNED_WORDS_FILE: bannedFile });
  });
  afterAll(() => t.stop());

  it('measures plain text as sent, without Liquid, priced for the number', async () => {
    const res = await t.api('POST', '/v1/preview', { text: 'Order “{{ id }}” ships today', to: '+447400123456' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      text: 'Order “{{ id }}” ships today',
      encoding: 'UCS-2',
      segments: 1,
      ucs2Characters: ['“', '”'],
      smartEncoding: { encoding: 'GSM-7', segmentsSaved: 0 },
      variables: [],
      sampled: [],
      variant: null,
      locale: null,
    });
    expect(res.body.cost).toEqual({ amount: 0.0463, currency: 'USD', provider: 'sim' });
    const zh = await t.api('POST', '/v1/preview', { text: '您的验证码是 1234'.repeat(8) });
    expect(zh.body).toMatchObject({ encoding: 'UCS-2', characters: 88, segments: 2 });
  });

  it('renders an unsaved template with data, in the requested locale and variant, and stores nothing', async () => {
    const template = {
      body: 'Hi {{ name }}, table for {{ size }}.',
      locales: { zh: '{{ name }}您好，{{ size }}位。' },
      variants: [
        { name: 'a', weight: 1 },
        { name: 'b', weight: 1, body: 'Hello {{ name }}!' },
      ],
    };
    const a = await t.api('POST', '/v1/preview', { template, data: { name: 'Ann', size: 4 }, variant: 'a' });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ text: 'Hi Ann, table for 4.', variant: 'a', locale: 'default', encoding: 'GSM-7' });
    expect(a.body.variables).toEqual(['name', 'size']);
    const b = await t.api('POST', '/v1/preview', { template, data: { name: 'Ann', size: 4 }, variant: 'b' });
    expect(b.body).toMatchObject({ text: 'Hello Ann!', variant: 'b' });
    const zh = await t.api('POST', '/v1/preview', {
      template,
      data: { name: '李雷', size: 2 },
      variant: 'a',
      locale: 'zh-CN',
    });
    expect(zh.body).toMatchObject({ text: '李雷您好，2位。', locale: 'zh', encoding: 'UCS-2' });
    expect((await t.api('GET', '/v1/templates')).body.data).toEqual([]);
  });

  it('fills missing variables with stand-ins only when asked', async () => {
    const template = { body: 'Hi {{ name }}, your code is {{ code }}.' };
    const strict = await t.api('POST', '/v1/preview', { template, data: { name: 'Ann' } });
    expect(strict.status).toBe(422);
    expect(strict.body.error).toMatchObject({ code: 'template_variable_missing', field: 'data.code' });
    const lenient = await t.api('POST', '/v1/preview', { template, data: { name: 'Ann' }, sampleMissing: true });
    expect(lenient.status).toBe(200);
    expect(lenient.body).toMatchObject({ text: 'Hi Ann, your code is [code].', sampled: ['code'] });
  });

  it('names the fault in a broken draft, and the banned term for the purpose', async () => {
    const broken = await t.api('POST', '/v1/preview', { template: { body: 'Hi {{ name ' } });
    expect(broken.status).toBe(422);
    expect(broken.body.error).toMatchObject({ code: 'template_invalid', field: 'body' });
    const marketing = await t.api('POST', '/v1/preview', { text: 'Claim your FREE money', purpose: 'marketing' });
    expect(marketing.body.bannedTerm).toBe('free money');
    const transactional = await t.api('POST', '/v1/preview', { text: 'Claim your FREE money' });
    expect(transactional.body.bannedTerm).toBeNull();
  });

  it('takes exactly one of text and template, and needs a key', async () => {
    expect((await t.api('POST', '/v1/preview', {})).body.error.code).toBe('validation_failed');
    const both = await t.api('POST', '/v1/preview', { text: 'x', template: { body: 'y' } });
    expect(both.status).toBe(400);
    expect(both.body.error.code).toBe('validation_failed');
    expect((await t.api('POST', '/v1/preview', { text: 'x', version: 2 })).body.error.code).toBe('unknown_field');
    const anonymous = await fetch(`${t.url}/v1/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x' }),
    });
    expect(anonymous.status).toBe(401);
  });
});
