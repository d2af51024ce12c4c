#!/usr/bin/env node
/**
 * @module main/cli
 * The `tidings` command. `serve`, `keys` and `migrate` work on this machine's configuration and
 * database; `send` and `status` are HTTP clients of a running server.
 */
import 'dotenv/config';
import { Command, Option } from 'commander';
import { createApiKey } from '../app/api-keys.js';
import { ACCOUNT_SID, createTwilioCompatAccount } from '../app/twilio-compat/credentials.js';
import { addClientCommands } from '../cli/client-commands.js';
import { addReportCommand } from '../cli/report.js';
import { addCampaignCommands } from '../cli/campaign-commands.js';
import { addReminderCommands } from '../cli/reminder-commands.js';
import { ApiCallError } from '../cli/http-client.js';
import { ConfigError, loadConfig } from '../config/index.js';
import type { ApiKeyRole } from '../ports/api-keys.js';
import { ensureAdminKey } from './first-run.js';
import { packageVersion } from './package-info.js';
import { createRuntime } from './runtime.js';
import { startServer, type Role } from './server.js';
import { wantsDispatchThread } from './dispatch-thread.js';
import { applyHeapGrowth } from './heap-growth.js';

const program = new Command('tidings').version(packageVersion()).description('Tidings: self-hosted notifications');

program
  .command('serve')
  .description('run the HTTP API and the dispatch worker')
  .addOption(new Option('--role <role>', 'what this process does').choices(['all', 'api', 'worker']).default('all'))
  .option('--port <port>', 'port to listen on (default $TIDINGS_PORT or 3000)', (v) => Number(v))
  .action(async (o: { role: Role; port?: number }) => {
    const config = loadConfig(process.env);
    applyHeapGrowth(config.heapGrowthPercent);
    const rt = await createRuntime(config);
    const auth = await ensureAdminKey(rt);
    const server = await startServer(rt, {
      role: o.role,
      dispatchThread: wantsDispatchThread(rt),
      ...(o.port !== undefined ? { port: o.port } : {}),
    });
    const providers = rt.deps.providers.map((p) => `${p.id} (${p.describe()})`).join(', ');
    process.stdout.write(
      [
        '',
        `  Tidings ${packageVersion()} is running (role: ${o.role})`,
        `  API        ${server.url}`,
        `  Docs       ${server.url}/docs`,
        `  Storage    ${rt.storage.location}`,
        `  Queue      ${rt.queueLocation}${server.worker === null && o.role === 'all' ? ', dispatched on its own thread' : ''}`,
        `  Providers  ${providers}`,
        `  Auth       ${auth.text}`,
        '',
        '',
      ].join('\n'),
    );
    const shutdown = (signal: string) => {
      rt.logger.info({ signal }, 'shutting down');
      server.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          rt.logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });

program
  .command('migrate')
  .description('create or update the database schema')
  .action(async () => {
    const rt = await createRuntime(loadConfig(process.env));
    process.stdout.write(`schema of ${rt.storage.location} is up to date\n`);
    await rt.close();
  });

const keys = program.command('keys').description('manage API keys');
keys
  .command('create')
  .description('create an API key and print it once')
  .option('--name <name>', 'what the key is for', 'unnamed')
  .addOption(new Option('--role <role>', 'what the key may do').choices(['admin', 'send', 'read']).default('send'))
  .option('--twilio-compat', 'an Account SID and Auth Token for the Twilio-compatible API instead (role send or read)')
  .action(async (o: { name: string; role: ApiKeyRole; twilioCompat?: boolean }) => {
    if (o.twilioCompat && o.role === 'admin')
      throw new Error('a --twilio-compat credential is send or read, not admin');
    const rt = await createRuntime(loadConfig(process.env));
    if (o.twilioCompat) {
      const role = o.role === 'read' ? 'read' : 'send';
      const issued = await createTwilioCompatAccount(
        { accounts: rt.twilioCompat.accounts, clock: rt.deps.clock },
        o.name,
        role,
      );
      // In the seed's own variable names, ready for its .env.
      process.stdout.write(`TWILIO_ACCOUNT_SID=${issued.accountSid}\nTWILIO_AUTH_TOKEN=${issued.authToken}\n`);
      process.stderr.write(`created ${issued.accountSid} (${role}, "${o.name}"): the token is shown only now\n`);
      await rt.close();
      return;
    }
    const { key, record } = await createApiKey(rt.deps, o.name, o.role);
    process.stdout.write(`${key}\n`);
    process.stderr.write(`created ${record.id} (${record.role}, "${record.name}"): the key is shown only now\n`);
    await rt.close();
  });
keys
  .command('list')
  .description('list API keys (never the secrets)')
  .action(async () => {
    const rt = await createRuntime(loadConfig(process.env));
    for (const k of await rt.deps.apiKeys.list()) {
      const state = k.revokedAt === null ? 'active' : `revoked ${new Date(k.revokedAt).toISOString()}`;
      process.stdout.write(`${k.id}\ttk_${k.prefix}_…\t${k.role}\t${state}\t${k.name}\n`);
    }
    for (const a of await rt.twilioCompat.accounts.list()) {
      const state = a.revokedAt === null ? 'active' : `revoked ${new Date(a.revokedAt).toISOString()}`;
      process.stdout.write(`${a.sid}\t(twilio-compat)\t${a.role}\t${state}\t${a.name}\n`);
    }
    await rt.close();
  });
keys
  .command('revoke <id>')
  .description('revoke an API key by id or prefix, or a Twilio-compatible credential by its Account SID')
  .action(async (id: string) => {
    const rt = await createRuntime(loadConfig(process.env));
    const ok = ACCOUNT_SID.test(id)
      ? await rt.twilioCompat.accounts.revoke(id, Date.now())
      : await rt.deps.apiKeys.revoke(id.replace(/^tk_([a-z0-9]{8}).*$/, '$1'), Date.now());
    await rt.close();
    if (!ok) {
      process.stderr.write(`no active key ${id}\n`);
      process.exitCode = 1;
    } else process.stdout.write(`revoked ${id}\n`);
  });

addClientCommands(program);
addReportCommand(program);
addCampaignCommands(program);
addReminderCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof ApiCallError) {
    process.stderr.write(`tidings: ${err.message}\n`);
  } else if (
    err instanceof Error &&
    'cause' in err &&
    (err.cause as { code?: string } | undefined)?.code === 'ECONNREFUSED'
  ) {
    process.stderr.write('tidings: cannot reach the server (is `npm start` running? set --url or TIDINGS_URL)\n');
  } else {
    process.stderr.write(`tidings: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
