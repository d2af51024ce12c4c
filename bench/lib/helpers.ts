/**
 * @module bench/lib/helpers
 * Starts the benchmark's helper processes (bench/children/): the bare Fastify ceiling and the fake
 * Twilio. Each is forked with an IPC channel, says when it is ready, and the fake answers questions
 * about what it received, so the harness never shares a CPU-bound event loop with them.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { isReady, type FakeTwilioChildOptions, type StatsReply, type StatsRequest } from '../children/protocol.js';
import { track, type Child } from './children.js';
import { paths } from './paths.js';

export interface Helper {
  url: string;
  child: Child;
}

/** With `cpuProf`, the helper writes bench/results/profiles/<name>.cpuprofile when it exits. */
async function startHelper(name: string, args: string[], cpuProf = false): Promise<Helper> {
  const execArgv = cpuProf
    ? ['--cpu-prof', `--cpu-prof-dir=${paths.profiles}`, `--cpu-prof-name=${name}.cpuprofile`]
    : [];
  if (cpuProf) mkdirSync(paths.profiles, { recursive: true });
  const proc = fork(paths.child(name), args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const child = track(name, proc);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 20 s`)), 20_000);
    proc.on('message', (m) => {
      if (!isReady(m)) return;
      clearTimeout(timer);
      resolve(m.url);
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before it was ready`));
    });
  });
  return { url, child };
}

export function startCeiling(): Promise<Helper> {
  return startHelper('ceiling', []);
}

export interface FakeTwilioHelper extends Helper {
  stats(bodyPrefix: string): Promise<StatsReply>;
}

export async function startFakeTwilioProcess(opts: FakeTwilioChildOptions, cpuProf = false): Promise<FakeTwilioHelper> {
  const helper = await startHelper('fake-twilio', [JSON.stringify(opts)], cpuProf);
  const proc: ChildProcess = helper.child.process;
  return {
    ...helper,
    stats: (bodyPrefix) =>
      new Promise((resolve, reject) => {
        const onMessage = (m: unknown) => {
          if (typeof m !== 'object' || m === null || (m as { type?: unknown }).type !== 'stats') return;
          proc.off('message', onMessage);
          resolve(m as StatsReply);
        };
        proc.on('message', onMessage);
        proc.send({ type: 'stats', bodyPrefix } satisfies StatsRequest, (err) => {
          if (err) reject(err);
        });
      }),
  };
}
