import type { ErrorType } from "../interception/error-type.js";
import { PhraseMatcher, type SearchableText } from "./searchable-text.js";

/**
 * Everyday wording that hints at a type. Weaker than any code or status: consulted only when the
 * failure carried neither (a bare SDK message like "Requests rate limit exceeded" or "API Error:
 * The model is overloaded"). Checked in order.
 */
const WEAK: readonly (readonly [string, ErrorType])[] = [
  ["rate limit", "rate_limited"],
  ["ratelimit", "rate_limited"],
  ["too many requests", "rate_limited"],
  ["overloaded", "overloaded"],
  ["high demand", "overloaded"],
  ["at capacity", "overloaded"],
  ["service unavailable", "overloaded"],
  ["deadline exceeded", "timeout"],
  ["gateway timeout", "timeout"],
  ["timed out", "timeout"],
  ["bad gateway", "server_error"],
  ["internal server error", "server_error"],
  ["internal error", "server_error"],
  ["not found", "not_found"],
  ["does not exist", "not_found"],
  ["unauthorized", "unauthorized"],
  ["permission denied", "permission_denied"],
  ["forbidden", "permission_denied"],
];

const matcher = new PhraseMatcher<ErrorType>(WEAK);

/** The error type everyday wording in the text suggests, if any. */
export function weakPhraseErrorType(text: SearchableText): ErrorType | undefined {
  return matcher.find(text);
}
