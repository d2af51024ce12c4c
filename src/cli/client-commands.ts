/**
 * @module cli/client-commands
 * `tidings send`, `tidings status` and `tidings sim reply`: thin clients of the HTTP API.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { callApi, type ApiTarget } from './http-client.js';

interface TargetFlags {
  url?: string;
  key?: string;
}

/** --key, else TIDINGS_API_KEY, else the key the embedded first start wrote. */
export function resolveTarget(flags: TargetFlags, env: NodeJS.ProcessEnv): ApiTarget {
  const keyFile = 'data/admin.key';
  const key =
    flags.key ?? env['TIDINGS_API_KEY'] ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
  const url = flags.url ?? env['TIDINGS_URL'] ?? `http://127.0.0.1:${env['TIDINGS_PORT'] ?? env['PORT'] ?? 3000}`;
  return { url, key };
}

export function addClientCommands(program: Command): void {
  program
    .command('send')
    .description('send a message through a running Tidings')
    .requiredOption('--to <number>', 'recipient, E.164 (e.g. +14155552671)')
    .requiredOption('--body <text>', 'message text')
    .option('--send-at <time>', 'RFC 3339 time to send at')
    .option('--reference <ref>', 'your reference (booking id, order id)')
    .option('--purpose <purpose>', 'transactional | otp | marketing')
    .option('--url <url>', 'Tidings base URL (default $TIDINGS_URL or http://127.0.0.1:3000)')
    .option('--key <key>', 'API key (default $TIDINGS_API_KEY or data/admin.key)')
    .action(
      async (o: TargetFlags & { to: string; body: string; sendAt?: string; reference?: string; purpose?: string }) => {
        const result = await callApi(resolveTarget(o, process.env), 'POST', '/v1/messages', {
          to: o.to,
          body: o.body,
          ...(o.sendAt ? { sendAt: o.sendAt } : {}),
          ...(o.reference ? { reference: o.reference } : {}),
          ...(o.purpose ? { purpose: o.purpose } : {}),
        });
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      },
    );

  program
    .command('status <id>')
    .description("show a message's status and events")
    .option('--url <url>', 'Tidings base URL')
    .option('--key <key>', 'API key')
    .action(async (id: string, o: TargetFlags) => {
      const result = await callApi(resolveTarget(o, process.env), 'GET', `/v1/messages/${encodeURIComponent(id)}`);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    });

  const sim = program.command('sim').description('the simulated carrier');
  sim
    .command('reply <number> <text>')
    .description('text back from a simulated phone, as if <number> answered (needs a sim:// provider)')
    .option('--url <url>', 'Tidings base URL')
    .option('--key <key>', 'API key (admin)')
    .action(async (number: string, text: string, o: TargetFlags) => {
      const result = await callApi(resolveTarget(o, process.env), 'POST', '/v1/sim/inbound', { from: number, text });
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    });
}
