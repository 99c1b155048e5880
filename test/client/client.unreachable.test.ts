import { describe, expect, it } from "vitest";
import { createRecorder, type RecorderLogEntry } from "@bridgelog/client";
import { callProvider, expectSameOutcome, MODELS, planCalls, settle, useFakeProvider } from "./support/provider-calls.js";
import { freePort } from "../support/free-port.js";

const upstream = useFakeProvider();

describe("when bridgelog is unreachable for good", () => {
  it("then calls are unaffected, the buffer stays bounded, the drop counter says how many records were lost, and close() gives up", async () => {
    const capacity = 10;
    const batch = 5;
    const logged: RecorderLogEntry[] = [];
    const recorder = createRecorder({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      token: "bl_nobody_listens",
      maxBufferedRecords: capacity,
      maxBatchSize: batch,
      flushIntervalMs: 1,
      retry: { initialDelayMs: 5, maxDelayMs: 50 },
      closeTimeoutMs: 300,
      log: (entry) => logged.push(entry),
    });

    const calls = planCalls(40);
    for (const { call, provider, scenario } of calls) {
      const scope = { tenantId: "t-unreachable", initiatorId: "user-1", feature: "chat", provider, model: MODELS[provider], keySource: "platform" as const };
      const tracked = await settle(recorder.track(scope, () => callProvider(upstream.clients, provider, scenario, call)));
      expectSameOutcome(tracked, await settle(callProvider(upstream.clients, provider, scenario, call)));
    }

    // At most a buffer and a batch in flight are held; everything older was dropped.
    const during = recorder.counters();
    expect(during.sent).toBe(0);
    expect(during.pending).toBeLessThanOrEqual(capacity + batch);
    expect(during.dropped).toBe(calls.length - during.pending);

    await recorder.close();
    expect(recorder.counters()).toMatchObject({ sent: 0, rejected: 0, pending: 0, dropped: calls.length });
    expect(logged.some((e) => e.level === "warn" && e.message.includes("dropping the oldest records"))).toBe(true);
    expect(logged.filter((e) => e.level === "error")).toEqual([]);
  });
});
