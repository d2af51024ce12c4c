/**
 * The real `tidings` binary: `tidings campaign send` streams a CSV up and follows the campaign to
 * the end; and a server killed with SIGKILL in the middle of a campaign, then started again,
 * finishes it with exactly one message per recipient.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELAXED_LIMITS, TEST_KEY, freePort, waitFor } from '../support/harness.js';
import { spawnTidings, waitForHttp, type TidingsProcess } from '../support/process.js';
import { csvOf } from '../support/campaigns.js';

const CLI = join(process.cwd(), 'dist/src/main/cli.js');
const run = promisify(execFile);

describe('campaigns through the tidings binary', () => {
  let dir: string;
  let url: string;
  let env: Record<string, string>;
  let server: TidingsProcess;

  const start = async () => {
    server = spawnTidings(['serve'], env, dir);
    await waitForHttp(`${url}/healthz`);
  };
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const cli = (...args: string[]) =>
    run(process.execPath, [CLI, ...args], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', ...env } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tidings-campaign-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = {
      ...RELAXED_LIMITS,
      TIDINGS_PORT: String(port),
      TIDINGS_HOST: '127.0.0.1',
      TIDINGS_API_KEY: TEST_KEY,
      TIDINGS_URL: url,
      TIDINGS_LOG_LEVEL: 'warn',
      TIDINGS_PROVIDERS: 'sim://?latency=2ms&deliverAfter=20ms',
      HOME: dir,
    };
    await start();
    await api('PUT', '/v1/templates/promo', { body: 'Hi {{ name }}', purpose: 'marketing' });
  });
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('`campaign send` uploads, starts and follows to the end; `campaign status` reads it back', async () => {
    const file = join(dir, 'small.csv');
    writeFileSync(file, `${csvOf(40)}not-a-number,Broken\n`);
    const { stdout, stderr } = await cli(
      'campaign',
      'send',
      file,
      '--template',
      'promo',
      '--rate',
      '200',
      '--interval',
      '100',
    );
    expect(stderr).toContain('41 rows read, 40 recipients, 0 duplicates, 1 invalid');
    expect(stderr).toMatch(/row 41 \(line 42\): invalid_number/);
    const final = JSON.parse(stdout) as { id: string; status: string; recipients: { accepted: number } };
    expect(final).toMatchObject({ status: 'completed', recipients: { accepted: 40 } });
    const status = JSON.parse((await cli('campaign', 'status', final.id)).stdout) as { status: string };
    expect(status.status).toBe('completed');
  });

  it('a server killed mid-campaign and started again finishes it with one message per row', async () => {
    const rows = 3_000;
    const file = join(dir, 'big.csv');
    writeFileSync(file, csvOf(rows, 10_000));
    const id = (await cli('campaign', 'send', file, '--template', 'promo', '--rate', '400', '--detach')).stdout.trim();
    expect(id).toMatch(/^cmp_/);
    await waitFor(
      () => api('GET', `/v1/campaigns/${id}`),
      (c) => c.recipients.accepted >= 600,
      20_000,
    );
    server.child.kill('SIGKILL');
    await server.exited;
    await start();
    // Rows the killed process held come back when their lease (15 s) runs out.
    const done = await waitFor(
      () => api('GET', `/v1/campaigns/${id}`),
      (c) => c.status === 'completed',
      60_000,
    );
    expect(done.recipients).toMatchObject({ total: rows, accepted: rows, pending: 0 });
    const db = new Database(join(dir, 'data/tidings.db'), { readonly: true });
    try {
      const counted = db
        .prepare('select count(*) as n, count(distinct "to") as numbers from messages where campaign_id = ?')
        .get(id) as { n: number; numbers: number };
      expect(counted).toEqual({ n: rows, numbers: rows });
    } finally {
      db.close();
    }
  }, 120_000);
});
