/**
 * @module http/errors
 * Every failure leaves as `{"error": {"code", "message", "field"}}` with a stable code from the
 * catalogue in core/errors. Fastify's own errors (bad JSON, too large, schema) are translated
 * here once; anything unexpected is a 500 `internal_error` that reveals nothing.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CATALOGUE, TidingsError, isTidingsError, type ErrorCode } from '../core/errors.js';

export interface ErrorBody {
  /** `limit`: which limit refused the request (a 429, or a limit's 409/422). */
  error: { code: string; message: string; field?: string; limit?: string };
}

export function errorBody(code: ErrorCode, message?: string, field?: string): ErrorBody {
  return { error: { code, message: message ?? ERROR_CATALOGUE[code].message, ...(field ? { field } : {}) } };
}

/** `/messages/3/to` → `messages[3].to` */
function fieldName(instancePath: string, extra?: string): string | undefined {
  const parts = instancePath.split('/').filter(Boolean);
  if (extra) parts.push(extra);
  if (parts.length === 0) return undefined;
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

interface AjvIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

function fromValidation(issues: AjvIssue[], context: string | undefined): TidingsError {
  const issue = issues[0];
  if (!issue) return new TidingsError('validation_failed');
  if (issue.keyword === 'additionalProperties') {
    const prop = String(issue.params['additionalProperty'] ?? '');
    const field = fieldName(issue.instancePath, prop);
    return new TidingsError('unknown_field', `Unknown field "${field ?? prop}".`, field);
  }
  const missing = issue.keyword === 'required' ? String(issue.params['missingProperty'] ?? '') : undefined;
  const field = fieldName(issue.instancePath, missing);
  const where = field ?? context ?? 'request';
  return new TidingsError('validation_failed', `${where} ${issue.message ?? 'is invalid'}.`, field);
}

export function toTidingsError(err: FastifyError): TidingsError {
  if (isTidingsError(err)) return err;
  if (err.validation) return fromValidation(err.validation as AjvIssue[], err.validationContext);
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new TidingsError('payload_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new TidingsError('unsupported_media_type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new TidingsError('malformed_json');
  }
  if (err instanceof SyntaxError && err.statusCode === 400) return new TidingsError('malformed_json');
  if (err.statusCode === 405) return new TidingsError('method_not_allowed');
  if (err.statusCode === 404) return new TidingsError('not_found');
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return new TidingsError('validation_failed', err.message);
  }
  return new TidingsError('internal_error');
}

export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const mapped = toTidingsError(err);
  if (mapped.code === 'internal_error') req.log.error({ err }, 'unhandled error');
  const body = errorBody(mapped.code, mapped.message, mapped.field);
  if (mapped.limit !== undefined) body.error.limit = mapped.limit;
  // Whole seconds, rounded up: retrying at the announced time must not be early.
  if (mapped.retryAfterMs !== undefined) void reply.header('retry-after', Math.ceil(mapped.retryAfterMs / 1000));
  void reply.status(mapped.status).send(body);
}
