import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createRecorder, type CallScope } from "@bridgelog/client";
import { useTestServer } from "../support/server.js";
import { scopeFor } from "./support/scope.js";

const env = useTestServer();

describe("track's scope", () => {
  it("when track is called without a scope, then it throws at once naming every missing field, without making the call", () => {
    const recorder = createRecorder({ baseUrl: env.server.url, token: env.server.token });
    let called = false;
    const fn = async () => {
      called = true;
    };
    expect(() => recorder.track(undefined, fn)).toThrow(
      new TypeError(
        "bridgelog track(): the call's scope is missing tenantId, initiatorId, feature, provider, model, keySource. Pass them in track(scope, fn) or around the call with recorder.withScope(scope, fn).",
      ),
    );
    expect(() => recorder.track({ tenantId: "t", initiatorId: "u", feature: "chat", provider: "openai", keySource: "byok" }, fn)).toThrow(
      /missing model\./,
    );
    expect(() => recorder.track({ ...scopeFor("t", "byok"), initiatorId: " ", keySource: "BYOK" as "byok" }, fn)).toThrow(
      /missing initiatorId; keySource must be "platform" or "byok", got "BYOK"/,
    );
    expect(called).toBe(false);
    expect(recorder.counters()).toMatchObject({ sent: 0, dropped: 0, pending: 0 });
  });

  it("when withScope sets request fields, then tracks inside it inherit them across awaits, their own fields win, and concurrent requests do not mix", async () => {
    const recorder = createRecorder({ baseUrl: env.server.url, token: env.server.token, flushIntervalMs: 5 });
    const tenants = [`t-ctx-a-${randomUUID()}`, `t-ctx-b-${randomUUID()}`];
    const request = (tenantId: string, initiatorId: string) =>
      recorder.withScope({ tenantId, initiatorId, keySource: "byok", metadata: { route: "/chat", request: initiatorId } }, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        await recorder.track({ feature: "chat", provider: "openai", model: "gpt-4o" }, async () => "first");
        await recorder.withScope({ feature: "summarize", metadata: { step: "2" } }, () =>
          recorder.track({ provider: "anthropic", model: "claude-sonnet-4", initiatorId: "job-7", metadata: { route: "/override" } }, async () => "second"),
        );
      });
    await Promise.all([request(tenants[0]!, "alice"), request(tenants[1]!, "bob")]);
    await recorder.close();

    const rows = await env.db.sql`
      select tenant_id, initiator_id, feature, provider, model, key_source, metadata
      from interceptions where tenant_id in ${env.db.sql(tenants)} order by tenant_id, feature`;
    expect(rows).toEqual([
      { tenant_id: tenants[0], initiator_id: "alice", feature: "chat", provider: "openai", model: "gpt-4o", key_source: "byok", metadata: { route: "/chat", request: "alice" } },
      {
        tenant_id: tenants[0],
        initiator_id: "job-7",
        feature: "summarize",
        provider: "anthropic",
        model: "claude-sonnet-4",
        key_source: "byok",
        metadata: { route: "/override", request: "alice", step: "2" },
      },
      { tenant_id: tenants[1], initiator_id: "bob", feature: "chat", provider: "openai", model: "gpt-4o", key_source: "byok", metadata: { route: "/chat", request: "bob" } },
      {
        tenant_id: tenants[1],
        initiator_id: "job-7",
        feature: "summarize",
        provider: "anthropic",
        model: "claude-sonnet-4",
        key_source: "byok",
        metadata: { route: "/override", request: "bob", step: "2" },
      },
    ]);
  });
});

describe("what track returns and throws", () => {
  it("when the call throws, then the very same object is re-thrown, whether it was thrown synchronously, rejected, or not an Error at all", async () => {
    const recorder = createRecorder({ baseUrl: env.server.url, token: env.server.token, flushIntervalMs: 5 });
    const tenantId = `t-identity-${randomUUID()}`;
    const error = Object.assign(new Error("upstream said no"), { status: 418 });
    const odd = { not: "an error" };
    await expect(recorder.track(scopeFor(tenantId, "byok"), async () => Promise.reject(error))).rejects.toBe(error);
    await expect(
      recorder.track(scopeFor(tenantId, "byok"), () => {
        throw error;
      }),
    ).rejects.toBe(error);
    await expect(recorder.track(scopeFor(tenantId, "byok"), () => Promise.reject(odd))).rejects.toBe(odd);
    await expect(recorder.track(scopeFor(tenantId, "byok"), () => 42)).resolves.toBe(42);
    await recorder.close();

    const rows = await env.db.sql`
      select error_type, error_message, upstream_http_status from interceptions where tenant_id = ${tenantId} order by error_type nulls first`;
    expect(rows).toEqual([
      { error_type: null, error_message: null, upstream_http_status: null },
      // The server classifies: a 4xx it knows nothing more about is a bad request.
      { error_type: "bad_request", error_message: "upstream said no", upstream_http_status: 418 },
      { error_type: "bad_request", error_message: "upstream said no", upstream_http_status: 418 },
      // Something thrown that says nothing is still a failure.
      { error_type: "unknown", error_message: null, upstream_http_status: null },
    ]);
  });

  it("when a usage extractor reports NaN, negative, infinite, fractional or missing costs and counts, then whole non-negative numbers are stored and the call is unaffected", async () => {
    const recorder = createRecorder({ baseUrl: env.server.url, token: env.server.token, flushIntervalMs: 5 });
    const tenantId = `t-cost-${randomUUID()}`;
    const reported: [string, unknown][] = [
      ["nan", { costMicros: Number.NaN, inputTokens: Number.NaN }],
      ["negative", { costMicros: -250, outputTokens: -3 }],
      ["infinite", { costMicros: Number.POSITIVE_INFINITY, inputTokens: Number.NEGATIVE_INFINITY }],
      ["fraction", { costMicros: 1234.6, inputTokens: 10.4 }],
      ["missing", {}],
      ["bigint", { costMicros: 7n }],
      ["throws", "throw"],
    ];
    for (const [label, usage] of reported) {
      const scope = {
        ...scopeFor(tenantId, "byok"),
        metadata: { case: label },
        usage: () => {
          if (usage === "throw") throw new Error("the price table is broken");
          return usage as object;
        },
      };
      await expect(recorder.track(scope, async () => ({ answer: label }))).resolves.toEqual({ answer: label });
    }
    await recorder.close();

    const rows = await env.db.sql`
      select metadata->>'case' as case, cost_micros, input_tokens, output_tokens from interceptions where tenant_id = ${tenantId} order by 1`;
    expect(rows).toEqual([
      { case: "bigint", cost_micros: "7", input_tokens: "0", output_tokens: "0" },
      { case: "fraction", cost_micros: "1235", input_tokens: "10", output_tokens: "0" },
      { case: "infinite", cost_micros: "0", input_tokens: "0", output_tokens: "0" },
      { case: "missing", cost_micros: "0", input_tokens: "0", output_tokens: "0" },
      { case: "nan", cost_micros: "0", input_tokens: "0", output_tokens: "0" },
      { case: "negative", cost_micros: "0", input_tokens: "0", output_tokens: "0" },
      { case: "throws", cost_micros: "0", input_tokens: "0", output_tokens: "0" },
    ]);
  });
});
