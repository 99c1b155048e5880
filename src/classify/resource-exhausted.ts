import type { ErrorType } from "../interception/error-type.js";
import type { FailureEvidence } from "./failure-evidence.js";
import { PhraseMatcher } from "./searchable-text.js";

// How Google clients word RESOURCE_EXHAUSTED when no structured status came with it.
const RESOURCE_EXHAUSTED_WORDING = new PhraseMatcher<true>([
  ["resource_exhausted", true],
  ["resource has been exhausted", true],
  ["resource exhausted", true],
]);

/**
 * Google answers both "slow down" and "you are out of allowance" with RESOURCE_EXHAUSTED (HTTP 429,
 * gRPC 8), often with the same message ("You exceeded your current quota, please check your plan and
 * billing details") for both. What tells them apart, in order:
 * 1. "temporarily out of capacity" (Vertex) → `overloaded`: Google's capacity, not the caller's quota;
 * 2. `limit: 0` → `quota_exhausted`: the free tier does not cover this model at all;
 * 3. QuotaFailure violation ids (or the message, when no details came): any per-day quota →
 *    `quota_exhausted`, per-minute or per-second only → `rate_limited`;
 * 4. billing or free-tier wording with no window given → `quota_exhausted`;
 * 5. otherwise `rate_limited` ("Resource has been exhausted (e.g. check quota).", Vertex's shared
 *    capacity 429s), which Google documents as retryable with backoff.
 *
 * Undefined when the failure is not a RESOURCE_EXHAUSTED at all.
 */
export function classifyResourceExhausted(evidence: FailureEvidence): ErrorType | undefined {
  if (!isResourceExhausted(evidence)) return undefined;
  const text = evidence.text.lower;
  if (text.includes("out of capacity")) return "overloaded";
  if (text.includes("limit: 0")) return "quota_exhausted";
  const window = quotaWindow(evidence.quotaIds.join(" ").toLowerCase()) ?? quotaWindow(text);
  if (window === "day") return "quota_exhausted";
  if (window === "minute") return "rate_limited";
  if (text.includes("billing") || text.includes("free tier") || text.includes("exceeded your current quota")) {
    return "quota_exhausted";
  }
  return "rate_limited";
}

function isResourceExhausted(evidence: FailureEvidence): boolean {
  if (evidence.rpcStatus === "RESOURCE_EXHAUSTED") return true;
  if (evidence.codes.some((code) => code.toUpperCase() === "RESOURCE_EXHAUSTED")) return true;
  return RESOURCE_EXHAUSTED_WORDING.find(evidence.text) === true;
}

function quotaWindow(lowerText: string): "day" | "minute" | undefined {
  if (lowerText.length === 0) return undefined;
  if (lowerText.includes("perday") || lowerText.includes("per day") || lowerText.includes("per_day")) return "day";
  if (
    lowerText.includes("perminute") ||
    lowerText.includes("per minute") ||
    lowerText.includes("per_minute") ||
    lowerText.includes("persecond")
  ) {
    return "minute";
  }
  return undefined;
}
