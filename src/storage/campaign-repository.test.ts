/**
 * The campaign repository on every storage backend: numbering and de-duplication of appended rows,
 * leased claims that two claimers never share, the shared pace, settling once, cancel and counts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { postgresIfReachable, storageBackends, type PostgresBackend } from '../../test/support/backends.js';
import type { Storage } from './connect.js';
import { CampaignRepository } from './campaign-repository.js';
import type { ImportEntry, NewCampaign } from '../ports/campaign-store.js';

const NOW = Date.UTC(2030, 0, 1, 12);

function campaign(id: string, overrides: Partial<NewCampaign> = {}): NewCampaign {
  return {
    id,
    name: id,
    status: 'draft',
    template: 'promo',
    locale: null,
    data: { offer: 'x' },
    purpose: 'marketing',
    from: null,
    channel: 'sms',
    rate: 1_000,
    window: { start: '09:00', end: '20:00' },
    startAt: null,
    apiKeyId: 'key_1',
    createdAt: NOW,
    ...overrides,
  };
}

const recipient = (to: string, line: number): ImportEntry => ({
  kind: 'recipient',
  line,
  to,
  data: { name: `n${line}` },
});

const backends = await storageBackends();

describe.each(backends)('campaign repository on $name', (backend) => {
  let storages: Storage[] = [];
  let closeShared: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await Promise.all(storages.map((s) => s.close()));
    storages = [];
    await closeShared?.();
    closeShared = null;
  });
  const open = async () => {
    const s = await backend.open();
    storages.push(s);
    return new CampaignRepository(s);
  };

  it('numbers appended rows across uploads and keeps one row per number', async () => {
    const repo = await open();
    await repo.create(campaign('c1'));
    const first = await repo.append(
      'c1',
      [
        recipient('+14155550100', 2),
        { kind: 'rejection', line: 3, code: 'invalid_number', reason: 'bad' },
        recipient('+14155550100', 4),
      ],
      NOW,
    );
    expect(first).toEqual({
      added: 1,
      duplicates: 1,
      rejections: [
        { row: 2, line: 3, code: 'invalid_number', reason: 'bad' },
        { row: 3, line: 4, code: 'duplicate_recipient', reason: expect.any(String) },
      ],
    });
    // A later upload continues the numbering, and a number from an earlier one is a duplicate.
    const second = await repo.append('c1', [recipient('+14155550101', 2), recipient('+14155550100', 3)], NOW);
    expect(second).toMatchObject({ added: 1, duplicates: 1, rejections: [{ row: 5, code: 'duplicate_recipient' }] });
    const c = await repo.get('c1');
    expect(c?.counts).toEqual({
      rowsRead: 5,
      recipients: 2,
      duplicates: 2,
      invalid: 1,
      accepted: 0,
      refused: 0,
      cancelled: 0,
    });
    expect(c?.window).toEqual({ start: '09:00', end: '20:00' });
    expect(c?.data).toEqual({ offer: 'x' });
    expect((await repo.rejections('c1', { limit: 10 })).map((r) => r.row)).toEqual([2, 3, 5]);
    expect((await repo.rejections('c1', { afterRow: 3, limit: 10 })).map((r) => r.row)).toEqual([5]);
  });

  it('takes rows only from a running campaign, at its pace, and settles each once', async () => {
    const repo = await open();
    await repo.create(campaign('c2', { rate: 10 }));
    await repo.append(
      'c2',
      [1, 2, 3, 4, 5].map((i) => recipient(`+1415555020${i}`, i)),
      NOW,
    );
    expect(await repo.claim('c2', { now: NOW, max: 2, leaseMs: 1_000 })).toEqual([]); // a draft
    expect(await repo.append('c2', [], NOW)).not.toBe('closed');
    expect(await repo.transition('c2', ['draft'], 'running', NOW)).toBe(true);
    expect(await repo.append('c2', [recipient('+14155550299', 9)], NOW)).toBe('closed');
    const first = await repo.claim('c2', { now: NOW, max: 2, leaseMs: 1_000 });
    expect(first.map((r) => [r.row, r.claims])).toEqual([
      [1, 0],
      [2, 0],
    ]);
    expect(first[0]?.data).toEqual({ name: 'n1' });
    // Two rows at 10 a second: the next claim waits 200 ms.
    expect(await repo.claim('c2', { now: NOW + 100, max: 2, leaseMs: 1_000 })).toEqual([]);
    const second = await repo.claim('c2', { now: NOW + 200, max: 2, leaseMs: 1_000 });
    expect(second.map((r) => r.row)).toEqual([3, 4]);
    await repo.settle(
      'c2',
      [
        { row: 1, status: 'accepted', messageId: 'msg_1' },
        { row: 2, status: 'refused', code: 'recipient_suppressed', reason: 'opted out' },
      ],
      NOW,
    );
    // Settling again (a second runner after a lease ran out) changes nothing.
    await repo.settle('c2', [{ row: 1, status: 'accepted', messageId: 'msg_other' }], NOW);
    expect((await repo.get('c2'))?.counts).toMatchObject({ accepted: 1, refused: 1 });
    expect(await repo.rejections('c2', { limit: 10 })).toEqual([
      { row: 2, line: null, code: 'recipient_suppressed', reason: 'opted out' },
    ]);
    // Rows 3 and 4 are leased until NOW + 1200; when the lease ends they come back, marked as taken
    // before (never-taken rows, due since the start, come first).
    const again = await repo.claim('c2', { now: NOW + 1_300, max: 10, leaseMs: 1_000 });
    expect(again.map((r) => [r.row, r.claims])).toEqual([
      [5, 0],
      [3, 1],
      [4, 1],
    ]);
    await repo.defer('c2', [5], NOW + 60_000);
    expect(await repo.claim('c2', { now: NOW + 3_000, max: 10, leaseMs: 1_000 })).toHaveLength(2);
    expect(await repo.completeIfDone('c2', NOW)).toBe(false);
    expect(await repo.cancelPending('c2', NOW)).toBe(3);
    expect(await repo.transition('c2', ['running'], 'cancelled', NOW)).toBe(true);
    expect((await repo.get('c2'))?.counts).toMatchObject({ cancelled: 3, recipients: 5 });
    expect((await repo.get('c2'))?.finishedAt).toBe(NOW);
  });

  it('completes a running campaign once nothing is pending, and lists active ones', async () => {
    const repo = await open();
    await repo.create(campaign('c3'));
    await repo.create(campaign('c4', { startAt: NOW + 60_000 }));
    await repo.append('c3', [recipient('+14155550300', 1)], NOW);
    await repo.transition('c3', ['draft'], 'running', NOW);
    await repo.transition('c4', ['draft'], 'scheduled', NOW);
    expect((await repo.active(NOW)).map((c) => c.id)).toEqual(['c3']);
    expect((await repo.active(NOW + 60_000)).map((c) => c.id)).toEqual(['c3', 'c4']);
    const [row] = await repo.claim('c3', { now: NOW, max: 5, leaseMs: 1_000 });
    await repo.settle('c3', [{ row: row!.row, status: 'accepted', messageId: 'msg_3' }], NOW);
    expect(await repo.completeIfDone('c3', NOW)).toBe(true);
    expect((await repo.get('c3'))?.status).toBe('completed');
    expect((await repo.list({ limit: 1 })).map((c) => c.id)).toEqual(['c4']);
    expect((await repo.list({ before: 'c4', limit: 5 })).map((c) => c.id)).toEqual(['c3']);
    expect(await repo.messageCounts('c3')).toEqual({});
  });
});

const pg = await postgresIfReachable();

describe('the campaign index on SQLite', () => {
  it('holds campaign messages only, and still serves the progress count', async () => {
    const { openStorage } = await import('./connect.js');
    const { sql } = await import('kysely');
    const s = openStorage('sqlite::memory:');
    await s.migrate();
    try {
      const base = {
        channel: 'sms',
        purpose: 'marketing',
        body: 'x',
        encoding: 'GSM-7',
        segments: 1,
        status: 'queued',
        attempts: 0,
        created_at: NOW,
        updated_at: NOW,
        api_key_id: 'k',
      };
      await s.db
        .insertInto('messages')
        .values([
          { ...base, id: 'msg_1', to: '+14155550100', campaign_id: 'c1' },
          { ...base, id: 'msg_2', to: '+14155550101', campaign_id: null },
          { ...base, id: 'msg_3', to: '+14155550102', campaign_id: null },
        ] as never)
        .execute();
      // A partial index: a message of no campaign has no entry to move at each status change.
      const index = await sql<{ sql: string }>`select sql from sqlite_master where name = 'messages_campaign'`.execute(
        s.db,
      );
      expect(index.rows[0]?.sql).toMatch(/where "campaign_id" is not null/i);
      const plan = await sql<{
        detail: string;
      }>`explain query plan select status, count(*) from messages where campaign_id = ${'c1'} group by status`.execute(
        s.db,
      );
      expect(plan.rows.map((r) => r.detail).join('; ')).toContain('messages_campaign');
      expect(await new CampaignRepository(s).messageCounts('c1')).toEqual({ queued: 1 });
    } finally {
      await s.close();
    }
  });
});

describe.skipIf(pg === null)('campaign rows claimed by several processes on PostgreSQL', () => {
  let closeShared: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await closeShared?.();
    closeShared = null;
  });

  it('never gives one row to two claimers at once', async () => {
    const shared = await (pg as PostgresBackend).openShared(2);
    closeShared = shared.close;
    const [a, b] = shared.handles.map((h) => new CampaignRepository(h));
    await a!.create(campaign('c5', { rate: 1_000_000 }));
    await a!.append(
      'c5',
      Array.from({ length: 400 }, (_, i) => recipient(`+1415556${String(1000 + i)}`, i + 1)),
      NOW,
    );
    await a!.transition('c5', ['draft'], 'running', NOW);
    const taken: number[] = [];
    await Promise.all(
      [a!, b!].map(async (repo) => {
        for (let i = 0; i < 20; i++) {
          const rows = await repo.claim('c5', { now: NOW + i * 1_000, max: 25, leaseMs: 60_000 });
          taken.push(...rows.map((r) => r.row));
        }
      }),
    );
    expect(taken.length).toBe(400);
    expect(new Set(taken).size).toBe(400);
  });
});
