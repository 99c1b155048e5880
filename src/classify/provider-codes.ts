import type { ErrorType } from "../interception/error-type.js";
import type { FailureEvidence } from "./failure-evidence.js";
import { KEY_POOL_CODES } from "./phrases.js";
import { PhraseMatcher, type SearchableText } from "./searchable-text.js";
import { findTransportCodeInText, transportCodeMeaning } from "./transport-failure.js";

// Provider codes: what each one means, where one is found in free text, which one a classification
// reports, and how Google's RESOURCE_EXHAUSTED splits into rate limit, quota and capacity.

/** What one provider error code means, as far as the taxonomy cares. */
export interface CodeMeaning {
  /** The code as providers spell it. */
  readonly code: string;
  readonly errorType: ErrorType;
  /**
   * Catch-all codes (`invalid_request_error`, `api_error`, `server_error`) say no more than the HTTP
   * status that came with them: OpenAI sends `invalid_request_error` with 404s and 429s too. They only
   * decide when no status arrived, for instance in an error event mid-stream after HTTP 200.
   */
  readonly catchAll: boolean;
  /**
   * Whether the code is distinctive enough to be recognised inside free text (an exception message, a
   * Python repr, a body too large to parse). Plain words such as `INTERNAL` or `forbidden` are not.
   */
  readonly inText: boolean;
}

type Row = readonly [code: string, errorType: ErrorType, flags?: "catch-all" | "not-in-text"];

/**
 * Provider codes by provider. The first column is the spelling providers use; lookups ignore case.
 * Order matters only for searching free text: the first code found in table order wins.
 */
const ROWS: readonly Row[] = [
  // OpenAI and the many servers that copy its `{"error":{"code","type"}}` envelope (Azure, Groq,
  // DeepSeek, vLLM, LiteLLM). https://platform.openai.com/docs/guides/error-codes
  ["insufficient_quota", "quota_exhausted"],
  ["billing_not_active", "quota_exhausted"],
  ["billing_hard_limit_reached", "quota_exhausted"],
  ["invalid_api_key", "unauthorized"],
  ["account_deactivated", "unauthorized"],
  ["unsupported_country_region_territory", "permission_denied"],
  ["model_not_found", "not_found"],
  ["context_length_exceeded", "bad_request"],
  ["string_above_max_length", "bad_request"],
  ["content_filter", "bad_request"],
  ["content_policy_violation", "bad_request"],
  ["server_is_overloaded", "overloaded"],
  ["service_unavailable_error", "overloaded"],
  ["rate_limit_exceeded", "rate_limited"],
  // Groq (and others copying the envelope) retire models with a 400: the model is gone for everyone.
  ["model_decommissioned", "not_found"],
  // An empty balance as a code: sub2api-style relays' 403 `INSUFFICIENT_BALANCE`.
  ["insufficient_balance", "quota_exhausted"],
  // Alibaba DashScope (Qwen): an account with overdue payments, sent as 400 "Access denied, please
  // make sure your account is in good standing." https://help.aliyun.com/zh/model-studio/error-code
  ["Arrearage", "quota_exhausted"],
  // DashScope's rejected key ("InvalidApiKey - Invalid API-key provided.", also as its SDKs and apps
  // print code and message together) and its content moderation, `data_inspection_failed` in the
  // OpenAI-compatible mode and `InternalError.Algo.DataInspectionFailed` in its own API: the input
  // was refused, so the request must change.
  ["InvalidApiKey", "unauthorized"],
  ["data_inspection_failed", "bad_request"],
  ["DataInspectionFailed", "bad_request"],
  // Together: a model served only on dedicated endpoints, asked for on the serverless API (400
  // "Unable to access non-serverless model …"): no such model for this key until one is created.
  ["model_not_available", "not_found"],
  // Moonshot (Kimi) sends its capacity refusal as a 429 with this type, and its other failures as
  // `type`s of their own (https://platform.moonshot.ai/docs/api/errors): a rejected key (401), an
  // organization with no balance left (403, "exceeded current quota, please check your plan and
  // billing details"), a rate or concurrency limit (429).
  ["engine_overloaded_error", "overloaded"],
  ["invalid_authentication_error", "unauthorized"],
  ["exceeded_current_quota_error", "quota_exhausted"],
  ["rate_limit_reached_error", "rate_limited"],
  ["invalid_request_error", "bad_request", "catch-all"],
  ["server_error", "server_error", "catch-all"],
  // Azure OpenAI: https://learn.microsoft.com/azure/ai-services/openai/reference
  ["DeploymentNotFound", "not_found"],
  ["ResponsibleAIPolicyViolation", "bad_request"],
  // Azure's own catch-all for a refused request (`{"error":{"code":"BadRequest","message":"API version
  // not supported"}}`, "Model {modelName} is enabled only for api versions 2024-12-01-preview and
  // later"): it restates the 400, so it decides only when no status came with it.
  ["BadRequest", "bad_request", "catch-all"],
  // Anthropic `error.type`: https://docs.claude.com/en/api/errors
  ["authentication_error", "unauthorized"],
  ["permission_error", "permission_denied"],
  ["not_found_error", "not_found"],
  ["request_too_large", "bad_request"],
  ["billing_error", "quota_exhausted"],
  ["rate_limit_error", "rate_limited"],
  ["overloaded_error", "overloaded"],
  ["timeout_error", "timeout"],
  ["api_error", "server_error", "catch-all"],
  // Anthropic's edge answers region blocks with `{"error":{"type":"forbidden"}}`.
  ["forbidden", "permission_denied", "not-in-text"],
  // Mistral `type`: `{"object":"error","type":"rate_limited","code":"1300"}`.
  ["rate_limited", "rate_limited"],
  ["invalid_model", "not_found"],
  // LiteLLM proxy types.
  ["budget_exceeded", "quota_exhausted"],
  ["auth_error", "unauthorized"],
  ["throttling_error", "rate_limited"],
  // llama.cpp's server: a prompt over the slot's context (its 400, a 500 in some builds).
  ["exceed_context_size_error", "bad_request"],
  // text-generation-inference's `error_type`, which says more than its statuses: a generation that
  // failed on the server comes as 424 (or 500), which would read as the caller's fault; its
  // `overloaded` (max_concurrent_requests reached) comes as 429, a capacity refusal, not the caller's
  // rate. https://github.com/huggingface/text-generation-inference/blob/main/router/src/server.rs
  ["validation", "bad_request", "not-in-text"],
  ["generation", "server_error", "not-in-text"],
  ["incomplete_generation", "server_error"],
  ["overloaded", "overloaded", "not-in-text"],
  // IBM watsonx.ai's `errors[].code` for a request its API refuses as malformed (400, "Missing json
  // field response_format.type in request entity").
  ["invalid_request_entity", "bad_request"],
  // vLLM / TGI put exception class names in `type`; they restate the status.
  ["BadRequestError", "bad_request", "catch-all"],
  ["NotFoundError", "not_found", "catch-all"],
  ["InternalServerError", "server_error", "catch-all"],
  // Azure and a few gateways spell the status out as a code.
  ["Unauthorized", "unauthorized", "not-in-text"],
  // google.rpc.ErrorInfo reasons (Gemini, Vertex): https://cloud.google.com/apis/design/errors
  ["API_KEY_INVALID", "unauthorized"],
  ["ACCESS_TOKEN_EXPIRED", "unauthorized"],
  ["CREDENTIALS_MISSING", "unauthorized"],
  ["SERVICE_DISABLED", "permission_denied"],
  ["CONSUMER_SUSPENDED", "permission_denied"],
  ["CONSUMER_INVALID", "permission_denied"],
  ["API_KEY_SERVICE_BLOCKED", "permission_denied"],
  ["IAM_PERMISSION_DENIED", "permission_denied"],
  ["BILLING_DISABLED", "quota_exhausted"],
  ["MODEL_CAPACITY_EXHAUSTED", "overloaded"],
  // Gemini safety blocks, read from `candidates[].finishReason` and `promptFeedback.blockReason` of
  // a 200 body (error-body.ts): the content was refused, so the request must change.
  ["SAFETY", "bad_request", "not-in-text"],
  ["PROHIBITED_CONTENT", "bad_request"],
  ["BLOCKLIST", "bad_request", "not-in-text"],
  ["SPII", "bad_request", "not-in-text"],
  ["IMAGE_SAFETY", "bad_request"],
  ["RECITATION", "bad_request", "not-in-text"],
  // RATE_LIMIT_EXCEEDED is covered by OpenAI's `rate_limit_exceeded` above: lookups ignore case.
  // Vertex's legacy `errors[].reason`.
  ["rateLimitExceeded", "rate_limited"],
  // google.rpc.Code names (`error.status`, gRPC). RESOURCE_EXHAUSTED is refined by what the details say.
  ["INVALID_ARGUMENT", "bad_request"],
  ["FAILED_PRECONDITION", "bad_request"],
  ["OUT_OF_RANGE", "bad_request"],
  ["UNAUTHENTICATED", "unauthorized", "not-in-text"],
  ["PERMISSION_DENIED", "permission_denied"],
  ["NOT_FOUND", "not_found"],
  ["RESOURCE_EXHAUSTED", "rate_limited"],
  ["UNAVAILABLE", "overloaded", "not-in-text"],
  ["DEADLINE_EXCEEDED", "timeout"],
  ["INTERNAL", "server_error", "not-in-text"],
  ["UNKNOWN", "server_error", "not-in-text"],
  ["DATA_LOSS", "server_error"],
  ["ABORTED", "server_error", "not-in-text"],
  ["CANCELLED", "canceled", "not-in-text"],
  ["UNIMPLEMENTED", "bad_request", "not-in-text"],
  ["ALREADY_EXISTS", "bad_request"],
  // AWS Bedrock runtime exceptions:
  // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html#API_runtime_InvokeModel_Errors
  ["ThrottlingException", "rate_limited"],
  ["TooManyRequestsException", "rate_limited"],
  ["ServiceQuotaExceededException", "quota_exhausted"],
  ["ValidationException", "bad_request"],
  ["AccessDeniedException", "permission_denied"],
  ["UnrecognizedClientException", "unauthorized"],
  ["ExpiredTokenException", "unauthorized"],
  ["InvalidSignatureException", "unauthorized"],
  ["ResourceNotFoundException", "not_found"],
  ["ConflictException", "bad_request"],
  ["ModelTimeoutException", "timeout"],
  // The model is still loading or scaling: capacity, not a fault, and the SDK retries it itself.
  ["ModelNotReadyException", "overloaded"],
  ["ServiceUnavailableException", "overloaded"],
  ["InternalServerException", "server_error"],
  ["ModelStreamErrorException", "server_error"],
  ["ModelErrorException", "server_error"],
  // The bridge's own key pool, when every key failed (see KEY_POOL_CODES in phrases.ts).
  ...KEY_POOL_CODES,
];

const byLowerCode: ReadonlyMap<string, CodeMeaning> = new Map(
  ROWS.map(([code, errorType, flags]) => [
    code.toLowerCase(),
    { code, errorType, catchAll: flags === "catch-all", inText: flags === undefined },
  ]),
);

/** The meaning of a provider code, whatever its case; undefined for codes the taxonomy has no use for. */
export function providerCodeMeaning(code: string): CodeMeaning | undefined {
  return byLowerCode.get(code.toLowerCase());
}

/** The google.rpc.Code names, as Google APIs put them in `error.status` and gRPC in its messages. */
export const RPC_STATUS_NAMES: ReadonlySet<string> = new Set([
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
]);

// Codes worth looking for in free text, in table order.
const codesInText = new PhraseMatcher<CodeMeaning>(
  [...byLowerCode.values()].filter((m) => m.inText).map((m) => [m.code.toLowerCase(), m]),
);

/**
 * The known provider code found in free text, as a whole word: an SDK message such as `An error
 * occurred (ThrottlingException) when calling the InvokeModel operation`, a Python repr of an error
 * dict, or the head of a body too large to parse. When several appear, the code listed first in the
 * code table wins.
 */
function findProviderCodeInText(text: SearchableText): CodeMeaning | undefined {
  return codesInText.find(text);
}

/**
 * Rule 4 of classifyFailure: the error type of the first specific code the failure carries (see
 * `evidence.codes` for their order), else of a known code found in its text. Catch-all codes are
 * passed over here: they say no more than the status, which is weighed next.
 */
export function specificCodeErrorType(evidence: FailureEvidence): ErrorType | undefined {
  for (const meaning of evidence.codeMeanings) {
    if (meaning !== undefined && !meaning.catchAll) return meaning.errorType;
  }
  return findProviderCodeInText(evidence.text)?.errorType;
}

/** Rule 8 of classifyFailure: a catch-all code decides only when no status or transport failure did. */
export function catchAllCodeErrorType(evidence: FailureEvidence): ErrorType | undefined {
  for (const meaning of evidence.codeMeanings) {
    if (meaning !== undefined) return meaning.errorType;
  }
  return undefined;
}

// A code worth reporting looks like an identifier. Numeric codes only echo the HTTP status
// (OpenRouter `"code": 402`, Azure `"code": "429"`), and phrases are not codes (xAI's `"code":
// "Client specified an invalid argument"`).
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_.:#/-]{1,63}$/;

/**
 * The provider's own machine-readable code for a failure, chosen by one rule:
 *
 * 1. the first code in `evidence.codes` whose meaning is known and specific, where `codes` holds, in
 *    order, the body's codes (the inner `error` first; google.rpc `details[].reason` before
 *    `error.status`; `error.code` before `error.type` as OpenAI documents; Anthropic `error.type`;
 *    Bedrock `__type` or exception key; Azure `innererror.code`; OpenRouter's upstream body in
 *    `metadata.raw`), then those in the bridge's message, its gRPC status name, the bridge's `code`,
 *    and an AWS exception name from `errorName`. Transport codes (`ECONNRESET`) count as known;
 * 2. else the first known code found in the text (`An error occurred (ThrottlingException) ...`,
 *    `read ECONNRESET`, a Python repr of a body);
 * 3. else the first identifier-like code at all, such as a catch-all `invalid_request_error` or a
 *    code the taxonomy does not know;
 * 4. else undefined.
 *
 * Codes from the failure are reported as sent, AWS exception names and transport codes in their
 * canonical spelling; codes found in free text in the spelling of the code table.
 */
export function chooseProviderCode(evidence: FailureEvidence): string | undefined {
  const { codes, codeMeanings } = evidence;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    const meaning = codeMeanings[i];
    if (meaning !== undefined && !meaning.catchAll) return asReported(code, meaning.code);
    const transport = transportCodeMeaning(code);
    if (transport !== undefined) return transport.code;
  }
  const inText = findProviderCodeInText(evidence.text) ?? findTransportCodeInText(evidence.text);
  if (inText !== undefined) return inText.code;
  for (const code of evidence.codes) {
    if (IDENTIFIER.test(code)) return code;
  }
  return undefined;
}

/**
 * Codes are reported as the provider sent them (Google's `RATE_LIMIT_EXCEEDED` and OpenAI's
 * `rate_limit_exceeded` stay distinct), except exception names and transport codes, which have one
 * canonical spelling however a client cased them (`throttlingException` → `ThrottlingException`).
 */
function asReported(sent: string, canonical: string): string {
  return canonical.endsWith("Exception") ? canonical : sent;
}

// How Google clients word RESOURCE_EXHAUSTED when no structured status came with it.
const RESOURCE_EXHAUSTED_WORDING = new PhraseMatcher<true>([
  ["resource_exhausted", true],
  ["resource has been exhausted", true],
  ["resource exhausted", true],
  // Google's quota messages ("Quota exceeded for aiplatform.googleapis.com/..._per_minute_...",
  // "Quota exceeded for quota metric ...") and google-api-core's exception name in a message.
  ["quota exceeded for", true],
  ["resourceexhausted", true],
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
  if (evidence.codeMeanings.some((meaning) => meaning?.code === "RESOURCE_EXHAUSTED")) return true;
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
