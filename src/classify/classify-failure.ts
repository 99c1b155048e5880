import { isRetryable, type ErrorType } from "../interception/error-type.js";
import { gatherEvidence, type FailureEvidence } from "./failure-evidence.js";
import { errorTypeForStatus, googleApiClientStatus, impliedStatus } from "./http-status.js";
import { decisivePhraseErrorType, weakPhraseErrorType } from "./phrases.js";
import {
  catchAllCodeErrorType,
  chooseProviderCode,
  classifyResourceExhausted,
  specificCodeErrorType,
} from "./provider-codes.js";
import { mayHaveRetryHint, retryHintMs } from "./retry-hint.js";
import { classifyTransportFailure, unreachableService } from "./transport-failure.js";

/**
 * Raw facts about one failed upstream call, as a bridge saw them: the fields of
 * bridgelog.v1.UpstreamFailure plus the call's provider and error message. Every field optional.
 */
export interface UpstreamFailure {
  /** "openai", "anthropic", "gemini", "vertex", "bedrock", "azure", ... or anything else; any case. */
  provider?: string;
  /** 0 or undefined when there was no HTTP response. */
  httpStatus?: number;
  /** Raw response body: JSON, HTML, SSE event text or plain text, of any size. */
  body?: string;
  /** SDK/exception name, e.g. "RateLimitError", "APIConnectionError", "ThrottlingException", "AbortError". */
  errorName?: string;
  /** An error code the bridge already has, e.g. "ECONNRESET", "insufficient_quota", "UND_ERR_SOCKET". */
  code?: string;
  /** The error message the bridge saw (e.g. error.message). */
  message?: string;
  /**
   * Response headers of the failed call by name, any case. Only the retry hints are read
   * (`retry-after-ms`, `retry-after`); a bridge may pass them all.
   */
  responseHeaders?: Readonly<Record<string, string>>;
}

/** What classifyFailure answers; ClassifierService and `bridgelog classify` return these three. */
export interface Classification {
  errorType: ErrorType;
  /**
   * The provider's own machine-readable code when one is present (`insufficient_quota`,
   * `overloaded_error`, `API_KEY_INVALID`, `RESOURCE_EXHAUSTED`, `ThrottlingException`, `ECONNRESET`),
   * chosen by the rule documented on `chooseProviderCode`.
   */
  providerCode: string | undefined;
  /** isRetryable(errorType). */
  retryable: boolean;
  /**
   * How long the provider said to wait before retrying, in milliseconds, at most RETRY_AFTER_MAX_MS
   * (24 h); undefined when it said nothing, and always for types a wait cannot fix (see
   * retry-hint.ts).
   */
  retryAfterMs?: number;
}

/**
 * Maps one failed upstream call to the failure taxonomy plus the provider's own code.
 *
 * Providers do not follow their status codes (Anthropic reports an empty credit balance as 400,
 * Bedrock throttles with 400 in event streams, overload arrives as an SSE event after HTTP 200), so
 * evidence is weighed from most to least specific and the first rule that answers wins:
 *
 * 1. Google RESOURCE_EXHAUSTED, split into rate limit, quota or capacity by its details;
 * 2. decisive phrases in provider or bridge messages (empty credit balance, invalid key, daily
 *    allowance, key pool exhausted, unsupported location, request too large for the limit, context
 *    too long, a prompt flagged by a usage policy, a gateway's word that the provider failed,
 *    Anthropic's "Overloaded" as a message of its own);
 * 3. gRPC UNAVAILABLE that says the connection never came up → `network_error`;
 * 4. a specific provider code: body codes, codes in the bridge's message, the gRPC status, the
 *    bridge's `code`, an AWS exception name; then known codes found in the text;
 * 5. the HTTP status, when it is a 4xx or 5xx (a proxy's HTML page never overrides it); the status
 *    Google's Go client states in its googleapi.Error ("googleapi: Error 429: …") comes first, as the
 *    upstream's answer under a relay's own status;
 * 6. transport failures: socket, DNS, timeout and abort codes, names and messages;
 * 7. a status written into the message (after an exception class, also one an app's words come
 *    before ("…: NotFoundError: 404"), in openai-node's "400 status code (no body)", in an HTML
 *    error page's title, in httpx's "Server error '529 ' for url", Copilot's "Server error: 500", a
 *    relay's bracketed "[429]:" and a browser console's "GET <url> 524 (…)"),
 *    stated by the body's numeric `code` (OpenRouter's envelope; a labelled status in its message
 *    outranks it), or implied by an SDK error class name (`Error code: 401 - {...}`): the SDK or relay
 *    saw that status, so it outranks a catch-all code as a passed status does;
 * 8. catch-all codes (`invalid_request_error`, `api_error`, `server_error`) with no status;
 * 9. everyday wording ("rate limit", "overloaded", "not found");
 * 10. otherwise `unknown`.
 *
 * The retry hint is read separately (retry-hint.ts): headers, then google.rpc.RetryInfo, then
 * wording. `nowMs` is the clock for a `retry-after` HTTP date, the only use of time; the system clock
 * is read only for such a date.
 *
 * Total: it never throws, whatever the input (huge, malformed or hostile bodies, nonsense
 * statuses, missing or mistyped fields), and reads at most a bounded head of any body.
 */
export function classifyFailure(failure: UpstreamFailure, nowMs?: number): Classification {
  let errorType: ErrorType = "unknown";
  let providerCode: string | undefined;
  let retryAfterMs: number | undefined;
  try {
    const evidence = gatherEvidence(failure);
    errorType = decideErrorType(evidence);
    providerCode = chooseProviderCode(evidence);
    if (mayHaveRetryHint(errorType)) {
      retryAfterMs = retryHintMs({
        headers: evidence.headers,
        retryDelay: evidence.retryDelay,
        lowerText: evidence.text.lower,
        nowMs,
      });
    }
  } catch {
    // Only a failure whose fields throw when read (a getter, a proxy) gets here. Throwing on would
    // lose the interception being recorded, so such a failure is simply unknown.
  }
  const classification: Classification = { errorType, providerCode, retryable: isRetryable(errorType) };
  if (retryAfterMs !== undefined) classification.retryAfterMs = retryAfterMs;
  return classification;
}

function decideErrorType(evidence: FailureEvidence): ErrorType {
  return (
    classifyResourceExhausted(evidence) ??
    decisivePhraseErrorType(evidence.text) ??
    unreachableService(evidence) ??
    specificCodeErrorType(evidence) ??
    errorTypeForStatus(googleApiClientStatus(evidence), evidence.provider) ??
    errorTypeForStatus(evidence.status, evidence.provider) ??
    classifyTransportFailure(evidence) ??
    errorTypeForStatus(impliedStatus(evidence), evidence.provider) ??
    catchAllCodeErrorType(evidence) ??
    weakPhraseErrorType(evidence.text) ??
    "unknown"
  );
}
