import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { type Interception, InterceptionSchema, KeySource } from "../../gen/bridgelog/v1/interception_pb.js";
import type { KeyValue } from "../../gen/opentelemetry/proto/common/v1/common_pb.js";
import { type Span, Status_StatusCode } from "../../gen/opentelemetry/proto/trace/v1/trace_pb.js";
import { isErrorType } from "../interception/error-type.js";
import { type SpanAttributes, spanAttributes, textOf, toMap, wholeNumberOf } from "./span-attributes.js";
import { hexOf, interceptionIdOfSpan } from "./span-id.js";

/**
 * How OpenTelemetry GenAI spans become interceptions. The mapping is documented as a table in
 * docs/otlp.md; each rule here says which row it implements. Everything it produces then goes
 * through normalizeInterception, exactly as a RecordInterception call would.
 */

/** A span is a GenAI call when it carries any of these (semantic conventions, old and new). */
const GENAI_MARKERS = ["gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.system"] as const;

export function isGenAiSpan(span: Span): boolean {
  return span.attributes.some((a) => (GENAI_MARKERS as readonly string[]).includes(a.key));
}

/**
 * OpenTelemetry's provider names (`gen_ai.provider.name`, formerly `gen_ai.system`) that bridgelog
 * spells otherwise; any other name is kept, lower-cased.
 */
export const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  "gcp.gemini": "gemini",
  "gcp.gen_ai": "gemini",
  "gcp.vertex_ai": "vertex_ai",
  "aws.bedrock": "bedrock",
  "azure.ai.openai": "azure_openai",
  "az.ai.openai": "azure_openai",
  mistral_ai: "mistral",
  x_ai: "xai",
};

export function providerOf(name: string): string {
  const lower = name.trim().toLowerCase();
  return PROVIDER_NAMES[lower] ?? lower;
}

/** Where a span sits in its thread (see traceThreads). */
export interface ThreadPlace {
  rootId?: string;
  parentId?: string;
}

export interface SpanToMap {
  span: Span;
  resource: readonly KeyValue[];
  /** The token's tenant; null for an all-tenants token, which must name one in `tenant.id`. */
  tokenTenantId: string | null;
  thread: ThreadPlace;
}

export type SpanMapping = { ok: true; interception: Interception } | { ok: false; problem: string };

/**
 * Which OTLP field or attribute an Interception field came from, so a refused span's message names
 * what the instrumentation sent, not bridgelog's proto.
 */
export const SOURCE_OF_FIELD: Readonly<Record<string, string>> = {
  "interception.tenant_id": "tenant.id",
  "interception.provider": "gen_ai.provider.name",
  "interception.model": "gen_ai.response.model",
  "interception.feature": "bridgelog.feature",
  "interception.initiator_id": "user.id",
  "interception.client": "resource service.name",
  "interception.started_at": "start_time_unix_nano",
  "interception.ended_at": "end_time_unix_nano",
  "interception.usage.input_tokens": "gen_ai.usage.input_tokens",
  "interception.usage.output_tokens": "gen_ai.usage.output_tokens",
  "interception.usage.cache_read_tokens": "gen_ai.usage.cache_read.input_tokens",
  "interception.usage.cache_write_tokens": "gen_ai.usage.cache_creation.input_tokens",
  "interception.upstream.http_status": "http.response.status_code",
  "interception.upstream.error_name": "exception.type",
  "interception.upstream.code": "error.type",
  "interception.metadata": "span name",
};

/** The Interception a GenAI span describes, before normalisation; or why it cannot be one. */
export function interceptionOfSpan(input: SpanToMap): SpanMapping {
  const { span, resource, tokenTenantId, thread } = input;
  const attributes = spanAttributes(span.attributes, resource);
  const text = (key: string) => nonEmpty(textOf(attributes.span(key)));
  const problems: string[] = [];

  if (span.traceId.length !== 16) problems.push("trace_id: must be 16 bytes");
  if (span.spanId.length !== 8) problems.push("span_id: must be 8 bytes");

  const named = nonEmpty(textOf(attributes.either("tenant.id")));
  let tenantId = tokenTenantId ?? named ?? "";
  if (tokenTenantId === null && named === undefined) {
    problems.push("tenant.id: required (span or resource attribute) with a token for every tenant");
  } else if (tokenTenantId !== null && named !== undefined && named !== tokenTenantId) {
    problems.push(`tenant.id: this token may not act for tenant ${JSON.stringify(named)}`);
    tenantId = named;
  }

  const keySourceText = text("bridgelog.key_source")?.toLowerCase();
  let keySource = KeySource.UNSPECIFIED;
  if (keySourceText === "platform") keySource = KeySource.PLATFORM;
  else if (keySourceText === "byok") keySource = KeySource.BYOK;
  else if (keySourceText !== undefined) problems.push('bridgelog.key_source: must be "platform" or "byok"');

  const usage = usageOf(attributes, problems);
  const failure = failureOf(span, attributes, problems);
  if (problems.length > 0) return { ok: false, problem: problems.join("; ") };

  const provider = text("gen_ai.provider.name") ?? text("gen_ai.system") ?? "";
  return {
    ok: true,
    interception: create(InterceptionSchema, {
      id: interceptionIdOfSpan(span.traceId, span.spanId),
      tenantId,
      initiatorId: nonEmpty(textOf(attributes.either("user.id"))) ?? nonEmpty(textOf(attributes.either("enduser.id"))) ?? "",
      provider: provider === "" ? "" : providerOf(provider),
      model: text("gen_ai.response.model") ?? text("gen_ai.request.model") ?? "",
      feature: text("bridgelog.feature") ?? text("gen_ai.operation.name") ?? "",
      keySource,
      client: nonEmpty(textOf(attributes.resource("service.name"))) ?? "",
      threadRootId: thread.rootId,
      threadParentId: thread.parentId,
      startedAt: timestampOf(span.startTimeUnixNano),
      endedAt: span.endTimeUnixNano === 0n ? undefined : timestampOf(span.endTimeUnixNano),
      usage,
      // Where the interception came from, to find the span again in a trace viewer.
      metadata: { "otel.trace_id": hexOf(span.traceId), "otel.span_id": hexOf(span.spanId), "otel.span_name": span.name },
      ...failure,
    }),
  };
}

function usageOf(attributes: SpanAttributes, problems: string[]) {
  const count = (...keys: string[]): bigint => {
    for (const key of keys) {
      const value = wholeNumberOf(attributes.span(key));
      if (value === "invalid") {
        problems.push(`${key}: must be a whole number`);
        return 0n;
      }
      if (value !== undefined) return value;
    }
    return 0n;
  };
  return {
    // The deprecated names (semantic conventions before 1.27) as a fallback.
    inputTokens: count("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"),
    outputTokens: count("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"),
    cacheReadTokens: count("gen_ai.usage.cache_read.input_tokens"),
    cacheWriteTokens: count("gen_ai.usage.cache_creation.input_tokens"),
  };
}

/**
 * The failure columns. A span failed when its status is ERROR or it has an `error.type`. A
 * canonical bridgelog type is stored as such; anything else (an SDK class name, a provider code,
 * the semantic conventions' `_OTHER`) is handed to the classifier as the upstream failure's code,
 * with `http.response.status_code`, the message and the exception's type as the error name.
 */
type FailureFields = Pick<MessageInitShape<typeof InterceptionSchema>, "errorType" | "errorMessage" | "upstream">;

function failureOf(span: Span, attributes: SpanAttributes, problems: string[]): FailureFields {
  const errorTypeAttribute = nonEmpty(textOf(attributes.span("error.type")));
  const failed = span.status?.code === Status_StatusCode.ERROR || errorTypeAttribute !== undefined;
  if (!failed) return {};

  const exception = span.events.find((e) => e.name === "exception");
  const exceptionAttributes = exception === undefined ? new Map() : toMap(exception.attributes);
  const message =
    nonEmpty(span.status?.message) ?? nonEmpty(textOf(exceptionAttributes.get("exception.message"))) ?? undefined;
  const canonical = errorTypeAttribute?.trim().toLowerCase();
  if (canonical !== undefined && isErrorType(canonical)) return { errorType: canonical, errorMessage: message };

  const status = wholeNumberOf(attributes.span("http.response.status_code"));
  if (status === "invalid") problems.push("http.response.status_code: must be a whole number");
  // `error.type` is a class name (as the conventions ask when there is an exception) or a code;
  // the classifier reads the two differently, and a class name is no provider code.
  const exceptionType = nonEmpty(textOf(exceptionAttributes.get("exception.type")));
  const typeIsClass = errorTypeAttribute !== undefined && isClassName(errorTypeAttribute);
  const errorName = exceptionType ?? (typeIsClass ? errorTypeAttribute : undefined);
  const code = errorTypeAttribute === "_OTHER" || typeIsClass ? undefined : errorTypeAttribute;
  return {
    errorMessage: message,
    // Always present for a failed span, so one with no detail at all is still a failure.
    upstream: {
      httpStatus: typeof status === "bigint" && status >= -(2n ** 31n) && status < 2n ** 31n ? Number(status) : 0,
      errorName: errorName === undefined ? "" : bareClassName(errorName),
      code: code ?? "",
    },
  };
}

/** `RateLimitError`, `openai.RateLimitError`, `botocore.exceptions.ClientError`: a class, not a code. */
function isClassName(value: string): boolean {
  return /^(?:[A-Za-z_$][\w$]*\.)*[A-Z][\w$]*$/.test(value.trim()) && /[a-z]/.test(value);
}

/** The class without its module path, as the classifier knows SDK errors: `openai.RateLimitError` is `RateLimitError`. */
function bareClassName(value: string): string {
  const trimmed = value.trim();
  return isClassName(trimmed) ? trimmed.slice(trimmed.lastIndexOf(".") + 1) : trimmed;
}

function timestampOf(unixNano: bigint): Timestamp {
  // Nanos as OTLP sends them; normalizeInterception checks the range (0 is 1970, and refused as
  // older than the retention period where one is set).
  return { $typeName: "google.protobuf.Timestamp", seconds: unixNano / 1_000_000_000n, nanos: Number(unixNano % 1_000_000_000n) };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
