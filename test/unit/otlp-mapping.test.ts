import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { type Span, SpanSchema } from "../../gen/opentelemetry/proto/trace/v1/trace_pb.js";
import { interceptionOfSpan, providerOf } from "../../src/otlp/genai-span.js";
import { interceptionIdOfSpan } from "../../src/otlp/span-id.js";
import { traceThreads } from "../../src/otlp/trace-threads.js";

const hex = (value: string) => Buffer.from(value, "hex");

describe("interception ids of spans", () => {
  it("when a span is given, then its id is the UUIDv5 of trace id and span id in bridgelog's namespace (pinned: changing it would split re-exports)", () => {
    // Computed independently with Python: uuid.UUID(bytes=sha1(namespace.bytes + trace_id + span_id)[:16], version=5).
    expect(interceptionIdOfSpan(hex("0af7651916cd43dd8448eb211c80319c"), hex("b7ad6b7169203331"))).toBe(
      "affc3658-76c6-5401-91a4-2ae420a6505b",
    );
  });
});

describe("provider names", () => {
  it.each([
    ["openai", "openai"],
    ["anthropic", "anthropic"],
    ["gcp.gemini", "gemini"],
    ["gcp.vertex_ai", "vertex_ai"],
    ["aws.bedrock", "bedrock"],
    ["azure.ai.openai", "azure_openai"],
    ["mistral_ai", "mistral"],
    ["x_ai", "xai"],
    ["DeepSeek", "deepseek"],
  ])("when OpenTelemetry names the provider %s, then bridgelog stores %s", (otel, ours) => {
    expect(providerOf(otel)).toBe(ours);
  });
});

const stringAttributes = (attributes: Record<string, string>) =>
  Object.entries(attributes).map(([key, value]) => ({ key, value: { value: { case: "stringValue" as const, value } } }));

function span(spanId: string, parentSpanId: string, attributes: Record<string, string>, exceptionType?: string): Span {
  return create(SpanSchema, {
    traceId: hex("0af7651916cd43dd8448eb211c80319c"),
    spanId: hex(spanId),
    parentSpanId: parentSpanId === "" ? new Uint8Array() : hex(parentSpanId),
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    attributes: stringAttributes(attributes),
    events: exceptionType === undefined ? [] : [{ name: "exception", attributes: stringAttributes({ "exception.type": exceptionType }) }],
  });
}

describe("failures from span attributes", () => {
  const failed = (errorType: string, exceptionType?: string) => {
    const s = span("00000000000000a1", "", { "gen_ai.provider.name": "openai", "error.type": errorType }, exceptionType);
    const mapped = interceptionOfSpan({ span: s, resource: [], tokenTenantId: "acme", thread: {} });
    if (!mapped.ok) throw new Error(mapped.problem);
    return mapped.interception;
  };

  it("when error.type is a canonical type in any case, then it is the error type and nothing is left to classify", () => {
    const interception = failed("Rate_Limited");
    expect(interception.errorType).toBe("rate_limited");
    expect(interception.upstream).toBeUndefined();
  });

  it("when error.type is a class name with a module path, then it is the error name without the path, not a provider code", () => {
    expect(failed("openai.RateLimitError").upstream).toMatchObject({ errorName: "RateLimitError", code: "" });
  });

  it("when error.type is a provider code beside an exception, then it is the code and the exception's type the name", () => {
    expect(failed("insufficient_quota", "openai.RateLimitError").upstream).toMatchObject({ errorName: "RateLimitError", code: "insufficient_quota" });
  });

  it("when error.type is the conventions' _OTHER, then the span is a failure with nothing more said", () => {
    expect(failed("_OTHER").upstream).toMatchObject({ errorName: "", code: "", httpStatus: 0 });
  });
});

describe("threads from a trace", () => {
  const genAi = { "gen_ai.operation.name": "chat" };
  const agent = span("0000000000000001", "", { "gen_ai.operation.name": "invoke_agent" });
  const http = span("0000000000000002", "0000000000000001", { "http.route": "/tools" });
  const chat = span("0000000000000003", "0000000000000002", genAi);
  const nested = span("0000000000000004", "0000000000000003", genAi);
  const orphan = span("0000000000000005", "00000000000000ff", genAi); // its parent was exported elsewhere
  const isGenAi = (s: Span) => s.attributes.some((a) => a.key.startsWith("gen_ai."));
  const places = traceThreads([nested, chat, http, agent, orphan], isGenAi);
  const id = (s: Span) => interceptionIdOfSpan(s.traceId, s.spanId);
  const place = (s: Span) => places.get(`0af7651916cd43dd8448eb211c80319c/${Buffer.from(s.spanId).toString("hex")}`);

  it("when GenAI spans nest through a span that is not GenAI, then the root is the topmost GenAI span and the parent the nearest", () => {
    expect(place(agent)).toEqual({});
    expect(place(chat)).toEqual({ rootId: id(agent), parentId: id(agent) });
    expect(place(nested)).toEqual({ rootId: id(agent), parentId: id(chat) });
    expect(place(http)).toBeUndefined();
  });

  it("when a span's ancestors are not in the export, then it is a root of its own", () => {
    expect(place(orphan)).toEqual({});
  });
});
