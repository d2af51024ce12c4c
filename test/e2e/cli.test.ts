import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/harness.js';
import { spawnTidings, waitForHttp, type TidingsProcess } from '../support/process.js';

const CLI = join(process.cwd(), 'dist/src/main/cli.js');

describe('the tidings command on a fresh install', () => {
  let dir: string;
  let port: number;
  let server: TidingsProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    // A fresh directory, no key, no providers: exactly what `npm start` meets on a new clone.
    dir = mkdtempSync(join(tmpdir(), 'tidings-cli-'));
    port = await freePort();
    env = { TIDINGS_PORT: String(port), TIDINGS_LOG_LEVEL: 'warn', HOME: dir };
    server = spawnTidings(['serve'], env, dir);
    await waitForHttp(`http://127.0.0.1:${port}/healthz`);
    const end = Date.now() + 5_000;
    while (!server.output().includes('Auth') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (...args: string[]) =>
    execFileSync(process.execPath, [CLI, ...args], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', ...env },
      encoding: 'utf8',
    });

  it('creates the database and an admin key file on first start, and says how to use them', () => {
    expect(existsSync(join(dir, 'data/tidings.db'))).toBe(true);
    const keyFile = join(dir, 'data/admin.key');
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^tk_[a-z0-9]{8}_[A-Za-z0-9_-]{32}\n$/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const banner = server.output();
    expect(banner).toContain(`http://127.0.0.1:${port}`);
    expect(banner).toContain('/docs');
    expect(banner).toContain('$(cat data/admin.key)');
    expect(banner).toContain('sim:default');
    expect(banner).not.toContain(readFileSync(keyFile, 'utf8').trim());
  });

  it('sends with `tidings send` and reads back with `tidings status`', async () => {
    const sent = JSON.parse(run('send', '--to', '+14155552671', '--body', 'From the CLI')) as {
      id: string;
      status: string;
    };
    expect(sent.status).toBe('queued');
    let status = '';
    for (let i = 0; i < 100 && status !== 'delivered'; i++) {
      status = (JSON.parse(run('status', sent.id)) as { status: string }).status;
      if (status !== 'delivered') await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe('delivered');
  });

  it('creates, lists and revokes API keys; a revoked key stops working', async () => {
    const key = run('keys', 'create', '--name', 'shop backend', '--role', 'send').trim();
    expect(key).toMatch(/^tk_/);
    const listed = run('keys', 'list');
    expect(listed).toContain('shop backend');
    expect(listed).not.toContain(key);
    const ok = await fetch(`http://127.0.0.1:${port}/v1/messages`, { headers: { authorization: `Bearer ${key}` } });
    expect(ok.status).toBe(200);
    expect(run('keys', 'revoke', key)).toContain('revoked');
    expect(run('keys', 'list')).toMatch(/revoked .*shop backend/);
    // The running server remembers a verified key for a few seconds, then sees the revocation.
    let status = 200;
    const end = Date.now() + 8_000;
    while (status !== 401 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await fetch(`http://127.0.0.1:${port}/v1/messages`, { headers: { authorization: `Bearer ${key}` } }))
        .status;
    }
    expect(status).toBe(401);
    expect(() => run('send', '--to', '+14155552671', '--body', 'x', '--key', key)).toThrow();
  });

  it('explains a bad configuration instead of crashing', () => {
    let message = '';
    try {
      execFileSync(process.execPath, [CLI, 'migrate'], {
        cwd: dir,
        env: { PATH: '', TIDINGS_DEFAULT_REGION: 'usa' },
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (err) {
      message = String((err as { stderr: string }).stderr);
    }
    expect(message).toContain('TIDINGS_DEFAULT_REGION');
  });
});
