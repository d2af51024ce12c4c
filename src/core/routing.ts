/**
 * @module core/routing
 * Which provider carries a message. For now: the first configured provider for the channel, in
 * configuration order. Weights, countries and circuit state join this decision later, here.
 */
import type { Channel } from './message.js';

export interface RouteCandidate {
  id: string;
  channel: Channel;
}

export function chooseProvider<P extends RouteCandidate>(providers: readonly P[], channel: Channel): P | null {
  return providers.find((p) => p.channel === channel) ?? null;
}
