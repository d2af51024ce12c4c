/**
 * @module api
 * The one way the dashboard talks to Tidings: same-origin fetches with the session's key as a
 * Bearer header. API errors come back as ApiError with the API's stable code, so pages can show a
 * translated message; a refused key signs the tab out.
 */
import { currentKey, forgetKey } from './session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: { key?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<T> {
  const key = opts.key ?? currentKey();
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (key) headers['authorization'] = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'omit',
      cache: 'no-store',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'Tidings did not answer.');
  }
  if (res.status === 204) return null as T;
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!res.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    // A key that stops working (revoked, or the server restarted with another) ends the session.
    if (res.status === 401 && opts.key === undefined) forgetKey();
    throw new ApiError(res.status, error?.code ?? 'http_error', error?.message ?? res.statusText, error?.field ?? null);
  }
  return (parsed ?? text) as T;
}

/** Plain text from a public endpoint (/metrics). */
export async function fetchText(path: string, signal?: AbortSignal): Promise<string> {
  const res = await fetch(path, { cache: 'no-store', credentials: 'omit', ...(signal ? { signal } : {}) });
  if (!res.ok) throw new ApiError(res.status, 'http_error', res.statusText);
  return res.text();
}
