import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { Interception, UpstreamFailure as ProtoUpstreamFailure } from "../../gen/bridgelog/v1/interception_pb.js";
import type { Classification, UpstreamFailure } from "../classify/classify-failure.js";
import { readUpstreamHttpStatus, UPSTREAM_HTTP_STATUS_RULE } from "../classify/http-status.js";
import { isValidTimestamp, TIMESTAMP_RANGE, identifierProblem, isUuid } from "../rpc/field-checks.js";
import type { FieldViolation } from "../rpc/invalid-argument.js";
import { type ErrorType, normalizeErrorType } from "./error-type.js";
import type { NormalizedInterception, NormalizedUpstreamFailure } from "./interception.js";
import { fromProtoKeySource } from "./proto-enums.js";
import { storableText } from "./storable-text.js";
import { truncateUtf8 } from "./truncate-utf8.js";

/** The explicit limits on one interception. Documented in docs/recording.md. */
export interface InterceptionLimits {
  /** `error_message` and `upstream.body` are cut to this many bytes of UTF-8. */
  errorMessageMaxBytes: number;
  /**
   * The retention period in days, when data is kept for a limited time: an older `started_at` is
   * refused, since its day is pruned (or about to be) and acknowledging it would be a lie.
   */
  startedAtMaxAgeDays?: number | undefined;
}

/**
 * How far ahead of the server's clock `started_at` may be. Generous for clock skew; it exists
 * because every day recorded is a partition, and a bridge with a wild clock must not create one
 * per record.
 */
export const STARTED_AT_MAX_AHEAD_SECONDS = 86_400;

/** Byte limits for identifying strings. Longer values are rejected, not cut: they are keys. */
export const FIELD_MAX_BYTES = {
  tenant_id: 128,
  provider: 128,
  initiator_id: 256,
  model: 256,
  feature: 256,
  client: 512,
  "upstream.error_name": 256,
  "upstream.code": 256,
} as const;
export const METADATA_MAX_ENTRIES = 64;
export const METADATA_KEY_MAX_BYTES = 128;
export const METADATA_VALUE_MAX_BYTES = 2048;
/** Limits on `upstream.response_headers`: enough for every header a provider sends. */
export const RESPONSE_HEADERS_MAX_ENTRIES = 64;
export const RESPONSE_HEADER_NAME_MAX_BYTES = 128;
export const RESPONSE_HEADER_VALUE_MAX_BYTES = 2048;

export type NormalizeResult =
  | { ok: true; interception: NormalizedInterception }
  | { ok: false; violations: FieldViolation[] };

/** Names a failure's type and finds the provider's own code in it (see classify-failure.ts). */
export type FailureClassifier = (facts: UpstreamFailure) => Classification;

/** Records a violation of `field`, a path below `interception.` */
type Violate = (field: string, description: string) => void;

const UUID_FORM = "must be a UUID in 8-4-4-4-12 hex form";

/**
 * Validates and normalises one interception at the RPC boundary.
 *
 * Rules (stated for users in docs/recording.md):
 * - `error_type` matching a canonical type regardless of case and surrounding space is stored as
 *   that type; any other non-empty value is stored as "unknown"; never rejected, never NULL
 *   (`normalizeErrorType`).
 * - A failure signal without a type (a message, or upstream facts) is still a failure: the
 *   classifier names its type. With a message or upstream facts, the classifier also finds the
 *   provider's own code, whether or not the bridge gave a type.
 * - No failure signal at all stores no error: type and message are both NULL.
 * - `error_message` and `upstream.body` are cut to the byte limit on a character boundary.
 * - Free text is made storable (see storableText); identifiers are validated instead.
 *
 * Every violation is reported, not just the first, so a bridge developer fixes them in one go.
 */
export function normalizeInterception(
  message: Interception | undefined,
  limits: InterceptionLimits,
  classify: FailureClassifier,
  nowMs: number = Date.now(),
): NormalizeResult {
  if (message === undefined) return { ok: false, violations: [{ field: "interception", description: "required" }] };
  const violations: FieldViolation[] = [];
  const violate: Violate = (field, description) => violations.push({ field: `interception.${field}`, description });

  checkIdentifiers(message, violate);
  const threadRootId = threadId("thread_root_id", message.threadRootId, violate);
  const threadParentId = threadId("thread_parent_id", message.threadParentId, violate);
  const times = checkTimes(message, limits, nowMs, violate);
  const usage = usageOf(message, violate);
  const metadata = metadataOf(message.metadata, violate);
  const upstream = upstreamOf(message.upstream, limits, violate);
  if (violations.length > 0 || times === null) return { ok: false, violations };

  return {
    ok: true,
    interception: {
      tenantId: message.tenantId,
      id: message.id.toLowerCase(),
      initiatorId: message.initiatorId,
      provider: message.provider.trim().toLowerCase(),
      model: message.model,
      feature: message.feature,
      keySource: fromProtoKeySource(message.keySource),
      client: message.client,
      threadRootId,
      threadParentId,
      startedAt: times.startedAt,
      endedAt: times.endedAt,
      streaming: message.streaming,
      ...usage,
      metadata,
      ...failureOf(message, upstream, limits, classify),
      upstream: upstream?.stored ?? null,
    },
  };
}

function checkIdentifiers(message: Interception, violate: Violate): void {
  if (message.id === "") violate("id", "required: a client-generated UUID");
  else if (!isUuid(message.id)) violate("id", UUID_FORM);
  checkIdentifier("tenant_id", message.tenantId, true, violate);
  checkIdentifier("provider", message.provider, true, violate);
  checkIdentifier("initiator_id", message.initiatorId, false, violate);
  checkIdentifier("model", message.model, false, violate);
  checkIdentifier("feature", message.feature, false, violate);
  checkIdentifier("client", message.client, false, violate);
}

function checkIdentifier(field: keyof typeof FIELD_MAX_BYTES, value: string, required: boolean, violate: Violate): void {
  if (value.trim() === "") {
    if (required) violate(field, "required");
    return;
  }
  const problem = identifierProblem(value, FIELD_MAX_BYTES[field]);
  if (problem !== undefined) violate(field, problem);
}

function threadId(field: string, value: string | undefined, violate: Violate): string | null {
  if (value === undefined || value === "") return null;
  if (!isUuid(value)) violate(field, UUID_FORM);
  return value.toLowerCase();
}

/** started_at and ended_at as ISO 8601 with microseconds; null when either is unusable. */
function checkTimes(
  message: Interception,
  limits: InterceptionLimits,
  nowMs: number,
  violate: Violate,
): { startedAt: string; endedAt: string | null } | null {
  const startedAt = instant("started_at", message.startedAt, true, violate);
  const endedAt = instant("ended_at", message.endedAt, false, violate);
  if (startedAt === null) return null;
  if (endedAt !== null && endedAt.ns < startedAt.ns) violate("ended_at", "must not be before started_at");
  const nowNs = BigInt(Math.floor(nowMs)) * 1_000_000n;
  const maxAgeDays = limits.startedAtMaxAgeDays;
  if (startedAt.ns > nowNs + BigInt(STARTED_AT_MAX_AHEAD_SECONDS) * 1_000_000_000n) {
    violate("started_at", "must not be more than a day ahead of the server's clock (check the bridge's clock)");
  } else if (maxAgeDays !== undefined && startedAt.ns < nowNs - BigInt(maxAgeDays) * 86_400_000_000_000n) {
    violate("started_at", `must not be older than the server keeps data (BRIDGELOG_RETENTION, ${maxAgeDays} days)`);
  }
  return { startedAt: startedAt.iso, endedAt: endedAt?.iso ?? null };
}

interface Instant {
  /** Nanoseconds since the epoch, for exact comparison. */
  ns: bigint;
  /** ISO 8601 with microseconds (PostgreSQL's precision). */
  iso: string;
}

function instant(field: string, value: Timestamp | undefined, required: boolean, violate: Violate): Instant | null {
  if (value === undefined) {
    if (required) violate(field, "required");
    return null;
  }
  if (!isValidTimestamp(value)) {
    violate(field, TIMESTAMP_RANGE);
    return null;
  }
  const whole = new Date(Number(value.seconds) * 1000).toISOString().slice(0, 19);
  const micros = String(Math.floor(value.nanos / 1000)).padStart(6, "0");
  return { ns: value.seconds * 1_000_000_000n + BigInt(value.nanos), iso: `${whole}.${micros}Z` };
}

function usageOf(message: Interception, violate: Violate) {
  const count = (field: string, value: bigint) => {
    if (value < 0n) violate(field, "must not be negative");
    return value;
  };
  const usage = message.usage;
  return {
    inputTokens: count("usage.input_tokens", usage?.inputTokens ?? 0n),
    outputTokens: count("usage.output_tokens", usage?.outputTokens ?? 0n),
    cacheReadTokens: count("usage.cache_read_tokens", usage?.cacheReadTokens ?? 0n),
    cacheWriteTokens: count("usage.cache_write_tokens", usage?.cacheWriteTokens ?? 0n),
    costMicros: count("cost_micros", message.costMicros),
  };
}

function metadataOf(sent: Record<string, string>, violate: Violate): Record<string, string> {
  const entries = Object.entries(sent);
  if (entries.length > METADATA_MAX_ENTRIES) violate("metadata", `must have at most ${METADATA_MAX_ENTRIES} entries`);
  const metadata: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (key === "") violate("metadata", "keys must not be empty");
    else if (Buffer.byteLength(key) > METADATA_KEY_MAX_BYTES) {
      violate(`metadata[${JSON.stringify(key.slice(0, 32))}]`, `key must be at most ${METADATA_KEY_MAX_BYTES} bytes`);
    } else if (Buffer.byteLength(value) > METADATA_VALUE_MAX_BYTES) {
      violate(`metadata[${JSON.stringify(key)}]`, `value must be at most ${METADATA_VALUE_MAX_BYTES} bytes`);
    }
    metadata[storableText(key)] = storableText(value);
  }
  return metadata;
}

/**
 * The upstream failure as stored, and what only the classifier reads: the whole body and the
 * response headers (which are not stored); null when none was sent.
 */
interface Upstream {
  stored: NormalizedUpstreamFailure;
  wholeBody: string;
  responseHeaders: Record<string, string> | undefined;
}

function upstreamOf(sent: ProtoUpstreamFailure | undefined, limits: InterceptionLimits, violate: Violate): Upstream | null {
  if (sent === undefined) return null;
  const { httpStatus, body, errorName, code } = sent;
  const status = readUpstreamHttpStatus(httpStatus);
  if (!status.valid) violate("upstream.http_status", UPSTREAM_HTTP_STATUS_RULE);
  checkIdentifier("upstream.error_name", errorName, false, violate);
  checkIdentifier("upstream.code", code, false, violate);
  const wholeBody = storableText(body);
  return {
    wholeBody,
    responseHeaders: responseHeadersOf(sent.responseHeaders, violate),
    stored: {
      httpStatus: status.status ?? null,
      body: wholeBody === "" ? null : truncateUtf8(wholeBody, limits.errorMessageMaxBytes).text,
      errorName: errorName === "" ? null : errorName,
      code: code === "" ? null : code,
    },
  };
}

/**
 * `upstream.response_headers`, checked against their limits; undefined when none were sent or they
 * were refused. `violate` takes field paths from `upstream.`: ClassifyError checks them too.
 */
export function responseHeadersOf(
  sent: Record<string, string>,
  violate: (field: string, description: string) => void,
): Record<string, string> | undefined {
  const field = "upstream.response_headers";
  const entries = Object.entries(sent);
  if (entries.length === 0) return undefined;
  if (entries.length > RESPONSE_HEADERS_MAX_ENTRIES) {
    violate(field, `must have at most ${RESPONSE_HEADERS_MAX_ENTRIES} entries`);
    return undefined;
  }
  for (const [name, value] of entries) {
    if (name === "") violate(field, "names must not be empty");
    else if (Buffer.byteLength(name) > RESPONSE_HEADER_NAME_MAX_BYTES) {
      violate(`${field}[${JSON.stringify(name.slice(0, 32))}]`, `name must be at most ${RESPONSE_HEADER_NAME_MAX_BYTES} bytes`);
    } else if (Buffer.byteLength(value) > RESPONSE_HEADER_VALUE_MAX_BYTES) {
      violate(`${field}[${JSON.stringify(name)}]`, `value must be at most ${RESPONSE_HEADER_VALUE_MAX_BYTES} bytes`);
    }
  }
  return sent;
}

/**
 * The failure's columns. An explicit type wins; any other failure signal is classified. The
 * classifier reads the whole message and body, not the stored cut, and also finds the provider's
 * code.
 */
function failureOf(message: Interception, upstream: Upstream | null, limits: InterceptionLimits, classify: FailureClassifier) {
  const rawMessage = message.errorMessage === undefined ? "" : storableText(message.errorMessage);
  const hasMessage = rawMessage.trim() !== "";
  const classification =
    hasMessage || upstream !== null
      ? classify({
          provider: message.provider,
          httpStatus: upstream?.stored.httpStatus ?? undefined,
          body: upstream?.wholeBody ?? "",
          errorName: upstream?.stored.errorName ?? undefined,
          code: upstream?.stored.code ?? undefined,
          message: hasMessage ? rawMessage : undefined,
          responseHeaders: upstream?.responseHeaders,
        })
      : undefined;
  const errorType: ErrorType | null = normalizeErrorType(message.errorType) ?? classification?.errorType ?? null;
  const cut = errorType !== null && hasMessage ? truncateUtf8(rawMessage, limits.errorMessageMaxBytes) : null;
  return {
    errorType,
    errorMessage: cut?.text ?? null,
    errorMessageTruncated: cut?.truncated ?? false,
    errorMessageBytes: cut?.bytes ?? 0,
    providerCode: classification?.providerCode ?? null,
    // The hint belongs to the failure as the provider described it, so it is kept even when the
    // bridge named the type itself; a success (no failure signal) has none.
    retryAfterMs: errorType === null ? null : (classification?.retryAfterMs ?? null),
  };
}
