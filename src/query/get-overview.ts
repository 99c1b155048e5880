import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Fragment, ISql, Sql } from "postgres";
import { ErrorType as ProtoErrorType } from "../../gen/bridgelog/v1/interception_pb.js";
import {
  type BreakdownSchema,
  Dimension,
  type GetOverviewRequest,
  type GetOverviewResponseSchema,
  type OverviewTotalsSchema,
} from "../../gen/bridgelog/v1/query_service_pb.js";
import type { Principal } from "../auth/authenticator.js";
import { ERROR_TYPES, type ErrorType } from "../interception/error-type.js";
import { endedSql } from "../interception/interception-columns.js";
import { FIELD_MAX_BYTES } from "../interception/normalize-interception.js";
import { fromProtoErrorType, fromProtoKeySource, toProtoErrorType } from "../interception/proto-enums.js";
import { LATENCY_BUCKETS, latencyPercentileMs } from "../rollups/latency-histogram.js";
import { planWindow, type WindowPlan, wholeDaysOf } from "../rollups/window-plan.js";
import { instantsCondition, type WindowSources, windowSources } from "../rollups/window-sources.js";
import { identifierProblem } from "../rpc/field-checks.js";
import { type FieldViolation, invalidArgument } from "../rpc/invalid-argument.js";
import { timestampFromMicros } from "./micros.js";
import { queryTenant } from "./query-tenant.js";
import { bucketCountOf, type QueryWindow, queryWindowOf } from "./query-window.js";

const DEFAULT_TOP_N = 10;
const MAX_TOP_N = 50;

/** What an overview counts: every field optional, all of them applied together. */
export interface OverviewFilter {
  provider: string | null;
  model: string | null;
  feature: string | null;
  keySource: string | null;
  initiatorId: string | null;
  errorTypes: ErrorType[];
}

/** Sums over some ended interceptions; the latency histogram as in the rollups. */
interface Totals {
  calls: number;
  failed: number;
  byErrorType: Map<ErrorType, number>;
  latency: number[];
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costMicros: number;
}

interface BreakdownRow {
  value: string;
  calls: number;
  failed: number;
  costMicros: number;
}

/** The dimensions in the order of the Dimension enum, by the column that holds each and the filter's field. */
const DIMENSIONS = [
  [Dimension.PROVIDER, "provider", "provider"],
  [Dimension.MODEL, "model", "model"],
  [Dimension.FEATURE, "feature", "feature"],
  [Dimension.KEY_SOURCE, "key_source", "keySource"],
] as const;

/**
 * GetOverview: totals, a time series and breakdowns for a window and the window of the same
 * length before it, under one filter. Whole hours come from the hourly rollups and the rest from
 * the raw rows (`planWindow`), as for SummarizeErrors, so the cost follows the window's hours, not
 * its rows; the answer is the same either way.
 *
 * Which rollup answers depends on the filter (`sourcesFor`):
 * - no filter on provider, model, feature or key source, or a filter on one of them: the totals,
 *   the series and the latencies read interception_dimension_rollups, one row per value per hour
 *   and error type (migration 000014); so do the breakdowns when no dimension is filtered;
 * - otherwise, and for the breakdowns under a dimension filter: interception_rollups, every
 *   combination of the four dimensions, filtered;
 * - an initiator filter: the raw rows, through the index on (tenant_id, initiator_id, started_at).
 * The initiator breakdown reads interception_initiator_daily_rollups for the window's whole UTC
 * days and interception_initiator_rollups for its other hours, under no filter, one dimension's or
 * error types' (from their per-value maps), or a filter one of whose conditions selects the same
 * calls alone (`equivalentFilter`); under any other filter it is counted from the raw rows.
 *
 * Three statements: the counts (totals and series by bucket and error type, and the breakdowns),
 * the latency histograms by bucket, and the top initiators.
 */
export async function getOverview(
  sql: Sql,
  principal: Principal | undefined,
  request: GetOverviewRequest,
  nowMicros: bigint,
): Promise<MessageInitShape<typeof GetOverviewResponseSchema>> {
  const tenantId = queryTenant(principal, request.tenantId);
  const violations: FieldViolation[] = [];
  const window = queryWindowOf(request, nowMicros, violations);
  const filter = overviewFilterOf(request, violations);
  const topN = request.topN || DEFAULT_TOP_N;
  if (request.topN < 0 || request.topN > MAX_TOP_N) violations.push({ field: "top_n", description: `must be between 1 and ${MAX_TOP_N}` });
  if (violations.length > 0) throw invalidArgument(violations);

  const previous: QueryWindow = { start: 2n * window.start - window.end, end: window.start, bucketSeconds: window.bucketSeconds };
  const length = window.end - window.start;
  // The previous window as one bucket, so every whole hour of it can come from the rollups.
  const lengthSeconds = Number(length / 1_000_000n);
  const rawOnly = filter.initiatorId !== null;
  const plans: Plan[] = [
    { plan: planFor(window.start, window.end, window.bucketSeconds, rawOnly), start: window.start, end: window.end, bucketSeconds: window.bucketSeconds, previous: false },
    { plan: planFor(previous.start, previous.end, Math.max(1, lengthSeconds), rawOnly), start: previous.start, end: previous.end, bucketSeconds: Math.max(1, lengthSeconds), previous: true },
  ];

  // Side by side on the pool. Each statement is one snapshot, so totals, series and the dimension
  // breakdowns always agree; the latencies and the initiators may count a call recorded between
  // the statements, which a dashboard that refreshes cannot tell from the next refresh.
  const sources = sourcesFor(filter);
  const [counts, latencies, initiators] = await Promise.all([
    countsStatement(sql, tenantId, plans, filter, sources, lengthSeconds),
    latencyStatement(sql, tenantId, plans, filter, sources),
    topInitiators(sql, tenantId, window.start, window.end, lengthSeconds, filter, topN),
  ]);

  const current = emptyTotals();
  const before = emptyTotals();
  const buckets = Array.from({ length: bucketCountOf(window) }, emptyTotals);
  const breakdowns = new Map<number, BreakdownRow[]>(DIMENSIONS.map(([dimension]) => [dimension, []]));
  for (const row of counts as unknown as CountRow[]) {
    if (row.dimension === null) {
      const into = row.bucket! < 0 ? [before] : [current, buckets[row.bucket!]];
      for (const totals of into) if (totals !== undefined) addCounts(totals, row);
    } else {
      const dimension = DIMENSIONS.find(([, column]) => column === row.dimension)![0];
      breakdowns.get(dimension)!.push({ value: row.value ?? "", calls: Number(row.calls), failed: Number(row.failed), costMicros: Number(row.cost_micros) });
    }
  }
  for (const row of latencies as unknown as LatencyRow[]) {
    const into = row.bucket < 0 ? [before] : [current, buckets[row.bucket]];
    for (const totals of into) if (totals !== undefined) totals.latency[row.latency_bucket] = (totals.latency[row.latency_bucket] ?? 0) + Number(row.n);
  }
  const initiatorRows = (initiators as unknown as InitiatorRow[]).map((row) => ({
    value: row.initiator_id,
    calls: Number(row.calls),
    failed: Number(row.failed),
    costMicros: Number(row.cost_micros),
  }));

  const bucketMicros = BigInt(window.bucketSeconds) * 1_000_000n;
  return {
    startTime: timestampFromMicros(String(window.start)),
    endTime: timestampFromMicros(String(window.end)),
    bucketSeconds: window.bucketSeconds,
    totals: toProtoTotals(current),
    previousTotals: toProtoTotals(before),
    buckets: buckets.map((totals, i) => ({ startTime: timestampFromMicros(String(window.start + BigInt(i) * bucketMicros)), totals: toProtoTotals(totals) })),
    breakdowns: [
      ...DIMENSIONS.map(([dimension]) => toBreakdown(dimension, breakdowns.get(dimension)!, current.calls, topN)),
      toBreakdown(Dimension.INITIATOR, initiatorRows, current.calls, topN),
    ],
  };
}

interface Plan {
  plan: WindowPlan;
  /** The window, in microseconds; bucket 0 starts at its start. */
  start: bigint;
  end: bigint;
  bucketSeconds: number;
  /** The previous window: its rows are counted in bucket -1. */
  previous: boolean;
}

function planFor(start: bigint, end: bigint, bucketSeconds: number, rawOnly: boolean): WindowPlan {
  return rawOnly ? { rollupHours: [], rawRanges: [[start, end]] } : planWindow(start, end, bucketSeconds);
}

function overviewFilterOf(request: GetOverviewRequest, violations: FieldViolation[]): OverviewFilter {
  const filter = request.filter;
  const text = (field: keyof typeof FIELD_MAX_BYTES, value: string | undefined) => {
    if (value === undefined || value === "") return null;
    const problem = identifierProblem(value, FIELD_MAX_BYTES[field]);
    if (problem !== undefined) violations.push({ field: `filter.${field}`, description: problem });
    return value;
  };
  const protoTypes = filter?.errorTypes ?? [];
  if (protoTypes.includes(ProtoErrorType.UNSPECIFIED)) violations.push({ field: "filter.error_types", description: "must name error types, not UNSPECIFIED" });
  const errorTypes = protoTypes.filter((t) => t !== ProtoErrorType.UNSPECIFIED).map(fromProtoErrorType);
  if (errorTypes.includes(null)) violations.push({ field: "filter.error_types", description: "names an error type this server does not know" });
  const keySource = filter === undefined ? "unspecified" : fromProtoKeySource(filter.keySource);
  return {
    // Stored in lower case, as the recorder normalises it.
    provider: text("provider", filter?.provider.trim().toLowerCase()),
    model: text("model", filter?.model),
    feature: text("feature", filter?.feature),
    keySource: keySource === "unspecified" ? null : keySource,
    initiatorId: text("initiator_id", filter?.initiatorId),
    errorTypes: [...new Set(errorTypes.filter((t) => t !== null))].sort(),
  };
}

/** The filter's conditions on the columns the rollups share with interceptions. */
function dimensionConditions(sql: ISql, filter: OverviewFilter, source: "rollups" | "raw"): Fragment {
  const conditions: Fragment[] = [];
  for (const [, column, field] of DIMENSIONS) {
    const value = filter[field];
    if (value !== null) conditions.push(sql`${sql(column)} = ${value}`);
  }
  if (filter.errorTypes.length > 0) conditions.push(errorTypeCondition(sql, filter));
  if (source === "raw" && filter.initiatorId !== null) conditions.push(sql`initiator_id = ${filter.initiatorId}`);
  return conditions.reduce((all, condition) => sql`${all} and ${condition}`, sql`true`);
}

function errorTypeCondition(sql: ISql, filter: OverviewFilter): Fragment {
  return filter.errorTypes.length > 0 ? sql`error_type = any(${filter.errorTypes}::text[])` : sql`true`;
}

/**
 * Which rollup rows answer the totals, series and latencies (`totals`), and the breakdowns of the
 * four dimensions (`breakdowns`), under this filter: the rows of one (dimension, value), the whole
 * tenant's being ('', ''), where the filter names at most one dimension; the combinations otherwise.
 */
interface RollupSources {
  totals: { dimension: string; value: string } | "combinations";
  breakdowns: "per-value" | "combinations";
}

function sourcesFor(filter: OverviewFilter): RollupSources {
  const named = DIMENSIONS.filter(([, , field]) => filter[field] !== null);
  const [only] = named;
  return {
    totals: named.length === 0 ? { dimension: "", value: "" } : named.length === 1 ? { dimension: only![1], value: filter[only![2]]! } : "combinations",
    breakdowns: named.length === 0 ? "per-value" : "combinations",
  };
}

/** Where the totals' rows are: one (dimension, value) of interception_dimension_rollups, or the filtered combinations. */
function totalsRollup(sql: Sql, tenantId: string, window: WindowSources, filter: OverviewFilter, sources: RollupSources): Fragment {
  if (sources.totals === "combinations") {
    return sql`interception_rollups_live where tenant_id = ${tenantId} and ${window.rollupHours!} and ${dimensionConditions(sql, filter, "rollups")}`;
  }
  return sql`interception_dimension_rollups_live
    where tenant_id = ${tenantId} and dimension = ${sources.totals.dimension} and value = ${sources.totals.value} and ${window.valueRollupHours!}
      and ${errorTypeCondition(sql, filter)}`;
}

function bucketOf(sql: Sql, plan: Plan, column: "hour" | "started_at"): Fragment {
  if (plan.previous) return sql`-1`;
  return sql`floor((extract(epoch from ${sql(column)}) * 1000000 - ${String(plan.start)}::numeric) / ${plan.bucketSeconds * 1_000_000})::int`;
}

// The four dimensions of a row of interceptions or interception_rollups, one row each.
const EACH_DIMENSION = `cross join lateral (values ('provider', provider), ('model', model), ('feature', feature), ('key_source', key_source)) as d(dimension, value)`;

interface CountRow {
  /** Null in the breakdowns' rows. */
  bucket: number | null;
  /** Null in the totals' rows, which have a bucket; else the column of the breakdown's dimension. */
  dimension: string | null;
  value: string | null;
  error_type: string;
  calls: string;
  failed: string;
  input_tokens: string;
  output_tokens: string;
  cache_read_tokens: string;
  cache_write_tokens: string;
  cost_micros: string;
}

/**
 * Ended interceptions by bucket and error type (the totals and the series, of both windows), and
 * the current window's by each value of each dimension (the breakdowns), in one statement so the
 * two always agree. The breakdowns' window is one bucket, so every whole hour of it can come from
 * the rollups.
 */
function countsStatement(sql: Sql, tenantId: string, plans: Plan[], filter: OverviewFilter, sources: RollupSources, lengthSeconds: number) {
  const ended = sql.unsafe(endedSql());
  const totalsArms: Fragment[] = [];
  for (const plan of plans) {
    const window = windowSources(sql, tenantId, plan.plan);
    if (window.rollupHours !== undefined) {
      totalsArms.push(sql`
        select ${bucketOf(sql, plan, "hour")} as bucket, error_type, calls, input_tokens, output_tokens, cache_read_tokens,
               cache_write_tokens, cost_micros
        from ${totalsRollup(sql, tenantId, window, filter, sources)}`);
    }
    for (const range of window.rawRanges) {
      totalsArms.push(sql`
        select ${bucketOf(sql, plan, "started_at")} as bucket, coalesce(error_type, '') as error_type, 1 as calls,
               input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_micros
        from interceptions
        where tenant_id = ${tenantId} and ${range} and ${ended} and ${dimensionConditions(sql, filter, "raw")}`);
    }
  }
  const current = plans.find((plan) => !plan.previous)!;
  const whole = windowSources(sql, tenantId, planFor(current.start, current.end, Math.max(1, lengthSeconds), filter.initiatorId !== null));
  const breakdownArms: Fragment[] = [];
  if (whole.rollupHours !== undefined) {
    breakdownArms.push(
      sources.breakdowns === "per-value"
        ? sql`
          select dimension, value, error_type, calls, cost_micros from interception_dimension_rollups_live
          where tenant_id = ${tenantId} and dimension <> '' and ${whole.valueRollupHours!} and ${errorTypeCondition(sql, filter)}`
        : sql`
          select d.dimension, d.value, error_type, calls, cost_micros from interception_rollups_live ${sql.unsafe(EACH_DIMENSION)}
          where tenant_id = ${tenantId} and ${whole.rollupHours} and ${dimensionConditions(sql, filter, "rollups")}`,
    );
  }
  for (const range of whole.rawRanges) {
    breakdownArms.push(sql`
      select d.dimension, d.value, coalesce(error_type, '') as error_type, 1 as calls, cost_micros from interceptions ${sql.unsafe(EACH_DIMENSION)}
      where tenant_id = ${tenantId} and ${range} and ${ended} and ${dimensionConditions(sql, filter, "raw")}`);
  }
  return sql`
    select bucket, null as dimension, null as value, error_type,
           sum(calls)::text as calls, (sum(calls) filter (where error_type <> ''))::text as failed,
           sum(input_tokens)::text as input_tokens, sum(output_tokens)::text as output_tokens,
           sum(cache_read_tokens)::text as cache_read_tokens, sum(cache_write_tokens)::text as cache_write_tokens,
           sum(cost_micros)::text as cost_micros
    from (${union(sql, totalsArms)}) as facts
    group by bucket, error_type
    union all
    select null, dimension, value, '', sum(calls)::text, coalesce(sum(calls) filter (where error_type <> ''), 0)::text,
           null, null, null, null, sum(cost_micros)::text
    from (${union(sql, breakdownArms)}) as facts
    group by dimension, value`;
}

interface LatencyRow {
  bucket: number;
  latency_bucket: number;
  n: string;
}

/** Latency histograms by bucket: the rollups' stored counts, and the raw rows' durations in the same buckets. */
function latencyStatement(sql: Sql, tenantId: string, plans: Plan[], filter: OverviewFilter, sources: RollupSources) {
  const arms: Fragment[] = [];
  for (const plan of plans) {
    const window = windowSources(sql, tenantId, plan.plan);
    if (window.rollupHours !== undefined) {
      arms.push(sql`
        select ${bucketOf(sql, plan, "hour")} as bucket, (u.i - 1)::int as latency_bucket, u.n
        from (select hour, latency_counts from ${totalsRollup(sql, tenantId, window, filter, sources)}) as r,
             unnest(r.latency_counts) with ordinality as u(n, i)
        where u.n <> 0`);
    }
    for (const range of window.rawRanges) {
      arms.push(sql`
        select ${bucketOf(sql, plan, "started_at")} as bucket,
               interception_latency_bucket(extract(epoch from ended_at - started_at) * 1000) as latency_bucket, 1::bigint as n
        from interceptions
        where tenant_id = ${tenantId} and ${range} and ended_at is not null and ${dimensionConditions(sql, filter, "raw")}`);
    }
  }
  return sql`select bucket, latency_bucket, sum(n)::text as n from (${union(sql, arms)}) as durations group by 1, 2`;
}

/**
 * The top initiators under the filter. When the per-value maps cannot combine the filter's
 * conditions (two dimensions, or a dimension and error types), one of them may still select the
 * same calls in this window as all of them together: a model and the provider that serves it, or a
 * provider and the error type only it returned. Then the maps answer for that one condition and
 * the raw rows are not read. The check and the count share one snapshot, so a call recorded
 * between them cannot make the equivalence wrong.
 */
async function topInitiators(sql: Sql, tenantId: string, start: bigint, end: bigint, lengthSeconds: number, filter: OverviewFilter, topN: number) {
  // The maps answer, or (an initiator filter) the raw rows by the initiator index.
  if (initiatorKeysFor(filter) !== "raw" || filter.initiatorId !== null) {
    return initiatorStatement(sql, tenantId, start, end, lengthSeconds, filter, topN);
  }
  return sql.begin("isolation level repeatable read read only", async (tx) => {
    const equivalent = await equivalentFilter(tx, tenantId, start, end, lengthSeconds, filter);
    return initiatorStatement(tx, tenantId, start, end, lengthSeconds, equivalent, topN);
  });
}

/**
 * The simplest filter that selects, in [start, end), exactly the calls `filter` selects: no
 * condition at all, or one of its conditions alone (a dimension's value, or its error types), the
 * first found; else `filter` itself. Each candidate selects a superset of `filter`'s calls, so
 * equal counts mean equal sets. Counted from the combinations' rollup and the window's raw edges.
 */
export async function equivalentFilter(sql: ISql, tenantId: string, start: bigint, end: bigint, lengthSeconds: number, filter: OverviewFilter): Promise<OverviewFilter> {
  const none: OverviewFilter = { provider: null, model: null, feature: null, keySource: null, initiatorId: null, errorTypes: [] };
  const singles: OverviewFilter[] = [
    ...DIMENSIONS.filter(([, , field]) => filter[field] !== null).map(([, , field]) => ({ ...none, [field]: filter[field] })),
    ...(filter.errorTypes.length > 0 ? [{ ...none, errorTypes: filter.errorTypes }] : []),
  ];
  const candidates = [none, ...singles];
  const window = windowSources(sql, tenantId, planWindow(start, end, Math.max(1, lengthSeconds)));
  const columns = sql.unsafe("provider, model, feature, key_source");
  const arms: Fragment[] = [];
  if (window.rollupHours !== undefined) {
    arms.push(sql`select ${columns}, error_type, calls from interception_rollups_live where tenant_id = ${tenantId} and ${window.rollupHours}`);
  }
  const ended = sql.unsafe(endedSql());
  for (const range of window.rawRanges) {
    arms.push(sql`select ${columns}, coalesce(error_type, '') as error_type, 1 as calls from interceptions where tenant_id = ${tenantId} and ${range} and ${ended}`);
  }
  const sums = [filter, ...candidates].map((f, i) => sql`coalesce(sum(calls) filter (where ${dimensionConditions(sql, f, "rollups")}), 0)::text as ${sql(`c${i}`)}`);
  const [row] = await sql<Record<string, string>[]>`
    select ${sums.reduce((all, sum) => sql`${all}, ${sum}`)} from (${union(sql, arms)}) as facts`;
  const calls = (i: number) => row![`c${i}`];
  const found = candidates.findIndex((_, i) => calls(i + 1) === calls(0));
  return found === -1 ? filter : candidates[found]!;
}

interface InitiatorRow {
  initiator_id: string;
  calls: string;
  failed: string;
  cost_micros: string;
}

/**
 * The window's top initiators: from interception_initiator_daily_rollups for its whole UTC days
 * and interception_initiator_rollups for its other whole hours, the raw rows for the rest. Under a
 * filter on one dimension, or on error types alone, from the same rows' `by_value` maps (the
 * counts of each initiator's calls with that value); under any other filter from the raw rows.
 */
function initiatorStatement(sql: ISql, tenantId: string, start: bigint, end: bigint, lengthSeconds: number, filter: OverviewFilter, topN: number) {
  const keys = initiatorKeysFor(filter);
  const plan = planFor(start, end, Math.max(1, lengthSeconds), keys === "raw");
  const { days, hours } = wholeDaysOf(plan.rollupHours);
  // Either the rows' own counts, or the counts in their maps under the filter's keys: each key
  // looked up (a binary search in the map), 3 to 4 times faster than expanding every map.
  const rollup = (view: Fragment, instants: Fragment) =>
    keys === "all"
      ? sql`select initiator_id, calls, failed, cost_micros from ${view} where tenant_id = ${tenantId} and ${instants}`
      : sql`
        select initiator_id, (e.v->>0)::bigint as calls, (e.v->>1)::bigint as failed, (e.v->>2)::bigint as cost_micros
        from ${view} as r, unnest(${keys}::text[]) as k(key), lateral (select r.by_value -> k.key) as e(v)
        where tenant_id = ${tenantId} and ${instants} and e.v is not null`;
  const arms: Fragment[] = [];
  if (days.length > 0) arms.push(rollup(sql`interception_initiator_daily_rollups_live`, instantsCondition(sql, "day", days, tenantId)));
  if (hours.length > 0) arms.push(rollup(sql`interception_initiator_rollups_live`, instantsCondition(sql, "hour", hours, tenantId)));
  const ended = sql.unsafe(endedSql());
  for (const range of windowSources(sql, tenantId, { rollupHours: [], rawRanges: plan.rawRanges }).rawRanges) {
    arms.push(sql`
      select initiator_id, 1 as calls, (error_type is not null)::int as failed, cost_micros from interceptions
      where tenant_id = ${tenantId} and ${range} and ${ended} and ${dimensionConditions(sql, filter, "raw")}`);
  }
  return sql`
    select initiator_id, sum(calls)::text as calls, sum(failed)::text as failed, sum(cost_micros)::text as cost_micros
    from (${union(sql, arms)}) as by_initiator
    group by 1
    having sum(calls) > 0
    order by sum(calls) desc, initiator_id
    limit ${topN}`;
}

/**
 * What the initiator rollups can answer for this filter: everything ("all"), the counts under
 * these `by_value` keys (one dimension's value, or error types, each call having one), or nothing
 * ("raw": an initiator filter, or a filter the maps cannot combine).
 */
function initiatorKeysFor(filter: OverviewFilter): "all" | "raw" | string[] {
  if (filter.initiatorId !== null) return "raw";
  const named = DIMENSIONS.filter(([, , field]) => filter[field] !== null);
  if (named.length === 0) return filter.errorTypes.length === 0 ? "all" : filter.errorTypes.map((type) => `error_type=${type}`);
  if (named.length === 1 && filter.errorTypes.length === 0) return [`${named[0]![1]}=${filter[named[0]![2]]}`];
  return "raw";
}

/** The arms as one `union all`; a window with no sources is an empty relation of the same shape. */
function union(sql: ISql, arms: Fragment[]): Fragment {
  if (arms.length === 0) throw new Error("a window has at least one source");
  return arms.reduce((all, arm) => sql`${all} union all ${arm}`);
}

function emptyTotals(): Totals {
  return {
    calls: 0,
    failed: 0,
    byErrorType: new Map(),
    latency: [],
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costMicros: 0,
  };
}

function addCounts(totals: Totals, row: CountRow): void {
  const calls = Number(row.calls);
  totals.calls += calls;
  if (row.error_type !== "") {
    totals.failed += calls;
    const type = row.error_type as ErrorType;
    totals.byErrorType.set(type, (totals.byErrorType.get(type) ?? 0) + calls);
  }
  totals.inputTokens += Number(row.input_tokens);
  totals.outputTokens += Number(row.output_tokens);
  totals.cacheReadTokens += Number(row.cache_read_tokens);
  totals.cacheWriteTokens += Number(row.cache_write_tokens);
  totals.costMicros += Number(row.cost_micros);
}

function toProtoTotals(totals: Totals): MessageInitShape<typeof OverviewTotalsSchema> {
  const latency = Array.from({ length: Math.min(LATENCY_BUCKETS, totals.latency.length) }, (_, i) => totals.latency[i] ?? 0);
  return {
    calls: BigInt(totals.calls),
    failed: BigInt(totals.failed),
    failureRate: totals.calls === 0 ? 0 : totals.failed / totals.calls,
    // In taxonomy order, for stable output.
    byErrorType: ERROR_TYPES.filter((t) => totals.byErrorType.has(t)).map((t) => ({ errorType: toProtoErrorType(t), count: BigInt(totals.byErrorType.get(t)!) })),
    p50LatencyMs: latencyPercentileMs(latency, 0.5),
    p95LatencyMs: latencyPercentileMs(latency, 0.95),
    usage: {
      inputTokens: BigInt(totals.inputTokens),
      outputTokens: BigInt(totals.outputTokens),
      cacheReadTokens: BigInt(totals.cacheReadTokens),
      cacheWriteTokens: BigInt(totals.cacheWriteTokens),
    },
    costMicros: BigInt(totals.costMicros),
  };
}

/** The top rows by calls, then by value; the rest of the window's calls as other_calls. */
function toBreakdown(dimension: Dimension, rows: BreakdownRow[], windowCalls: number, topN: number): MessageInitShape<typeof BreakdownSchema> {
  const top = rows
    .filter((row) => row.calls > 0)
    .sort((a, b) => b.calls - a.calls || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, topN);
  const shown = top.reduce((sum, row) => sum + row.calls, 0);
  return {
    dimension,
    rows: top.map((row) => ({
      value: row.value,
      calls: BigInt(row.calls),
      failed: BigInt(row.failed),
      share: windowCalls === 0 ? 0 : row.calls / windowCalls,
      costMicros: BigInt(row.costMicros),
    })),
    otherCalls: BigInt(windowCalls - shown),
  };
}
