/**
 * The hourly rollups against the raw rows they summarise: after random merges (start and end
 * records, late descriptive fields, duplicates, concurrent streams), late end records and prunes,
 * every rollup row must equal a fresh count over the raw rows, and every summary must equal the
 * same summary counted from the raw rows alone.
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { ErrorType, type Interception, InterceptionSchema, KeySource } from "../../gen/bridgelog/v1/interception_pb.js";
import { Dimension, QueryService } from "../../gen/bridgelog/v1/query_service_pb.js";
import { ERROR_TYPES } from "../../src/interception/error-type.js";
import { prune } from "../../src/retention/prune.js";
import { latencyBucketOf, latencyPercentileMs } from "../../src/rollups/latency-histogram.js";
import { drainRollupChanges } from "../../src/rollups/rollup-applier.js";
import { interception, recorderClient, transport } from "../support/clients.js";
import { seededRandom } from "../support/seeded-random.js";
import { useTestServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";

const env = useTestServer();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Row {
  tenant_id: string;
  hour: string;
  provider: string;
  model: string;
  feature: string;
  key_source: string;
  error_type: string;
  calls: string;
  input_tokens: string;
  output_tokens: string;
  cache_read_tokens: string;
  cache_write_tokens: string;
  cost_micros: string;
  latency_counts: string[];
}

const key = (r: Row) => [r.tenant_id, r.hour, r.provider, r.model, r.feature, r.key_source, r.error_type].join("|");

/**
 * The rollups as a query reads them, without rows every measure of which nets to zero: through
 * the _live view (the rollup table with the changes not yet applied), or the table alone.
 */
async function storedRollups(tenants: string[], source: "interception_rollups_live" | "interception_rollups"): Promise<Map<string, Row>> {
  const rows = await env.db.sql<Row[]>`
    select tenant_id, to_char(hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24') as hour, provider, model, feature, key_source,
           error_type, calls::text, input_tokens::text, output_tokens::text, cache_read_tokens::text,
           cache_write_tokens::text, cost_micros::text, latency_counts::text[]
    from ${env.db.sql(source)} where tenant_id = any(${tenants})`;
  // The view has a row per pending change beside the table's rows: sum them by key.
  const add = (a: string, b: string) => String(BigInt(a) + BigInt(b));
  const summed = new Map<string, Row>();
  for (const r of rows) {
    const sum = summed.get(key(r));
    if (sum === undefined) {
      summed.set(key(r), { ...r });
      continue;
    }
    for (const field of ["calls", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "cost_micros"] as const) {
      sum[field] = add(sum[field], r[field]);
    }
    sum.latency_counts = Array.from({ length: Math.max(sum.latency_counts.length, r.latency_counts.length) }, (_, i) =>
      add(sum.latency_counts[i] ?? "0", r.latency_counts[i] ?? "0"),
    );
  }
  const kept = [...summed.values()].filter((r) => r.calls !== "0" || r.cost_micros !== "0" || r.latency_counts.some((n) => n !== "0"));
  return new Map(kept.map((r) => [key(r), { ...r, latency_counts: trimZeros(r.latency_counts) }]));
}

/** The same rows counted afresh in TypeScript from the raw interceptions. */
async function freshRollups(tenants: string[]): Promise<Map<string, Row>> {
  type RawRow = Omit<Row, "error_type" | "calls" | "latency_counts"> & { error_type: string | null; ms: number | null };
  const raw = await env.db.sql<RawRow[]>`
    select tenant_id, to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24') as hour, provider, model, feature,
           key_source, error_type, (extract(epoch from ended_at - started_at) * 1000)::float8 as ms,
           input_tokens::text, output_tokens::text, cache_read_tokens::text, cache_write_tokens::text, cost_micros::text
    from interceptions
    where tenant_id = any(${tenants}) and (ended_at is not null or error_type is not null)`;
  const fresh = new Map<string, Row>();
  for (const r of raw) {
    const row: Row = {
      tenant_id: r.tenant_id,
      hour: r.hour,
      provider: r.provider,
      model: r.model,
      feature: r.feature,
      key_source: r.key_source,
      error_type: r.error_type ?? "",
      calls: "0",
      input_tokens: "0",
      output_tokens: "0",
      cache_read_tokens: "0",
      cache_write_tokens: "0",
      cost_micros: "0",
      latency_counts: [],
    };
    const sum = fresh.get(key(row)) ?? row;
    fresh.set(key(row), sum);
    const add = (a: string, b: string | number) => String(BigInt(a) + BigInt(b));
    sum.calls = add(sum.calls, 1);
    sum.input_tokens = add(sum.input_tokens, r.input_tokens);
    sum.output_tokens = add(sum.output_tokens, r.output_tokens);
    sum.cache_read_tokens = add(sum.cache_read_tokens, r.cache_read_tokens);
    sum.cache_write_tokens = add(sum.cache_write_tokens, r.cache_write_tokens);
    sum.cost_micros = add(sum.cost_micros, r.cost_micros);
    if (r.ms !== null) {
      const bucket = latencyBucketOf(r.ms);
      while (sum.latency_counts.length <= bucket) sum.latency_counts.push("0");
      sum.latency_counts[bucket] = add(sum.latency_counts[bucket]!, 1);
    }
  }
  return fresh;
}

/**
 * interception_initiator_rollups (hourly) or interception_initiator_daily_rollups as a query reads
 * them (see storedRollups), as "calls/failed/cost" and the by_value map's "key=calls/failed/cost"
 * entries by key, without what nets to zero; and the same counted afresh from the raw rows.
 */
type InitiatorSource =
  | "interception_initiator_rollups_live"
  | "interception_initiator_rollups"
  | "interception_initiator_daily_rollups_live"
  | "interception_initiator_daily_rollups";

async function storedInitiatorRollups(tenants: string[], source: InitiatorSource): Promise<Map<string, string>> {
  const sql = env.db.sql;
  const period = source.includes("daily") ? sql`to_char(day at time zone 'UTC', 'YYYY-MM-DD')` : sql`to_char(hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24')`;
  const rows = await sql<{ k: string; v: string }[]>`
    with stored as (
      select tenant_id || '|' || ${period} || '|' || initiator_id as k, calls, failed, cost_micros, by_value
      from ${sql(source)} where tenant_id = any(${tenants})
    ),
    entries as (
      select k, string_agg(key || '=' || calls || '/' || failed || '/' || cost_micros, ',' order by key) as entries
      from (
        select k, e.key, sum((e.v->>0)::bigint) as calls, sum((e.v->>1)::bigint) as failed, sum((e.v->>2)::bigint) as cost_micros
        from stored, jsonb_each(by_value) as e(key, v) group by k, e.key
      ) as summed
      where calls <> 0 or failed <> 0 or cost_micros <> 0
      group by k
    ),
    totals as (select k, sum(calls) as calls, sum(failed) as failed, sum(cost_micros) as cost_micros from stored group by k)
    select k, calls || '/' || failed || '/' || cost_micros || ' ' || coalesce(entries, '') as v
    from totals left join entries using (k)
    where calls <> 0 or failed <> 0 or cost_micros <> 0 or entries is not null`;
  return new Map(rows.map((r) => [r.k, r.v]));
}

async function freshInitiatorRollups(tenants: string[], by: "hour" | "day"): Promise<Map<string, string>> {
  const sql = env.db.sql;
  const period = by === "day" ? sql`to_char(started_at at time zone 'UTC', 'YYYY-MM-DD')` : sql`to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24')`;
  const rows = await sql<{ k: string; v: string }[]>`
    with ended as (
      select tenant_id || '|' || ${period} || '|' || initiator_id as k, provider, model, feature, key_source, error_type, cost_micros
      from interceptions where tenant_id = any(${tenants}) and (ended_at is not null or error_type is not null)
    ),
    entries as (
      select k, string_agg(key || '=' || calls || '/' || failed || '/' || cost_micros, ',' order by key) as entries
      from (
        select k, v.key, count(*) as calls, count(*) filter (where error_type is not null) as failed, sum(cost_micros) as cost_micros
        from ended
        cross join lateral (values ('provider=' || provider), ('model=' || model), ('feature=' || feature), ('key_source=' || key_source),
                                   ('error_type=' || error_type)) as v(key)
        where v.key is not null
        group by k, v.key
      ) as counted
      group by k
    )
    select k, count(*) || '/' || count(*) filter (where error_type is not null) || '/' || sum(cost_micros) || ' ' || min(entries) as v
    from ended join entries using (k)
    group by k`;
  return new Map(rows.map((r) => [r.k, r.v]));
}

/**
 * interception_dimension_rollups (each dimension's values on their own, and the whole tenant as
 * ('', '')) as a query reads it, as "calls/tokens/cost/latency buckets" by key, without rows that
 * net to zero; and the same counted afresh from the raw rows.
 */
async function storedDimensionRollups(tenants: string[], source: "interception_dimension_rollups_live" | "interception_dimension_rollups"): Promise<Map<string, string>> {
  const rows = await env.db.sql<{ k: string; v: string }[]>`
    with stored as (
      select tenant_id || '|' || dimension || '|' || value || '|' || to_char(hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24') || '|' || error_type as k,
             calls, input_tokens + output_tokens + cache_read_tokens + cache_write_tokens as tokens, cost_micros, latency_counts
      from ${env.db.sql(source)} where tenant_id = any(${tenants})
    ),
    latencies as (
      select k, string_agg((u.i - 1) || ':' || u.n, ',' order by u.i) as latency
      from (select k, i, sum(n) as n from stored, unnest(latency_counts) with ordinality as l(n, i) group by k, i) as u
      where u.n <> 0 group by k
    )
    select k, sum(calls) || '/' || sum(tokens) || '/' || sum(cost_micros) || '/' || coalesce(min(latency), '') as v
    from stored left join latencies using (k)
    group by k
    having sum(calls) <> 0 or sum(tokens) <> 0 or sum(cost_micros) <> 0 or min(latency) is not null`;
  return new Map(rows.map((r) => [r.k, r.v]));
}

async function freshDimensionRollups(tenants: string[]): Promise<Map<string, string>> {
  const rows = await env.db.sql<{ k: string; v: string }[]>`
    with raw as (
      select tenant_id || '|' || d.dimension || '|' || d.value || '|' || to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24') || '|' || coalesce(error_type, '') as k,
             input_tokens + output_tokens + cache_read_tokens + cache_write_tokens as tokens, cost_micros,
             case when ended_at is not null then interception_latency_bucket(extract(epoch from ended_at - started_at) * 1000) end as bucket
      from interceptions
      cross join lateral (values ('', ''), ('provider', provider), ('model', model), ('feature', feature), ('key_source', key_source)) as d(dimension, value)
      where tenant_id = any(${tenants}) and (ended_at is not null or error_type is not null)
    ),
    latencies as (
      select k, string_agg(bucket || ':' || n, ',' order by bucket) as latency
      from (select k, bucket, count(*) as n from raw where bucket is not null group by k, bucket) as b
      group by k
    )
    select k, count(*) || '/' || sum(tokens) || '/' || sum(cost_micros) || '/' || coalesce(min(latency), '') as v
    from raw left join latencies using (k)
    group by k`;
  return new Map(rows.map((r) => [r.k, r.v]));
}

/** Every rollup, as a query reads it or (after a drain) as its table alone holds it, against the raw rows. */
async function expectRollupsMatchRawRows(tenants: string[], read: "live" | "tables"): Promise<void> {
  const live = read === "live";
  expect(await storedRollups(tenants, live ? "interception_rollups_live" : "interception_rollups")).toEqual(await freshRollups(tenants));
  expect(await storedInitiatorRollups(tenants, live ? "interception_initiator_rollups_live" : "interception_initiator_rollups")).toEqual(
    await freshInitiatorRollups(tenants, "hour"),
  );
  expect(await storedDimensionRollups(tenants, live ? "interception_dimension_rollups_live" : "interception_dimension_rollups")).toEqual(await freshDimensionRollups(tenants));
  expect(await storedInitiatorRollups(tenants, live ? "interception_initiator_daily_rollups_live" : "interception_initiator_daily_rollups")).toEqual(
    await freshInitiatorRollups(tenants, "day"),
  );
}

function trimZeros(counts: string[]): string[] {
  const out = [...counts];
  while (out.length > 0 && out[out.length - 1] === "0") out.pop();
  return out;
}

/**
 * A workload that uses every merge rule: start records completed by end records (on another
 * stream, later), failures, records whose model, feature or key source arrive only with the end (or
 * after it), exact duplicates, and days spread over the past week and 40 days back.
 */
function workload(next: () => number, tenants: string[], now: number): Interception[][] {
  const pick = <T,>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const rounds: Interception[][] = [[], [], []];
  for (let i = 0; i < 600; i++) {
    const daysBack = next() < 0.15 ? 40 : Math.floor(next() * 7);
    const startedMs = now - daysBack * DAY - Math.floor(next() * DAY);
    const startedAt = timestampFromMs(startedMs);
    const endedAt = timestampFromMs(startedMs + Math.floor(next() ** 3 * 120_000));
    const failed = next() < 0.3 ? pick(ERROR_TYPES) : undefined;
    // Only gemini serves m-g, so a filter on both selects what one on the model does.
    const provider = pick(["openai", "anthropic", "gemini"]);
    const whole = interception({
      tenantId: pick(tenants),
      initiatorId: pick(["user-1", "user-2", "user-3", "user-4"]),
      provider,
      model: provider === "gemini" ? pick(["m-g", "m-a"]) : pick(["m-a", "m-b", ""]),
      feature: pick(["chat", "summarize"]),
      keySource: pick([KeySource.PLATFORM, KeySource.BYOK, KeySource.UNSPECIFIED]),
      startedAt,
      endedAt,
      usage: { inputTokens: BigInt(Math.floor(next() * 1000)), outputTokens: BigInt(Math.floor(next() * 500)), cacheReadTokens: 3n, cacheWriteTokens: 1n },
      costMicros: BigInt(Math.floor(next() * 10_000)),
      ...(failed === undefined ? {} : { errorType: failed, errorMessage: "it failed" }),
    });
    const shape = next();
    if (shape < 0.35) {
      rounds[0]!.push(whole);
    } else if (shape < 0.6) {
      // Started, then ended later with the fields that were missing at the start.
      rounds[0]!.push(create(InterceptionSchema, { ...whole, endedAt: undefined, errorType: undefined, errorMessage: undefined, usage: undefined, costMicros: 0n, model: "", keySource: KeySource.UNSPECIFIED }));
      rounds[1]!.push(whole);
    } else if (shape < 0.8) {
      // Ended without its initiator, model and key source, which a later record fills in.
      rounds[0]!.push(create(InterceptionSchema, { ...whole, initiatorId: "", model: "", feature: "", keySource: KeySource.UNSPECIFIED }));
      rounds[2]!.push(whole);
    } else if (shape < 0.9) {
      // Sent twice at once, and once more later.
      rounds[0]!.push(whole, whole);
      rounds[2]!.push(whole);
    } else {
      // A start record whose end never arrives: not counted.
      rounds[1]!.push(create(InterceptionSchema, { ...whole, endedAt: undefined, errorType: undefined, errorMessage: undefined }));
    }
  }
  return rounds;
}

/** Sends records over several concurrent streams and single calls, so batches interleave. */
async function record(records: Interception[]): Promise<void> {
  const client = recorderClient("grpc", env.server.url, env.server.token);
  const lanes = 4;
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      const mine = records.filter((_, i) => i % lanes === lane);
      if (lane % 2 === 0) {
        await client.recordInterceptions(
          (async function* () {
            for (const item of mine) yield { interception: item };
          })(),
        );
      } else {
        await Promise.all(mine.map((item) => client.recordInterception({ interception: item })));
      }
    }),
  );
}

describe("hourly rollups", () => {
  const seed = Number(process.env.ROLLUP_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const tenants = [`t-rollup-${seed}-a`, `t-rollup-${seed}-b`];

  it(`when records merge in every way, arrive late and days are pruned, then every rollup row equals a fresh count of the raw rows (seed ${seed})`, async () => {
    const now = Date.now();
    // What a query reads is exact after every round, however far the server's applier has got.
    for (const round of workload(seededRandom(seed), tenants, now)) {
      await record(round);
      await expectRollupsMatchRawRows(tenants, "live");
    }
    expect((await freshRollups(tenants)).size).toBeGreaterThan(50);
    expect((await freshInitiatorRollups(tenants, "hour")).size).toBeGreaterThan(20);

    const result = await prune(env.db.sql, { cutoff: new Date(now - 30 * DAY) });
    expect(result.days.length).toBeGreaterThan(0);
    expect(result.rollupRows).toBeGreaterThan(0);
    await expectRollupsMatchRawRows(tenants, "live");

    // Once every change is applied, the tables alone hold the same, and nothing is left pending.
    await drainRollupChanges(env.db.sql, 1000);
    await expectRollupsMatchRawRows(tenants, "tables");
    expect(await env.db.sql`select 1 from interception_rollup_changes where tenant_id = any(${tenants})`).toHaveLength(0);
  });

  it("when a call is recorded, then the server folds its change into the rollup tables on its own", async () => {
    const tenantId = `t-rollup-${seed}-applier`;
    await record([interception({ tenantId, errorType: "rate_limited", errorMessage: "slow down" })]);
    await waitFor("the server's applier", async () => (await env.db.sql`select 1 from interception_rollup_changes where tenant_id = ${tenantId}`).length === 0);
    const rows = await env.db.sql<{ calls: string; error_type: string }[]>`
      select calls::text, error_type from interception_rollups where tenant_id = ${tenantId}`;
    expect(rows).toEqual([{ calls: "1", error_type: "rate_limited" }]);
  });

  it(`when a summary's window and buckets fall on or off the hour, then it equals the same summary counted from the raw rows (seed ${seed})`, async () => {
    const next = seededRandom(seed + 1);
    const query = createClient(QueryService, transport("grpc", env.server.url, env.server.token));
    const now = Date.now();
    const cases = [
      // Hour-aligned windows with whole-hour buckets: all from the rollups.
      { start: Math.floor(now / HOUR) * HOUR - 7 * DAY, end: Math.floor(now / HOUR) * HOUR, bucketSeconds: 3600 },
      { start: Math.floor(now / DAY) * DAY - 6 * DAY, end: Math.floor(now / DAY) * DAY + DAY, bucketSeconds: 86_400 },
      // 90-minute buckets cut every other hour: more raw ranges than arms (one scan less the hours).
      { start: Math.floor(now / HOUR) * HOUR - 3 * DAY, end: Math.floor(now / HOUR) * HOUR, bucketSeconds: 5400 },
      // Unaligned edges, odd buckets, buckets shorter than an hour: partly or wholly raw.
      ...Array.from({ length: 6 }, () => {
        const end = now - Math.floor(next() * DAY);
        const start = end - Math.floor((0.1 + next()) * 3 * DAY);
        return { start, end, bucketSeconds: [900, 3600, 5400, 7200, 10_800, 86_400][Math.floor(next() * 6)]! };
      }),
    ];
    for (const tenantId of tenants) {
      for (const c of cases) {
        const summary = await query.summarizeErrors({
          tenantId,
          startTime: timestampFromDate(new Date(c.start)),
          endTime: timestampFromDate(new Date(c.end)),
          bucketSeconds: c.bucketSeconds,
        });
        const expected = await rawSummary(tenantId, c.start, c.end, c.bucketSeconds);
        const got = {
          total: Number(summary.totals!.total),
          failed: Number(summary.totals!.failed),
          buckets: summary.buckets.map((b) => [Number(b.counts!.total), Number(b.counts!.failed), countsOf(b.counts!.byErrorType)]),
          providers: Object.fromEntries(summary.byProvider.map((p) => [p.provider, Number(p.counts!.total)])),
        };
        expect(got, JSON.stringify(c)).toEqual(expected);
      }
    }
  });

  it(`when an overview's window falls on or off the hour, with or without a filter, then it equals the same overview counted from the raw rows (seed ${seed})`, async () => {
    const next = seededRandom(seed + 2);
    const query = createClient(QueryService, transport("grpc", env.server.url, env.server.token));
    const now = Date.now();
    const hour = Math.floor(now / HOUR) * HOUR;
    const windows = [
      { start: hour - 7 * DAY, end: hour + HOUR, bucketSeconds: 3 * 3600 },
      { start: hour - DAY, end: hour + HOUR, bucketSeconds: 3600 },
      ...Array.from({ length: 3 }, () => {
        const end = now - Math.floor(next() * DAY);
        return { start: end - Math.floor((0.1 + next()) * 3 * DAY), end, bucketSeconds: [900, 3600, 5400][Math.floor(next() * 3)]! };
      }),
    ];
    const filters: OverviewCase["filter"][] = [{}, { provider: "openai" }, { errorTypes: [ErrorType.RATE_LIMITED, ErrorType.TIMEOUT] }, { initiatorId: "user-2" }, { keySource: KeySource.BYOK, model: "m-a" },
      { provider: "gemini", model: "m-g" }, { provider: "anthropic", errorTypes: [ErrorType.RATE_LIMITED] }];
    for (const tenantId of tenants) {
      for (const w of windows) {
        for (const filter of filters) {
          const c: OverviewCase = { tenantId, ...w, filter };
          const overview = await query.getOverview({
            tenantId,
            startTime: timestampFromDate(new Date(c.start)),
            endTime: timestampFromDate(new Date(c.end)),
            bucketSeconds: c.bucketSeconds,
            filter,
            topN: 3,
          });
          const got = {
            totals: totalsOf(overview.totals!),
            previous: totalsOf(overview.previousTotals!),
            buckets: overview.buckets.map((b) => totalsOf(b.totals!)),
            breakdowns: overview.breakdowns.map((b) => [b.dimension, b.rows.map((r) => [r.value, Number(r.calls), Number(r.failed), Number(r.costMicros)]), Number(b.otherCalls)]),
          };
          expect(got, JSON.stringify({ ...c, filter: { ...filter, errorTypes: filter.errorTypes?.map(String) } })).toEqual(await rawOverview(c));
        }
      }
    }
  });
});

interface OverviewCase {
  tenantId: string;
  start: number;
  end: number;
  bucketSeconds: number;
  filter: { provider?: string; model?: string; keySource?: KeySource; initiatorId?: string; errorTypes?: ErrorType[] };
}

interface RawTotals {
  calls: number;
  failed: number;
  byType: Record<string, number>;
  p50: number | undefined;
  p95: number | undefined;
  tokens: number[];
  cost: number;
}

function totalsOf(t: { calls: bigint; failed: bigint; byErrorType: { errorType: ErrorType; count: bigint }[]; p50LatencyMs?: number; p95LatencyMs?: number; usage?: { inputTokens: bigint; outputTokens: bigint; cacheReadTokens: bigint; cacheWriteTokens: bigint }; costMicros: bigint }): RawTotals {
  return {
    calls: Number(t.calls),
    failed: Number(t.failed),
    byType: countsOf(t.byErrorType),
    p50: t.p50LatencyMs,
    p95: t.p95LatencyMs,
    tokens: [t.usage!.inputTokens, t.usage!.outputTokens, t.usage!.cacheReadTokens, t.usage!.cacheWriteTokens].map(Number),
    cost: Number(t.costMicros),
  };
}

/** GetOverview's numbers, counted in TypeScript from the raw rows of the window and the one before. */
async function rawOverview(c: OverviewCase) {
  const length = c.end - c.start;
  const rows = await env.db.sql<
    { started_ms: number; ms: number | null; provider: string; model: string; feature: string; key_source: string; initiator_id: string; error_type: string | null; input_tokens: string; output_tokens: string; cache_read_tokens: string; cache_write_tokens: string; cost_micros: string }[]
  >`
    select (extract(epoch from started_at) * 1000)::float8 as started_ms, (extract(epoch from ended_at - started_at) * 1000)::float8 as ms,
           provider, model, feature, key_source, initiator_id, error_type,
           input_tokens::text, output_tokens::text, cache_read_tokens::text, cache_write_tokens::text, cost_micros::text
    from interceptions
    where tenant_id = ${c.tenantId} and started_at >= ${new Date(c.start - length)} and started_at < ${new Date(c.end)}
      and (ended_at is not null or error_type is not null)`;
  const f = c.filter;
  const types = f.errorTypes?.map((t) => ErrorType[t]!.toLowerCase());
  const kept = rows.filter(
    (r) =>
      (f.provider === undefined || r.provider === f.provider) &&
      (f.model === undefined || r.model === f.model) &&
      (f.keySource === undefined || r.key_source === KeySource[f.keySource]!.toLowerCase()) &&
      (f.initiatorId === undefined || r.initiator_id === f.initiatorId) &&
      (types === undefined || (r.error_type !== null && types.includes(r.error_type))),
  );
  const totals = (of: typeof kept): RawTotals => {
    const counts: number[] = [];
    for (const r of of) if (r.ms !== null) counts[latencyBucketOf(r.ms)] = (counts[latencyBucketOf(r.ms)] ?? 0) + 1;
    const dense = Array.from(counts, (n) => n ?? 0);
    const byType: Record<string, number> = {};
    for (const r of of) if (r.error_type !== null) byType[r.error_type] = (byType[r.error_type] ?? 0) + 1;
    const sum = (pick: (r: (typeof kept)[number]) => string) => of.reduce((total, r) => total + Number(pick(r)), 0);
    return {
      calls: of.length,
      failed: of.filter((r) => r.error_type !== null).length,
      byType: Object.fromEntries(ERROR_TYPES.filter((t) => t in byType).map((t) => [t, byType[t]!])),
      p50: latencyPercentileMs(dense, 0.5),
      p95: latencyPercentileMs(dense, 0.95),
      tokens: [sum((r) => r.input_tokens), sum((r) => r.output_tokens), sum((r) => r.cache_read_tokens), sum((r) => r.cache_write_tokens)],
      cost: sum((r) => r.cost_micros),
    };
  };
  const current = kept.filter((r) => r.started_ms >= c.start);
  const bucketMs = c.bucketSeconds * 1000;
  const bucketCount = Math.ceil(length / bucketMs);
  const breakdown = (dimension: Dimension, pick: (r: (typeof kept)[number]) => string) => {
    const by = new Map<string, [number, number, number]>();
    for (const r of current) {
      const v = by.get(pick(r)) ?? [0, 0, 0];
      by.set(pick(r), [v[0] + 1, v[1] + (r.error_type === null ? 0 : 1), v[2] + Number(r.cost_micros)]);
    }
    const top = [...by].sort((a, b) => b[1][0] - a[1][0] || (a[0] < b[0] ? -1 : 1)).slice(0, 3);
    return [dimension, top.map(([value, [calls, failed, cost]]) => [value, calls, failed, cost]), current.length - top.reduce((n, [, [calls]]) => n + calls, 0)];
  };
  return {
    totals: totals(current),
    previous: totals(kept.filter((r) => r.started_ms < c.start)),
    buckets: Array.from({ length: bucketCount }, (_, i) => totals(current.filter((r) => Math.floor((r.started_ms - c.start) / bucketMs) === i))),
    breakdowns: [
      breakdown(Dimension.PROVIDER, (r) => r.provider),
      breakdown(Dimension.MODEL, (r) => r.model),
      breakdown(Dimension.FEATURE, (r) => r.feature),
      breakdown(Dimension.KEY_SOURCE, (r) => r.key_source),
      breakdown(Dimension.INITIATOR, (r) => r.initiator_id),
    ],
  };
}

function countsOf(byType: { errorType: ErrorType; count: bigint }[]): Record<string, number> {
  return Object.fromEntries(byType.map((t) => [ErrorType[t.errorType]!.toLowerCase(), Number(t.count)]));
}

/** SummarizeErrors' numbers, counted in TypeScript from the raw rows of the window. */
async function rawSummary(tenantId: string, start: number, end: number, bucketSeconds: number) {
  const rows = await env.db.sql<{ started_ms: number; provider: string; error_type: string | null }[]>`
    select (extract(epoch from started_at) * 1000)::float8 as started_ms, provider, error_type from interceptions
    where tenant_id = ${tenantId} and started_at >= ${new Date(start)} and started_at < ${new Date(end)}
      and (ended_at is not null or error_type is not null)`;
  const bucketCount = Math.ceil((end - start) / (bucketSeconds * 1000));
  const buckets = Array.from({ length: bucketCount }, () => ({ total: 0, failed: 0, byType: {} as Record<string, number> }));
  const providers: Record<string, number> = {};
  for (const row of rows) {
    const bucket = buckets[Math.floor((row.started_ms - start) / (bucketSeconds * 1000))]!;
    bucket.total++;
    providers[row.provider] = (providers[row.provider] ?? 0) + 1;
    if (row.error_type !== null) {
      bucket.failed++;
      bucket.byType[row.error_type] = (bucket.byType[row.error_type] ?? 0) + 1;
    }
  }
  return {
    total: rows.length,
    failed: rows.filter((r) => r.error_type !== null).length,
    buckets: buckets.map((b) => [b.total, b.failed, b.byType]),
    providers,
  };
}
