/**
 * @module bench/lib/api
 * A small client of the Tidings API for the parts of the benchmark that are not raw load: batches,
 * reading messages back, scraping /metrics. undici's Pool keeps warm keep-alive connections, so
 * the client costs little CPU next to the server it measures.
 */
import { Pool } from 'undici';

export interface ApiResponse<T> {
  status: number;
  body: T;
}

export class ApiClient {
  readonly #pool: Pool;
  readonly #auth: string;

  constructor(url: string, apiKey: string, connections = 32) {
    this.#pool = new Pool(url, { connections, keepAliveTimeout: 30_000, headersTimeout: 60_000, bodyTimeout: 60_000 });
    this.#auth = `Bearer ${apiKey}`;
  }

  /** POSTs a body that is already JSON text (batches are serialized ahead of the timed part). */
  async postJson<T>(path: string, json: string): Promise<ApiResponse<T>> {
    const res = await this.#pool.request({
      method: 'POST',
      path,
      headers: { authorization: this.#auth, 'content-type': 'application/json' },
      body: json,
    });
    return { status: res.statusCode, body: (await res.body.json()) as T };
  }

  async get<T>(path: string): Promise<ApiResponse<T>> {
    const res = await this.#pool.request({ method: 'GET', path, headers: { authorization: this.#auth } });
    return { status: res.statusCode, body: (await res.body.json()) as T };
  }

  async text(path: string): Promise<string> {
    const res = await this.#pool.request({ method: 'GET', path });
    return res.body.text();
  }

  /** Sum of a Prometheus counter or gauge over all its label sets. */
  async metric(name: string): Promise<number> {
    const text = await this.text('/metrics');
    let sum = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
        sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return sum;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
