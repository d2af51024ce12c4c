/**
 * @module app/idempotency
 * Idempotency-Key semantics (as Stripe and the IETF draft define them): the same key with the same
 * request gets the original response again; the same key with a different request is a conflict.
 * Keys are scoped to the API key that used them.
 */
import { createHash } from 'node:crypto';
import { TidingsError } from '../core/errors.js';
import type { IdempotencyRecord } from '../ports/message-store.js';

export interface IdempotencyContext {
  scope: string;
  key: string;
  requestHash: string;
}

/** Key order in JSON does not change what was asked for, so it does not change the hash. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What a request asked for, as a hash: equal for the same request whatever its key order. */
export function requestHash(route: string, body: unknown): string {
  return createHash('sha256').update(route).update('\n').update(canonical(body)).digest('hex');
}

export function idempotencyContext(scope: string, key: string, route: string, body: unknown): IdempotencyContext {
  return { scope, key, requestHash: requestHash(route, body) };
}

export function replayOrConflict(
  record: IdempotencyRecord,
  ctx: IdempotencyContext,
): { statusCode: number; body: unknown; replayed: true } {
  if (record.requestHash !== ctx.requestHash) {
    throw new TidingsError('idempotency_conflict', 'This Idempotency-Key was already used with a different request.');
  }
  return { statusCode: record.statusCode, body: JSON.parse(record.responseBody) as unknown, replayed: true };
}
