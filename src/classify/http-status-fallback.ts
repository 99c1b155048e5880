import type { ErrorType } from "../interception/error-type.js";

/**
 * What an HTTP status means when nothing more specific is known. Decisions worth knowing:
 * - 503 is `overloaded`: OpenAI ("engine overloaded"), Gemini ("The model is overloaded"), Bedrock
 *   (ServiceUnavailableException) and nginx in front of a saturated pool all mean "no capacity now".
 * - 504 and Cloudflare's 524 are `timeout`; Cloudflare's 521/522/523/525/526 mean the edge could not
 *   reach the origin at all, so `network_error`; 520 is an origin that answered garbage, `server_error`.
 * - 529 is Anthropic's `overloaded`; 499 is a client that went away, `canceled`; 402 is `quota_exhausted`.
 * - 409 (a conflicting request) and any other 4xx are `bad_request`; any other 5xx is `server_error`.
 */
const BY_STATUS: ReadonlyMap<number, ErrorType> = new Map<number, ErrorType>([
  [400, "bad_request"],
  [401, "unauthorized"],
  [402, "quota_exhausted"],
  [403, "permission_denied"],
  [404, "not_found"],
  [408, "timeout"],
  [409, "bad_request"],
  [410, "not_found"],
  [413, "bad_request"],
  [422, "bad_request"],
  [429, "rate_limited"],
  [499, "canceled"],
  [500, "server_error"],
  [502, "server_error"],
  [503, "overloaded"],
  [504, "timeout"],
  [520, "server_error"],
  [521, "network_error"],
  [522, "network_error"],
  [523, "network_error"],
  [524, "timeout"],
  [525, "network_error"],
  [526, "network_error"],
  [529, "overloaded"],
]);

/** Statuses a provider uses differently from everyone else. */
const BY_PROVIDER: ReadonlyMap<string, ReadonlyMap<number, ErrorType>> = new Map([
  // Groq: "498 – Flex tier capacity exceeded ... try again later" (console.groq.com/docs/errors).
  ["groq", new Map<number, ErrorType>([[498, "overloaded"]])],
]);

/**
 * The error type an HTTP error status implies; undefined for anything that is not a 4xx or 5xx
 * (no response, a 200 whose stream later failed, a nonsense number).
 */
export function errorTypeForStatus(status: number | undefined, provider: string): ErrorType | undefined {
  if (status === undefined || status < 400 || status > 599) return undefined;
  const known = BY_PROVIDER.get(provider)?.get(status) ?? BY_STATUS.get(status);
  return known ?? (status >= 500 ? "server_error" : "bad_request");
}
