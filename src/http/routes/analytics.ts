/**
 * @module http/routes/analytics
 * /v1/analytics: what messages achieved over a range of send hours, in total or broken down;
 * /v1/experiments/{template}: its variants against the control. Read keys. Everything here reads
 * pre-aggregated rollups, so a range of a year costs the same whatever the traffic.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { BREAKDOWNS, analyticsBreakdown, analyticsSummary, type Breakdown } from '../../app/analytics-report.js';
import type { AppDeps } from '../../app/deps.js';
import { EXPERIMENT_METRICS, experimentResults, type ExperimentMetric } from '../../app/experiment-results.js';
import { TidingsError } from '../../core/errors.js';
import { ROLLUP_DIMENSIONS, type RollupDimension } from '../../ports/analytics-store.js';
import { ErrorSchema } from '../schemas.js';

const HOUR = 3_600_000;
const MAX_RANGE_MS = 800 * 24 * HOUR;
const Num = Type.Number();
const NullableNum = Type.Union([Type.Number(), Type.Null()]);

const ReportRowSchema = Type.Object({
  key: Type.Union([Type.String(), Type.Number(), Type.Null()]),
  accepted: Num,
  sent: Num,
  delivered: Num,
  failed: Num,
  undelivered: Num,
  deliveryRate: NullableNum,
  medianDeliverySeconds: NullableNum,
  p95DeliverySeconds: NullableNum,
  segments: Num,
  cost: Type.Record(Type.String(), Num),
  costPerDelivered: Type.Record(Type.String(), NullableNum),
  replies: Num,
  optOuts: Num,
  conversions: Num,
  converted: Num,
  conversionRate: NullableNum,
  clicks: Num,
  clicked: Num,
  clickRate: NullableNum,
});

const Time = Type.String({ maxLength: 40, description: 'RFC 3339 time or a date (YYYY-MM-DD, UTC midnight)' });
const RangeQuery = {
  from: Type.Optional(Time),
  to: Type.Optional(Time),
  ...Object.fromEntries(ROLLUP_DIMENSIONS.map((d) => [d, Type.Optional(Type.String({ maxLength: 200 }))])),
};
const SummaryQuery = Type.Object(RangeQuery, { additionalProperties: false });
const BreakdownQuery = Type.Object(
  {
    ...RangeQuery,
    by: Type.Union(BREAKDOWNS.map((b) => Type.Literal(b))),
    tz: Type.Optional(Type.String({ maxLength: 64, description: 'IANA timezone for hour and weekday (UTC)' })),
  },
  { additionalProperties: false },
);
const ExperimentQuery = Type.Object(
  {
    from: Type.Optional(Time),
    to: Type.Optional(Time),
    metric: Type.Optional(Type.Union(EXPERIMENT_METRICS.map((m) => Type.Literal(m)))),
    control: Type.Optional(Type.String({ maxLength: 100 })),
    minSample: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
  },
  { additionalProperties: false },
);
const ComparisonSchema = Type.Object({
  difference: Num,
  ci95: Type.Array(Num),
  z: Num,
  pValue: Num,
  significant: Type.Boolean(),
});
const ArmSchema = Type.Object({
  variant: Type.String(),
  weight: NullableNum,
  delaySeconds: NullableNum,
  sent: Num,
  delivered: Num,
  conversions: Num,
  converted: Num,
  clicked: Num,
  trials: Num,
  successes: Num,
  rate: NullableNum,
  comparison: Type.Union([ComparisonSchema, Type.Null()]),
  status: Type.String(),
});
const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };
const tags = ['analytics'];

function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(date)) {
    throw new TidingsError('validation_failed', `${field} must be an RFC 3339 time with an offset, or a date.`, field);
  }
  const at = Date.parse(date);
  if (Number.isNaN(at)) throw new TidingsError('validation_failed', `${field} is not a real time.`, field);
  return at;
}

/** The range of send hours asked for: by default the last `days` days, up to the end of the current hour. */
export function parseRange(q: { from?: string; to?: string }, now: number, days = 7): { from: number; to: number } {
  const to = parseTime(q.to, 'to') ?? Math.ceil((now + 1) / HOUR) * HOUR;
  const from = parseTime(q.from, 'from') ?? to - days * 24 * HOUR;
  if (from >= to) throw new TidingsError('validation_failed', 'from must be before to.', 'from');
  if (to - from > MAX_RANGE_MS)
    throw new TidingsError('validation_failed', 'The range may span at most 800 days.', 'from');
  return { from, to };
}

function filters(q: Record<string, unknown>): Partial<Record<RollupDimension, string>> {
  const out: Partial<Record<RollupDimension, string>> = {};
  for (const d of ROLLUP_DIMENSIONS) if (typeof q[d] === 'string') out[d] = q[d] as string;
  return out;
}

function checkZone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    throw new TidingsError('validation_failed', `"${tz}" is not an IANA timezone.`, 'tz');
  }
}

const iso = (at: number) => new Date(at).toISOString();

export async function analyticsRoutes(app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts;

  app.get(
    '/v1/analytics/summary',
    {
      config: { role: 'read' },
      schema: {
        tags,
        summary: 'Totals over a range of send hours: delivery, latency, cost, replies, conversions',
        querystring: SummaryQuery,
        response: {
          200: Type.Composite([
            Type.Object({ from: Type.String(), to: Type.String() }),
            Type.Omit(ReportRowSchema, ['key']),
          ]),
          ...errors,
        },
      },
    },
    async (req) => {
      const q = req.query as Static<typeof SummaryQuery>;
      const range = parseRange(q, deps.clock.now());
      const row = await analyticsSummary(deps, { ...range, where: filters(q) });
      const { key: _key, ...figures } = row;
      return { from: iso(range.from), to: iso(range.to), ...figures };
    },
  );

  app.get(
    '/v1/analytics/breakdown',
    {
      config: { role: 'read' },
      schema: {
        tags,
        summary: 'The same figures per provider, template, variant, country, purpose, channel, hour or weekday',
        querystring: BreakdownQuery,
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            by: Type.String(),
            timezone: Type.String(),
            rows: Type.Array(ReportRowSchema),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const q = req.query as Static<typeof BreakdownQuery>;
      const range = parseRange(q, deps.clock.now());
      const timezone = checkZone(q.tz ?? 'UTC');
      const rows = await analyticsBreakdown(deps, { ...range, by: q.by as Breakdown, timezone, where: filters(q) });
      return { from: iso(range.from), to: iso(range.to), by: q.by, timezone, rows };
    },
  );

  app.get(
    '/v1/experiments/:template',
    {
      config: { role: 'read' },
      schema: {
        tags,
        summary: "A template's variants against the control: rates, difference, 95 % interval, p-value",
        params: Type.Object({ template: Type.String({ minLength: 1, maxLength: 100 }) }),
        querystring: ExperimentQuery,
        response: {
          200: Type.Object({
            template: Type.String(),
            metric: Type.String(),
            control: Type.String(),
            minSample: Num,
            status: Type.String(),
            from: Type.String(),
            to: Type.String(),
            variants: Type.Array(ArmSchema),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const q = req.query as Static<typeof ExperimentQuery>;
      const { template } = req.params as { template: string };
      // An experiment runs for weeks: by default its last 90 days.
      const range = parseRange(q, deps.clock.now(), 90);
      const result = await experimentResults(deps, template, {
        ...range,
        metric: (q.metric ?? 'conversion') as ExperimentMetric,
        minSample: q.minSample ?? deps.settings.experimentMinSample,
        ...(q.control !== undefined ? { control: q.control } : {}),
      });
      return { ...result, from: iso(range.from), to: iso(range.to) };
    },
  );
}
