/**
 * @module cli/reminder-commands
 * `tidings reminders create|show|move|cancel`: appointment reminders through the HTTP API of a
 * running Tidings (see docs/reminders.md).
 */
import type { Command } from 'commander';
import { resolveTarget } from './client-commands.js';
import { callApi } from './http-client.js';

interface TargetFlags {
  url?: string;
  key?: string;
}

interface CreateFlags extends TargetFlags {
  reference: string;
  at: string;
  timezone: string;
  to: string;
  template: string;
  offsets: string;
  data?: string;
  locale?: string;
  purpose?: string;
  from?: string;
}

interface MoveFlags extends TargetFlags {
  at?: string;
  timezone?: string;
  offsets?: string;
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function parseData(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`--data is not JSON: ${text}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error('--data must be a JSON object');
  return value as Record<string, unknown>;
}

const print = (result: unknown): void => {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
};
const path = (reference: string) => `/v1/reminders/${encodeURIComponent(reference)}`;

function withTarget(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'Tidings base URL (default $TIDINGS_URL or http://127.0.0.1:3000)')
    .option('--key <key>', 'API key (default $TIDINGS_API_KEY or data/admin.key)');
}

export function addReminderCommands(program: Command): void {
  const reminders = program.command('reminders').description('appointment reminders');

  withTarget(
    reminders
      .command('create')
      .description('schedule reminders before an appointment')
      .requiredOption('--reference <ref>', 'your id for the appointment (booking id)')
      .requiredOption('--at <time>', 'the appointment: 2030-03-10T09:00 (local) or with an offset')
      .requiredOption('--timezone <zone>', "the appointment's IANA timezone, e.g. Europe/London")
      .requiredOption('--to <number>', 'recipient, E.164')
      .requiredOption('--template <name>', 'template of the reminder text')
      .requiredOption('--offsets <list>', 'comma-separated, e.g. --offsets=-1d,-2h')
      .option('--data <json>', 'template variables as a JSON object')
      .option('--locale <tag>', 'template locale')
      .option('--purpose <purpose>', 'transactional | marketing')
      .option('--from <sender>', 'sender number or id'),
  ).action(async (o: CreateFlags) => {
    const data = parseData(o.data);
    print(
      await callApi(resolveTarget(o, process.env), 'POST', '/v1/reminders', {
        reference: o.reference,
        appointmentAt: o.at,
        timezone: o.timezone,
        to: o.to,
        template: o.template,
        offsets: list(o.offsets),
        ...(data ? { data } : {}),
        ...(o.locale ? { locale: o.locale } : {}),
        ...(o.purpose ? { purpose: o.purpose } : {}),
        ...(o.from ? { from: o.from } : {}),
      }),
    );
  });

  withTarget(reminders.command('show <reference>').description('a reminder, its messages and the reply')).action(
    async (reference: string, o: TargetFlags) =>
      print(await callApi(resolveTarget(o, process.env), 'GET', path(reference))),
  );

  withTarget(
    reminders
      .command('move <reference>')
      .description('reschedule: a new appointment time, timezone or offsets; pending messages move')
      .option('--at <time>', 'the new appointment time')
      .option('--timezone <zone>', 'a new timezone (alone: same wall-clock time there)')
      .option('--offsets <list>', 'new offsets, e.g. --offsets=-1d,-2h'),
  ).action(async (reference: string, o: MoveFlags) => {
    const body = {
      ...(o.at ? { appointmentAt: o.at } : {}),
      ...(o.timezone ? { timezone: o.timezone } : {}),
      ...(o.offsets ? { offsets: list(o.offsets) } : {}),
    };
    if (Object.keys(body).length === 0) throw new Error('give --at, --timezone or --offsets');
    print(await callApi(resolveTarget(o, process.env), 'PATCH', path(reference), body));
  });

  withTarget(reminders.command('cancel <reference>').description('cancel every reminder not yet sent')).action(
    async (reference: string, o: TargetFlags) =>
      print(await callApi(resolveTarget(o, process.env), 'DELETE', path(reference))),
  );
}
