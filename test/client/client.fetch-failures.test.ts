import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecorder, type CallScope } from "@bridgelog/client";
import { useTestServer } from "../support/server.js";
import { type FakeProvider, startFakeProvider } from "./support/fake-provider.js";
import { callProvider, providerClients } from "./support/provider-calls.js";
import { freePort } from "../support/free-port.js";

const env = useTestServer();
let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake?.close());

const post = (url: string, scenario: string, signal?: AbortSignal) =>
  fetch(url, { method: "POST", headers: { "x-scenario": scenario, "content-type": "application/json" }, body: "{}", signal });

describe("failures without an HTTP response", () => {
  it("when plain fetch or an SDK fails to connect, loses the connection, times out or is aborted, then the stored type says which", async () => {
    const recorder = createRecorder({ baseUrl: env.server.url, token: env.server.token, flushIntervalMs: 5 });
    const tenantId = `t-transport-${randomUUID()}`;
    const clients = providerClients(fake.url, 200);
    const closedPort = await freePort();
    const cases: [string, (signal: AbortSignal) => Promise<unknown>][] = [
      ["fetch refused", () => post(`http://127.0.0.1:${closedPort}/v1/chat/completions`, "ok")],
      ["fetch dropped", () => post(`${fake.url}/v1/chat/completions`, "drop")],
      ["fetch timeout", () => post(`${fake.url}/v1/chat/completions`, "hang", AbortSignal.timeout(100))],
      ["fetch aborted", (signal) => post(`${fake.url}/v1/chat/completions`, "hang", signal)],
      ["openai timeout", () => callProvider(clients, "openai", "hang", 1)],
      ["anthropic aborted", (signal) => callProvider(clients, "anthropic", "hang", 2, signal)],
    ];
    for (const [name, call] of cases) {
      const scope: CallScope = { tenantId, initiatorId: "u", feature: name, provider: "openai", model: "gpt-4o", keySource: "byok" };
      const controller = new AbortController();
      const tracked = recorder.track(scope, () => call(controller.signal));
      if (name.endsWith("aborted")) setImmediate(() => controller.abort());
      await expect(tracked).rejects.toBeDefined();
    }
    await recorder.close();

    const rows = await env.db.sql`
      select feature, error_type, upstream_http_status, upstream_error_name, upstream_code
      from interceptions where tenant_id = ${tenantId} order by feature`;
    expect(rows).toEqual([
      { feature: "anthropic aborted", error_type: "canceled", upstream_http_status: null, upstream_error_name: "APIUserAbortError", upstream_code: null },
      { feature: "fetch aborted", error_type: "canceled", upstream_http_status: null, upstream_error_name: "AbortError", upstream_code: null },
      { feature: "fetch dropped", error_type: "network_error", upstream_http_status: null, upstream_error_name: "TypeError", upstream_code: "UND_ERR_SOCKET" },
      { feature: "fetch refused", error_type: "network_error", upstream_http_status: null, upstream_error_name: "TypeError", upstream_code: "ECONNREFUSED" },
      { feature: "fetch timeout", error_type: "timeout", upstream_http_status: null, upstream_error_name: "TimeoutError", upstream_code: null },
      { feature: "openai timeout", error_type: "timeout", upstream_http_status: null, upstream_error_name: "APIConnectionTimeoutError", upstream_code: null },
    ]);
  });
});
