// Sends GenAI spans to bridgelog with the OpenTelemetry JS SDK and its OTLP/HTTP exporter: what a
// gateway instrumented with OpenTelemetry does once its exporter points at bridgelog (docs/otlp.md).
// Needs @opentelemetry/api, sdk-trace-base, resources and exporter-trace-otlp-proto.
// Run: BRIDGELOG_TOKEN=blg_... npx tsx examples/export-genai-spans.ts
import { context, DiagConsoleLogger, DiagLogLevel, diag, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";

// A refused span (partial_success) or a failed export is logged as a warning.
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);

const exporter = new OTLPTraceExporter({
  url: `${process.env.BRIDGELOG_URL ?? "http://127.0.0.1:8080"}/v1/traces`,
  headers: { authorization: `Bearer ${process.env.BRIDGELOG_TOKEN}` }, // a token with the record scope
});
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ "service.name": "support-gateway", "tenant.id": "acme" }),
  spanProcessors: [new BatchSpanProcessor(exporter)],
});
const tracer = provider.getTracer("support-gateway");

// An agent run, as the GenAI semantic conventions describe it: invoke_agent, and chat calls under it.
const agent = tracer.startSpan("invoke_agent support", {
  kind: SpanKind.CLIENT,
  attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.provider.name": "openai", "user.id": "user-42" },
});
const inAgent = trace.setSpan(context.active(), agent);

const chat = tracer.startSpan("chat gpt-4o", { kind: SpanKind.CLIENT }, inAgent);
chat.setAttributes({
  "gen_ai.operation.name": "chat",
  "gen_ai.provider.name": "openai",
  "gen_ai.request.model": "gpt-4o",
  "gen_ai.response.model": "gpt-4o-2024-08-06",
  "gen_ai.usage.input_tokens": 1200,
  "gen_ai.usage.output_tokens": 85,
  "bridgelog.key_source": "byok",
  "user.id": "user-42",
});
chat.end();

// A call that failed: the instrumentation records the exception, the status and error.type.
const retry = tracer.startSpan("chat gpt-4o", { kind: SpanKind.CLIENT }, inAgent);
retry.setAttributes({
  "gen_ai.operation.name": "chat",
  "gen_ai.provider.name": "openai",
  "gen_ai.request.model": "gpt-4o",
  "bridgelog.key_source": "byok",
  "user.id": "user-42",
  "error.type": "RateLimitError",
  "http.response.status_code": 429,
});
retry.recordException(Object.assign(new Error("Rate limit reached for gpt-4o on tokens per min"), { name: "RateLimitError" }));
retry.setStatus({ code: SpanStatusCode.ERROR });
retry.end();
agent.end();

// Flushes the batch: the whole trace goes in one export, answered once its rows are committed.
await provider.shutdown();
console.log(`exported trace ${agent.spanContext().traceId}: 3 GenAI spans`);
