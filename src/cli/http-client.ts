/**
 * @module cli/http-client
 * The CLI's `send` and `status` talk to a running Tidings over its HTTP API, like any other client,
 * so they work the same against an embedded install and a scaled-out one.
 */
export interface ApiTarget {
  url: string;
  key: string | undefined;
}

export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const err = (body as { error?: { code?: string; message?: string } } | null)?.error;
    super(err ? `${err.code}: ${err.message}` : `HTTP ${status}`);
  }
}

export async function callApi(target: ApiTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(new URL(path, target.url), {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(target.key ? { authorization: `Bearer ${target.key}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiCallError(res.status, parsed);
  return parsed;
}
