import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createRecorder, readProviderUsage, type CallUsage } from "@bridgelog/client";
import { useTestServer } from "../support/server.js";
import type { Provider, Scenario } from "./support/fake-provider.js";
import { callProvider, MODELS, planCalls, settle, useFakeProvider } from "./support/provider-calls.js";

const env = useTestServer();
const upstream = useFakeProvider();

// What bridgelog must store for each failure the fake provider answers with.
const EXPECTED: Record<Provider, Partial<Record<Scenario, { errorType: string; httpStatus: number | null; errorName: string }>>> = {
  openai: {
    quota: { errorType: "quota_exhausted", httpStatus: 429, errorName: "RateLimitError" },
    rate_limited: { errorType: "rate_limited", httpStatus: 429, errorName: "RateLimitError" },
    invalid_key: { errorType: "unauthorized", httpStatus: 401, errorName: "AuthenticationError" },
    server_error: { errorType: "server_error", httpStatus: 500, errorName: "InternalServerError" },
    drop: { errorType: "network_error", httpStatus: null, errorName: "APIConnectionError" },
  },
  anthropic: {
    credit: { errorType: "quota_exhausted", httpStatus: 400, errorName: "BadRequestError" },
    overloaded: { errorType: "overloaded", httpStatus: 529, errorName: "OverloadedError" },
    invalid_key: { errorType: "unauthorized", httpStatus: 401, errorName: "AuthenticationError" },
    drop: { errorType: "network_error", httpStatus: null, errorName: "APIConnectionError" },
  },
};

// Micro-dollars per token, the way a bridge would price calls from the tokens the SDK reports.
const PRICES: Record<Provider, { input: number; output: number }> = {
  openai: { input: 2.5, output: 10 },
  anthropic: { input: 3, output: 15 },
};
const costOf = (provider: Provider, usage: CallUsage | undefined) =>
  Math.round((usage?.inputTokens ?? 0) * PRICES[provider].input + (usage?.outputTokens ?? 0) * PRICES[provider].output);

interface Row {
  call: string;
  provider: string;
  model: string;
  key_source: string;
  error_type: string | null;
  error_message: string | null;
  upstream_http_status: number | null;
  upstream_error_name: string | null;
  upstream_body: string | null;
  input_tokens: string;
  output_tokens: string;
  cache_read_tokens: string;
  cache_write_tokens: string;
  cost_micros: string;
  ended: boolean;
  metadata: Record<string, string>;
}

describe("a bridge using the official openai and @anthropic-ai/sdk clients", () => {
  it("when it makes 1,000 tracked calls, a fifth failing with real provider errors, then every attempt is stored with its classified type, usage and cost", async () => {
    const tenantId = `t-sdk-${randomUUID()}`;
    const logged: unknown[] = [];
    const recorder = createRecorder({ baseUrl: env.server.url, token: env.server.token, maxBatchSize: 100, flushIntervalMs: 20, log: (e) => logged.push(e) });
    const plan = planCalls(1000);
    const usageByCall = new Map<number, CallUsage | undefined>();

    let next = 0;
    const worker = async () => {
      for (let i = next++; i < plan.length; i = next++) {
        const { call, provider, scenario } = plan[i]!;
        const scope = {
          tenantId,
          initiatorId: `user-${call % 7}`,
          feature: "chat",
          provider,
          model: MODELS[provider],
          keySource: call % 3 === 0 ? ("platform" as const) : ("byok" as const),
          metadata: { call: String(call) },
          usage: (result: unknown) => ({ costMicros: costOf(provider, readProviderUsage(result)) }),
        };
        const outcome = await settle(recorder.track(scope, () => callProvider(upstream.clients, provider, scenario, call)));
        expect(outcome.ok).toBe(scenario === "ok");
        if (outcome.ok) usageByCall.set(call, readProviderUsage(outcome.value));
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await recorder.close({ timeoutMs: 20_000 });

    expect(logged).toEqual([]);
    expect(recorder.counters()).toMatchObject({ sent: 1000, dropped: 0, rejected: 0, pending: 0 });
    const rows = await env.db.sql<Row[]>`
      select metadata->>'call' as call, provider, model, key_source, error_type, error_message,
             upstream_http_status, upstream_error_name, upstream_body,
             input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_micros,
             ended_at >= started_at as ended, metadata
      from interceptions where tenant_id = ${tenantId}`;
    expect(rows).toHaveLength(1000);
    expect(rows.filter((r) => r.error_type !== null)).toHaveLength(200);

    for (const row of rows) {
      const { call, provider, scenario } = plan[Number(row.call)]!;
      expect(row).toMatchObject({ provider, model: MODELS[provider], key_source: call % 3 === 0 ? "platform" : "byok", ended: true });
      if (scenario === "ok") {
        const usage = usageByCall.get(call)!;
        expect(usage.inputTokens).toBeGreaterThan(0);
        expect(row).toMatchObject({
          error_type: null,
          error_message: null,
          upstream_http_status: null,
          input_tokens: String(usage.inputTokens),
          output_tokens: String(usage.outputTokens),
          cache_read_tokens: String(usage.cacheReadTokens ?? 0),
          cache_write_tokens: String(usage.cacheWriteTokens ?? 0),
          cost_micros: String(costOf(provider, usage)),
        });
      } else {
        const expected = EXPECTED[provider][scenario]!;
        expect({ call, scenario, ...pick(row) }).toEqual({
          call,
          scenario,
          error_type: expected.errorType,
          upstream_http_status: expected.httpStatus,
          upstream_error_name: expected.errorName,
        });
        expect(row.error_message).not.toBe("");
        expect(row).toMatchObject({ input_tokens: "0", output_tokens: "0", cost_micros: "0" });
      }
    }
  });

  it("when a call fails, then the provider's body and request id are stored but no cookie or organisation header", async () => {
    const tenantId = `t-headers-${randomUUID()}`;
    const recorder = createRecorder({ baseUrl: env.server.url, token: env.server.token, flushIntervalMs: 10 });
    const scope = { tenantId, initiatorId: "user-1", feature: "chat", keySource: "byok" as const };
    const quota = await settle(
      recorder.track({ ...scope, provider: "openai", model: MODELS.openai }, () => callProvider(upstream.clients, "openai", "quota", 7001)),
    );
    const overloaded = await settle(
      recorder.track({ ...scope, provider: "anthropic", model: MODELS.anthropic }, () => callProvider(upstream.clients, "anthropic", "overloaded", 7002)),
    );
    expect([quota.ok, overloaded.ok]).toEqual([false, false]);
    await recorder.close();

    const rows = await env.db.sql`
      select provider, error_type, provider_code, upstream_body, upstream_code, metadata
      from interceptions where tenant_id = ${tenantId} order by provider`;
    expect(rows).toEqual([
      {
        provider: "anthropic",
        error_type: "overloaded",
        provider_code: "overloaded_error",
        upstream_body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
        upstream_code: null,
        metadata: { "response.request-id": "req_7002" },
      },
      {
        provider: "openai",
        error_type: "quota_exhausted",
        provider_code: "insufficient_quota",
        upstream_body: JSON.stringify({
          message: "You exceeded your current quota, please check your plan and billing details.",
          type: "insufficient_quota",
          param: null,
          code: "insufficient_quota",
        }),
        upstream_code: "insufficient_quota",
        metadata: { "response.x-request-id": "req_7001" },
      },
    ]);
  });
});

describe("the retry hint through the SDK", () => {
  it("when a provider answers with retry-after, then the header reaches the server and the stored failure carries retry_after_ms", async () => {
    const tenantId = `t-retry-${randomUUID()}`;
    const recorder = createRecorder({ baseUrl: env.server.url, token: env.server.token, flushIntervalMs: 10 });
    const limited = await settle(
      recorder.track({ tenantId, initiatorId: "user-1", feature: "chat", keySource: "platform", provider: "openai", model: MODELS.openai }, () =>
        callProvider(upstream.clients, "openai", "rate_limited", 7003),
      ),
    );
    expect(limited.ok).toBe(false);
    await recorder.close();
    const rows = await env.db.sql`select error_type, retry_after_ms, metadata from interceptions where tenant_id = ${tenantId}`;
    // The header's 3 s wins over the body's "Please try again in 2.286s": headers are the protocol's word.
    expect(rows).toEqual([{ error_type: "rate_limited", retry_after_ms: "3000", metadata: expect.objectContaining({ "response.retry-after": "3" }) }]);
  });
});

function pick(row: Row) {
  return { error_type: row.error_type, upstream_http_status: row.upstream_http_status, upstream_error_name: row.upstream_error_name };
}
