/**
 * @module bench/scenarios/campaign
 * Scenario 6 with `--big`: a campaign of 1,000,000 CSV rows (100,000 with --quick or
 * --campaign-rows=N). The CSV is generated as it is uploaded, streamed in one PUT, so neither side
 * holds it whole. Measures rows/s ingested, then messages/s through the sim carrier at the highest
 * rate a campaign may ask (10,000/s), and the server's peak RSS: memory must stay flat however many
 * rows there are. Correctness: every row became exactly one message.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiClient } from '../lib/api.js';
import { CpuMeter } from '../lib/cpu.js';
import { readMemory } from '../lib/memory.js';
import { SIM_PROVIDER } from './accept.js';
import type { Scenario } from './types.js';
import { withTidings } from './with-tidings.js';

const MB = 1024 * 1024;
/** Stop waiting rather than run for ever on a slow machine; the report says how far it got. */
const TIME_LIMIT_MS = 20 * 60_000;

/** Distinct US numbers, none ending in the sim carrier's failing 0001–0009. */
function number(i: number): string {
  return `+1415${200 + Math.floor(i / 9_000)}${1_000 + (i % 9_000)}`;
}

function csvStream(rows: number): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let next = 0;
  let header = true;
  return new ReadableStream({
    pull(controller) {
      if (header) {
        header = false;
        controller.enqueue(enc.encode('to,name,code\n'));
      }
      const lines: string[] = [];
      for (let k = 0; k < 2_000 && next < rows; k++, next++) lines.push(`${number(next)},Guest ${next},C${next % 97}`);
      if (lines.length > 0) controller.enqueue(enc.encode(`${lines.join('\n')}\n`));
      if (next >= rows) controller.close();
    },
  });
}

interface CampaignView {
  status: string;
  recipients: { total: number; accepted: number; refused: number; pending: number };
  messages?: Record<string, number>;
}

export const campaignScenario: Scenario = ({ opts }) =>
  withTidings(
    {
      name: 'campaign',
      providers: SIM_PROVIDER,
      logLevel: opts.logLevel,
      cpuProf: opts.cpuProf,
      // Marketing at whatever hour the bench runs, to numbers that all look alike: the protections
      // that would hold them are measured elsewhere.
      env: { TIDINGS_QUIET_HOURS: 'off', TIDINGS_RECIPIENT_LIMITS: 'off', TIDINGS_DUPLICATE_WINDOW: 'off' },
    },
    async (t) => {
      const api = new ApiClient(t.url, t.apiKey, 2);
      const rows = opts.campaignRows;
      try {
        await fetch(`${t.url}/v1/templates/bench-campaign`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ body: 'Hi {{ name }}, your code is {{ code }}', purpose: 'marketing' }),
        });
        const created = await api.postJson<{ id: string }>(
          '/v1/campaigns',
          JSON.stringify({ name: 'bench', template: 'bench-campaign', rate: 10_000 }),
        );
        const id = created.body.id;
        const cpu = new CpuMeter({ server: t.pid, load: process.pid });
        const t0 = performance.now();
        const res = await fetch(`${t.url}/v1/campaigns/${id}/recipients`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'text/csv' },
          body: csvStream(rows),
          duplex: 'half',
        } as RequestInit);
        const upload = (await res.json()) as { accepted: number; rowsRead: number; invalid: number };
        const ingestS = (performance.now() - t0) / 1000;
        const rssAfterIngest = readMemory(t.pid)?.rssBytes ?? null;
        await api.postJson(`/v1/campaigns/${id}/start`, '{}');
        const t1 = performance.now();
        let view: CampaignView | null = null;
        let handed = 0;
        while (performance.now() - t1 < TIME_LIMIT_MS) {
          await sleep(1_000);
          view = (await api.get<CampaignView>(`/v1/campaigns/${id}`)).body;
          handed = (view.messages?.['sent'] ?? 0) + (view.messages?.['delivered'] ?? 0);
          if (view.status === 'completed' && handed + (view.messages?.['failed'] ?? 0) >= view.recipients.accepted)
            break;
        }
        const sendS = (performance.now() - t1) / 1000;
        const cores = cpu.stop();
        const total = Object.values(view?.messages ?? {}).reduce((a, b) => a + b, 0);
        // Rows refused at sending (a limit, a banned word…) are not lost, but say which they were.
        const refused = (
          await api.get<{ data: { row: number; code: string; reason: string }[] }>(
            `/v1/campaigns/${id}/rejections?limit=5`,
          )
        ).body.data;
        return {
          name: 'campaign',
          title: `campaign: ${rows.toLocaleString('en-US')} CSV rows through sim`,
          throughput: { value: handed / sendS, unit: 'msg/s sent' },
          latency: null,
          errors: `${upload.invalid}`,
          peakRssBytes: t.memory.stop(),
          cores,
          notes: [
            `ingest ${Math.round(upload.rowsRead / ingestS).toLocaleString('en-US')} rows/s (${ingestS.toFixed(1)} s), ` +
              `send ${sendS.toFixed(1)} s`,
            `RSS after ingest ${((rssAfterIngest ?? NaN) / MB).toFixed(0)} MB, db ${(t.databaseBytes() / MB).toFixed(0)} MB`,
          ],
          checks: [
            {
              name: 'campaign: one message per row',
              ok: upload.accepted === rows && view?.status === 'completed' && total === rows,
              detail:
                `${upload.accepted} recipients, status ${view?.status}, ${total} messages, ${handed} sent or delivered` +
                `, recipients ${JSON.stringify(view?.recipients)}` +
                (refused.length > 0
                  ? `; refused: ${refused.map((r) => `row ${r.row} ${r.code} (${r.reason})`).join('; ')}`
                  : ''),
            },
          ],
          data: {
            rows,
            ingestS,
            ingestRowsPerS: upload.rowsRead / ingestS,
            sendS,
            sentPerS: handed / sendS,
            rssAfterIngestBytes: rssAfterIngest,
            databaseBytes: t.databaseBytes(),
            messages: view?.messages ?? {},
          },
        };
      } finally {
        await api.close();
      }
    },
  );
