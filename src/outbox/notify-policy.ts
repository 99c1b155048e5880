import type { ErrorType } from "../interception/error-type.js";
import type { KeySource } from "../interception/interception.js";

/**
 * Which failed interceptions become notification events: the one place that says so. The recorder
 * passes it to its write statement as array parameters, so the SQL holds no list of its own.
 *
 * A failure is actionable when its user can fix it: it used their own key (BYOK) and its type says
 * the key itself is the problem. Platform-key failures are the operator's to fix, and transient
 * types (rate_limited, overloaded, ...) go away by themselves, so neither is notified.
 */
export interface NotifyPolicy {
  keySources: readonly KeySource[];
  errorTypes: readonly ErrorType[];
}

/** An invalid key, a key without permission, a key out of credit. */
export const DEFAULT_NOTIFY_ERROR_TYPES: readonly ErrorType[] = ["unauthorized", "permission_denied", "quota_exhausted"];

/**
 * The policy for the configured error types. Key sources are not configurable: only a BYOK key is
 * the user's to fix.
 */
export function createNotifyPolicy(errorTypes: readonly ErrorType[] = DEFAULT_NOTIFY_ERROR_TYPES): NotifyPolicy {
  return { keySources: ["byok"], errorTypes };
}
