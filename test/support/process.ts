/** Runs the real `tidings` CLI (compiled) as a child process, as a user would. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface TidingsProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function spawnTidings(args: string[], env: Record<string, string>, cwd = process.cwd()): TidingsProcess {
  const child = spawn(process.execPath, [`${process.cwd()}/dist/src/main/cli.js`, ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

export async function waitForHttp(url: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
