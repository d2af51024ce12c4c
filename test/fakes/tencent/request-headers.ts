/**
 * @module test/fakes/tencent/request-headers
 * The X-TC-* headers a SendSms call needs (providers.md §4.1), checked before the signature as
 * Tencent's gateway does: it must know the action, version and region before it can route the call.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { tencentErrors, type FakeError } from './tencent-errors.js';

export const SMS_VERSION = '2021-01-11';

export function checkHeaders(headers: IncomingHttpHeaders, regions: ReadonlySet<string>): FakeError | null {
  const action = one(headers['x-tc-action']);
  if (!action) return tencentErrors.missingParameter('Action');
  if (action !== 'SendSms') return tencentErrors.invalidAction(action);
  const version = one(headers['x-tc-version']);
  if (!version) return tencentErrors.missingParameter('Version');
  if (version !== SMS_VERSION) return tencentErrors.noSuchVersion(version);
  const region = one(headers['x-tc-region']);
  if (!region) return tencentErrors.missingParameter('Region');
  if (!regions.has(region)) return tencentErrors.unsupportedRegion(region);
  if (!/^application\/json\b/i.test(one(headers['content-type']) ?? '')) {
    return tencentErrors.invalidParameter('Content-Type must be application/json for a POST request.');
  }
  return null;
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
