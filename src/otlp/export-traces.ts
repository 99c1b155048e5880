import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  type ExportTraceServiceRequest,
  type ExportTraceServiceResponse,
  ExportTraceServiceResponseSchema,
} from "../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import type { KeyValue } from "../../gen/opentelemetry/proto/common/v1/common_pb.js";
import type { Span } from "../../gen/opentelemetry/proto/trace/v1/trace_pb.js";
import type { Principal } from "../auth/authenticator.js";
import type { RecordedInterception } from "../interception/interception.js";
import {
  type FailureClassifier,
  type InterceptionLimits,
  normalizeInterception,
} from "../interception/normalize-interception.js";
import type { BatchWriter } from "../recorder/batch-writer.js";
import { interceptionOfSpan, isGenAiSpan, SOURCE_OF_FIELD } from "./genai-span.js";
import { hexOf } from "./span-id.js";
import { spanKey, traceThreads } from "./trace-threads.js";

export interface TraceExportOptions {
  writer: BatchWriter;
  classify: FailureClassifier;
  /** The same limits RecordInterception applies. */
  limits: InterceptionLimits;
  /** Told of every GenAI span that is not stored, with the code RecordInterception would answer. */
  onRejected?: (code: Code) => void;
}

/** An OTLP trace export, whatever it arrived over (OTLP/gRPC or OTLP/HTTP). */
export type ExportTraces = (request: ExportTraceServiceRequest, principal: Principal) => Promise<ExportTraceServiceResponse>;

/** How many refused spans the partial_success message describes one by one. */
const DESCRIBED_REFUSALS = 5;

/**
 * Records an export's GenAI spans and answers once their rows are committed (through the same
 * group-commit writer as RecordInterception). Spans that are not GenAI calls are ignored; GenAI
 * spans that cannot be stored are counted in `partial_success` with the reasons, and the rest are
 * stored. When the writer cannot take a span (its queue is full, the database is unavailable)
 * the whole export fails with Unavailable, which OTLP exporters retry: spans already stored merge
 * into the same rows on the retry, since their ids derive from (trace_id, span_id).
 */
export function createTraceExport(options: TraceExportOptions): ExportTraces {
  const { writer, classify, limits } = options;

  return async (request, principal) => {
    const spans: { span: Span; resource: readonly KeyValue[] }[] = [];
    for (const resourceSpans of request.resourceSpans) {
      const resource = resourceSpans.resource?.attributes ?? [];
      for (const scopeSpans of resourceSpans.scopeSpans) {
        for (const span of scopeSpans.spans) if (isGenAiSpan(span)) spans.push({ span, resource });
      }
    }
    const places = traceThreads(
      request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
      isGenAiSpan,
    );

    const refusals: string[] = [];
    const refuse = (span: Span, problem: string, code: Code) => {
      options.onRejected?.(code);
      refusals.push(`span ${hexOf(span.spanId)} (${JSON.stringify(span.name)}): ${problem}`);
    };
    const writes: { span: Span; stored: Promise<RecordedInterception> }[] = [];
    for (const { span, resource } of spans) {
      const mapped = interceptionOfSpan({
        span,
        resource,
        tokenTenantId: principal.tenantId,
        thread: places.get(spanKey(span.traceId, span.spanId)) ?? {},
      });
      if (!mapped.ok) {
        refuse(span, mapped.problem, mapped.problem.includes("may not act for tenant") ? Code.PermissionDenied : Code.InvalidArgument);
        continue;
      }
      const normalized = normalizeInterception(mapped.interception, limits, classify);
      if (!normalized.ok) {
        const problem = normalized.violations
          .map((v) => `${SOURCE_OF_FIELD[v.field] ?? v.field}: ${v.description}`)
          .join("; ");
        refuse(span, problem, Code.InvalidArgument);
        continue;
      }
      writes.push({ span, stored: writer.write(normalized.interception) });
    }

    const settled = await Promise.allSettled(writes.map((w) => w.stored));
    let unavailable: ConnectError | undefined;
    settled.forEach((result, i) => {
      if (result.status === "fulfilled") return;
      const failure = ConnectError.from(result.reason);
      if (failure.code === Code.Unavailable) unavailable ??= failure;
      else refuse(writes[i]!.span, failure.rawMessage, failure.code);
    });
    if (unavailable !== undefined) throw new ConnectError(unavailable.rawMessage, Code.Unavailable);

    if (refusals.length === 0) return create(ExportTraceServiceResponseSchema, {});
    const shown = refusals.slice(0, DESCRIBED_REFUSALS).join(" | ");
    const more = refusals.length > DESCRIBED_REFUSALS ? ` | and ${refusals.length - DESCRIBED_REFUSALS} more` : "";
    return create(ExportTraceServiceResponseSchema, {
      partialSuccess: {
        rejectedSpans: BigInt(refusals.length),
        errorMessage: `${refusals.length} of ${spans.length} GenAI spans refused: ${shown}${more}`,
      },
    });
  };
}
