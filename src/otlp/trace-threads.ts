import type { Span } from "../../gen/opentelemetry/proto/trace/v1/trace_pb.js";
import type { ThreadPlace } from "./genai-span.js";
import { hexOf, interceptionIdOfSpan } from "./span-id.js";

/** Beyond this many hops up a trace the walk stops: a parent loop (invalid OTLP) must not hang it. */
const MAX_DEPTH = 1000;

/**
 * Where each GenAI span of one export sits in its trace's thread, keyed by `spanKey`.
 *
 * The interceptions of one trace form a thread. A GenAI span's parent is its nearest GenAI
 * ancestor, found by walking `parent_span_id` up through every span of the export, GenAI or not
 * (an HTTP server span or a framework's span in between is skipped over). Its root is the topmost
 * GenAI ancestor on that walk. A GenAI span with no GenAI ancestor is a root itself and carries
 * no thread ids, as a root recorded with RecordInterception does.
 *
 * The walk sees only the export at hand: an ancestor exported in another request is not seen, and
 * the span is then filed under the topmost ancestor that was. OpenTelemetry SDKs export a trace
 * together when it ends within one batch delay; a Collector's `groupbytrace` processor makes that
 * certain (docs/otlp.md).
 */
export function traceThreads(spans: readonly Span[], isGenAi: (span: Span) => boolean): Map<string, ThreadPlace> {
  const byKey = new Map<string, Span>();
  for (const span of spans) byKey.set(spanKey(span.traceId, span.spanId), span);
  const places = new Map<string, ThreadPlace>();
  for (const span of spans) {
    if (!isGenAi(span)) continue;
    let parent: Span | undefined;
    let root: Span | undefined;
    let current = span;
    for (let depth = 0; depth < MAX_DEPTH && current.parentSpanId.length > 0; depth++) {
      const up = byKey.get(spanKey(current.traceId, current.parentSpanId));
      if (up === undefined || up === span) break;
      if (isGenAi(up)) {
        parent ??= up;
        root = up;
      }
      current = up;
    }
    places.set(
      spanKey(span.traceId, span.spanId),
      root === undefined || parent === undefined
        ? {}
        : { rootId: interceptionIdOfSpan(root.traceId, root.spanId), parentId: interceptionIdOfSpan(parent.traceId, parent.spanId) },
    );
  }
  return places;
}

export const spanKey = (traceId: Uint8Array, spanId: Uint8Array): string => `${hexOf(traceId)}/${hexOf(spanId)}`;
