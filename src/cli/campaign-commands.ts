/**
 * @module cli/campaign-commands
 * `tidings campaign send file.csv --template NAME` creates a campaign, streams the file up (never
 * read whole), starts it and follows it with a live progress bar until it is done (or `--detach`);
 * `tidings campaign status|pause|resume|cancel ID` act on one. All of it over the HTTP API.
 */
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { resolveTarget } from './client-commands.js';
import { ApiCallError, callApi, type ApiTarget } from './http-client.js';

interface TargetFlags {
  url?: string;
  key?: string;
}

interface SendFlags extends TargetFlags {
  template: string;
  name?: string;
  rate?: string;
  window?: string;
  timezone?: string;
  purpose?: string;
  startAt?: string;
  detach?: boolean;
  interval: string;
}

interface CampaignView {
  id: string;
  status: string;
  recipients: { total: number; pending: number; accepted: number; refused: number; cancelled: number };
  messages?: Record<string, number>;
  progress: { currentRate: number | null; etaSeconds: number | null };
}

const FINISHED = new Set(['completed', 'cancelled']);

/** `09:00-20:00` → the API's window. */
export function parseWindow(text: string, timezone?: string): { start: string; end: string; timezone?: string } {
  const m = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`--window must look like 09:00-20:00 (got "${text}")`);
  return { start: m[1]!, end: m[2]!, ...(timezone ? { timezone } : {}) };
}

/** PUTs the file as a stream: fetch sends it chunk by chunk as the file is read. */
async function uploadFile(target: ApiTarget, id: string, file: string): Promise<unknown> {
  const res = await fetch(new URL(`/v1/campaigns/${encodeURIComponent(id)}/recipients`, target.url), {
    method: 'PUT',
    headers: {
      'content-type': 'text/csv',
      'content-length': String(statSync(file).size),
      ...(target.key ? { authorization: `Bearer ${target.key}` } : {}),
    },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiCallError(res.status, parsed);
  return parsed;
}

const done = (c: CampaignView) => c.recipients.accepted + c.recipients.refused + c.recipients.cancelled;

/** Polls the campaign until it is finished, drawing a bar on a terminal and nothing otherwise. */
async function follow(target: ApiTarget, id: string, intervalMs: number): Promise<CampaignView> {
  const path = `/v1/campaigns/${encodeURIComponent(id)}`;
  let c = (await callApi(target, 'GET', path)) as CampaignView;
  const bar = new cliProgress.SingleBar(
    {
      format: ' {bar} {percentage}% | {value}/{total} rows | {status} | {rate}/s | ETA {eta_api}',
      hideCursor: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  const payload = (v: CampaignView) => ({
    status: v.status,
    rate: v.progress.currentRate ?? '–',
    eta_api: v.progress.etaSeconds === null ? '–' : `${v.progress.etaSeconds}s`,
  });
  bar.start(c.recipients.total, done(c), payload(c));
  while (!FINISHED.has(c.status)) {
    await new Promise((r) => setTimeout(r, intervalMs));
    c = (await callApi(target, 'GET', path)) as CampaignView;
    bar.setTotal(c.recipients.total);
    bar.update(done(c), payload(c));
  }
  bar.stop();
  return c;
}

export function addCampaignCommands(program: Command): void {
  const campaign = program.command('campaign').description('send one template to many recipients');
  campaign
    .command('send <file>')
    .description('create a campaign from a CSV (header: to|phone|number, then data columns), start it, follow it')
    .requiredOption('--template <name>', 'template to send')
    .option('--name <name>', 'campaign name (default: the file name)')
    .option('--rate <n>', 'messages per second', '10')
    .option('--window <HH:MM-HH:MM>', 'send only between these local times')
    .option('--timezone <zone>', "the window's IANA zone (default: each recipient's own)")
    .option('--purpose <purpose>', 'marketing (default) | transactional')
    .option('--start-at <time>', 'RFC 3339 time to start at')
    .option('--detach', 'start it and return, without following')
    .option('--interval <ms>', 'how often to poll progress', '1000')
    .option('--url <url>', 'Tidings base URL (default $TIDINGS_URL or http://127.0.0.1:3000)')
    .option('--key <key>', 'API key (default $TIDINGS_API_KEY or data/admin.key)')
    .action(async (file: string, o: SendFlags) => {
      const target = resolveTarget(o, process.env);
      const rate = Number(o.rate ?? '10');
      if (!(rate > 0)) throw new Error('--rate must be a positive number');
      const created = (await callApi(target, 'POST', '/v1/campaigns', {
        name: o.name ?? file.split('/').pop(),
        template: o.template,
        rate,
        ...(o.window ? { window: parseWindow(o.window, o.timezone) } : {}),
        ...(o.purpose ? { purpose: o.purpose } : {}),
        ...(o.startAt ? { startAt: o.startAt } : {}),
      })) as CampaignView;
      const upload = (await uploadFile(target, created.id, file)) as {
        rowsRead: number;
        accepted: number;
        duplicates: number;
        invalid: number;
        rejections: { row: number; line: number | null; code: string; reason: string }[];
        stopped: string | null;
      };
      process.stderr.write(
        `campaign ${created.id}: ${upload.rowsRead} rows read, ${upload.accepted} recipients, ` +
          `${upload.duplicates} duplicates, ${upload.invalid} invalid\n`,
      );
      for (const r of upload.rejections.slice(0, 10)) {
        process.stderr.write(`  row ${r.row}${r.line !== null ? ` (line ${r.line})` : ''}: ${r.code}: ${r.reason}\n`);
      }
      if (upload.stopped) process.stderr.write(`  ${upload.stopped}\n`);
      await callApi(target, 'POST', `/v1/campaigns/${encodeURIComponent(created.id)}/start`);
      if (o.detach) {
        process.stdout.write(`${created.id}\n`);
        return;
      }
      const final = await follow(target, created.id, Number(o.interval));
      process.stdout.write(
        `${JSON.stringify({ id: final.id, status: final.status, recipients: final.recipients, messages: final.messages })}\n`,
      );
    });

  for (const action of ['status', 'pause', 'resume', 'cancel'] as const) {
    campaign
      .command(`${action} <id>`)
      .description(action === 'status' ? "show a campaign's progress" : `${action} a campaign`)
      .option('--url <url>', 'Tidings base URL')
      .option('--key <key>', 'API key')
      .action(async (id: string, o: TargetFlags) => {
        const target = resolveTarget(o, process.env);
        const path = `/v1/campaigns/${encodeURIComponent(id)}`;
        const result =
          action === 'status' ? await callApi(target, 'GET', path) : await callApi(target, 'POST', `${path}/${action}`);
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      });
  }
}
