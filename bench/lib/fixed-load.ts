/**
 * @module bench/lib/fixed-load
 * Closed-loop load with autocannon, as a library: N keep-alive connections, each sending its next
 * request as soon as the previous answer arrives, for a fixed time. The ceiling and the accept
 * scenario both go through here, so they differ only in the server.
 */
import autocannon from 'autocannon';

export interface FixedLoad {
  url: string;
  path: string;
  connections: number;
  durationS: number;
  headers: Record<string, string>;
  /** A fresh JSON body for each request. */
  body: () => string;
}

export interface LoadSummary {
  /** Answers per second over the run. */
  rps: number;
  responses: number;
  /** Latency of 2xx answers, ms (autocannon records whole milliseconds). */
  p50: number;
  p99: number;
  max: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

export async function runFixedLoad(load: FixedLoad): Promise<LoadSummary> {
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    duration: load.durationS,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: load.path,
        headers: { ...load.headers, 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: load.body() }),
      },
    ],
  });
  const responses = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  const statusCodes: Record<string, number> = {};
  for (const [code, s] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = s.count ?? 0;
  return {
    rps: responses / result.duration,
    responses,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    non2xx: result.non2xx,
    statusCodes,
  };
}
