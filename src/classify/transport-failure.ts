import type { ErrorType } from "../interception/error-type.js";
import type { FailureEvidence } from "./failure-evidence.js";
import { PhraseMatcher, type SearchableText } from "./searchable-text.js";
import { findTransportCodeInText, transportCodeMeaning } from "./transport-codes.js";

// SDK and runtime messages, lower-cased, ranked timeout → canceled → network: "The operation was
// aborted due to timeout" is a timeout even though it also says "aborted".
const PHRASES = new PhraseMatcher<ErrorType>([
  ["aborted due to timeout", "timeout"],
  ["request timed out", "timeout"], // openai-node / anthropic-sdk APIConnectionTimeoutError
  ["timed out", "timeout"],
  ["timeout error", "timeout"], // undici ConnectTimeoutError, HeadersTimeoutError
  ["deadline exceeded", "timeout"],
  ["request was aborted", "canceled"], // APIUserAbortError
  ["operation was aborted", "canceled"], // DOMException AbortError
  ["user aborted", "canceled"],
  ["socket hang up", "network_error"],
  ["connection error", "network_error"], // APIConnectionError: "Connection error."
  ["fetch failed", "network_error"],
  ["other side closed", "network_error"],
  ["premature close", "network_error"],
  ["socket connection was closed unexpectedly", "network_error"], // Bun
  ["connection reset", "network_error"],
  ["connection refused", "network_error"],
  ["network error", "network_error"],
]);

const NAMES: ReadonlyMap<string, ErrorType> = new Map<string, ErrorType>([
  ["timeouterror", "timeout"],
  ["apiconnectiontimeouterror", "timeout"],
  ["apitimeouterror", "timeout"],
  ["connecttimeouterror", "timeout"],
  ["headerstimeouterror", "timeout"],
  ["bodytimeouterror", "timeout"],
  ["aborterror", "canceled"],
  ["apiuseraborterror", "canceled"],
  ["apiconnectionerror", "network_error"],
  ["fetcherror", "network_error"],
  ["socketerror", "network_error"],
  ["connectionerror", "network_error"],
]);

// gRPC UNAVAILABLE covers both "the service is busy" and "we never reached it".
const CONNECTION_FAILURE = new PhraseMatcher<true>([
  ["no connection established", true],
  ["connection dropped", true],
  ["econnrefused", true],
  ["connect failed", true],
  ["failed to connect", true],
  ["name resolution", true],
]);

/** Whether the text says the connection itself failed (used to read gRPC UNAVAILABLE). */
export function mentionsConnectionFailure(text: SearchableText): boolean {
  return CONNECTION_FAILURE.find(text) === true;
}

/**
 * A failure with no usable HTTP response: the connection could not be made or broke (including a
 * stream cut after HTTP 200), the request timed out, or it was aborted. Looks at the bridge's `code`,
 * transport codes in the text, runtime and SDK messages, then the exception name.
 */
export function classifyTransportFailure(evidence: FailureEvidence): ErrorType | undefined {
  const byCode = evidence.code.length > 0 ? transportCodeMeaning(evidence.code) : undefined;
  if (byCode !== undefined) return byCode.errorType;
  const inText = findTransportCodeInText(evidence.text);
  if (inText !== undefined) return inText.errorType;
  const byPhrase = PHRASES.find(evidence.text);
  if (byPhrase !== undefined) return byPhrase;
  // undici's "TypeError: terminated": the body stream was cut after the response began.
  const message = evidence.message;
  if (message === "terminated" || message === "typeerror: terminated" || message === "error: terminated") {
    return "network_error";
  }
  return evidence.errorName.length > 0 ? NAMES.get(evidence.errorName.toLowerCase()) : undefined;
}
