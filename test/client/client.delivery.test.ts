import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createRecorder, type CallScope, type RecorderLogEntry } from "@bridgelog/client";
import { startTestServer, useTestServer } from "../support/server.js";
import { scopeFor } from "./support/scope.js";

const env = useTestServer();

describe("delivery to bridgelog", () => {
  it("when more calls are tracked than fit in a batch, then they go in several batches and all are stored", async () => {
    const recorder = createRecorder({ baseUrl: env.server.url, token: env.server.token, maxBatchSize: 7, flushIntervalMs: 5 });
    const tenantId = `t-batches-${randomUUID()}`;
    await Promise.all(Array.from({ length: 50 }, (_, i) => recorder.track(scopeFor(tenantId), async () => i)));
    await recorder.close();
    expect(recorder.counters()).toEqual({ sent: 50, dropped: 0, rejected: 0, retried: 0, pending: 0 });
    const [row] = await env.db.sql`select count(*)::int as count from interceptions where tenant_id = ${tenantId}`;
    expect(row?.count).toBe(50);
  });

  it("when the server refuses records as invalid or not permitted, then they are counted and logged once each, not retried, and the others are stored", async () => {
    const tenantId = `t-refused-${randomUUID()}`;
    const { token } = await env.server.tokens.create({ tenantId, scopes: ["record"], label: "bound to one tenant" });
    const logged: RecorderLogEntry[] = [];
    const recorder = createRecorder({ baseUrl: env.server.url, token, flushIntervalMs: 5, retry: { initialDelayMs: 5, maxDelayMs: 20 }, log: (e) => logged.push(e) });
    await recorder.track(scopeFor(tenantId), async () => "fine");
    await recorder.track({ ...scopeFor(tenantId), threadRootId: "not-a-uuid" }, async () => "a bug in the bridge");
    await recorder.track(scopeFor(`${tenantId}-other`), async () => "another tenant");
    await recorder.close();

    expect(recorder.counters()).toEqual({ sent: 1, dropped: 0, rejected: 2, retried: 0, pending: 0 });
    expect(logged.map((e) => [e.level, e.code])).toEqual([
      ["error", "invalid_argument"],
      ["error", "permission_denied"],
    ]);
    expect(logged[0]?.message).toContain("interception.thread_root_id: must be a UUID");
    const rows = await env.db.sql`select tenant_id from interceptions where tenant_id like ${`${tenantId}%`}`;
    expect(rows).toEqual([{ tenant_id: tenantId }]);
  });

  it("when the token is not accepted, then the whole batch is refused for good, counted and logged, not retried", async () => {
    const logged: RecorderLogEntry[] = [];
    const recorder = createRecorder({ baseUrl: env.server.url, token: "bl_not_a_token", flushIntervalMs: 5, log: (e) => logged.push(e) });
    await recorder.track(scopeFor("t-bad-token"), async () => 1);
    await recorder.track(scopeFor("t-bad-token"), async () => 2);
    await recorder.close();
    expect(recorder.counters()).toMatchObject({ sent: 0, rejected: 2, retried: 0, pending: 0 });
    expect(logged.map((e) => e.code)).toEqual(["unauthenticated", "unauthenticated"]);
  });

  it("when the server is saturated and answers some records with unavailable, then those are sent again until all are stored", async () => {
    // One record may wait for a batch, and a batch waits 200 ms for company: every record of a
    // stream after the first is refused with unavailable.
    const saturated = await startTestServer(env.db.url, { queueMax: 1, batchMaxWaitMs: 200 });
    try {
      const recorder = createRecorder({ baseUrl: saturated.url, token: saturated.token, flushIntervalMs: 5, retry: { initialDelayMs: 5, maxDelayMs: 20 } });
      const tenantId = `t-saturated-${randomUUID()}`;
      await Promise.all(Array.from({ length: 6 }, (_, i) => recorder.track(scopeFor(tenantId), async () => i)));
      await recorder.close({ timeoutMs: 20_000 });
      expect(recorder.counters()).toMatchObject({ sent: 6, dropped: 0, rejected: 0, pending: 0 });
      expect(recorder.counters().retried).toBeGreaterThan(0);
      const [row] = await env.db.sql`select count(*)::int as count from interceptions where tenant_id = ${tenantId}`;
      expect(row?.count).toBe(6);
    } finally {
      await saturated.stop();
    }
  });

  it("when options are invalid, then createRecorder throws naming each one", () => {
    expect(() => createRecorder({ baseUrl: "127.0.0.1:8080", token: "", maxBatchSize: 20_000 })).toThrow(
      /baseUrl must be an http:\/\/ or https:\/\/ URL.*; token must be a bridgelog API token; maxBatchSize must be a whole number from 1 to 10000/,
    );
  });
});
