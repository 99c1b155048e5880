/**
 * GetOverview against hand-counted calls: totals beside the previous window, every bucket, the
 * breakdowns and their shares, each filter, and its tenancy, scope and argument checks. That it
 * equals a count of the raw rows on any window, on or off the hour, is test/rollups/rollups.test.ts.
 */
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { beforeAll, describe, expect, it } from "vitest";
import { ErrorType, KeySource } from "../gen/bridgelog/v1/interception_pb.js";
import { Dimension, type GetOverviewResponse, QueryService } from "../gen/bridgelog/v1/query_service_pb.js";
import type { Scope } from "../src/auth/api-token.js";
import { equivalentFilter, type OverviewFilter } from "../src/query/get-overview.js";
import { latencyPercentileMs, latencyBucketOf } from "../src/rollups/latency-histogram.js";
import { type InterceptionFields, interception, recorderClient, transport } from "./support/clients.js";
import { useTestServer } from "./support/server.js";

const env = useTestServer({ tokenCacheMs: 0 });
const HOUR = 3_600_000;
// A window of three whole hours, and the three hours before it.
const START = Date.UTC(2026, 9, 12, 6, 0, 0);
const at = (ms: number) => timestampFromDate(new Date(START + ms));
const WINDOW = { tenantId: "ov", startTime: at(0), endTime: at(3 * HOUR), bucketSeconds: 3600 };

const query = (token = env.server.token) => createClient(QueryService, transport("grpc", env.server.url, token));
const token = async (tenantId: string | null, scopes: Scope[]) => (await env.server.tokens.create({ tenantId, scopes })).token;
const failure = (error: unknown) => ConnectError.from(error);

/** A call that started `offset` ms into the window and took `ms`. */
const call = (offset: number, ms: number, fields: InterceptionFields = {}) =>
  interception({
    tenantId: "ov",
    startedAt: at(offset),
    endedAt: at(offset + ms),
    usage: { inputTokens: 100n, outputTokens: 10n, cacheReadTokens: 1n, cacheWriteTokens: 2n },
    costMicros: 1000n,
    ...fields,
  });

beforeAll(async () => {
  const records = [
    // Hour 0: two openai calls by alice, one rate limited.
    call(60_000, 200, { provider: "openai", model: "gpt-4o", feature: "chat", initiatorId: "alice" }),
    call(120_000, 400, { provider: "openai", model: "gpt-4o", feature: "chat", initiatorId: "alice", errorType: "rate_limited", errorMessage: "slow down" }),
    // Hour 1: nothing. Hour 2: three anthropic calls by bob with his own key, one overloaded.
    call(2 * HOUR + 1000, 1000, { provider: "anthropic", model: "claude", feature: "agent", initiatorId: "bob", keySource: KeySource.BYOK }),
    call(2 * HOUR + 2000, 3000, { provider: "anthropic", model: "claude", feature: "agent", initiatorId: "bob", keySource: KeySource.BYOK }),
    call(2 * HOUR + 3000, 8000, { provider: "anthropic", model: "claude", feature: "summarize", initiatorId: "bob", keySource: KeySource.BYOK, errorType: "overloaded" }),
    // Still in progress: not counted.
    interception({ tenantId: "ov", startedAt: at(2 * HOUR + 4000), endedAt: undefined }),
    // The previous window: one openai call.
    call(-HOUR, 100, { provider: "openai", initiatorId: "alice" }),
    // Another tenant, same window: never counted here.
    call(60_000, 100, { tenantId: "ov-other" }),
  ];
  const response = await recorderClient("grpc", env.server.url, env.server.token).recordInterceptions(
    (async function* () {
      for (const r of records) yield { interception: r };
    })(),
  );
  expect(response.results.every((r) => r.result.case === "recorded")).toBe(true);
});

const breakdown = (overview: GetOverviewResponse, dimension: Dimension) => {
  const found = overview.breakdowns.find((b) => b.dimension === dimension)!;
  return [found.rows.map((r) => [r.value, Number(r.calls), Number(r.failed), r.share, Number(r.costMicros)]), Number(found.otherCalls)];
};
const p = (durations: number[], q: number) => {
  const counts: number[] = [];
  for (const ms of durations) counts[latencyBucketOf(ms)] = (counts[latencyBucketOf(ms)] ?? 0) + 1;
  return latencyPercentileMs(Array.from(counts, (n) => n ?? 0), q);
};

describe("GetOverview", () => {
  it("when calls were recorded, then it counts the window and the one before, every bucket, and the top values of each dimension", async () => {
    const overview = await query().getOverview(WINDOW);
    const totals = overview.totals!;
    expect([totals.calls, totals.failed, totals.failureRate]).toEqual([5n, 2n, 0.4]);
    expect(totals.byErrorType.map((t) => [t.errorType, t.count])).toEqual([
      [ErrorType.RATE_LIMITED, 1n],
      [ErrorType.OVERLOADED, 1n],
    ]);
    expect(totals.p50LatencyMs).toBe(p([200, 400, 1000, 3000, 8000], 0.5));
    expect(totals.p95LatencyMs).toBe(p([200, 400, 1000, 3000, 8000], 0.95));
    expect(totals.usage).toMatchObject({ inputTokens: 500n, outputTokens: 50n, cacheReadTokens: 5n, cacheWriteTokens: 10n });
    expect(totals.costMicros).toBe(5000n);
    expect([overview.previousTotals!.calls, overview.previousTotals!.failed, overview.previousTotals!.costMicros]).toEqual([1n, 0n, 1000n]);

    expect(overview.buckets.map((b) => [b.startTime!.seconds, Number(b.totals!.calls), Number(b.totals!.failed)])).toEqual([
      [BigInt(START / 1000), 2, 1],
      [BigInt(START / 1000 + 3600), 0, 0],
      [BigInt(START / 1000 + 7200), 3, 1],
    ]);
    expect(overview.buckets[1]!.totals!.p50LatencyMs).toBeUndefined();

    expect(overview.breakdowns.map((b) => b.dimension)).toEqual([Dimension.PROVIDER, Dimension.MODEL, Dimension.FEATURE, Dimension.KEY_SOURCE, Dimension.INITIATOR]);
    expect(breakdown(overview, Dimension.PROVIDER)).toEqual([[["anthropic", 3, 1, 0.6, 3000], ["openai", 2, 1, 0.4, 2000]], 0]);
    expect(breakdown(overview, Dimension.FEATURE)).toEqual([[["agent", 2, 0, 0.4, 2000], ["chat", 2, 1, 0.4, 2000], ["summarize", 1, 1, 0.2, 1000]], 0]);
    expect(breakdown(overview, Dimension.KEY_SOURCE)).toEqual([[["byok", 3, 1, 0.6, 3000], ["platform", 2, 1, 0.4, 2000]], 0]);
    expect(breakdown(overview, Dimension.INITIATOR)).toEqual([[["bob", 3, 1, 0.6, 3000], ["alice", 2, 1, 0.4, 2000]], 0]);
  });

  it("when top_n is smaller than the values, then the rest are counted as other calls", async () => {
    const overview = await query().getOverview({ ...WINDOW, topN: 1 });
    expect(breakdown(overview, Dimension.FEATURE)).toEqual([[["agent", 2, 0, 0.4, 2000]], 3]);
    expect(breakdown(overview, Dimension.INITIATOR)).toEqual([[["bob", 3, 1, 0.6, 3000]], 2]);
  });

  it("when a filter is given, then totals, buckets and every breakdown follow it", async () => {
    const byProvider = await query().getOverview({ ...WINDOW, filter: { provider: "OpenAI" } });
    expect([byProvider.totals!.calls, byProvider.previousTotals!.calls]).toEqual([2n, 1n]);
    expect(breakdown(byProvider, Dimension.INITIATOR)).toEqual([[["alice", 2, 1, 1, 2000]], 0]);
    const byType = await query().getOverview({ ...WINDOW, filter: { errorTypes: [ErrorType.OVERLOADED] } });
    expect([byType.totals!.calls, byType.totals!.failed]).toEqual([1n, 1n]);
    expect(byType.buckets.map((b) => Number(b.totals!.calls))).toEqual([0, 0, 1]);
    expect(breakdown(byType, Dimension.FEATURE)).toEqual([[["summarize", 1, 1, 1, 1000]], 0]);
    const byInitiator = await query().getOverview({ ...WINDOW, filter: { initiatorId: "bob" } });
    expect(byInitiator.totals!.calls).toBe(3n);
    expect(breakdown(byInitiator, Dimension.PROVIDER)).toEqual([[["anthropic", 3, 1, 1, 3000]], 0]);
    const byKey = await query().getOverview({ ...WINDOW, filter: { keySource: KeySource.PLATFORM, feature: "chat", model: "gpt-4o" } });
    expect(byKey.totals!.calls).toBe(2n);
    const nothing = await query().getOverview({ ...WINDOW, filter: { provider: "gemini" } });
    expect([nothing.totals!.calls, nothing.breakdowns.every((b) => b.rows.length === 0 && b.otherCalls === 0n)]).toEqual([0n, true]);
  });

  it("when one of two filters selects in the window what both do, then the top initiators are counted under that one alone", async () => {
    const micros = (ms: number) => BigInt(START + ms) * 1000n;
    const none = { provider: null, model: null, feature: null, keySource: null, initiatorId: null, errorTypes: [] };
    const equivalent = (from: number, to: number, filter: Partial<OverviewFilter>) =>
      equivalentFilter(env.db.sql, "ov", micros(from), micros(to), (to - from) / 1000, { ...none, ...filter });
    // Only anthropic served claude; in hour 0 every call was openai's chat; in hour 2 every call was bob's.
    expect(await equivalent(0, 3 * HOUR, { provider: "anthropic", model: "claude" })).toEqual({ ...none, provider: "anthropic" });
    expect(await equivalent(0, 3 * HOUR, { model: "gpt-4o", errorTypes: ["rate_limited"] })).toEqual({ ...none, errorTypes: ["rate_limited"] });
    expect(await equivalent(0, HOUR, { provider: "openai", feature: "chat" })).toEqual(none);
    // Off the hour (raw rows at the edges): agent is bob's and anthropic's, but not every anthropic call is agent.
    expect(await equivalent(30_000, 3 * HOUR - 30_000, { provider: "anthropic", feature: "agent" })).toEqual({ ...none, feature: "agent" });
    // Neither alone: two chat calls and two failures, one failed chat call.
    const neither = { feature: "chat", errorTypes: ["overloaded", "rate_limited"] } as const;
    expect(await equivalent(0, 3 * HOUR, { ...neither, errorTypes: [...neither.errorTypes] })).toEqual({ ...none, ...neither });

    // And the overview under such filters still counts only what both select.
    const both = await query().getOverview({ ...WINDOW, filter: { provider: "anthropic", feature: "agent" } });
    expect(breakdown(both, Dimension.INITIATOR)).toEqual([[["bob", 2, 0, 1, 2000]], 0]);
    const disjoint = await query().getOverview({ ...WINDOW, filter: { provider: "openai", feature: "agent" } });
    expect([disjoint.totals!.calls, breakdown(disjoint, Dimension.INITIATOR)]).toEqual([0n, [[], 0]]);
  });

  it("when a field is wrong, then it says which", async () => {
    const cases: [Parameters<ReturnType<typeof query>["getOverview"]>[0], string][] = [
      [{ ...WINDOW, endTime: at(-HOUR) }, "end_time"],
      [{ ...WINDOW, startTime: at(-401 * 24 * HOUR) }, "start_time"],
      [{ ...WINDOW, bucketSeconds: 1 }, "bucket_seconds"],
      [{ ...WINDOW, topN: 51 }, "top_n"],
      [{ ...WINDOW, topN: -1 }, "top_n"],
      [{ ...WINDOW, filter: { errorTypes: [ErrorType.UNSPECIFIED] } }, "filter.error_types"],
      [{ ...WINDOW, filter: { errorTypes: [99 as ErrorType] } }, "filter.error_types"],
      [{ ...WINDOW, filter: { provider: "open\u0000ai" } }, "filter.provider"],
      [{ ...WINDOW, filter: { initiatorId: "x".repeat(300) } }, "filter.initiator_id"],
    ];
    for (const [request, field] of cases) {
      const refused = await query().getOverview(request).catch(failure);
      expect(refused, field).toMatchObject({ code: Code.InvalidArgument });
      expect((refused as ConnectError).rawMessage, field).toContain(field);
    }
  });
});

describe("GetOverview and tokens", () => {
  it("when a tenant's token asks, then it sees its own tenant by default and is refused another", async () => {
    const own = await query(await token("ov", ["read"])).getOverview({ ...WINDOW, tenantId: "" });
    expect(own.totals!.calls).toBe(5n);
    const other = await query(await token("ov-other", ["read"])).getOverview(WINDOW).catch(failure);
    expect(other).toMatchObject({ code: Code.PermissionDenied });
  });

  it("when an all-tenants token names no tenant, or the token only records, or there is none, then it is refused", async () => {
    const unnamed = await query().getOverview({ ...WINDOW, tenantId: "" }).catch(failure);
    expect(unnamed).toMatchObject({ code: Code.InvalidArgument });
    expect((unnamed as ConnectError).rawMessage).toContain("tenant_id");
    const recordOnly = await query(await token(null, ["record"])).getOverview(WINDOW).catch(failure);
    expect(recordOnly).toMatchObject({ code: Code.PermissionDenied });
    const none = await createClient(QueryService, transport("grpc", env.server.url)).getOverview(WINDOW).catch(failure);
    expect(none).toMatchObject({ code: Code.Unauthenticated });
  });
});
