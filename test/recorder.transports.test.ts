import { describe, expect, it } from "vitest";
import { ErrorType, Outcome } from "../gen/bridgelog/v1/interception_pb.js";
import {
  RecordInterceptionRequestSchema,
  RecordInterceptionResponseSchema,
  RecorderService,
} from "../gen/bridgelog/v1/recorder_service_pb.js";
import { Health, HealthCheckRequestSchema, HealthCheckResponseSchema, HealthCheckResponse_ServingStatus } from "../gen/grpc/health/v1/health_pb.js";
import { grpcJsClient, interception, recorderClient, type TransportName } from "./support/clients.js";
import { useTestServer } from "./support/server.js";

const env = useTestServer();

describe("one port serves every client", () => {
  it.each<TransportName>(["grpc", "grpc-web", "connect-json"])(
    "when a bridge records over %s, then the row is in PostgreSQL with the normalised type",
    async (name) => {
      const sent = interception({ tenantId: `t-${name}`, errorType: "Overloaded", errorMessage: "busy" });
      const response = await recorderClient(name, env.server.url, env.server.token).recordInterception({ interception: sent });
      expect(response.recorded).toMatchObject({ id: sent.id, created: true, outcome: Outcome.FAILED, errorType: ErrorType.OVERLOADED });
      const rows = await env.db.sql`select tenant_id, error_type, error_message from interceptions where id = ${sent.id}`;
      expect(rows).toEqual([{ tenant_id: `t-${name}`, error_type: "overloaded", error_message: "busy" }]);
    },
  );

  it("when a bridge uses a @grpc/grpc-js client built from the descriptor, then the record is stored", async () => {
    const client = grpcJsClient(RecorderService, env.server.url, env.server.token);
    try {
      const sent = interception({ tenantId: "t-grpc-js" });
      const response = await client.unary("recordInterception", RecordInterceptionRequestSchema, RecordInterceptionResponseSchema, {
        interception: sent,
      });
      expect(response.recorded?.outcome).toBe(Outcome.SUCCEEDED);
      const [row] = await env.db.sql`select error_type, ended_at from interceptions where id = ${sent.id}`;
      expect(row).toEqual({ error_type: null, ended_at: new Date("2026-11-22T10:00:01.5Z") });
    } finally {
      client.close();
    }
  });

  it("when a bridge streams records with grpc-js, then every one is stored and answered in order", async () => {
    const client = grpcJsClient(RecorderService, env.server.url, env.server.token);
    try {
      const sent = Array.from({ length: 25 }, (_, i) => interception({ tenantId: "t-grpc-js-stream", model: `m-${i}` }));
      const results = await new Promise<unknown>((resolve, reject) => {
        const stream = (client.raw as unknown as Record<string, Function>).recordInterceptions!.call(
          client.raw,
          client.metadata,
          (error: Error | null, response: unknown) => (error ? reject(error) : resolve(response)),
        );
        for (const record of sent) stream.write({ $typeName: "bridgelog.v1.RecordInterceptionsRequest", interception: record });
        stream.end();
      });
      const ids = (results as { results: { result: { value: { id: string } } }[] }).results.map((r) => r.result.value.id);
      expect(ids).toEqual(sent.map((s) => s.id));
      const [row] = await env.db.sql`select count(*)::int as count from interceptions where tenant_id = ${"t-grpc-js-stream"}`;
      expect(row?.count).toBe(25);
    } finally {
      client.close();
    }
  });

  it("when a load balancer probes health over gRPC and HTTP, then both say serving", async () => {
    const client = grpcJsClient(Health, env.server.url); // no token: the health check stays open
    try {
      const response = await client.unary("check", HealthCheckRequestSchema, HealthCheckResponseSchema, {});
      expect(response.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    } finally {
      client.close();
    }
    const http = await fetch(`${env.server.url}/healthz`);
    expect(http.status).toBe(200);
    expect(await http.json()).toEqual({ status: "SERVING" });
  });

  it("when curl posts Connect JSON over HTTP/1.1, then it gets JSON back", async () => {
    const sent = interception({ tenantId: "t-curl" });
    const response = await fetch(`${env.server.url}/bridgelog.v1.RecorderService/RecordInterception`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${env.server.token}` },
      body: JSON.stringify({
        interception: { id: sent.id, tenantId: "t-curl", provider: "anthropic", startedAt: "2026-11-22T10:00:00Z", errorMessage: "Overloaded" },
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      recorded: { id: sent.id, created: true, outcome: "OUTCOME_FAILED", errorType: "ERROR_TYPE_OVERLOADED", errorMessageBytes: 10 },
    });
  });

  it("when a path is not an RPC, then it is a plain 404", async () => {
    expect((await fetch(`${env.server.url}/nope`)).status).toBe(404);
  });
});
