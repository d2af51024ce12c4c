/**
 * @module webhooks/outbound-agent
 * The connections the webhook senders post through: keep-alive, a few per origin, and, unless
 * private targets are allowed, the SSRF guard at connect time (./public-only-lookup). A host
 * written as an address (or `localhost`) is never looked up, so it is judged here, before the post.
 */
import { Agent } from 'undici';
import { publicOnlyLookup, refusedHostError, type Resolver } from './public-only-lookup.js';

export interface OutboundOptions {
  connectionsPerOrigin?: number;
  /**
   * Addresses (and hosts as written) that must not be reached: app/private-address's isPrivateHost,
   * unless TIDINGS_ALLOW_PRIVATE_WEBHOOKS. Absent: anything may be reached (the operators' own
   * alert hook, which is often inside their network).
   */
  refuseAddress?: (address: string) => boolean;
  /** Name resolution (the system's by default). */
  resolve?: Resolver;
}

export class OutboundAgent {
  readonly dispatcher: Agent;
  readonly #refuse: ((address: string) => boolean) | null;

  constructor(opts: OutboundOptions = {}) {
    this.#refuse = opts.refuseAddress ?? null;
    this.dispatcher = new Agent({
      connections: opts.connectionsPerOrigin ?? 8,
      keepAliveTimeout: 30_000,
      ...(opts.refuseAddress ? { connect: { lookup: publicOnlyLookup(opts.refuseAddress, opts.resolve) } } : {}),
    });
  }

  /** @throws EPRIVATEADDRESS when the URL names a refused address itself. */
  check(url: string): void {
    if (!this.#refuse) return;
    const host = new URL(url).hostname;
    if (this.#refuse(host)) throw refusedHostError(host);
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}
