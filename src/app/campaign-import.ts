/**
 * @module app/campaign-import
 * Reads a campaign's recipients from a CSV byte stream and stores them in batches, so a file of a
 * million rows is never held whole: csv-parse yields records as bytes arrive, and the next batch
 * is read only once the last one is stored (the stream's own backpressure). The header names the
 * number column (`to`, `phone` or `number`); every other column is per-row template data. A bad
 * record is rejected with its row number, line and a stable code, and the rest go ahead.
 */
import type { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { TidingsError, isTidingsError } from '../core/errors.js';
import { normalizeRecipient, type CountryCode } from '../content/phone.js';
import type { CampaignStore, ImportEntry, RowRejection } from '../ports/campaign-store.js';

/** Records stored per transaction. */
const BATCH = 1_000;
/** A row's data beyond this is more than any SMS template needs. */
const MAX_ROW_DATA_BYTES = 4_096;
/** Rejections listed in the upload's answer; all are kept, and listed by `/rejections`. */
const REPORTED_REJECTIONS = 100;
const NUMBER_COLUMNS = ['to', 'phone', 'number'];

export interface ImportSummary {
  rowsRead: number;
  accepted: number;
  duplicates: number;
  invalid: number;
  /** The first rejections of this upload (all of them are at GET …/rejections). */
  rejections: RowRejection[];
  /** Set when reading stopped early: the row limit was reached, or the CSV could not be read on. */
  stopped: string | null;
}

export interface ImportOptions {
  defaultRegion: string | undefined;
  /** Most rows a campaign may have; reading stops there. */
  maxRows: number;
  /** Most bytes read from the source; past it the upload fails with payload_too_large. */
  maxBytes: number;
  /** Rows the campaign already has. */
  rowsBefore: number;
  now: () => number;
}

/** A recipient from its raw number and data, or why not. Shared by the CSV and the inline JSON paths. */
export function recipientEntry(
  rawTo: string | undefined,
  data: Record<string, string> | null,
  line: number | null,
  defaultRegion: string | undefined,
): ImportEntry {
  const reject = (code: string, reason: string): ImportEntry => ({ kind: 'rejection', line, code, reason });
  if (rawTo === undefined || rawTo.trim() === '') return reject('missing_number', 'The row has no phone number.');
  if (data !== null && JSON.stringify(data).length > MAX_ROW_DATA_BYTES) {
    return reject('row_too_large', `The row's data is over ${MAX_ROW_DATA_BYTES} bytes.`);
  }
  try {
    const r = normalizeRecipient(rawTo, { defaultRegion: defaultRegion as CountryCode | undefined, channel: 'sms' });
    return { kind: 'recipient', line, to: r.e164, data };
  } catch (err) {
    if (isTidingsError(err)) return reject(err.code, err.message);
    throw err;
  }
}

/** Picks the number column out of the header; the others become data keys. */
export function readHeader(header: string[]): { toIndex: number; names: string[] } {
  const names = header.map((h) => h.trim());
  const toIndex = names.findIndex((n) => NUMBER_COLUMNS.includes(n.toLowerCase()));
  if (toIndex < 0) {
    throw new TidingsError(
      'csv_header_invalid',
      `The first row must be a header naming the number column (to, phone or number); it has: ${names.slice(0, 10).join(', ') || 'nothing'}.`,
      'to',
    );
  }
  return { toIndex, names };
}

function recordEntry(
  fields: string[],
  header: { toIndex: number; names: string[] },
  line: number,
  opts: ImportOptions,
): ImportEntry {
  if (fields.length !== header.names.length) {
    return {
      kind: 'rejection',
      line,
      code: 'malformed_row',
      reason: `The row has ${fields.length} fields; the header has ${header.names.length}.`,
    };
  }
  let data: Record<string, string> | null = null;
  fields.forEach((v, i) => {
    const name = header.names[i];
    if (i === header.toIndex || !name) return;
    (data ??= {})[name] = v;
  });
  return recipientEntry(fields[header.toIndex], data, line, opts.defaultRegion);
}

export class ImportTally {
  readonly summary: ImportSummary = {
    rowsRead: 0,
    accepted: 0,
    duplicates: 0,
    invalid: 0,
    rejections: [],
    stopped: null,
  };

  constructor(
    private readonly store: CampaignStore,
    private readonly campaignId: string,
    private readonly now: () => number,
  ) {}

  /** Stores a batch; refuses with campaign_state_conflict once the campaign no longer takes recipients. */
  async flush(entries: ImportEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const out = await this.store.append(this.campaignId, entries, this.now());
    if (out === 'closed') {
      throw new TidingsError(
        'campaign_state_conflict',
        'Recipients can be added only while the campaign is a draft or paused.',
      );
    }
    const s = this.summary;
    s.rowsRead += entries.length;
    s.accepted += out.added;
    s.duplicates += out.duplicates;
    s.invalid += out.rejections.length - out.duplicates;
    for (const r of out.rejections) if (s.rejections.length < REPORTED_REJECTIONS) s.rejections.push(r);
  }
}

export async function importCsv(
  store: CampaignStore,
  campaignId: string,
  source: Readable,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const tally = new ImportTally(store, campaignId, opts.now);
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: 65_536,
    info: true,
  });
  let batch: ImportEntry[] = [];
  // Records csv-parse could not read at all (a stray quote…) arrive as events, not records.
  parser.on('skip', (err: CsvError) => {
    batch.push({ kind: 'rejection', line: lineOf(err), code: 'malformed_row', reason: err.message });
  });
  source.pipe(parser);
  // Counted here, not by Fastify: it never reads a body it hands on. Attached after the pipe, so
  // no chunk flows past the parser.
  let bytes = 0;
  const count = (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > opts.maxBytes) parser.destroy(new TidingsError('payload_too_large'));
  };
  source.on('data', count);
  let header: { toIndex: number; names: string[] } | null = null;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (header === null) {
        header = readHeader(item.record);
        batch = []; // a broken line before the header is not a row
        continue;
      }
      if (opts.rowsBefore + tally.summary.rowsRead + batch.length >= opts.maxRows) {
        tally.summary.stopped = `The campaign has reached its limit of ${opts.maxRows} rows; the rest of the file was not read.`;
        break;
      }
      batch.push(recordEntry(item.record, header, item.info.lines, opts));
      if (batch.length >= BATCH) {
        await tally.flush(inLineOrder(batch));
        batch = [];
      }
    }
  } catch (err) {
    if (isTidingsError(err)) throw err;
    // The rest of the file cannot be parsed (it ends inside a quoted field, say): what came before stays.
    const e = err as CsvError;
    batch.push({ kind: 'rejection', line: lineOf(e), code: 'malformed_row', reason: e.message });
    tally.summary.stopped = `The CSV could not be read past line ${lineOf(e) ?? '?'}: ${e.message}`;
  } finally {
    source.off('data', count);
    source.unpipe(parser);
    source.resume(); // drain what is left, so the client is not left writing into a closed socket
  }
  if (header === null) readHeader([]);
  await tally.flush(inLineOrder(batch));
  return tally.summary;
}

function lineOf(err: unknown): number | null {
  const lines = (err as { lines?: unknown } | null)?.lines;
  return typeof lines === 'number' ? lines : null;
}

function inLineOrder(entries: ImportEntry[]): ImportEntry[] {
  return entries.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
}
