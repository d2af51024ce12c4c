/**
 * @module core/routing
 * Which providers may carry a message, in the order to try them. Rules match on channel and
 * destination country; the first matching rule wins, and with no rule every provider of the
 * channel is tried in configuration order. Within a rule, entries with a weight share the first
 * choice (a canary: 90/10 between two accounts); the rest follow in the order written, as
 * failover. The weighted pick hashes the message id, so every retry of a message sees the same
 * order and the split is exact over many messages without any shared counter.
 */
import type { Channel } from './message.js';
import { stableFraction, stableHash } from './stable-hash.js';

export interface RouteCandidate {
  id: string;
  channel: Channel;
}

export interface RouteEntry {
  provider: string;
  /** A share of first choices; null: a failover step in written order. */
  weight: number | null;
}

export interface RouteRule {
  /** Null: any channel. */
  channel: Channel | null;
  /** ISO 3166 alpha-2 codes; null: any destination. */
  countries: readonly string[] | null;
  providers: readonly RouteEntry[];
}

export interface RoutingTable {
  rules: readonly RouteRule[];
  /** Provider id → numbers to send from; each recipient always gets the same one (sticky sender). */
  senders: Readonly<Record<string, readonly string[]>>;
}

export const NO_ROUTING: RoutingTable = { rules: [], senders: {} };

export interface RouteInput {
  id: string;
  channel: Channel;
  /** Destination country, when the address is a phone number. */
  country: string | null;
}

function matches(rule: RouteRule, msg: RouteInput): boolean {
  if (rule.channel !== null && rule.channel !== msg.channel) return false;
  if (rule.countries === null) return true;
  return msg.country !== null && rule.countries.includes(msg.country);
}

/** Ids of the providers to try for this message, best first. Unknown ids are left out. */
export function routeFor(table: RoutingTable, providers: readonly RouteCandidate[], msg: RouteInput): string[] {
  const ofChannel = providers.filter((p) => p.channel === msg.channel).map((p) => p.id);
  const rule = table.rules.find((r) => matches(r, msg));
  if (!rule) return ofChannel;
  const known = new Set(ofChannel);
  const entries = rule.providers.filter((e) => known.has(e.provider));
  const weighted = entries.filter((e) => e.weight !== null && e.weight > 0);
  const first = weighted.length > 0 ? pickWeighted(weighted, `route:${msg.id}`) : null;
  const order = first === null ? [] : [first];
  for (const e of entries) if (e.provider !== first && (e.weight === null || e.weight > 0)) order.push(e.provider);
  return order;
}

function pickWeighted(entries: readonly RouteEntry[], key: string): string {
  const total = entries.reduce((sum, e) => sum + (e.weight ?? 0), 0);
  let point = stableFraction(key) * total;
  for (const e of entries) {
    point -= e.weight ?? 0;
    if (point < 0) return e.provider;
  }
  return entries[entries.length - 1]!.provider;
}

/** The sender a provider uses for this recipient: stable per recipient, spread over the pool. */
export function stickySender(table: RoutingTable, providerId: string, to: string): string | null {
  const pool = table.senders[providerId];
  if (!pool || pool.length === 0) return null;
  return pool[stableHash(`sender:${to}`) % pool.length] ?? null;
}

/** The first provider for the channel, ignoring rules: acceptance only needs to know one exists. */
export function chooseProvider<P extends RouteCandidate>(providers: readonly P[], channel: Channel): P | null {
  return providers.find((p) => p.channel === channel) ?? null;
}
