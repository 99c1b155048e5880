/**
 * Terminology
 *
 * - Bridge: an AI gateway that sits between applications and LLM providers and forwards their calls.
 * - Interception: one attempt by a bridge to call a provider. A retry by the bridge is a new
 *   interception; a bridge may record the same interception twice (at start and at end), and the
 *   two records merge into one row keyed by (tenant, id, started_at).
 * - Tenant: the organisation or workspace a call is made for. Every row and every query is scoped
 *   to one tenant.
 * - Initiator: the user whose action caused the call (`initiator_id` in the proto, every table and
 *   every key; devices and notifications are addressed to initiators).
 * - Key source: whose API key paid: the platform's own key, or the user's own key (BYOK, "bring
 *   your own key"). Failures of a BYOK key are the user's to fix, and are notified to them.
 * - Error type: the failure taxonomy (see error-type.ts). NULL in storage exactly when the
 *   interception has not failed.
 * - Ended: an interception has ended once it has an end time or a failure (`endedSql` in
 *   interception-columns.ts). An ended interception's outcome is frozen.
 * - Upstream failure: the raw HTTP status, body, SDK error name and code of a failed call
 *   (`UpstreamFailure` in the proto), sent by bridges that do not classify failures themselves.
 * - Provider code: the provider's own machine-readable error code ("insufficient_quota"), kept
 *   beside the type.
 * - Retry hint: `retry_after_ms`, how long the provider said to wait before retrying (a
 *   `retry-after` header, google.rpc.RetryInfo, "Please try again in 1.5s"), kept beside the type.
 * - Outbox event: a row of `notification_outbox` (src/outbox/), one per interception whose failure
 *   its initiator can fix, made in the same transaction; the notifier's unit of work.
 * - Dedup window: at most one push per (tenant, initiator, provider, error type) per window.
 */
import type { ErrorType } from "./error-type.js";

export type KeySource = "unspecified" | "platform" | "byok";

/** An interception after validation and normalisation at the RPC boundary: ready to store. */
export interface NormalizedInterception {
  tenantId: string;
  /** Lower-case canonical UUID. */
  id: string;
  initiatorId: string;
  provider: string;
  model: string;
  feature: string;
  keySource: KeySource;
  client: string;
  threadRootId: string | null;
  threadParentId: string | null;
  /** ISO 8601 with microseconds, as PostgreSQL stores it. */
  startedAt: string;
  endedAt: string | null;
  streaming: boolean;
  inputTokens: bigint;
  outputTokens: bigint;
  cacheReadTokens: bigint;
  cacheWriteTokens: bigint;
  costMicros: bigint;
  metadata: Record<string, string>;
  /** Null exactly when the record carries no failure. */
  errorType: ErrorType | null;
  /** Never set without `errorType`. Already cut to the byte limit. */
  errorMessage: string | null;
  errorMessageTruncated: boolean;
  /** Byte length of the message as received; 0 when there is none. */
  errorMessageBytes: number;
  /** The provider's own error code ("insufficient_quota"), when the failure carried one. */
  providerCode: string | null;
  /**
   * How long the provider said to wait before retrying, in milliseconds (at most 24 h); null when
   * it said nothing or the failure is one a wait cannot fix. Never set without `errorType`.
   */
  retryAfterMs: number | null;
  upstream: NormalizedUpstreamFailure | null;
}

/** The upstream failure as stored: empty wire values are nulls. */
export interface NormalizedUpstreamFailure {
  /** Null when no HTTP response arrived. */
  httpStatus: number | null;
  /** Cut to the same byte limit as the error message; null when empty. */
  body: string | null;
  errorName: string | null;
  code: string | null;
}

export type Outcome = "in_progress" | "succeeded" | "failed";

/** The outcome of a stored interception, from its error type and whether it has ended. */
export function outcomeOf(errorType: ErrorType | null, ended: boolean): Outcome {
  if (errorType !== null) return "failed";
  return ended ? "succeeded" : "in_progress";
}

/** What is stored for an interception after a record merged into it. */
export interface RecordedInterception {
  tenantId: string;
  id: string;
  /** True when the record created the row, false when it merged into an existing one. */
  created: boolean;
  outcome: Outcome;
  errorType: ErrorType | null;
  errorMessageTruncated: boolean;
  errorMessageBytes: number;
  providerCode: string | null;
  /** The stored retry hint in milliseconds (`retry_after_ms`); null when there is none. */
  retryAfterMs: number | null;
}
