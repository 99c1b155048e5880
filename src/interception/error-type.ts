/**
 * The failure taxonomy. One name for one thing: these strings are the values of the SQL column
 * `interceptions.error_type`, the lower-case tail of the proto enum `bridgelog.v1.ErrorType`
 * (`ERROR_TYPE_RATE_LIMITED` is `rate_limited`) and what the `classify` CLI prints.
 *
 * What each one means to an operator is documented once, in proto/bridgelog/v1/interception.proto
 * and docs/error-types.md.
 */
export const ERROR_TYPES = [
  "bad_request",
  "unauthorized",
  "permission_denied",
  "not_found",
  "rate_limited",
  "quota_exhausted",
  "overloaded",
  "server_error",
  "timeout",
  "network_error",
  "canceled",
  "unknown",
] as const;

export type ErrorType = (typeof ERROR_TYPES)[number];

const errorTypes: ReadonlySet<string> = new Set(ERROR_TYPES);

/** True when `value` is exactly one of the canonical error types. */
export function isErrorType(value: string): value is ErrorType {
  return errorTypes.has(value);
}

/**
 * The error type a bridge sent, as stored: a canonical type whatever its case and surrounding
 * space; any other non-empty value becomes "unknown", so a failure is never refused for its type
 * and never stored without one. Undefined when no type was sent (empty or only space): the failure,
 * if there is one, is then classified.
 */
export function normalizeErrorType(sent: string | undefined): ErrorType | undefined {
  const text = sent?.trim().toLowerCase() ?? "";
  if (text === "") return undefined;
  return isErrorType(text) ? text : "unknown";
}

const retryable: ReadonlySet<ErrorType> = new Set<ErrorType>([
  "rate_limited",
  "overloaded",
  "server_error",
  "timeout",
  "network_error",
]);

/** Whether retrying the same request later can succeed without anyone changing anything. */
export function isRetryable(type: ErrorType): boolean {
  return retryable.has(type);
}
