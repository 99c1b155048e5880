import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import * as grpc from "@grpc/grpc-js";
import { context, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { OTLPTraceExporter as GrpcTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { OTLPTraceExporter as HttpJsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  ExportTraceServiceRequestSchema,
  TraceService,
} from "../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { Status_StatusCode } from "../gen/opentelemetry/proto/trace/v1/trace_pb.js";
import { interceptionIdOfSpan } from "../src/otlp/span-id.js";
import { transport } from "./support/clients.js";
import { startTestServer, useTestServer } from "./support/server.js";

/**
 * OTLP ingest, end to end: spans made the way GenAI instrumentations make them (OTel semantic
 * conventions for GenAI: `chat <model>` CLIENT spans under an `invoke_agent` span, usage and
 * error attributes, recorded exceptions), sent by the official OpenTelemetry exporters over
 * OTLP/gRPC, OTLP/HTTP protobuf and OTLP/HTTP JSON to a real server, read back from PostgreSQL.
 */
const env = useTestServer();

const newTenant = () => `otlp-${randomBytes(5).toString("hex")}`;

/** Makes spans with the real SDK and hands back what it finished, ready for any exporter. */
function makeSpans(resource: Record<string, string>, build: (tracer: ReturnType<BasicTracerProvider["getTracer"]>) => void): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  build(provider.getTracer("@example/genai-instrumentation", "1.0.0"));
  return memory.getFinishedSpans();
}

const under = (parent: Span) => trace.setSpan(context.active(), parent);

async function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  try {
    return await new Promise((resolve) => exporter.export(spans, resolve));
  } finally {
    await exporter.shutdown();
  }
}

const idOf = (span: ReadableSpan) =>
  interceptionIdOfSpan(Buffer.from(span.spanContext().traceId, "hex"), Buffer.from(span.spanContext().spanId, "hex"));

interface Row {
  tenant_id: string;
  initiator_id: string;
  provider: string;
  model: string;
  feature: string;
  key_source: string;
  client: string;
  thread_root_id: string | null;
  thread_parent_id: string | null;
  started_at: Date;
  ended_at: Date | null;
  input_tokens: string;
  output_tokens: string;
  cache_read_tokens: string;
  cache_write_tokens: string;
  error_type: string | null;
  error_message: string | null;
  provider_code: string | null;
  upstream_http_status: number | null;
  upstream_error_name: string | null;
  upstream_code: string | null;
  metadata: Record<string, string>;
}

async function rowOf(tenant: string, span: ReadableSpan): Promise<Row | undefined> {
  const [row] = await env.db.sql<Row[]>`
    select tenant_id, initiator_id, provider, model, feature, key_source, client, thread_root_id::text, thread_parent_id::text,
      started_at, ended_at, input_tokens::text, output_tokens::text, cache_read_tokens::text, cache_write_tokens::text,
      error_type, error_message, provider_code, upstream_http_status, upstream_error_name, upstream_code, metadata
    from interceptions where tenant_id = ${tenant} and id = ${idOf(span)}::uuid`;
  return row;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function grpcMetadata(token: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set("authorization", `Bearer ${token}`);
  return metadata;
}

/** An agent run: invoke_agent, a framework span that is not GenAI, and two chat calls under it. */
function agentRun(tenant: string) {
  const spans = makeSpans({ "service.name": "support-gateway", "tenant.id": tenant, "user.id": "user-7" }, (tracer) => {
    const agent = tracer.startSpan("invoke_agent support", {
      kind: SpanKind.CLIENT,
      attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o" },
    });
    const step = tracer.startSpan("agent step 1", {}, under(agent)); // e.g. a framework's own span
    const chat = tracer.startSpan(
      "chat gpt-4o",
      {
        kind: SpanKind.CLIENT,
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "gpt-4o",
          "gen_ai.response.model": "gpt-4o-2024-08-06",
          "gen_ai.usage.input_tokens": 1200,
          "gen_ai.usage.output_tokens": 85,
          "gen_ai.usage.cache_read.input_tokens": 1024,
          "bridgelog.feature": "support-chat",
          "bridgelog.key_source": "byok",
          "server.address": "api.openai.com",
        },
      },
      under(step),
    );
    chat.end();
    const second = tracer.startSpan(
      "chat gpt-4o-mini",
      { kind: SpanKind.CLIENT, attributes: { "gen_ai.operation.name": "chat", "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o-mini" } },
      under(chat),
    );
    second.end();
    step.end();
    agent.end();
  });
  const byName = (name: string) => spans.find((s) => s.name === name)!;
  return { spans, agent: byName("invoke_agent support"), step: byName("agent step 1"), chat: byName("chat gpt-4o"), second: byName("chat gpt-4o-mini") };
}

describe("OTLP/gRPC TraceService/Export with the official gRPC exporter", () => {
  it("when an agent run is exported, then each GenAI span is an interception, mapped, in one thread, answered after commit", async () => {
    const tenant = newTenant();
    const run = agentRun(tenant);
    const exporter = new GrpcTraceExporter({ url: env.server.url, metadata: grpcMetadata(env.server.token) });
    const result = await exportWith(exporter, run.spans);
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(ExportResultCode.SUCCESS);

    // Answered after commit: the rows are there as soon as the export resolves.
    const agent = await rowOf(tenant, run.agent);
    const chat = await rowOf(tenant, run.chat);
    const second = await rowOf(tenant, run.second);
    expect(await rowOf(tenant, run.step)).toBeUndefined(); // not a GenAI span: ignored
    expect(agent).toMatchObject({ provider: "openai", model: "gpt-4o", feature: "invoke_agent", thread_root_id: null, thread_parent_id: null });
    expect(chat).toMatchObject({
      tenant_id: tenant,
      initiator_id: "user-7",
      provider: "openai",
      model: "gpt-4o-2024-08-06",
      feature: "support-chat",
      key_source: "byok",
      client: "support-gateway",
      input_tokens: "1200",
      output_tokens: "85",
      cache_read_tokens: "1024",
      cache_write_tokens: "0",
      error_type: null,
      // Through the framework's span to the nearest GenAI ancestor.
      thread_root_id: idOf(run.agent),
      thread_parent_id: idOf(run.agent),
    });
    expect(chat!.metadata).toMatchObject({ "otel.trace_id": run.chat.spanContext().traceId, "otel.span_id": run.chat.spanContext().spanId });
    expect(second).toMatchObject({ provider: "openai", model: "gpt-4o-mini", feature: "chat", thread_root_id: idOf(run.agent), thread_parent_id: idOf(run.chat) });
    const [startS, startNs] = run.chat.startTime;
    expect(chat!.started_at.getTime()).toBe(startS * 1000 + Math.floor(startNs / 1e6));
    expect(chat!.ended_at!.getTime()).toBe(run.chat.endTime[0] * 1000 + Math.floor(run.chat.endTime[1] / 1e6));
  });

  it("when the token is missing or only reads, then the export is refused as Unauthenticated or PermissionDenied", async () => {
    const tenant = newTenant();
    const { spans } = agentRun(tenant);
    const anonymous = await exportWith(new GrpcTraceExporter({ url: env.server.url }), spans);
    expect(anonymous.code).toBe(ExportResultCode.FAILED);
    expect(String(anonymous.error)).toMatch(/UNAUTHENTICATED|missing credentials/i);
    const reader = await env.server.tokens.create({ tenantId: tenant, scopes: ["read"], label: "otlp reader" });
    const denied = await exportWith(new GrpcTraceExporter({ url: env.server.url, metadata: grpcMetadata(reader.token) }), spans);
    expect(denied.code).toBe(ExportResultCode.FAILED);
    expect(String(denied.error)).toMatch(/record/);
    expect(await rowOf(tenant, spans[0]!)).toBeUndefined();
  });
});

/** A failed chat call as the OpenAI instrumentation records it: exception event, ERROR status, error.type. */
function failedCall(tenant: string, attributes: Record<string, string | number>, errorName = "RateLimitError", message?: string) {
  return makeSpans({ "service.name": "gateway", "tenant.id": tenant }, (tracer) => {
    const span = tracer.startSpan("chat gemini-2.0-flash", { kind: SpanKind.CLIENT, attributes });
    const error = Object.assign(new Error(message ?? "429 You exceeded your current quota, please check your plan and billing details."), { name: errorName });
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: message ?? "" });
    span.end();
  });
}

describe("OTLP/HTTP POST /v1/traces with the official protobuf exporter (gzip)", () => {
  it("when a call failed with an SDK error class, then the server classifies it with the status and the exception's message", async () => {
    const tenant = newTenant();
    const spans = failedCall(tenant, {
      "gen_ai.operation.name": "chat",
      "gen_ai.system": "gcp.gemini",
      "gen_ai.request.model": "gemini-2.0-flash",
      "gen_ai.usage.prompt_tokens": 12, // the deprecated name
      "error.type": "RateLimitError",
      "http.response.status_code": 429,
      "enduser.id": "end-user-3",
    });
    const exporter = new ProtoTraceExporter({
      url: `${env.server.url}/v1/traces`,
      headers: bearer(env.server.token),
      compression: CompressionAlgorithm.GZIP,
    });
    const result = await exportWith(exporter, spans);
    expect(result.error).toBeUndefined();
    expect(await rowOf(tenant, spans[0]!)).toMatchObject({
      provider: "gemini",
      initiator_id: "end-user-3",
      feature: "chat",
      input_tokens: "12",
      error_type: "quota_exhausted",
      error_message: "429 You exceeded your current quota, please check your plan and billing details.",
      upstream_http_status: 429,
      upstream_error_name: "RateLimitError",
      upstream_code: null,
    });
  });
});

describe("OTLP/HTTP POST /v1/traces with the official JSON exporter", () => {
  it("when error.type is a canonical type, then it is stored as such; a re-export merges into the same interception", async () => {
    const tenant = newTenant();
    const spans = failedCall(
      tenant,
      { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "aws.bedrock", "gen_ai.request.model": "claude", "error.type": "timeout" },
      "TimeoutError",
      "the call took longer than 30 s",
    );
    for (let i = 0; i < 2; i++) {
      const result = await exportWith(new HttpJsonTraceExporter({ url: `${env.server.url}/v1/traces`, headers: bearer(env.server.token) }), spans);
      expect(result.error).toBeUndefined();
    }
    expect(await rowOf(tenant, spans[0]!)).toMatchObject({ provider: "bedrock", error_type: "timeout", error_message: "the call took longer than 30 s" });
    const [{ count }] = await env.db.sql<[{ count: string }]>`select count(*)::text from interceptions where tenant_id = ${tenant}`;
    expect(count).toBe("1");
  });
});

/** An ExportTraceServiceRequest built by hand, for what the exporters do not let a test see. */
function request(tenant: string, spans: { attributes: Record<string, string | bigint>; status?: Status_StatusCode }[]) {
  const now = BigInt(Date.now()) * 1_000_000n;
  const traceId = randomBytes(16);
  return create(ExportTraceServiceRequestSchema, {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "tenant.id", value: { value: { case: "stringValue", value: tenant } } }] },
        scopeSpans: [
          {
            spans: spans.map((s, i) => ({
              traceId,
              spanId: randomBytes(8),
              name: `span ${i}`,
              startTimeUnixNano: now,
              endTimeUnixNano: now + 1_000_000n,
              status: { code: s.status ?? Status_StatusCode.UNSET },
              attributes: Object.entries(s.attributes).map(([key, v]) => ({
                key,
                value: { value: typeof v === "bigint" ? { case: "intValue" as const, value: v } : { case: "stringValue" as const, value: v } },
              })),
            })),
          },
        ],
      },
    ],
  });
}

describe("partial success and refusals", () => {
  it("when some GenAI spans break the rules, then they are counted in partial_success with the attribute named, and the rest stored", async () => {
    const tenant = newTenant();
    const client = createClient(TraceService, transport("grpc", env.server.url, env.server.token));
    const sent = request(tenant, [
      { attributes: { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "anthropic", "gen_ai.request.model": "claude" } },
      { attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "no-provider" } },
      { attributes: { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.usage.input_tokens": -5n } },
      { attributes: { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "bridgelog.key_source": "mine" } },
      { attributes: { "http.route": "/health" } }, // not GenAI: neither stored nor refused
    ]);
    const response = await client.export(sent);
    expect(response.partialSuccess?.rejectedSpans).toBe(3n);
    expect(response.partialSuccess?.errorMessage).toMatch(/^3 of 4 GenAI spans refused: /);
    expect(response.partialSuccess?.errorMessage).toContain("gen_ai.provider.name: required");
    expect(response.partialSuccess?.errorMessage).toContain("gen_ai.usage.input_tokens: must not be negative");
    expect(response.partialSuccess?.errorMessage).toContain('bridgelog.key_source: must be "platform" or "byok"');
    const [{ count }] = await env.db.sql<[{ count: string }]>`select count(*)::text from interceptions where tenant_id = ${tenant}`;
    expect(count).toBe("1");
  });

  it("when a tenant's token sends spans naming another tenant, then they are refused; an all-tenants token must name one", async () => {
    const tenant = newTenant();
    const own = await env.server.tokens.create({ tenantId: tenant, scopes: ["record"], label: "otlp tenant" });
    const span = { attributes: { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai" } };
    const asTenant = createClient(TraceService, transport("grpc", env.server.url, own.token));
    const elsewhere = await asTenant.export(request("someone-else", [span]));
    expect(elsewhere.partialSuccess?.errorMessage).toContain('tenant.id: this token may not act for tenant "someone-else"');
    const mine = await asTenant.export(request(tenant, [span]));
    expect(mine.partialSuccess).toBeUndefined();

    const unnamed = request(tenant, [span]);
    unnamed.resourceSpans[0]!.resource = undefined;
    const all = await createClient(TraceService, transport("grpc", env.server.url, env.server.token)).export(unnamed);
    expect(all.partialSuccess?.errorMessage).toContain("tenant.id: required");
  });

  it("when OTLP/JSON is posted by hand with gzip, then hex ids are read; a bad id, a wrong type or no token get 400, 415, 401", async () => {
    const tenant = newTenant();
    const traceId = randomBytes(16).toString("hex");
    const spanId = randomBytes(8).toString("hex");
    const now = String(BigInt(Date.now()) * 1_000_000n);
    const body = (id: string) => ({
      resourceSpans: [
        {
          resource: { attributes: [{ key: "tenant.id", value: { stringValue: tenant } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: id,
                  name: "chat",
                  startTimeUnixNano: now,
                  endTimeUnixNano: now,
                  attributes: [
                    { key: "gen_ai.operation.name", value: { stringValue: "chat" } },
                    { key: "gen_ai.provider.name", value: { stringValue: "Mistral_AI" } },
                    { key: "gen_ai.usage.output_tokens", value: { intValue: "7" } },
                  ],
                  futureField: true,
                },
              ],
            },
          ],
        },
      ],
    });
    const post = (payload: unknown, headers: Record<string, string>) =>
      fetch(`${env.server.url}/v1/traces`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-encoding": "gzip", ...headers },
        body: gzipSync(JSON.stringify(payload)),
      });
    const ok = await post(body(spanId), bearer(env.server.token));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/json");
    expect(await ok.json()).toEqual({});
    const [row] = await env.db.sql<{ provider: string; output_tokens: string }[]>`
      select provider, output_tokens::text from interceptions
      where tenant_id = ${tenant} and id = ${interceptionIdOfSpan(Buffer.from(traceId, "hex"), Buffer.from(spanId, "hex"))}::uuid`;
    expect(row).toEqual({ provider: "mistral", output_tokens: "7" });

    const badId = await post(body("not-hex"), bearer(env.server.token));
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as { message: string }).message).toContain("resourceSpans[0].scopeSpans[0].spans[0].spanId: must be a hex string");
    const wrongType = await fetch(`${env.server.url}/v1/traces`, { method: "POST", headers: { "content-type": "text/plain", ...bearer(env.server.token) }, body: "x" });
    expect(wrongType.status).toBe(415);
    expect(await wrongType.text()).toContain("application/x-protobuf or application/json");
    const anonymous = await post(body(spanId), {});
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { message: string }).message).toContain("missing credentials");
  });
});

describe("a full write queue", () => {
  it("when the writer cannot take the spans, then OTLP/gRPC answers UNAVAILABLE and OTLP/HTTP 503 with Retry-After", async () => {
    // One record may wait; the batch waits long enough that the second span of an export finds the queue full.
    const server = await startTestServer(env.db.url, { queueMax: 1, batchMaxWaitMs: 300 });
    try {
      const tenant = newTenant();
      const span = { attributes: { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai" } };
      const client = createClient(TraceService, transport("grpc", server.url, server.token));
      await expect(client.export(request(tenant, [span, span]))).rejects.toMatchObject({ code: 14 /* Unavailable */ });

      const { toBinary } = await import("@bufbuild/protobuf");
      const response = await fetch(`${server.url}/v1/traces`, {
        method: "POST",
        headers: { "content-type": "application/x-protobuf", ...bearer(server.token) },
        body: toBinary(ExportTraceServiceRequestSchema, request(tenant, [span, span])),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("1");
      expect(response.headers.get("content-type")).toBe("application/x-protobuf");
    } finally {
      await server.stop();
    }
  });
});
