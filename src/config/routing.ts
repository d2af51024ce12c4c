/**
 * @module config/routing
 * The routing table from TIDINGS_ROUTING (JSON) or TIDINGS_ROUTING_FILE: rules by channel and
 * country, weighted first choices, failover order, and sender pools. Checked here for shape; the
 * composition root checks that every provider id it names is configured.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CHANNELS } from '../core/message.js';
import { NO_ROUTING, type RoutingTable } from '../core/routing.js';

const ProviderRef = z.union([
  z.string().min(1),
  z.object({ id: z.string().min(1), weight: z.number().min(0).max(1_000_000) }).strict(),
]);

const RoutingSchema = z
  .object({
    routes: z
      .array(
        z
          .object({
            channel: z.enum(CHANNELS as [string, ...string[]]).optional(),
            countries: z
              .array(z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code such as CN'))
              .min(1)
              .optional(),
            providers: z.array(ProviderRef).min(1),
          })
          .strict(),
      )
      .default([]),
    senders: z.record(z.string(), z.array(z.string().min(1)).min(1)).default({}),
  })
  .strict();

export function parseRouting(inline: string | undefined, file: string | undefined): RoutingTable {
  if (inline === undefined && file === undefined) return NO_ROUTING;
  const source = inline !== undefined ? 'TIDINGS_ROUTING' : `TIDINGS_ROUTING_FILE (${file})`;
  let text = inline;
  if (text === undefined && file !== undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`${source} cannot be read`, { cause: err });
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text ?? '');
  } catch (err) {
    throw new Error(`${source} is not valid JSON`, { cause: err });
  }
  const parsed = RoutingSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid ${source}: ${problems}`);
  }
  return {
    rules: parsed.data.routes.map((r) => ({
      channel: (r.channel ?? null) as RoutingTable['rules'][number]['channel'],
      countries: r.countries ?? null,
      providers: r.providers.map((p) =>
        typeof p === 'string' ? { provider: p, weight: null } : { provider: p.id, weight: p.weight },
      ),
    })),
    senders: parsed.data.senders,
  };
}

/** Provider ids the table names that are not configured: a typo here would silently drop a route. */
export function unknownRouteProviders(table: RoutingTable, configured: readonly string[]): string[] {
  const known = new Set(configured);
  const named = [...table.rules.flatMap((r) => r.providers.map((p) => p.provider)), ...Object.keys(table.senders)];
  return [...new Set(named.filter((id) => !known.has(id)))];
}
