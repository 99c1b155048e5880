import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createRecorder } from "@bridgelog/client";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { type FakeProvider, startFakeProvider } from "./support/fake-provider.js";
import { callProvider, expectSameOutcome, MODELS, type PlannedCall, planCalls, type ProviderClients, providerClients, settle } from "./support/provider-calls.js";

let db: TestDatabase;
let fake: FakeProvider;
let clients: ProviderClients;
const servers: TestServer[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startFakeProvider();
  clients = providerClients(fake.url);
});
afterAll(async () => {
  for (const server of servers) await server.stop().catch(() => {});
  await fake?.close();
  await db?.drop();
});

describe("when bridgelog restarts while a bridge is making calls", () => {
  it("then every call returns or throws as it would untracked, and the records buffered during the outage arrive after the restart", async () => {
    const first = await startTestServer(db.url);
    servers.push(first);
    const tenantId = `t-restart-${randomUUID()}`;
    const recorder = createRecorder({
      baseUrl: first.url,
      token: first.token,
      maxBatchSize: 10,
      flushIntervalMs: 5,
      retry: { initialDelayMs: 20, maxDelayMs: 200 },
    });

    /** Makes each call twice, tracked and untracked, and compares how they ended. */
    const run = async (calls: PlannedCall[]) => {
      for (const { call, provider, scenario } of calls) {
        let thrownInside: unknown;
        const tracked = await settle(
          recorder.track(
            { tenantId, initiatorId: "user-1", feature: "chat", provider, model: MODELS[provider], keySource: "byok", metadata: { call: String(call) } },
            async () => {
              try {
                return await callProvider(clients, provider, scenario, call);
              } catch (error) {
                thrownInside = error;
                throw error;
              }
            },
          ),
        );
        const untracked = await settle(callProvider(clients, provider, scenario, call));
        expectSameOutcome(tracked, untracked);
        if (!tracked.ok) expect(tracked.error).toBe(thrownInside);
      }
    };

    await run(planCalls(30, 0));
    const stopping = first.stop(); // bridgelog goes away while calls continue
    await run(planCalls(30, 30));
    await stopping;
    await run(planCalls(30, 60));
    // Delivery has failed and been retried at least once while bridgelog was away.
    await vi.waitFor(() => expect(recorder.counters().retried).toBeGreaterThan(0), { timeout: 10_000 });
    expect(recorder.counters().pending).toBeGreaterThan(0);

    const second = await startTestServer(db.url, { port: first.port });
    servers.push(second);
    await run(planCalls(30, 90));
    await recorder.close({ timeoutMs: 20_000 });

    expect(recorder.counters()).toMatchObject({ sent: 120, dropped: 0, rejected: 0, pending: 0 });
    const rows = await db.sql<{ call: string; error_type: string | null }[]>`
      select metadata->>'call' as call, error_type from interceptions where tenant_id = ${tenantId}`;
    expect(rows.map((r) => Number(r.call)).sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    const failed = rows.filter((r) => r.error_type !== null).map((r) => Number(r.call));
    expect(failed.sort((a, b) => a - b)).toEqual(planCalls(120).filter((c) => c.scenario !== "ok").map((c) => c.call));
  });

  it("when bridgelog is away longer than the buffer lasts, then the oldest records are dropped and the newest arrive after the restart", async () => {
    const previous = await startTestServer(db.url);
    await previous.stop(); // its token stays valid in the database; its port is now free
    const recorder = createRecorder({
      baseUrl: previous.url,
      token: previous.token,
      maxBufferedRecords: 10,
      maxBatchSize: 5,
      flushIntervalMs: 1,
      retry: { initialDelayMs: 5, maxDelayMs: 20 },
    });
    const tenantId = `t-overflow-${randomUUID()}`;
    const scope = { tenantId, initiatorId: "user-1", feature: "chat", provider: "openai", model: "gpt-4o", keySource: "platform" as const };
    for (let call = 0; call < 30; call++) {
      await recorder.track({ ...scope, metadata: { call: String(call) } }, async () => call);
      await new Promise((resolve) => setImmediate(resolve)); // lets the sender try, and fail, between calls
    }
    await vi.waitFor(() => expect(recorder.counters().retried).toBeGreaterThan(0), { timeout: 10_000 });

    const restarted = await startTestServer(db.url, { port: previous.port });
    servers.push(restarted);
    await recorder.close({ timeoutMs: 20_000 });

    const rows = await db.sql<{ call: string }[]>`select metadata->>'call' as call from interceptions where tenant_id = ${tenantId}`;
    const stored = rows.map((r) => Number(r.call)).sort((a, b) => a - b);
    expect(stored.length).toBeGreaterThanOrEqual(10);
    expect(stored).toEqual(Array.from({ length: stored.length }, (_, i) => 30 - stored.length + i));
    expect(recorder.counters()).toMatchObject({ sent: stored.length, dropped: 30 - stored.length, rejected: 0, pending: 0 });
  });
});
