/**
 * A 100,000-row CSV campaign end to end with the sim carrier: the file is streamed up as it is
 * generated, every row becomes one message, and the sim carrier takes them all.
 * (The 1,000,000-row case is in `npm run bench -- --big`.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTidings, waitFor, type Tidings } from '../support/harness.js';
import { nthNumber, uploadCsv } from '../support/campaigns.js';

const ROWS = 100_000;
let t: Tidings;

beforeAll(async () => {
  t = await startTidings({ TIDINGS_PROVIDERS: 'sim://?latency=0ms&deliverAfter=10ms' });
  await t.api('PUT', '/v1/templates/sale', { body: 'Hi {{ name }}, sale ends Sunday', purpose: 'marketing' });
});
afterAll(async () => t.stop());

/** The CSV as a stream of chunks made on demand: the test never holds the whole file either. */
function csvStream(rows: number): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let i = -1;
  return new ReadableStream({
    pull(controller) {
      if (i === -1) controller.enqueue(enc.encode('to,name\n'));
      const lines: string[] = [];
      for (let k = 0; k < 1_000 && i + 1 < rows; k++) {
        i++;
        lines.push(`${nthNumber(i)},Guest ${i}`);
      }
      if (lines.length > 0) controller.enqueue(enc.encode(`${lines.join('\n')}\n`));
      // One duplicate at the end: de-duplication holds across the whole file.
      if (i + 1 >= rows) {
        controller.enqueue(enc.encode(`${nthNumber(7)},Again\n`));
        controller.close();
      }
    },
  });
}

describe('a 100,000-row campaign', () => {
  it('streams in, sends every row once through the sim carrier, and completes', async () => {
    const c = await t.api('POST', '/v1/campaigns', { name: 'big', template: 'sale', rate: 10_000 });
    const id = c.body.id as string;
    const upload = await uploadCsv(t.url, id, csvStream(ROWS));
    expect(upload.status).toBe(200);
    expect(upload.body).toMatchObject({ rowsRead: ROWS + 1, accepted: ROWS, duplicates: 1, invalid: 0 });
    expect((await t.api('POST', `/v1/campaigns/${id}/start`)).status).toBe(200);
    const done = await waitFor(
      () => t.api('GET', `/v1/campaigns/${id}`),
      (r) => r.body.status === 'completed',
      240_000,
    );
    const refused = (await t.api('GET', `/v1/campaigns/${id}/rejections`)).body.data.filter(
      (r: { code: string }) => r.code !== 'duplicate_recipient',
    );
    expect({ ...done.body.recipients, refusedRows: refused }).toMatchObject({
      total: ROWS,
      accepted: ROWS,
      refused: 0,
      pending: 0,
      refusedRows: [],
    });
    const handed = await waitFor(
      () => t.api('GET', `/v1/campaigns/${id}`),
      (r) => (r.body.messages.sent ?? 0) + (r.body.messages.delivered ?? 0) === ROWS,
      240_000,
    );
    const counts = handed.body.messages as Record<string, number>;
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(ROWS);
  }, 600_000);
});
