import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { type Interception, KeySource as ProtoKeySource } from "../../gen/bridgelog/v1/interception_pb.js";
import type { Classification, UpstreamFailure } from "../classify/classify-failure.js";
import { readUpstreamHttpStatus, UPSTREAM_HTTP_STATUS_RULE } from "../classify/http-status.js";
import type { FieldViolation } from "../rpc/invalid-argument.js";
import { type ErrorType, isErrorType } from "./error-type.js";
import type { InterceptionRecord, KeySource, UpstreamRecord } from "./interception-record.js";
import { storableText } from "./storable-text.js";
import { truncateUtf8 } from "./truncate-utf8.js";

/** The explicit limits on one interception. Documented in the README. */
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

export type NormalizeResult =
  | { ok: true; record: InterceptionRecord }
  | { ok: false; violations: FieldViolation[] };

/** Names a failure's type and finds the provider's own code in it (see classify-failure.ts). */
export type FailureClassifier = (facts: UpstreamFailure) => Classification;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// C0 controls and DEL: never meaningful in an identifier, and invisible in every UI.
const CONTROL = /[\u0000-\u001f\u007f]/;
// protobuf Timestamp's valid range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
const MIN_SECONDS = -62135596800n;
const MAX_SECONDS = 253402300799n;

/**
 * Validates and normalises one interception at the RPC boundary.
 *
 * Rules (stated for users in the README):
 * - `error_type` matching a canonical type regardless of case and surrounding space is stored as
 *   that type; any other non-empty value is stored as "unknown"; never rejected, never NULL.
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
  const violations: FieldViolation[] = [];
  const violate = (field: string, description: string) =>
    violations.push({ field: `interception.${field}`, description });
  if (message === undefined) {
    violate("", "required");
    return { ok: false, violations };
  }

  if (message.id === "") violate("id", "required: a client-generated UUID");
  else if (!UUID.test(message.id)) violate("id", "must be a UUID in 8-4-4-4-12 hex form");

  const identifier = (field: keyof typeof FIELD_MAX_BYTES, value: string, required: boolean) => {
    if (value.trim() === "") {
      if (required) violate(field, "required");
      return;
    }
    if (Buffer.byteLength(value) > FIELD_MAX_BYTES[field]) {
      violate(field, `must be at most ${FIELD_MAX_BYTES[field]} bytes`);
    } else if (CONTROL.test(value)) {
      violate(field, "must not contain control characters");
    }
  };
  identifier("tenant_id", message.tenantId, true);
  identifier("provider", message.provider, true);
  identifier("initiator_id", message.initiatorId, false);
  identifier("model", message.model, false);
  identifier("feature", message.feature, false);
  identifier("client", message.client, false);

  const threadId = (field: string, value: string | undefined): string | null => {
    if (value === undefined || value === "") return null;
    if (!UUID.test(value)) violate(field, "must be a UUID in 8-4-4-4-12 hex form");
    return value.toLowerCase();
  };
  const threadRootId = threadId("thread_root_id", message.threadRootId);
  const threadParentId = threadId("thread_parent_id", message.threadParentId);

  const startedAt = timestamp("started_at", message.startedAt, true, violate);
  const endedAt = timestamp("ended_at", message.endedAt, false, violate);
  if (startedAt !== null && endedAt !== null && endedAt.instant < startedAt.instant) {
    violate("ended_at", "must not be before started_at");
  }
  if (startedAt !== null) {
    const nowNs = BigInt(Math.floor(nowMs)) * 1_000_000n;
    const maxAgeDays = limits.startedAtMaxAgeDays;
    if (startedAt.instant > nowNs + BigInt(STARTED_AT_MAX_AHEAD_SECONDS) * 1_000_000_000n) {
      violate("started_at", "must not be more than a day ahead of the server's clock (check the bridge's clock)");
    } else if (maxAgeDays !== undefined && startedAt.instant < nowNs - BigInt(maxAgeDays) * 86_400_000_000_000n) {
      violate("started_at", `must not be older than the server keeps data (BRIDGELOG_RETENTION, ${maxAgeDays} days)`);
    }
  }

  const usage = message.usage;
  const count = (field: string, value: bigint) => {
    if (value < 0n) violate(field, "must not be negative");
    return value;
  };
  const inputTokens = count("usage.input_tokens", usage?.inputTokens ?? 0n);
  const outputTokens = count("usage.output_tokens", usage?.outputTokens ?? 0n);
  const cacheReadTokens = count("usage.cache_read_tokens", usage?.cacheReadTokens ?? 0n);
  const cacheWriteTokens = count("usage.cache_write_tokens", usage?.cacheWriteTokens ?? 0n);
  const costMicros = count("cost_micros", message.costMicros);

  const metadataEntries = Object.entries(message.metadata);
  if (metadataEntries.length > METADATA_MAX_ENTRIES) {
    violate("metadata", `must have at most ${METADATA_MAX_ENTRIES} entries`);
  }
  const metadata: Record<string, string> = {};
  for (const [key, value] of metadataEntries) {
    if (key === "") violate("metadata", "keys must not be empty");
    else if (Buffer.byteLength(key) > METADATA_KEY_MAX_BYTES) {
      violate(`metadata[${JSON.stringify(key.slice(0, 32))}]`, `key must be at most ${METADATA_KEY_MAX_BYTES} bytes`);
    } else if (Buffer.byteLength(value) > METADATA_VALUE_MAX_BYTES) {
      violate(`metadata[${JSON.stringify(key)}]`, `value must be at most ${METADATA_VALUE_MAX_BYTES} bytes`);
    }
    metadata[storableText(key)] = storableText(value);
  }

  let upstream: UpstreamRecord | null = null;
  let upstreamBody = "";
  if (message.upstream !== undefined) {
    const { httpStatus, body, errorName, code } = message.upstream;
    upstreamBody = storableText(body);
    const status = readUpstreamHttpStatus(httpStatus);
    if (!status.valid) violate("upstream.http_status", UPSTREAM_HTTP_STATUS_RULE);
    identifier("upstream.error_name", errorName, false);
    identifier("upstream.code", code, false);
    upstream = {
      httpStatus: status.status ?? null,
      body: upstreamBody === "" ? null : truncateUtf8(upstreamBody, limits.errorMessageMaxBytes).text,
      errorName: errorName === "" ? null : errorName,
      code: code === "" ? null : code,
    };
  }

  if (violations.length > 0 || startedAt === null) return { ok: false, violations };

  // The failure. An explicit type wins; any other failure signal is classified. The classifier
  // reads the whole message and body, not the stored cut, and also finds the provider's code.
  const rawMessage = message.errorMessage === undefined ? "" : storableText(message.errorMessage);
  const hasMessage = rawMessage.trim() !== "";
  const typeText = message.errorType?.trim().toLowerCase() ?? "";
  const classification =
    hasMessage || upstream !== null
      ? classify({
          provider: message.provider,
          httpStatus: upstream?.httpStatus ?? undefined,
          body: upstreamBody,
          errorName: upstream?.errorName ?? undefined,
          code: upstream?.code ?? undefined,
          message: hasMessage ? rawMessage : undefined,
        })
      : undefined;
  let errorType: ErrorType | null = classification?.errorType ?? null;
  if (typeText !== "") errorType = isErrorType(typeText) ? typeText : "unknown";
  const cut = errorType !== null && hasMessage ? truncateUtf8(rawMessage, limits.errorMessageMaxBytes) : null;

  return {
    ok: true,
    record: {
      tenantId: message.tenantId,
      id: message.id.toLowerCase(),
      initiatorId: message.initiatorId,
      provider: message.provider.trim().toLowerCase(),
      model: message.model,
      feature: message.feature,
      keySource: keySource(message.keySource),
      client: message.client,
      threadRootId,
      threadParentId,
      startedAt: startedAt.iso,
      endedAt: endedAt?.iso ?? null,
      streaming: message.streaming,
      inputTokens,
      outputTokens,
      cacheReadTokens,
      cacheWriteTokens,
      costMicros,
      metadata,
      errorType,
      errorMessage: cut?.text ?? null,
      errorMessageTruncated: cut?.truncated ?? false,
      errorMessageBytes: cut?.bytes ?? 0,
      providerCode: classification?.providerCode ?? null,
      upstream,
    },
  };
}

function keySource(value: ProtoKeySource): KeySource {
  switch (value) {
    case ProtoKeySource.PLATFORM:
      return "platform";
    case ProtoKeySource.BYOK:
      return "byok";
    default:
      // UNSPECIFIED, or a value from a newer contract this server does not know.
      return "unspecified";
  }
}

interface Instant {
  /** Nanoseconds since the epoch, for exact comparison. */
  instant: bigint;
  /** ISO 8601 with microseconds (PostgreSQL's precision). */
  iso: string;
}

function timestamp(
  field: string,
  value: Timestamp | undefined,
  required: boolean,
  violate: (field: string, description: string) => void,
): Instant | null {
  if (value === undefined) {
    if (required) violate(field, "required");
    return null;
  }
  if (value.seconds < MIN_SECONDS || value.seconds > MAX_SECONDS || value.nanos < 0 || value.nanos > 999_999_999) {
    violate(field, "must be a valid timestamp between years 1 and 9999");
    return null;
  }
  const whole = new Date(Number(value.seconds) * 1000).toISOString().slice(0, 19);
  const micros = String(Math.floor(value.nanos / 1000)).padStart(6, "0");
  return { instant: value.seconds * 1_000_000_000n + BigInt(value.nanos), iso: `${whole}.${micros}Z` };
}
