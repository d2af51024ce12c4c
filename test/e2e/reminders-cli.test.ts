/* eslint-disable @typescript-eslint/no-explicit-any -- CLI output is checked field by field */
/** `tidings reminders create|show|move|cancel` against a running server, as a user types them. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, TEST_KEY } from '../support/harness.js';
import { spawnTidings, waitForHttp, type TidingsProcess } from '../support/process.js';

const CLI = join(process.cwd(), 'dist/src/main/cli.js');

describe('tidings reminders', () => {
  let dir: string;
  let env: Record<string, string>;
  let server: TidingsProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tidings-reminders-cli-'));
    const port = await freePort();
    env = {
      TIDINGS_DATABASE_URL: `sqlite:${join(dir, 'tidings.db')}`,
      TIDINGS_API_KEY: TEST_KEY,
      TIDINGS_PORT: String(port),
      TIDINGS_LOG_LEVEL: 'warn',
      TIDINGS_URL: `http://127.0.0.1:${port}`,
    };
    server = spawnTidings(['serve'], env, dir);
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, 30_000);
    const res = await fetch(`http://127.0.0.1:${port}/v1/templates/dentist`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'Dentist at {{ appointmentAt | date: "%H:%M" }}, {{ name }}. Reply Y to confirm.' }),
    });
    expect(res.status).toBeLessThan(300);
  });
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (...args: string[]) =>
    JSON.parse(
      execFileSync(process.execPath, [CLI, 'reminders', ...args], {
        cwd: dir,
        env: { PATH: process.env['PATH'] ?? '', ...env },
        encoding: 'utf8',
      }),
    ) as any;

  it('creates, shows, moves and cancels a reminder', () => {
    const year = new Date().getUTCFullYear() + 1;
    const created = run(
      'create',
      '--reference',
      'appt-77',
      '--at',
      `${year}-06-10T15:00`,
      '--timezone',
      'America/New_York',
      '--to',
      '+14155552671',
      '--template',
      'dentist',
      '--data',
      '{"name":"Ada"}',
      '--offsets=-1d,-2h',
    );
    expect(created).toMatchObject({
      reference: 'appt-77',
      appointmentAt: `${year}-06-10T19:00:00.000Z`,
      offsets: ['-1d', '-2h'],
      data: { name: 'Ada' },
    });
    expect(created.messages.map((m: any) => [m.offset, m.status])).toEqual([
      ['-1d', 'scheduled'],
      ['-2h', 'scheduled'],
    ]);
    expect(run('show', 'appt-77')).toEqual(created);

    const moved = run('move', 'appt-77', '--at', `${year}-06-11T09:30`);
    expect(moved.localTime).toBe(`${year}-06-11T09:30:00`);
    expect(moved.messages.map((m: any) => m.sendAt)).toEqual([
      `${year}-06-10T13:30:00.000Z`,
      `${year}-06-11T11:30:00.000Z`,
    ]);
    expect(moved.messages[0].id).not.toBe(created.messages[0].id);

    const canceled = run('cancel', 'appt-77');
    expect(canceled.status).toBe('canceled');
    expect(canceled.messages.map((m: any) => m.status)).toEqual(['canceled', 'canceled']);
  });

  it('prints the error code and exits 1 on a bad offset', () => {
    const res = spawnSync(
      process.execPath,
      [
        CLI,
        'reminders',
        'create',
        '--reference',
        'appt-78',
        '--at',
        '2031-01-01T09:00',
        '--timezone',
        'Europe/London',
        '--to',
        '+14155552671',
        '--template',
        'dentist',
        '--offsets',
        '2h',
      ],
      { cwd: dir, env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8' },
    );
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('reminder_offset_invalid');
  });
});
