import type { ErrorType } from "../interception/error-type.js";
import { KEY_POOL_CODES } from "./phrases.js";

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
  ["unsupported_country_region_territory", "permission_denied"],
  ["model_not_found", "not_found"],
  ["context_length_exceeded", "bad_request"],
  ["string_above_max_length", "bad_request"],
  ["content_filter", "bad_request"],
  ["content_policy_violation", "bad_request"],
  ["server_is_overloaded", "overloaded"],
  ["service_unavailable_error", "overloaded"],
  ["rate_limit_exceeded", "rate_limited"],
  ["invalid_request_error", "bad_request", "catch-all"],
  ["server_error", "server_error", "catch-all"],
  // Azure OpenAI: https://learn.microsoft.com/azure/ai-services/openai/reference
  ["DeploymentNotFound", "not_found"],
  ["ResponsibleAIPolicyViolation", "bad_request"],
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

/** Codes worth looking for in free text, in table order. */
export const CODES_FOUND_IN_TEXT: readonly CodeMeaning[] = [...byLowerCode.values()].filter((m) => m.inText);

/** The meaning of a provider code, whatever its case; undefined for codes the taxonomy has no use for. */
export function providerCodeMeaning(code: string): CodeMeaning | undefined {
  return byLowerCode.get(code.toLowerCase());
}
