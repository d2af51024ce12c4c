import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storageBackends } from '../../test/support/backends.js';
import { memoryStorage } from '../../test/support/messages.js';
import type { TemplateContent } from '../core/template.js';
import { ApiKeyRepository } from './api-key-repository.js';
import { BannedWordRepository } from './banned-word-repository.js';
import type { Storage } from './connect.js';
import { SuppressionRepository } from './suppression-repository.js';
import { TemplateRepository } from './template-repository.js';

const T0 = Date.UTC(2030, 0, 1);
const content = (body: string): TemplateContent => ({
  bodies: { default: body, 'zh-CN': `中文 ${body}` },
  variants: [],
  providerTemplates: { aliyun: 'SMS_1' },
  replies: { confirm: ['1', 'Y'] },
  purpose: 'transactional',
  description: null,
});

describe.each(await storageBackends())('templates, banned words and API keys on $name', (backend) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await memoryStorage(backend);
  });
  afterEach(() => storage.close());

  it('keeps one suppression per number, pages in number order, and bumps the version on every change', async () => {
    const list = new SuppressionRepository(storage);
    const v0 = await list.version();
    const entry = (number: string, reason: 'opted_out' | 'invalid' | 'manual') => ({
      number,
      reason,
      source: 'api',
      sourceMessageId: null,
      note: null,
      createdAt: T0,
    });
    await list.put(entry('+14155550102', 'opted_out'));
    await list.put(entry('+14155550101', 'invalid'));
    await list.put(entry('+14155550102', 'manual'));
    const v1 = await list.version();
    expect(v1).not.toBe(v0);
    expect((await list.get('+14155550102'))?.reason).toBe('manual');
    expect((await list.list({ limit: 10 })).map((s) => s.number)).toEqual(['+14155550101', '+14155550102']);
    expect((await list.list({ limit: 10, after: '+14155550101' })).map((s) => s.number)).toEqual(['+14155550102']);
    expect((await list.list({ limit: 10, reason: 'invalid' })).map((s) => s.number)).toEqual(['+14155550101']);
    expect(await list.all()).toHaveLength(2);
    expect(await list.remove('+14155550101')).toBe(true);
    expect(await list.remove('+14155550101')).toBe(false);
    expect(await list.version()).not.toBe(v1);
    expect(await list.get('+14155550101')).toBeNull();
  });

  it('keeps every template version, points at the newest, and keeps versions after a delete', async () => {
    const templates = new TemplateRepository(storage);
    expect((await templates.save('otp', content('v1'), T0)).version).toBe(1);
    expect((await templates.save('otp', content('v2'), T0 + 1)).version).toBe(2);
    await templates.save('welcome', content('hi'), T0 + 2);
    expect(await templates.current('otp')).toEqual({ name: 'otp', version: 2, createdAt: T0 + 1, ...content('v2') });
    expect((await templates.version('otp', 1))?.bodies.default).toBe('v1');
    expect((await templates.history('otp')).map((t) => t.version)).toEqual([2, 1]);
    expect((await templates.list()).map((t) => `${t.name}@${t.version}`)).toEqual(['otp@2', 'welcome@1']);
    expect(await templates.remove('otp', T0 + 3)).toBe(true);
    expect(await templates.remove('otp', T0 + 3)).toBe(false);
    expect(await templates.current('otp')).toBeNull();
    expect((await templates.version('otp', 2))?.version).toBe(2);
    expect((await templates.save('otp', content('v3'), T0 + 4)).version).toBe(3);
    expect((await templates.current('otp'))?.version).toBe(3);
  });

  it('replaces the banned-word list as a whole and changes its version', async () => {
    const words = new BannedWordRepository(storage);
    const empty = await words.version();
    await words.replace(
      [
        { term: 'lottery', purposes: ['marketing'] },
        { term: 'casino', purposes: 'all' },
      ],
      T0,
    );
    expect(await words.list()).toEqual([
      { term: 'casino', purposes: 'all' },
      { term: 'lottery', purposes: ['marketing'] },
    ]);
    const two = await words.version();
    expect(two).not.toBe(empty);
    await words.replace([{ term: 'casino', purposes: 'all' }], T0 + 1);
    expect((await words.list()).map((w) => w.term)).toEqual(['casino']);
    expect(await words.version()).not.toBe(two);
  });

  it('finds API keys by prefix and revokes them by id or prefix', async () => {
    const keys = new ApiKeyRepository(storage.db);
    const record = (id: string, prefix: string, createdAt = T0) => ({
      id,
      name: id,
      prefix,
      hash: `hash-${id}`,
      role: 'send' as const,
      createdAt,
      revokedAt: null,
    });
    await keys.insert(record('key_a', 'tdg_aaaa'));
    await keys.insert(record('key_b', 'tdg_bbbb', T0 + 1));
    expect(await keys.findByPrefix('tdg_aaaa')).toEqual(record('key_a', 'tdg_aaaa'));
    expect(await keys.count()).toBe(2);
    expect(await keys.revoke('tdg_bbbb', T0 + 5)).toBe(true);
    expect(await keys.revoke('key_b', T0 + 6)).toBe(false);
    expect((await keys.findByPrefix('tdg_bbbb'))?.revokedAt).toBe(T0 + 5);
    expect(await keys.count()).toBe(1);
    expect((await keys.list()).map((k) => k.id)).toEqual(['key_a', 'key_b']);
  });
});
