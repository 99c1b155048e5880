import type { ErrorType } from "../interception/error-type.js";
import { KEYS_RATE_LIMITED_PHRASES, KEYS_REJECTED_PHRASES } from "./key-pool-exhaustion.js";
import { PhraseMatcher, type SearchableText } from "./searchable-text.js";

/**
 * Phrases that settle the error type even against the provider's code and the HTTP status, because
 * providers reuse codes and statuses for failures that need different handling: Anthropic sends an
 * empty credit balance as a 400 `invalid_request_error`, DeepSeek's insufficient balance carries
 * `invalid_request_error`, xAI reports spent credits with 403 or 429, Bedrock an expired token with
 * 403, Groq a request that can never fit the tokens-per-minute limit as `rate_limit_exceeded`.
 *
 * Checked in order; quota comes first so that "No deployments available - crossed budget" is a
 * budget, not a busy pool. Daily allowances ("per day", OpenRouter's `free-models-per-day`) count
 * as exhausted quota: the next success is hours away and usually needs a plan change.
 */
const DECISIVE: readonly (readonly [ErrorType, readonly string[]])[] = [
  [
    "quota_exhausted",
    [
      "credit balance is too low",
      "insufficient balance",
      "insufficient credits",
      "requires more credits",
      "exceeded your current quota",
      "specified api usage limits",
      "used all available credits",
      "monthly spending limit",
      "budget has been exceeded",
      "exceeded budget",
      "per-day",
      "per day",
    ],
  ],
  [
    "unauthorized",
    [
      ...KEYS_REJECTED_PHRASES,
      "incorrect api key",
      "invalid api key",
      "invalid x-api-key",
      "api key not valid",
      "invalid api token",
      "authentication fails",
      "no auth credentials found",
      "security token included in the request is invalid",
      "security token included in the request is expired",
    ],
  ],
  ["rate_limited", KEYS_RATE_LIMITED_PHRASES],
  [
    "permission_denied",
    ["user location is not supported", "country, region, or territory not supported", "is not authorized to perform"],
  ],
  [
    "bad_request",
    ["request too large for", "content management policy", "maximum context length", "input is too long"],
  ],
  ["overloaded", ["temporarily out of capacity"]],
];

const matcher = new PhraseMatcher<ErrorType>(
  DECISIVE.flatMap(([errorType, phrases]) => phrases.map((phrase) => [phrase, errorType] as const)),
);

/** The error type a decisive phrase in the text implies, if any. */
export function decisivePhraseErrorType(text: SearchableText): ErrorType | undefined {
  return matcher.find(text);
}
