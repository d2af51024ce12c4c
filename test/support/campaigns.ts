/* eslint-disable @typescript-eslint/no-explicit-any -- API answers are checked field by field */
/** Helpers for the campaign suites: numbers, CSV bodies and an upload over real HTTP. */
import { TEST_KEY } from './harness.js';

/**
 * A distinct, valid US number for each i below seven million, never ending in 0001–0009 (the sim
 * carrier's numbers that fail on purpose, providers/sim/outcomes.ts).
 */
export function nthNumber(i: number): string {
  return `+1415${200 + Math.floor(i / 9_000)}${1_000 + (i % 9_000)}`;
}

/** A CSV of `count` recipients with a `name` column, from row `from`. */
export function csvOf(count: number, from = 0): string {
  const lines = ['phone,name'];
  for (let i = from; i < from + count; i++) lines.push(`${nthNumber(i)},Guest ${i}`);
  return `${lines.join('\n')}\n`;
}

export async function uploadCsv(
  url: string,
  id: string,
  body: string | Buffer | ReadableStream,
  key = TEST_KEY,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/v1/campaigns/${id}/recipients`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
}
