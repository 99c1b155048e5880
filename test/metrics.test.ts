import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { freePort } from "./support/free-port.js";
import { interception, recorderClient } from "./support/clients.js";
import { startTestServer, useTestServer } from "./support/server.js";
import { allFinished, notifierConfig, record, rejectedKey, startTestNotifier, unique } from "./notifier/support/notifier.js";

const env = useTestServer();

/** A metric's value from Prometheus text, by name and exact label set. */
function value(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
}

describe("GET /metrics", () => {
  it("when bridges record, fail validation and send unclassified failures, then the recorder's metrics count them", async () => {
    const client = recorderClient("grpc", env.server.url, env.server.token);
    for (let i = 0; i < 5; i++) await client.recordInterception({ interception: interception({ tenantId: "t-metrics" }) });
    const invalid = await client.recordInterception({ interception: interception({ tenantId: "" }) }).catch(ConnectError.from);
    expect((invalid as ConnectError).code).toBe(Code.InvalidArgument);
    await client.recordInterception({
      interception: interception({ tenantId: "t-metrics", upstream: { httpStatus: 429, body: '{"error":{"code":"insufficient_quota","type":"insufficient_quota"}}' } }),
    });

    const response = await fetch(`${env.server.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(value(text, 'bridgelog_rpcs_total{rpc="bridgelog.v1.RecorderService/RecordInterception",code="OK"}')).toBeGreaterThanOrEqual(6);
    expect(value(text, 'bridgelog_rpcs_total{rpc="bridgelog.v1.RecorderService/RecordInterception",code="InvalidArgument"}')).toBe(1);
    expect(value(text, 'bridgelog_records_rejected_total{code="InvalidArgument"}')).toBe(1);
    expect(value(text, 'bridgelog_classifier_results_total{error_type="quota_exhausted"}')).toBe(1);
    expect(value(text, "bridgelog_write_batch_size_count")).toBeGreaterThanOrEqual(6);
    expect(value(text, "bridgelog_write_queue_depth")).toBe(0);
    expect(text).toContain("bridgelog_rpc_duration_seconds_bucket");
    expect(text).toContain("bridgelog_process_resident_memory_bytes");
  });
});

describe("BRIDGELOG_METRICS_LISTEN", () => {
  it("when set, then /metrics is served on that listener and not on the service port", async () => {
    const server = await startTestServer(env.db.url, { metricsListen: { host: "127.0.0.1", port: 0 } });
    try {
      expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const separate = await fetch(`${server.metricsUrl}/metrics`);
      expect(separate.status).toBe(200);
      expect(await separate.text()).toContain("bridgelog_rpcs_total");
      expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe("the notifier's metrics", () => {
  it("when a user's key fails twice, then one outcome is counted as a dedup hit", async () => {
    const port = await freePort();
    const notifier = await startTestNotifier(notifierConfig(env.db.url, { notifyMetricsPort: port }));
    try {
      const tenant = unique("t-notify-metrics");
      await record(env.server, rejectedKey(tenant, "user-1"), rejectedKey(tenant, "user-1"));
      await expect.poll(() => allFinished(env.db.sql, tenant, 2), { timeout: 20_000 }).toBe(true);
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(value(text, "bridgelog_notifier_dedup_hits_total")).toBe(1);
      expect(value(text, 'bridgelog_notifier_outcomes_total{outcome="suppressed"}')).toBe(1);
    } finally {
      await notifier.stop();
    }
  });
});
