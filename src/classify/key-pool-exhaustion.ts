import type { ErrorType } from "../interception/error-type.js";

/**
 * A bridge that rotates several upstream keys fails without any provider response once the whole
 * pool is unusable. It reports that in its own `code` or `message`, and the classifier reads it as:
 *
 * - every key rejected (revoked, invalid, or none configured) → `unauthorized`: someone has to fix
 *   the keys. Codes `all_keys_rejected`, `no_valid_keys`; messages such as "All keys rejected" or
 *   "No valid API keys available." (the wording common key-rotation code throws).
 * - every key rate-limited or cooling down → `rate_limited`: waiting helps. Code
 *   `all_keys_rate_limited`; messages such as "All keys are rate limited", and LiteLLM's router
 *   "No deployments available for selected model" (LiteLLM itself answers that with 429).
 *
 * Budget exhaustion inside such a pool ("No deployments available - crossed budget") is caught
 * earlier by the quota phrases, so it stays `quota_exhausted`.
 */
export const KEY_POOL_CODES: readonly (readonly [code: string, errorType: ErrorType])[] = [
  ["all_keys_rejected", "unauthorized"],
  ["no_valid_keys", "unauthorized"],
  ["all_keys_rate_limited", "rate_limited"],
];

/** Lower-case phrases meaning every key in the pool was rejected. */
export const KEYS_REJECTED_PHRASES: readonly string[] = [
  "all keys rejected",
  "all api keys rejected",
  "all keys are invalid",
  "all api keys are invalid",
  "no valid api key",
  "no valid keys",
];

/** Lower-case phrases meaning every key in the pool is rate-limited or cooling down. */
export const KEYS_RATE_LIMITED_PHRASES: readonly string[] = [
  "all keys rate limited",
  "all keys are rate limited",
  "all api keys rate limited",
  "all api keys are rate limited",
  "no deployments available",
  "no healthy deployment available",
];
