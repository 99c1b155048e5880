import type { MessageInitShape } from "@bufbuild/protobuf";
import { type InterceptionSchema, KeySource as ProtoKeySource } from "../../gen/bridgelog/v1/interception_pb.js";
import type { CallScope } from "./call-scope.js";
import type { CallUsage } from "./call-usage.js";
import { extractUpstreamFailure } from "./extract-upstream-failure.js";
import { RETRY_HEADERS } from "./response-headers.js";
import { nonNegativeInteger } from "./non-negative-integer.js";

/**
 * One finished call as `track` saw it: plain fields and references only, so enqueuing it costs the
 * caller next to nothing. Turning it into a protobuf message (reading the error, serialising its
 * body) happens later, in the background sender.
 */
export interface TrackedCall {
  /** The interception id (a random UUID), the server's idempotency key: a resent record merges. */
  readonly id: string;
  readonly scope: CallScope;
  /** Epoch milliseconds when the call started. */
  readonly startedAtMs: number;
  /** How long it took, in milliseconds, from a monotonic clock. */
  readonly durationMs: number;
  readonly usage: CallUsage | undefined;
  /** Whether the call threw; `error` is what it threw (which may be undefined). */
  readonly failed: boolean;
  readonly error: unknown;
}

const KEY_SOURCES = { platform: ProtoKeySource.PLATFORM, byok: ProtoKeySource.BYOK } as const;

/**
 * The interception to send for a tracked call. A failure goes with its raw upstream facts and
 * message and no `error_type`: the server's classifier is the one source of truth for types.
 */
export function toInterception(call: TrackedCall): MessageInitShape<typeof InterceptionSchema> {
  const { scope, usage } = call;
  let metadata = scope.metadata === undefined ? undefined : stringValues(scope.metadata);
  const message: MessageInitShape<typeof InterceptionSchema> = {
    id: call.id,
    tenantId: scope.tenantId,
    initiatorId: scope.initiatorId,
    provider: scope.provider,
    model: scope.model,
    feature: scope.feature,
    keySource: KEY_SOURCES[scope.keySource],
    client: optionalText(scope.client),
    threadRootId: optionalText(scope.threadRootId) || undefined,
    threadParentId: optionalText(scope.threadParentId) || undefined,
    streaming: scope.streaming === true,
    startedAt: timestamp(call.startedAtMs),
    endedAt: timestamp(call.startedAtMs + Math.max(0, call.durationMs)),
    usage: {
      inputTokens: BigInt(nonNegativeInteger(usage?.inputTokens)),
      outputTokens: BigInt(nonNegativeInteger(usage?.outputTokens)),
      cacheReadTokens: BigInt(nonNegativeInteger(usage?.cacheReadTokens)),
      cacheWriteTokens: BigInt(nonNegativeInteger(usage?.cacheWriteTokens)),
    },
    costMicros: BigInt(nonNegativeInteger(usage?.costMicros)),
  };
  if (call.failed) {
    const facts = extractUpstreamFailure(call.error);
    message.upstream = {
      httpStatus: facts.httpStatus,
      body: facts.body,
      errorName: facts.errorName,
      code: facts.code,
      // The retry hints, so the server can derive `retry_after_ms`; request ids go to metadata.
      responseHeaders: retryHeaders(facts.headers),
    };
    if (facts.message !== "") message.errorMessage = facts.message;
    if (facts.headers !== undefined) {
      // Under the bridge's own keys: a label it set is never overwritten.
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(facts.headers)) headers[`response.${name}`] = value;
      metadata = { ...headers, ...metadata };
    }
  }
  if (metadata !== undefined) message.metadata = metadata;
  return message;
}

function retryHeaders(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  let kept: Record<string, string> | undefined;
  for (const name of RETRY_HEADERS) {
    const value = headers[name];
    if (value !== undefined) (kept ??= {})[name] = value;
  }
  return kept;
}

function timestamp(epochMs: number) {
  const seconds = Math.floor(epochMs / 1000);
  const nanos = Math.min(999_999_999, Math.round((epochMs - seconds * 1000) * 1_000_000));
  return { seconds: BigInt(seconds), nanos };
}

function optionalText(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Plain JavaScript callers can put numbers in metadata; protobuf would refuse the whole batch. */
function stringValues(metadata: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) if (value !== undefined && value !== null) out[key] = String(value);
  return out;
}
