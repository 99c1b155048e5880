import type { UpstreamFailure } from "../../src/classify/classify-failure.js";
import type { ErrorType } from "../../src/interception/error-type.js";

/**
 * Real provider failures and what they must classify as. Shared by the table test and the
 * benchmark, which is why it is a module and not a test file.
 *
 * Every case carries a comment naming where it was seen: the provider's docs, a public GitHub issue
 * (the body as quoted there), or an SDK's source. Bodies are reproduced as sent; `json()` and
 * `pretty()` only re-serialize a body that a thread quoted as a Python dict or reflowed, in the
 * provider's own layout (compact, or two-space indent for OpenAI and Google). Secrets quoted in
 * threads are masked. "constructed from <doc> shape" marks the few cases no real body was found for.
 */
export interface FailureCase {
  readonly name: string;
  readonly facts: UpstreamFailure;
  readonly errorType: ErrorType;
  readonly providerCode: string | undefined;
  /** The retry hint the failure states, in milliseconds; absent when it states none. */
  readonly retryAfterMs?: number;
}

const json = (value: unknown): string => JSON.stringify(value);
const pretty = (value: unknown): string => JSON.stringify(value, null, 2);

const openai: FailureCase[] = [
  // https://github.com/ChatGPTNextWeb/NextChat/issues/3123
  {
    name: "openai 429 insufficient_quota is an exhausted quota, not a rate limit",
    facts: {
      provider: "openai",
      httpStatus: 429,
      body: pretty({
        error: {
          message: "You exceeded your current quota, please check your plan and billing details.",
          type: "insufficient_quota",
          param: null,
          code: "insufficient_quota",
        },
      }),
    },
    errorType: "quota_exhausted",
    providerCode: "insufficient_quota",
  },
  // https://github.com/ChatGPTNextWeb/NextChat/issues/1792 (older API: code null, type carries it)
  {
    name: "openai 429 insufficient_quota with a null code uses the type",
    facts: {
      provider: "openai",
      httpStatus: 429,
      body: pretty({
        error: {
          message: "You exceeded your current quota, please check your plan and billing details.",
          type: "insufficient_quota",
          param: null,
          code: null,
        },
      }),
    },
    errorType: "quota_exhausted",
    providerCode: "insufficient_quota",
  },
  // https://github.com/HeyPuter/puter/issues/1977 (openai-node message, no status or body passed)
  {
    name: "openai quota message alone is enough",
    facts: {
      provider: "openai",
      message:
        "429 You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/lifan0127/ai-research-assistant/issues/174
  {
    name: "openai 429 billing_not_active is an exhausted quota",
    facts: {
      provider: "openai",
      httpStatus: 429,
      body: pretty({
        error: {
          message: "Your account is not active, please check your billing details on our website.",
          type: "billing_not_active",
          param: null,
          code: "billing_not_active",
        },
      }),
    },
    errorType: "quota_exhausted",
    providerCode: "billing_not_active",
  },
  // https://github.com/BerriAI/litellm/issues/2743 (Python SDK message with the body as a dict repr)
  {
    name: "openai billing_not_active inside a Python error message",
    facts: {
      provider: "openai",
      errorName: "RateLimitError",
      message:
        "OpenAIException - Error code: 429 - {'error': {'message': 'Your account is not active, please check your billing details on our website.', 'type': 'billing_not_active', 'param': None, 'code': 'billing_not_active'}}",
    },
    errorType: "quota_exhausted",
    providerCode: "billing_not_active",
  },
  // https://github.com/IIC2440/Syllabus-2025-1/issues/13
  {
    name: "openai 401 invalid_api_key",
    facts: {
      provider: "openai",
      httpStatus: 401,
      body: pretty({
        error: {
          message:
            "Incorrect API key provided: sk-proj-******************************************SJh4. You can find your API key at https://platform.openai.com/account/api-keys.",
          type: "invalid_request_error",
          param: null,
          code: "invalid_api_key",
        },
      }),
    },
    errorType: "unauthorized",
    providerCode: "invalid_api_key",
  },
  // https://github.com/continuedev/continue/issues/9634
  {
    name: "openai incorrect API key message alone",
    facts: {
      provider: "openai",
      message:
        "401 Incorrect API key provided: sk-proj-****************************************MxYA. You can find your API key at https://platform.openai.com/account/api-keys.",
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/Chainlit/cookbook/issues/82
  {
    name: "openai 404 model_not_found",
    facts: {
      provider: "openai",
      httpStatus: 404,
      body: pretty({
        error: {
          message:
            "The model `gpt-4` does not exist or you do not have access to it. Learn more: https://help.openai.com/en/articles/7102672-how-can-i-access-gpt-4.",
          type: "invalid_request_error",
          param: null,
          code: "model_not_found",
        },
      }),
    },
    errorType: "not_found",
    providerCode: "model_not_found",
  },
  // https://github.com/enricoros/big-AGI/issues/16
  {
    name: "openai 404 model_not_found, compact body",
    facts: {
      provider: "openai",
      httpStatus: 404,
      body: '{"error":{"message":"The model: `gpt-4` does not exist","type":"invalid_request_error","param":null,"code":"model_not_found"}}',
    },
    errorType: "not_found",
    providerCode: "model_not_found",
  },
  // https://github.com/chathub-dev/chathub/issues/126
  {
    name: "openai 400 context_length_exceeded",
    facts: {
      provider: "openai",
      httpStatus: 400,
      body: '{"error":{"message":"This model\'s maximum context length is 4097 tokens. However, your messages resulted in 4294 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}',
    },
    errorType: "bad_request",
    providerCode: "context_length_exceeded",
  },
  // https://github.com/Chanzhaoyu/chatgpt-web/issues/354
  {
    name: "openai 400 context_length_exceeded with completion tokens",
    facts: {
      provider: "openai",
      httpStatus: 400,
      body: pretty({
        error: {
          message:
            "This model's maximum context length is 4096 tokens. However, you requested 4130 tokens (3130 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
          type: "invalid_request_error",
          param: "messages",
          code: "context_length_exceeded",
        },
      }),
    },
    errorType: "bad_request",
    providerCode: "context_length_exceeded",
  },
  // https://github.com/vanderschaarlab/climb/issues/1 (the request alone exceeds the TPM limit:
  // retrying can never succeed, so it is a bad request despite the 429 and the code)
  {
    name: "openai 429 request larger than the tokens-per-minute limit is a bad request",
    facts: {
      provider: "openai",
      httpStatus: 429,
      body: pretty({
        error: {
          message:
            "Request too large for gpt-4o in organization org-VDAWofJASuLH0vVz8o9tiQZr on tokens per min (TPM): Limit 30000, Requested 30601. The input or output tokens must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.",
          type: "tokens",
          param: null,
          code: "rate_limit_exceeded",
        },
      }),
    },
    errorType: "bad_request",
    providerCode: "rate_limit_exceeded",
  },
  // https://github.com/BuilderIO/micro-agent/issues/86
  {
    name: "openai tokens-per-minute rate limit message alone",
    facts: {
      provider: "openai",
      message:
        "429 Rate limit reached for gpt-4o in organization org-uOtiSEwvUnroadaOnJJquBEC on tokens per min (TPM): Limit 30000, Used 29937, Requested 385. Please try again in 644ms.",
    },
    errorType: "rate_limited",
    providerCode: undefined,
    retryAfterMs: 644,
  },
  // https://github.com/openai/openai-cua-sample-app/issues/54
  {
    name: "openai 500 server_error",
    facts: {
      provider: "openai",
      httpStatus: 500,
      body: pretty({
        error: {
          message:
            "The server had an error processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if you keep seeing this error. (Please include the request ID req_540c6eaab7f4556b2baa22bcba915d51 in your email.)",
          type: "server_error",
          param: null,
          code: null,
        },
      }),
    },
    errorType: "server_error",
    providerCode: "server_error",
  },
  // https://github.com/waylaidwanderer/node-chatgpt-api/issues/34
  {
    name: "openai 503 model overloaded",
    facts: {
      provider: "openai",
      httpStatus: 503,
      body: pretty({
        error: {
          message:
            "That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com if the error persists. (Please include the request ID 169bee8d in your message.)",
          type: "server_error",
          param: null,
          code: null,
        },
      }),
    },
    errorType: "overloaded",
    providerCode: "server_error",
  },
  // https://github.com/home-assistant/core/issues/120072
  {
    name: "openai 403 unsupported country",
    facts: {
      provider: "openai",
      httpStatus: 403,
      body: pretty({
        error: {
          code: "unsupported_country_region_territory",
          message: "Country, region, or territory not supported",
          param: null,
          type: "request_forbidden",
        },
      }),
    },
    errorType: "permission_denied",
    providerCode: "unsupported_country_region_territory",
  },
  // https://github.com/openai/codex/issues/43337 (Responses API stream, captured verbatim there)
  {
    name: "openai overload event mid-stream after HTTP 200",
    facts: {
      provider: "openai",
      httpStatus: 200,
      body:
        "event: response.created\nevent: response.in_progress\nevent: error\n" +
        'data: {"type":"error","error":{"type":"service_unavailable_error","code":"server_is_overloaded","message":"Our servers are currently overloaded. Please try again later.","param":null},"sequence_number":2}\n' +
        "event: response.failed\n",
    },
    errorType: "overloaded",
    providerCode: "server_is_overloaded",
  },
  // https://github.com/openai/openai-node/issues/1730 (error thrown mid-stream: no status, code on the error)
  {
    name: "openai server_error thrown mid-stream without a status",
    facts: {
      provider: "openai",
      errorName: "Error",
      code: "server_error",
      message:
        "An error occurred while processing your request. You can retry your request, or contact us through our help center at help.openai.com if the error persists. Please include the request ID req_1332ed8a813a4caaa2f0f3c55a6a68cb in your message.",
    },
    errorType: "server_error",
    providerCode: "server_error",
  },
  // https://github.com/OpenHands/OpenHands/issues/1008
  {
    name: "openai APIConnectionError",
    facts: { provider: "openai", errorName: "APIConnectionError", message: "Connection error." },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/langchain-ai/langchain/issues/21919
  {
    name: "openai APITimeoutError",
    facts: { provider: "openai", errorName: "APITimeoutError", message: "Request timed out." },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/Chanzhaoyu/chatgpt-web/issues/500
  {
    name: "openai socket hang up",
    facts: {
      provider: "openai",
      errorName: "FetchError",
      code: "ECONNRESET",
      message: "request to https://api.openai.com/v1/chat/completions failed, reason: socket hang up",
    },
    errorType: "network_error",
    providerCode: "ECONNRESET",
  },
  // https://github.com/nraiden/openv0/issues/24
  {
    name: "openai read ECONNRESET found in the message",
    facts: {
      provider: "openai",
      errorName: "FetchError",
      message: "request to https://api.openai.com/v1/chat/completions failed, reason: read ECONNRESET",
    },
    errorType: "network_error",
    providerCode: "ECONNRESET",
  },
  // https://github.com/nraiden/openv0/issues/23
  {
    name: "openai connect ETIMEDOUT",
    facts: {
      provider: "openai",
      errorName: "FetchError",
      code: "ETIMEDOUT",
      message: "request to https://api.openai.com/v1/chat/completions failed, reason: connect ETIMEDOUT 202.160.128.210:443",
    },
    errorType: "timeout",
    providerCode: "ETIMEDOUT",
  },
  // https://github.com/waylaidwanderer/node-chatgpt-api/issues/66
  {
    name: "openai DNS ENOTFOUND",
    facts: {
      provider: "openai",
      errorName: "FetchError",
      code: "ENOTFOUND",
      message: "request to https://api.openai.com/v1/completions failed, reason: getaddrinfo ENOTFOUND api.openai.com",
    },
    errorType: "network_error",
    providerCode: "ENOTFOUND",
  },
  // https://github.com/Chanzhaoyu/chatgpt-web/issues/1323
  {
    name: "openai DNS EAI_AGAIN found in the message",
    facts: {
      provider: "openai",
      message: "request to https://api.openai.com/v1/chat/completions failed, reason: getaddrinfo EAI_AGAIN api.openai.com",
    },
    errorType: "network_error",
    providerCode: "EAI_AGAIN",
  },
  // https://github.com/nodejs/node/issues/52091
  {
    name: "openai undici connect timeout",
    facts: { provider: "openai", errorName: "TypeError", message: "fetch failed", code: "UND_ERR_CONNECT_TIMEOUT" },
    errorType: "timeout",
    providerCode: "UND_ERR_CONNECT_TIMEOUT",
  },
  // https://github.com/nodejs/undici/issues/3300 (fetch failed, cause SocketError code UND_ERR_SOCKET)
  {
    name: "openai undici socket closed by the other side",
    facts: { provider: "openai", errorName: "TypeError", message: "fetch failed", code: "UND_ERR_SOCKET" },
    errorType: "network_error",
    providerCode: "UND_ERR_SOCKET",
  },
  // https://github.com/Metaculus/metaculus/issues/660 (the cause's message when only it is passed)
  {
    name: "openai other side closed message alone",
    facts: { provider: "openai", errorName: "SocketError", message: "other side closed" },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/nodejs/undici/pull/1686 (AbortSignal.timeout rejects with a TimeoutError
  // DOMException, whose message Node spells this way)
  {
    name: "openai fetch aborted by AbortSignal.timeout is a timeout",
    facts: { provider: "openai", errorName: "TimeoutError", message: "The operation was aborted due to timeout" },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/openai/openai-node/issues/294
  {
    name: "openai stream premature close",
    facts: { provider: "openai", message: "Premature close", code: "ERR_STREAM_PREMATURE_CLOSE" },
    errorType: "network_error",
    providerCode: "ERR_STREAM_PREMATURE_CLOSE",
  },
  // https://github.com/openai/openai-node/issues/194
  {
    name: "openai stream aborted by the caller",
    facts: { provider: "openai", errorName: "AbortError", message: "This operation was aborted" },
    errorType: "canceled",
    providerCode: undefined,
  },
  // https://github.com/semanser/codel/issues/45 (go-openai message, status only in the text)
  {
    name: "openai status written in a Go client message",
    facts: { provider: "openai", message: "error, status code: 500, message: Internal server error" },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/yoheinakajima/babyagi/issues/64 (Cloudflare page in front of api.openai.com)
  {
    name: "openai 502 Cloudflare HTML page",
    facts: {
      provider: "openai",
      httpStatus: 502,
      body:
        '<!DOCTYPE html>\n\n <html class="no-js" lang="en-US">\n<head>\n\n<title>api.openai.com | 502: Bad gateway</title>\n<meta charset="UTF-8" />\n<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />\n',
    },
    errorType: "server_error",
    providerCode: undefined,
  },
];

const anthropic: FailureCase[] = [
  // https://github.com/anthropics/claude-code/issues/5184
  {
    name: "anthropic 529 overloaded_error",
    facts: {
      provider: "anthropic",
      httpStatus: 529,
      body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
    },
    errorType: "overloaded",
    providerCode: "overloaded_error",
  },
  // https://github.com/anthropics/claude-code/issues/66314
  {
    name: "anthropic 400 credit balance too low is an exhausted quota",
    facts: {
      provider: "anthropic",
      httpStatus: 400,
      body: '{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."},"request_id":"req_011CbrFTcXhtiMzr3s6EocF7"}',
    },
    errorType: "quota_exhausted",
    providerCode: "invalid_request_error",
  },
  // https://github.com/anthropics/claude-quickstarts/issues/83 (Python SDK message)
  {
    name: "anthropic credit balance inside a Python error message",
    facts: {
      provider: "anthropic",
      errorName: "BadRequestError",
      message:
        "Error code: 400 - {'type': 'error', 'error': {'type': 'invalid_request_error', 'message': 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.'}}",
    },
    errorType: "quota_exhausted",
    providerCode: "invalid_request_error",
  },
  // https://github.com/anthropics/claude-code/issues/38035
  {
    name: "anthropic 400 usage limit reached is an exhausted quota",
    facts: {
      provider: "anthropic",
      httpStatus: 400,
      body: '{"type":"error","error":{"type":"invalid_request_error","message":"You have reached your specified API usage limits. You will regain access on 2026-04-01 at 00:00 UTC."},"request_id":"req_011CZLrUfBVkVHn5T6EqQaf7"}',
    },
    errorType: "quota_exhausted",
    providerCode: "invalid_request_error",
  },
  // https://github.com/eyaltoledano/claude-task-master/issues/222
  {
    name: "anthropic 401 authentication_error",
    facts: {
      provider: "anthropic",
      httpStatus: 401,
      body: '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
    },
    errorType: "unauthorized",
    providerCode: "authentication_error",
  },
  // https://github.com/emilsvennesson/opencode-websearch/issues/15 (anthropic-sdk message only)
  {
    name: "anthropic authentication_error inside the SDK message",
    facts: {
      provider: "anthropic",
      message:
        '401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CaJCR7Pm2Jh2LbWpBH5Y6"}',
    },
    errorType: "unauthorized",
    providerCode: "authentication_error",
  },
  // https://github.com/anthropics/claude-code/issues/51610
  {
    name: "anthropic 403 permission_error",
    facts: {
      provider: "anthropic",
      httpStatus: 403,
      body: '{"type":"error","error":{"type":"permission_error","message":"Permission denied"},"request_id":"req_011CaH53rCYtDAVnwhLQvkuc"}',
    },
    errorType: "permission_denied",
    providerCode: "permission_error",
  },
  // https://github.com/can1357/oh-my-pi/issues/38
  {
    name: "anthropic 403 OAuth scope permission_error",
    facts: {
      provider: "anthropic",
      httpStatus: 403,
      body: '{"type":"error","error":{"type":"permission_error","message":"OAuth token does not meet scope requirement any_of(user:inference, user:ccr_inference, user:voice, org:service_key_inference)"},"request_id":"req_011CY4ZKJWn3U6TnV1BMNW2o"}',
    },
    errorType: "permission_denied",
    providerCode: "permission_error",
  },
  // https://github.com/anthropics/claude-quickstarts/issues/32 (the edge's region block)
  {
    name: "anthropic 403 forbidden from the edge",
    facts: {
      provider: "anthropic",
      httpStatus: 403,
      body: '{"error":{"type":"forbidden","message":"Request not allowed"}}',
    },
    errorType: "permission_denied",
    providerCode: "forbidden",
  },
  // https://github.com/mattermost/mattermost-plugin-agents/issues/257
  {
    name: "anthropic 404 not_found_error for a model",
    facts: {
      provider: "anthropic",
      httpStatus: 404,
      body: '{"type":"error","error":{"type":"not_found_error","message":"model: claude-3-5-sonnet-20241022 "}}',
    },
    errorType: "not_found",
    providerCode: "not_found_error",
  },
  // https://github.com/anthropics/claude-code/issues/14567
  {
    name: "anthropic 413 request_too_large",
    facts: {
      provider: "anthropic",
      httpStatus: 413,
      body: '{"error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}',
    },
    errorType: "bad_request",
    providerCode: "request_too_large",
  },
  // https://github.com/OpenHands/OpenHands/issues/9259
  {
    name: "anthropic 429 rate_limit_error on input tokens per minute",
    facts: {
      provider: "anthropic",
      httpStatus: 429,
      body: '{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization (0dccdde6-f924-4f1b-bb3b-92ef846e0a5b) of 20,000 input tokens per minute. For details, refer to: https://docs.anthropic.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase."}}',
    },
    errorType: "rate_limited",
    providerCode: "rate_limit_error",
  },
  // https://github.com/continuedev/continue/issues/9623 (the inner error object on its own)
  {
    name: "anthropic 429 bare error object",
    facts: {
      provider: "anthropic",
      httpStatus: 429,
      body: '{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization (c26fc127-ba09-49d3-a086-a2f26380d5e7) of 30,000 input tokens per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase."}',
    },
    errorType: "rate_limited",
    providerCode: "rate_limit_error",
  },
  // https://github.com/anthropics/claude-code/issues/61368
  {
    name: "anthropic 500 api_error",
    facts: {
      provider: "anthropic",
      httpStatus: 500,
      body: '{"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":"req_011CbGwJbzjfDGN6vNFPYMGA"}',
    },
    errorType: "server_error",
    providerCode: "api_error",
  },
  // Error event data from https://github.com/karthink/gptel/pull/1512; framing (ping event, blank
  // lines) as documented at https://docs.claude.com/en/docs/build-with-claude/streaming
  {
    name: "anthropic overloaded_error event mid-stream after HTTP 200",
    facts: {
      provider: "anthropic",
      httpStatus: 200,
      body:
        'event: ping\ndata: {"type": "ping"}\n\n' +
        'event: error\ndata: {"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011Ce3HwQb6vtbs9LQVmh4oe"}\n\n',
    },
    errorType: "overloaded",
    providerCode: "overloaded_error",
  },
  // Error payload as quoted in https://github.com/use-agent-os/agent-os/issues/2118; the text delta
  // before it constructed from the streaming docs' content_block_delta shape
  {
    name: "anthropic overloaded_error after content deltas",
    facts: {
      provider: "anthropic",
      httpStatus: 200,
      body:
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}\n\n' +
        'event: error\ndata: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}\n\n',
    },
    errorType: "overloaded",
    providerCode: "overloaded_error",
  },
  // https://github.com/anthropics/anthropic-sdk-typescript/issues/774 (undici cut the stream)
  {
    name: "anthropic stream terminated after HTTP 200",
    facts: { provider: "anthropic", httpStatus: 200, errorName: "TypeError", message: "terminated" },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/anthropics/claude-code/issues/4571
  {
    name: "anthropic APIConnectionTimeoutError",
    facts: { provider: "anthropic", errorName: "APIConnectionTimeoutError", message: "Request timed out." },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/anthropics/claude-code/issues/4574
  {
    name: "anthropic APIConnectionError over fetch failed",
    facts: { provider: "anthropic", errorName: "APIConnectionError", message: "Connection error." },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/anthropics/claude-code/issues/54287 (Bun's fetch)
  {
    name: "anthropic socket closed under Bun",
    facts: {
      provider: "anthropic",
      message:
        "The socket connection was closed unexpectedly. For more information, pass `verbose: true` in the second argument to fetch()",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/anthropics/claude-code/issues/14447 (APIUserAbortError keeps name "Error")
  {
    name: "anthropic request aborted by the user",
    facts: { provider: "anthropic", errorName: "Error", message: "Request was aborted." },
    errorType: "canceled",
    providerCode: undefined,
  },
  // https://github.com/anthropics/claude-code/issues/7043 (Envoy text body at the edge: its
  // connection to the backend was refused, which the 503 alone would call overload)
  {
    name: "anthropic 503 from the edge proxy whose connection to the backend was refused",
    facts: {
      provider: "anthropic",
      httpStatus: 503,
      body: "upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: delayed connect error: Connection refused",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/anthropics/claude-code/issues/16737 (Cloudflare in front of a relay)
  {
    name: "anthropic 524 Cloudflare timeout page",
    facts: {
      provider: "anthropic",
      httpStatus: 524,
      body: '<!DOCTYPE html>\n<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->\n<!--[if IE 7]>    <html class="no-js ie7 oldie" lang="en-US"> <![endif]-->\n<!--[if IE 8]>    <html class="no-js ie8 oldie" lang="en-US"> <![endif]-->\n<!--[if gt IE 8]><!--> <html class="no-js" lang="en-US"> <!--<![endif]-->\n<head>\n\n<title>newcli.com | 524: A timeout occurred</title>\n',
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/anthropics/claude-code/issues/56342
  {
    name: "anthropic connection refused",
    facts: { provider: "anthropic", code: "ECONNREFUSED", message: "ECONNREFUSED" },
    errorType: "network_error",
    providerCode: "ECONNREFUSED",
  },
  // https://github.com/anthropics/claude-code/issues/4114
  {
    name: "anthropic broken pipe",
    facts: { provider: "anthropic", code: "EPIPE", message: "write EPIPE" },
    errorType: "network_error",
    providerCode: "EPIPE",
  },
  // constructed from the https://docs.claude.com/en/api/errors shape (402 billing_error); message invented
  {
    name: "anthropic 402 billing_error",
    facts: {
      provider: "anthropic",
      httpStatus: 402,
      body: '{"type":"error","error":{"type":"billing_error","message":"Billing error"},"request_id":"req_018EeWyXxfu5pfWkrYcMdjWG"}',
    },
    errorType: "quota_exhausted",
    providerCode: "billing_error",
  },
];

const geminiQuotaHelp = {
  "@type": "type.googleapis.com/google.rpc.Help",
  links: [{ description: "Learn more about Gemini API quotas", url: "https://ai.google.dev/gemini-api/docs/rate-limits" }],
};

/** The message format of @google/genai's ApiError: the body, pretty-printed, inside an envelope. */
function genaiApiErrorMessage(inner: unknown, code: number, status: string): string {
  return json({ error: { message: `${pretty(inner)}\n`, code, status } });
}

const gemini: FailureCase[] = [
  // https://github.com/continuedev/continue/issues/8516 (Gemini wraps the error in an array)
  {
    name: "gemini 400 API_KEY_INVALID inside a JSON array",
    facts: {
      provider: "gemini",
      httpStatus: 400,
      body: pretty([
        {
          error: {
            code: 400,
            message: "API key not valid. Please pass a valid API key.",
            status: "INVALID_ARGUMENT",
            details: [
              {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                reason: "API_KEY_INVALID",
                domain: "googleapis.com",
                metadata: { service: "generativelanguage.googleapis.com" },
              },
              {
                "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
                locale: "en-US",
                message: "API key not valid. Please pass a valid API key.",
              },
            ],
          },
        },
      ]),
    },
    errorType: "unauthorized",
    providerCode: "API_KEY_INVALID",
  },
  // https://github.com/google-gemini/gemini-cli/issues/25198 (quoted up to the metadata; closed as the shape above)
  {
    name: "gemini API key not found is unauthorized by its reason",
    facts: {
      provider: "gemini",
      message:
        'Failed to generate content: {"error":{"code":400,"message":"API Key not found. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}]}}',
    },
    errorType: "unauthorized",
    providerCode: "API_KEY_INVALID",
  },
  // https://github.com/Jazee6/cloudflare-ai-web/issues/13 (@google/generative-ai message)
  {
    name: "gemini API_KEY_INVALID in a generative-ai SDK message",
    facts: {
      provider: "gemini",
      errorName: "GoogleGenerativeAIFetchError",
      message:
        '[GoogleGenerativeAI Error]: Error fetching from https://generativelanguage.googleapis.com/v1/models/gemini-pro:streamGenerateContent?alt=sse: [400 Bad Request] API key not valid. Please pass a valid API key. [{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}]',
    },
    errorType: "unauthorized",
    providerCode: "API_KEY_INVALID",
  },
  // https://github.com/google/generative-ai-docs/issues/236
  {
    name: "gemini 429 RESOURCE_EXHAUSTED without details is a rate limit",
    facts: {
      provider: "gemini",
      httpStatus: 429,
      body: pretty({ error: { code: 429, message: "Resource has been exhausted (e.g. check quota).", status: "RESOURCE_EXHAUSTED" } }),
    },
    errorType: "rate_limited",
    providerCode: "RESOURCE_EXHAUSTED",
  },
  // https://github.com/xtekky/gpt4free/issues/1700 (API key in the URL masked)
  {
    name: "gemini per-minute quota with reason RATE_LIMIT_EXCEEDED",
    facts: {
      provider: "gemini",
      message:
        '[GoogleGenerativeAI Error]: Error fetching from https://generativelanguage.googleapis.com/v1/models/gemini-pro:generateContent?key=AIza****: [429 Too Many Requests] Quota exceeded for quota metric \'Generate Content API requests per minute\' and limit \'GenerateContent request limit per minute for a region\' of service \'generativelanguage.googleapis.com\' for consumer \'project_number:440059914257\'. [{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"googleapis.com","metadata":{"quota_location":"us-east2","service":"generativelanguage.googleapis.com","consumer":"projects/440059914257","quota_limit_value":"60","quota_metric":"generativelanguage.googleapis.com/generate_content_requests","quota_limit":"GenerateContentRequestsPerMinutePerProjectPerRegion"}},{"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Request a higher quota limit.","url":"https://cloud.google.com/docs/quota#requesting_higher_quota"}]}]',
    },
    errorType: "rate_limited",
    providerCode: "RATE_LIMIT_EXCEEDED",
  },
  // https://github.com/google-gemini/gemini-cli/issues/8437 (google-genai Python message; the thread
  // cuts off inside the Help entry, completed with the standard Help link)
  {
    name: "gemini QuotaFailure with a per-day violation is an exhausted quota",
    facts: {
      provider: "gemini",
      message:
        "429 RESOURCE_EXHAUSTED. {'error': {'code': 429, 'message': 'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.', 'status': 'RESOURCE_EXHAUSTED', 'details': [{'@type': 'type.googleapis.com/google.rpc.QuotaFailure', 'violations': [{'quotaMetric': 'generativelanguage.googleapis.com/generate_content_free_tier_input_token_count', 'quotaId': 'GenerateContentInputTokensPerModelPerMinute-FreeTier', 'quotaDimensions': {'location': 'global', 'model': 'gemini-2.5-flash-preview-image'}}, {'quotaMetric': 'generativelanguage.googleapis.com/generate_content_free_tier_requests', 'quotaId': 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier', 'quotaDimensions': {'location': 'global', 'model': 'gemini-2.5-flash-preview-image'}}, {'quotaMetric': 'generativelanguage.googleapis.com/generate_content_free_tier_requests', 'quotaId': 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', 'quotaDimensions': {'model': 'gemini-2.5-flash-preview-image', 'location': 'global'}}]}, {'@type': 'type.googleapis.com/google.rpc.Help', 'links': [{'description': 'Learn more about Gemini API quotas', 'url': 'https://ai.google.dev/gemini-api/docs/rate-limits'}]}]}}",
    },
    errorType: "quota_exhausted",
    providerCode: "RESOURCE_EXHAUSTED",
  },
  // https://github.com/continuedev/continue/issues/10085 (free tier "limit: 0": the model is not in
  // the free tier at all; violations completed from the metrics the message lists)
  {
    name: "gemini free-tier limit 0 is an exhausted quota",
    facts: {
      provider: "gemini",
      message: genaiApiErrorMessage(
        {
          error: {
            code: 429,
            message:
              "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/rate-limit. \n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_input_token_count, limit: 0, model: gemini-2.5-pro\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-2.5-pro\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-2.5-pro\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_input_token_count, limit: 0, model: gemini-2.5-pro\nPlease retry in 38.863719904s.",
            status: "RESOURCE_EXHAUSTED",
            details: [
              geminiQuotaHelp,
              {
                "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                violations: [
                  {
                    quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count",
                    quotaId: "GenerateContentInputTokensPerModelPerMinute-FreeTier",
                    quotaDimensions: { location: "global", model: "gemini-2.5-pro" },
                  },
                  {
                    quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                    quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                    quotaDimensions: { location: "global", model: "gemini-2.5-pro" },
                  },
                ],
              },
              { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "38s" },
            ],
          },
        },
        429,
        "Too Many Requests",
      ),
    },
    errorType: "quota_exhausted",
    providerCode: "RESOURCE_EXHAUSTED",
    retryAfterMs: 38000,
  },
  // constructed from the QuotaFailure shape in https://github.com/llmsresearch/paperbanana/issues/10
  // (a per-minute violation plus RetryInfo); the message is Google's standard 429 text, which it
  // also sends for per-day limits, so only the violation can tell them apart
  {
    name: "gemini QuotaFailure with only a per-minute violation is a rate limit",
    facts: {
      provider: "gemini",
      httpStatus: 429,
      body: pretty({
        error: {
          code: 429,
          message:
            "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
          status: "RESOURCE_EXHAUSTED",
          details: [
            {
              "@type": "type.googleapis.com/google.rpc.QuotaFailure",
              violations: [
                {
                  quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count",
                  quotaId: "GenerateContentInputTokensPerModelPerMinute-FreeTier",
                  quotaDimensions: { model: "gemini-2.0-flash", location: "global" },
                },
              ],
            },
            geminiQuotaHelp,
            { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "59s" },
          ],
        },
      }),
    },
    errorType: "rate_limited",
    providerCode: "RESOURCE_EXHAUSTED",
    retryAfterMs: 59000,
  },
  // https://github.com/BerriAI/litellm/issues/9035
  {
    name: "gemini per-day request quota is an exhausted quota",
    facts: {
      provider: "gemini",
      httpStatus: 429,
      body: pretty({
        error: {
          code: 429,
          message:
            "You exceeded your current quota. Please migrate to Gemini 2.5 Pro Preview (models/gemini-2.5-pro-preview-03-25) for higher quota limits. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
          status: "RESOURCE_EXHAUSTED",
          details: [
            {
              "@type": "type.googleapis.com/google.rpc.QuotaFailure",
              violations: [
                {
                  quotaMetric: "generativelanguage.googleapis.com/generate_requests_per_model_per_day",
                  quotaId: "GenerateRequestsPerDayPerProjectPerModel",
                },
              ],
            },
            geminiQuotaHelp,
          ],
        },
      }),
    },
    errorType: "quota_exhausted",
    providerCode: "RESOURCE_EXHAUSTED",
  },
  // https://github.com/google-gemini/gemini-cli/issues/2020 (@google/genai message)
  {
    name: "gemini RESOURCE_EXHAUSTED inside a genai SDK message",
    facts: {
      provider: "gemini",
      message:
        "got status: 429 Too Many Requests. " +
        genaiApiErrorMessage(
          { error: { code: 429, message: "Resource has been exhausted (e.g. check quota).", status: "RESOURCE_EXHAUSTED" } },
          429,
          "Too Many Requests",
        ),
    },
    errorType: "rate_limited",
    providerCode: "RESOURCE_EXHAUSTED",
  },
  // https://github.com/lobehub/lobehub/issues/9728
  {
    name: "gemini 503 model overloaded",
    facts: {
      provider: "gemini",
      httpStatus: 503,
      body: pretty({ error: { code: 503, message: "The model is overloaded. Please try again later.", status: "UNAVAILABLE" } }),
    },
    errorType: "overloaded",
    providerCode: "UNAVAILABLE",
  },
  // https://github.com/continuedev/continue/issues/10639
  {
    name: "gemini 503 high demand inside a genai SDK message",
    facts: {
      provider: "gemini",
      message: genaiApiErrorMessage(
        {
          error: {
            code: 503,
            message: "This model is currently experiencing high demand. Spikes in demand are usually temporary. Please try again later.",
            status: "UNAVAILABLE",
          },
        },
        503,
        "Service Unavailable",
      ),
    },
    errorType: "overloaded",
    providerCode: "UNAVAILABLE",
  },
  // https://github.com/google-gemini/gemini-cli/issues/23520
  {
    name: "gemini 503 MODEL_CAPACITY_EXHAUSTED",
    facts: {
      provider: "gemini",
      httpStatus: 503,
      body: pretty({
        error: {
          code: 503,
          details: [
            {
              "@type": "type.googleapis.com/google.rpc.ErrorInfo",
              domain: "cloudcode-pa.googleapis.com",
              reason: "MODEL_CAPACITY_EXHAUSTED",
            },
          ],
          message: "No capacity available for model on the server",
          status: "UNAVAILABLE",
        },
      }),
    },
    errorType: "overloaded",
    providerCode: "MODEL_CAPACITY_EXHAUSTED",
  },
  // https://github.com/PublicAffairs/openai-gemini/issues/15
  {
    name: "gemini 500 INTERNAL",
    facts: {
      provider: "gemini",
      httpStatus: 500,
      body: pretty({
        error: {
          code: 500,
          message: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
          status: "INTERNAL",
        },
      }),
    },
    errorType: "server_error",
    providerCode: "INTERNAL",
  },
  // https://github.com/wwardaww/gnome-gemini-ai/issues/22
  {
    name: "gemini 404 NOT_FOUND model",
    facts: {
      provider: "gemini",
      httpStatus: 404,
      body: pretty({
        error: {
          code: 404,
          message:
            "models/gemini-pro is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.",
          status: "NOT_FOUND",
        },
      }),
    },
    errorType: "not_found",
    providerCode: "NOT_FOUND",
  },
  // https://github.com/gemini-api-php/client/issues/32
  {
    name: "gemini 400 unsupported user location is a permission problem",
    facts: {
      provider: "gemini",
      httpStatus: 400,
      body: '{ "error": { "code": 400, "message": "User location is not supported for the API use.", "status": "FAILED_PRECONDITION" } }',
    },
    errorType: "permission_denied",
    providerCode: "FAILED_PRECONDITION",
  },
  // https://github.com/google/generative-ai-docs/issues/356 (key masked)
  {
    name: "gemini 403 CONSUMER_SUSPENDED",
    facts: {
      provider: "gemini",
      httpStatus: 403,
      body: pretty({
        error: {
          code: 403,
          message: "Permission denied: Consumer 'api_key:AIza****' has been suspended.",
          status: "PERMISSION_DENIED",
          details: [
            {
              "@type": "type.googleapis.com/google.rpc.ErrorInfo",
              reason: "CONSUMER_SUSPENDED",
              domain: "googleapis.com",
              metadata: { service: "generativelanguage.googleapis.com", consumer: "projects/578829824020" },
            },
          ],
        },
      }),
    },
    errorType: "permission_denied",
    providerCode: "CONSUMER_SUSPENDED",
  },
  // https://github.com/gemini-cli-extensions/nanobanana/issues/16
  {
    name: "gemini 403 CONSUMER_INVALID inside a JSON array with legacy errors",
    facts: {
      provider: "gemini",
      httpStatus: 403,
      body: pretty([
        {
          error: {
            code: 403,
            message: "Permission denied on resource project polynomial-coda-466015-e4.",
            errors: [
              { message: "Permission denied on resource project polynomial-coda-466015-e4.", domain: "global", reason: "forbidden" },
            ],
            status: "PERMISSION_DENIED",
            details: [
              {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                reason: "CONSUMER_INVALID",
                domain: "googleapis.com",
                metadata: {
                  containerInfo: "polynomial-coda-466015-e4",
                  service: "cloudaicompanion.googleapis.com",
                  consumer: "projects/polynomial-coda-466015-e4",
                },
              },
              {
                "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
                locale: "en-US",
                message: "Permission denied on resource project polynomial-coda-466015-e4.",
              },
              {
                "@type": "type.googleapis.com/google.rpc.Help",
                links: [{ description: "Google developers console", url: "https://console.developers.google.com" }],
              },
            ],
          },
        },
      ]),
    },
    errorType: "permission_denied",
    providerCode: "CONSUMER_INVALID",
  },
  // https://github.com/google-gemini/cookbook/issues/425 (google-genai Python message)
  {
    name: "gemini UNAVAILABLE inside a Python error message",
    facts: {
      provider: "gemini",
      message:
        "503 UNAVAILABLE. {'error': {'code': 503, 'message': 'The model is overloaded. Please try again later.', 'status': 'UNAVAILABLE'}}",
    },
    errorType: "overloaded",
    providerCode: "UNAVAILABLE",
  },
  // https://github.com/google-gemini/deprecated-generative-ai-python/issues/294
  {
    name: "gemini client deadline exceeded",
    facts: {
      provider: "gemini",
      errorName: "DeadlineExceeded",
      message: "google.api_core.exceptions.DeadlineExceeded: 504 Deadline Exceeded",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // constructed from the google.rpc.Status shape with the message quoted in
  // https://github.com/google-gemini/gemini-cli/issues/15762
  {
    name: "gemini 400 INVALID_ARGUMENT",
    facts: {
      provider: "gemini",
      httpStatus: 400,
      body: pretty({ error: { code: 400, message: "Request contains an invalid argument.", status: "INVALID_ARGUMENT" } }),
    },
    errorType: "bad_request",
    providerCode: "INVALID_ARGUMENT",
  },
];

const vertex: FailureCase[] = [
  // https://github.com/google-gemini/gemini-cli/issues/12750
  {
    name: "vertex 429 with legacy rateLimitExceeded reason",
    facts: {
      provider: "vertex",
      httpStatus: 429,
      body: pretty({
        error: {
          code: 429,
          message:
            "Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.",
          errors: [
            {
              message:
                "Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.",
              domain: "global",
              reason: "rateLimitExceeded",
            },
          ],
          status: "RESOURCE_EXHAUSTED",
        },
      }),
    },
    errorType: "rate_limited",
    providerCode: "RESOURCE_EXHAUSTED",
  },
  // https://github.com/google-gemini/gemini-cli/issues/15911 (message only)
  {
    name: "vertex resource exhausted message alone",
    facts: {
      provider: "vertex",
      message:
        "Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/googleapis/google-cloud-java/issues/11195 (capacity, not the caller's quota)
  {
    name: "vertex RESOURCE_EXHAUSTED out of capacity is overload",
    facts: {
      provider: "vertex",
      message:
        "com.google.api.gax.rpc.ResourceExhaustedException: io.grpc.StatusRuntimeException: RESOURCE_EXHAUSTED: Unable to submit request because the service is temporarily out of capacity. Try again later.",
    },
    errorType: "overloaded",
    providerCode: "RESOURCE_EXHAUSTED",
  },
  // gRPC message as @grpc/grpc-js formats it; https://github.com/googleapis/repo-automation-bots/issues/4525
  {
    name: "vertex gRPC DEADLINE_EXCEEDED",
    facts: { provider: "vertex", message: "4 DEADLINE_EXCEEDED: Deadline exceeded" },
    errorType: "timeout",
    providerCode: "DEADLINE_EXCEEDED",
  },
  // gRPC message as Google Cloud Node clients print it, e.g. the Document AI troubleshooting README
  // found in the public code index ("Error: 8 RESOURCE_EXHAUSTED: Quota exceeded")
  {
    name: "vertex gRPC RESOURCE_EXHAUSTED",
    facts: { provider: "vertex", message: "Error: 8 RESOURCE_EXHAUSTED: Quota exceeded." },
    errorType: "rate_limited",
    providerCode: "RESOURCE_EXHAUSTED",
  },
  // https://github.com/grpc/grpc-node/issues/1754 (UNAVAILABLE because no connection was made)
  {
    name: "vertex gRPC UNAVAILABLE without a connection is a network error",
    facts: { provider: "vertex", message: "14 UNAVAILABLE: No connection established" },
    errorType: "network_error",
    providerCode: "UNAVAILABLE",
  },
  // https://github.com/grpc/grpc-node/issues/1808 (the server refused the stream: capacity)
  {
    name: "vertex gRPC UNAVAILABLE refused by the server is overload",
    facts: { provider: "vertex", message: "14 UNAVAILABLE: Stream refused by server" },
    errorType: "overloaded",
    providerCode: "UNAVAILABLE",
  },
  // https://github.com/agreatfool/grpc_tools_node_protoc_ts/issues/134
  {
    name: "vertex gRPC UNAVAILABLE with ECONNREFUSED",
    facts: {
      provider: "vertex",
      message: "14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:8080 (2023-10-19T20:59:35.951Z)",
    },
    errorType: "network_error",
    providerCode: "UNAVAILABLE",
  },
];

const bedrock: FailureCase[] = [
  // https://github.com/posit-dev/positron/issues/7844 (aws-sdk-js-v3 error: name and $metadata only)
  {
    name: "bedrock ThrottlingException by name",
    facts: { provider: "bedrock", httpStatus: 429, errorName: "ThrottlingException" },
    errorType: "rate_limited",
    providerCode: "ThrottlingException",
  },
  // https://github.com/aws-samples/amazon-bedrock-client-for-mac/issues/99 (x-amzn-ErrorType header
  // value passed as the name; the 63-byte body from the same response)
  {
    name: "bedrock ThrottlingException from the x-amzn-ErrorType value",
    facts: {
      provider: "bedrock",
      httpStatus: 429,
      errorName: "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/",
      body: '{"message":"Too many tokens, please wait before trying again."}',
    },
    errorType: "rate_limited",
    providerCode: "ThrottlingException",
  },
  // https://github.com/i-dot-ai/caddy-chatbot/issues/97 (botocore message)
  {
    name: "bedrock ThrottlingException in a botocore message",
    facts: {
      provider: "bedrock",
      message:
        "An error occurred (ThrottlingException) when calling the InvokeModel operation (reached max retries: 4): Too many requests, please wait before trying again. You have sent too many requests. Wait before trying again.",
    },
    errorType: "rate_limited",
    providerCode: "ThrottlingException",
  },
  // https://github.com/aws-samples/aws-genai-llm-chatbot/issues/220 (event stream: lower-case name)
  {
    name: "bedrock throttlingException in an event stream",
    facts: {
      provider: "bedrock",
      errorName: "EventStreamError",
      message:
        "An error occurred (throttlingException) when calling the InvokeModelWithResponseStream operation: Too many requests, please wait before trying again. You have sent too many requests.  Wait before trying again.",
    },
    errorType: "rate_limited",
    providerCode: "ThrottlingException",
  },
  // https://github.com/aws-samples/generative-ai-to-build-a-devsecops-chatbot/issues/3
  {
    name: "bedrock AccessDeniedException for a model without access",
    facts: {
      provider: "bedrock",
      message:
        "Error raised by bedrock service: An error occurred (AccessDeniedException) when calling the InvokeModel operation: You don't have access to the model with the specified model ID.",
    },
    errorType: "permission_denied",
    providerCode: "AccessDeniedException",
  },
  // https://github.com/andrewyng/aisuite/issues/174 (Converse API)
  {
    name: "bedrock AccessDeniedException on Converse",
    facts: {
      provider: "bedrock",
      httpStatus: 403,
      errorName: "AccessDeniedException",
      message:
        "An error occurred (AccessDeniedException) when calling the Converse operation: You don't have access to the model with the specified model ID.",
    },
    errorType: "permission_denied",
    providerCode: "AccessDeniedException",
  },
  // https://github.com/aws-samples/assessment-generator/issues/2 (aws-sdk-js-v3, 400)
  {
    name: "bedrock ValidationException input too long",
    facts: {
      provider: "bedrock",
      httpStatus: 400,
      errorName: "ValidationException",
      message: "Input is too long for requested model.",
    },
    errorType: "bad_request",
    providerCode: "ValidationException",
  },
  // https://github.com/aws-samples/bedrock-chat/issues/95 (event stream)
  {
    name: "bedrock validationException in an event stream",
    facts: {
      provider: "bedrock",
      message:
        "An error occurred (validationException) when calling the InvokeModelWithResponseStream operation: Input is too long for requested model.",
    },
    errorType: "bad_request",
    providerCode: "ValidationException",
  },
  // https://github.com/ArranJacques/laravel-aws-cognito-auth/issues/25 (the AWS JSON-protocol body
  // every AWS service, Bedrock included, sends for a bad access key)
  {
    name: "bedrock UnrecognizedClientException in __type",
    facts: {
      provider: "bedrock",
      httpStatus: 400,
      body: '{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}',
    },
    errorType: "unauthorized",
    providerCode: "UnrecognizedClientException",
  },
  // https://github.com/quarkiverse/quarkus-langchain4j/pull/1794 (no exception name, only a 403)
  {
    name: "bedrock 403 expired security token is unauthorized",
    facts: {
      provider: "bedrock",
      httpStatus: 403,
      body: '{"message":"The security token included in the request is expired"}',
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/quarkiverse/quarkus-langchain4j/pull/1794
  {
    name: "bedrock 403 IAM policy denial",
    facts: {
      provider: "bedrock",
      httpStatus: 403,
      body: '{"Message":"User: arn:aws:sts::******:assumed-role/spotinst-worker-******-components/******** is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:******:*****:inference-profile/eu.amazon.nova-pro-v1:0 because no identity-based policy allows the bedrock:InvokeModel action"}',
    },
    errorType: "permission_denied",
    providerCode: undefined,
  },
  // https://github.com/danny-avila/LibreChat/issues/4217 (aws-sdk-js-v3, during the stream)
  {
    name: "bedrock ServiceUnavailableException is overload",
    facts: { provider: "bedrock", errorName: "ServiceUnavailableException", message: "Bedrock is unable to process your request." },
    errorType: "overloaded",
    providerCode: "ServiceUnavailableException",
  },
  // https://github.com/aws-samples/foundation-model-benchmarking-tool/issues/247 (event-stream
  // exception that LiteLLM reports with status 400; the exception name beats the status)
  {
    name: "bedrock serviceUnavailableException with HTTP 400",
    facts: {
      provider: "bedrock",
      httpStatus: 400,
      message:
        "litellm.APIConnectionError: Bad response code, expected 200: {'status_code': 400, 'headers': {':exception-type': 'serviceUnavailableException', ':content-type': 'application/json', ':message-type': 'exception'}, 'body': b'{\"message\":\"Bedrock is unable to process your request.\"}'}",
    },
    errorType: "overloaded",
    providerCode: "ServiceUnavailableException",
  },
  // https://github.com/ministryofjustice/modernisation-platform-environments/pull/18323 (LiteLLM calls
  // it a connection error; the message says it is an authorization problem)
  {
    name: "bedrock marketplace authorization failure wrapped as a connection error",
    facts: {
      provider: "bedrock",
      message:
        'litellm.APIConnectionError: BedrockException - {"message":"Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model. Refer to the Amazon Bedrock documentation for further details. Your AWS Marketplace subscription for this model cannot be completed at this time. If you recently fixed this issue, try again after 5 minutes."}.',
    },
    errorType: "permission_denied",
    providerCode: undefined,
  },
  // constructed from https://docs.aws.amazon.com/botocore/latest/reference/services/bedrock-runtime/client/exceptions/ModelNotReadyException.html
  {
    name: "bedrock ModelNotReadyException is overload",
    facts: { provider: "bedrock", httpStatus: 429, errorName: "ModelNotReadyException" },
    errorType: "overloaded",
    providerCode: "ModelNotReadyException",
  },
  // constructed from https://docs.aws.amazon.com/botocore/latest/reference/services/bedrock-runtime/client/exceptions/ModelTimeoutException.html
  {
    name: "bedrock ModelTimeoutException",
    facts: {
      provider: "bedrock",
      httpStatus: 408,
      errorName: "ModelTimeoutException",
      message: "The request took too long to process. Processing time exceeded the model timeout length.",
    },
    errorType: "timeout",
    providerCode: "ModelTimeoutException",
  },
  // constructed from the InvokeModel API reference error list (ServiceQuotaExceededException, 400)
  {
    name: "bedrock ServiceQuotaExceededException",
    facts: {
      provider: "bedrock",
      httpStatus: 400,
      errorName: "ServiceQuotaExceededException",
      message: "Your request exceeds the service quota for your account.",
    },
    errorType: "quota_exhausted",
    providerCode: "ServiceQuotaExceededException",
  },
  // constructed from the InvokeModel API reference error list (InternalServerException, 500)
  {
    name: "bedrock InternalServerException",
    facts: { provider: "bedrock", httpStatus: 500, errorName: "InternalServerException" },
    errorType: "server_error",
    providerCode: "InternalServerException",
  },
  // constructed from the ConverseStream API reference (modelStreamErrorException event after HTTP 200)
  {
    name: "bedrock modelStreamErrorException event",
    facts: {
      provider: "bedrock",
      httpStatus: 200,
      body: '{"modelStreamErrorException":{"message":"The model failed while streaming its response."}}',
    },
    errorType: "server_error",
    providerCode: "ModelStreamErrorException",
  },
  // constructed from the InvokeModel API reference error list (ModelErrorException, 424)
  {
    name: "bedrock ModelErrorException",
    facts: { provider: "bedrock", httpStatus: 424, errorName: "ModelErrorException" },
    errorType: "server_error",
    providerCode: "ModelErrorException",
  },
  // constructed from https://github.com/aws/aws-sdk-js-v3/issues/6424 (ResourceNotFoundException)
  {
    name: "bedrock ResourceNotFoundException",
    facts: { provider: "bedrock", httpStatus: 404, errorName: "ResourceNotFoundException" },
    errorType: "not_found",
    providerCode: "ResourceNotFoundException",
  },
  // constructed: the com.amazon.coral.service# prefix AWS JSON protocols put in __type
  {
    name: "bedrock ExpiredTokenException with a coral prefix",
    facts: {
      provider: "bedrock",
      httpStatus: 403,
      body: '{"__type":"com.amazon.coral.service#ExpiredTokenException","message":"The security token included in the request is expired"}',
    },
    errorType: "unauthorized",
    providerCode: "ExpiredTokenException",
  },
];

const azure: FailureCase[] = [
  // https://github.com/vibrantlabsai/ragas/issues/649
  {
    name: "azure 400 content_filter with innererror",
    facts: {
      provider: "azure",
      httpStatus: 400,
      body: json({
        error: {
          message:
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
          type: null,
          param: "prompt",
          code: "content_filter",
          status: 400,
          innererror: {
            code: "ResponsibleAIPolicyViolation",
            content_filter_result: {
              hate: { filtered: false, severity: "safe" },
              self_harm: { filtered: false, severity: "safe" },
              sexual: { filtered: false, severity: "safe" },
              violence: { filtered: true, severity: "medium" },
            },
          },
        },
      }),
    },
    errorType: "bad_request",
    providerCode: "content_filter",
  },
  // https://github.com/stanford-crfm/helm/pull/3327
  {
    name: "azure 400 content_filter without innererror",
    facts: {
      provider: "azure",
      httpStatus: 400,
      body: json({
        error: {
          message:
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
          type: null,
          param: "prompt",
          code: "content_filter",
          status: 400,
        },
      }),
    },
    errorType: "bad_request",
    providerCode: "content_filter",
  },
  // https://github.com/BerriAI/litellm/pull/16231 (LiteLLM re-wraps Azure's filter; the thread cuts
  // off inside content_filter_result, completed with the remaining categories)
  {
    name: "azure content filter re-wrapped by LiteLLM",
    facts: {
      provider: "azure",
      httpStatus: 400,
      body: pretty({
        error: {
          message:
            "litellm.BadRequestError: litellm.ContentPolicyViolationError: litellm.ContentPolicyViolationError: AzureException - The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766\nmodel=azure/gpt-4o-new-test. content_policy_fallback=None. fallbacks=None.\n\nSet 'content_policy_fallback' - https://docs.litellm.ai/docs/routing#fallbacks. Received Model Group=azure/gpt-4o-new-test\nAvailable Model Group Fallbacks=None",
          type: null,
          param: null,
          code: "400",
          provider_specific_fields: {
            innererror: {
              code: "ResponsibleAIPolicyViolation",
              content_filter_result: {
                hate: { filtered: true, severity: "high" },
                jailbreak: { filtered: false, detected: false },
                self_harm: { filtered: false, severity: "safe" },
                sexual: { filtered: false, severity: "safe" },
                violence: { filtered: false, severity: "safe" },
              },
            },
          },
        },
      }),
    },
    errorType: "bad_request",
    providerCode: "ResponsibleAIPolicyViolation",
  },
  // https://github.com/vanderschaarlab/climb/issues/1 (comment by jonjinkim)
  {
    name: "azure 429 token rate limit",
    facts: {
      provider: "azure",
      httpStatus: 429,
      body: json({
        error: {
          code: "429",
          message:
            "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-08-01-preview have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 86400 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.",
        },
      }),
    },
    errorType: "rate_limited",
    providerCode: undefined,
    retryAfterMs: 86400000,
  },
  // https://github.com/assafelovic/gpt-researcher/issues/980
  {
    name: "azure 404 DeploymentNotFound",
    facts: {
      provider: "azure",
      httpStatus: 404,
      body: '{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}',
    },
    errorType: "not_found",
    providerCode: "DeploymentNotFound",
  },
  // https://github.com/Azure-Samples/azure-search-openai-demo-csharp/issues/379 (Azure SDK for .NET message)
  {
    name: "azure DeploymentNotFound in a .NET exception message",
    facts: {
      provider: "azure",
      errorName: "HttpOperationException",
      message:
        "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.\nStatus: 404 (DeploymentNotFound)\nErrorCode: DeploymentNotFound",
    },
    errorType: "not_found",
    providerCode: "DeploymentNotFound",
  },
  // https://github.com/SciSharp/BotSharp/issues/386
  {
    name: "azure 401 invalid subscription key",
    facts: {
      provider: "azure",
      httpStatus: 401,
      body: '{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}}',
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/vercel/chatbot/issues/588
  {
    name: "azure 401 with code Unauthorized",
    facts: {
      provider: "azure",
      httpStatus: 401,
      body: '{"error":{"code":"Unauthorized","message": "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}}',
    },
    errorType: "unauthorized",
    providerCode: "Unauthorized",
  },
];

const mistral: FailureCase[] = [
  // https://github.com/pydantic/pydantic-ai/issues/1885
  {
    name: "mistral 429 requests rate limit",
    facts: { provider: "mistral", httpStatus: 429, body: '{"message":"Requests rate limit exceeded"}' },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/cline/cline/issues/9085
  {
    name: "mistral 429 rate_limited type with a numeric code",
    facts: {
      provider: "mistral",
      httpStatus: 429,
      body: '{"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}',
    },
    errorType: "rate_limited",
    providerCode: "rate_limited",
  },
  // https://github.com/raycast/extensions/issues/31107 (mistralai SDK message, no status passed)
  {
    name: "mistral SDKError message",
    facts: {
      provider: "mistral",
      errorName: "SDKError",
      message:
        'API error occurred: Status 429\nBody: {"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300","raw_status_code":429}',
    },
    errorType: "rate_limited",
    providerCode: "rate_limited",
  },
  // https://github.com/agent0ai/agent-zero/issues/539
  {
    name: "mistral 401 detail Unauthorized",
    facts: { provider: "mistral", httpStatus: 401, body: '{"detail":"Unauthorized"}' },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/cline/cline/issues/1734
  {
    name: "mistral 401 message Unauthorized",
    facts: {
      provider: "mistral",
      httpStatus: 401,
      body: '{\n  "message":"Unauthorized",\n  "request_id":"c61f2f15feca71626a990e3740f99245"\n}',
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/tmc/langchaingo/issues/1233 (an unknown model is not found, whatever the 400)
  {
    name: "mistral 400 invalid_model",
    facts: {
      provider: "mistral",
      httpStatus: 400,
      body: '{"object":"error","message":"Invalid model: ","type":"invalid_model","param":null,"code":"1500"}',
    },
    errorType: "not_found",
    providerCode: "invalid_model",
  },
  // https://github.com/Gitlawb/openclaude/issues/739
  {
    name: "mistral 422 validation detail list",
    facts: {
      provider: "mistral",
      httpStatus: 422,
      body: '{"detail":[{"type":"extra_forbidden","loc":["body","store"],"msg":"Extra inputs are not permitted","input":false},{"type":"extra_forbidden","loc":["body","max_completion_tokens"],"msg":"Extra inputs are not permitted","input":8192}]}',
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/mistralai/mistral-vibe/issues/264
  {
    name: "mistral ratelimit message alone",
    facts: {
      provider: "mistral",
      message: "API error from mistral (model: mistral-vibe-cli-latest): Ratelimit exceeded. Please wait a moment before trying again.",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
];

const groq: FailureCase[] = [
  // https://github.com/crewAIInc/crewAI/issues/494
  {
    name: "groq 429 tokens per minute",
    facts: {
      provider: "groq",
      httpStatus: 429,
      body: json({
        error: {
          message:
            "Rate limit reached for model `llama3-70b-8192` in organization `org_123` on tokens per minute (TPM): Limit 5000, Used 5747, Requested ~4251. Please try again in 59.977s. Visit https://console.groq.com/docs/rate-limits for more information.",
          type: "tokens",
          code: "rate_limit_exceeded",
        },
      }),
    },
    errorType: "rate_limited",
    providerCode: "rate_limit_exceeded",
    retryAfterMs: 59977,
  },
  // https://github.com/continuedev/continue/issues/10920 (a daily token allowance: exhausted quota)
  {
    name: "groq tokens per day is an exhausted quota",
    facts: {
      provider: "groq",
      message:
        "429 Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_01kjh7p9n8f1qs6nz2bz77vy6b` service tier `on_demand` on tokens per day (TPD): Limit 100000, Used 97050, Requested 3619. Please try again in 9m38.016s. Need more tokens%3F Upgrade to Dev Tier today at https://console.groq.com/settings/billing",
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
    retryAfterMs: 578016,
  },
  // https://github.com/assafelovic/gpt-researcher/issues/985 (larger than the TPM limit: never fits)
  {
    name: "groq 413 request too large for the tokens-per-minute limit",
    facts: {
      provider: "groq",
      httpStatus: 413,
      body: json({
        error: {
          message:
            "Request too large for model `llama-3.1-70b-versatile` in organization `org_01hw8f0aa0ekmrn70ffm2zkdv1` on tokens per minute (TPM): Limit 6000, Requested 14368, please reduce your message size and try again. Visit https://console.groq.com/docs/rate-limits for more information.",
          type: "tokens",
          code: "rate_limit_exceeded",
        },
      }),
    },
    errorType: "bad_request",
    providerCode: "rate_limit_exceeded",
  },
  // https://github.com/ag5826000/resume-commentor/issues/4
  {
    name: "groq 401 invalid_api_key",
    facts: {
      provider: "groq",
      httpStatus: 401,
      body: '{"error":{"message":"Invalid API Key","type":"invalid_request_error","code":"invalid_api_key"}}',
    },
    errorType: "unauthorized",
    providerCode: "invalid_api_key",
  },
  // constructed: status 498 as documented at console.groq.com/docs/errors, quoted in
  // https://github.com/laravel/ai/pull/925 ("the flex tier is at capacity ... try again later")
  {
    name: "groq 498 flex tier capacity is overload",
    facts: { provider: "groq", httpStatus: 498 },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/continuedev/continue/issues/10815
  {
    name: "groq unknown model message alone",
    facts: { provider: "groq", message: "404 The model `llama3.1-70b` does not exist or you do not have access to it." },
    errorType: "not_found",
    providerCode: undefined,
  },
];

const cohere: FailureCase[] = [
  // https://errornotes.dev/en/errors/ai-tools/fix-coheretoomanyrequestserror-429-cohere-trial-key-rate-limit-exceeded
  {
    name: "cohere trial key per-minute limit",
    facts: {
      provider: "cohere",
      errorName: "TooManyRequestsError",
      message:
        "status_code: 429, body: You are using a Trial key, which is limited to 10 API calls / minute. Upgrade to a Production key to increase your rate limit.",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/wandb/edu/issues/155
  {
    name: "cohere 401 invalid api token",
    facts: { provider: "cohere", httpStatus: 401, body: '{"message":"invalid api token"}' },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/langgenius/dify/issues/2506 (HTML from the edge)
  {
    name: "cohere 403 HTML page",
    facts: {
      provider: "cohere",
      httpStatus: 403,
      body: '<!doctype html><meta charset="utf-8"><meta name=viewport content="width=device-width, initial-scale=1"><title>403</title>403 Forbidden',
    },
    errorType: "permission_denied",
    providerCode: undefined,
  },
  // constructed from the status list in https://github.com/cohere-ai/cohere-developer-experience/pull/189
  {
    name: "cohere 499 request cancelled",
    facts: { provider: "cohere", httpStatus: 499 },
    errorType: "canceled",
    providerCode: undefined,
  },
  // constructed from the status list in https://github.com/cohere-ai/cohere-developer-experience/pull/189
  // (498 is a blocked request here, unlike Groq's 498)
  {
    name: "cohere 498 blocked request is a bad request",
    facts: { provider: "cohere", httpStatus: 498 },
    errorType: "bad_request",
    providerCode: undefined,
  },
];

const deepseek: FailureCase[] = [
  // https://github.com/Aider-AI/aider/issues/4851
  {
    name: "deepseek 402 insufficient balance",
    facts: {
      provider: "deepseek",
      httpStatus: 402,
      body: '{"error":{"message":"Insufficient Balance","type":"unknown_error","param":null,"code":"invalid_request_error"}}',
    },
    errorType: "quota_exhausted",
    providerCode: "invalid_request_error",
  },
  // https://github.com/continuedev/continue/issues/9942
  {
    name: "deepseek insufficient balance message alone",
    facts: { provider: "deepseek", message: "402 Insufficient Balance" },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/deepseek-ai/DeepSeek-R1/issues/82
  {
    name: "deepseek 401 authentication fails",
    facts: {
      provider: "deepseek",
      httpStatus: 401,
      body: pretty({
        error: {
          message: "Authentication Fails (no such user)",
          type: "authentication_error",
          param: null,
          code: "invalid_request_error",
        },
      }),
    },
    errorType: "unauthorized",
    providerCode: "authentication_error",
  },
  // https://github.com/continuedev/continue/issues/11820
  {
    name: "deepseek invalid key message alone",
    facts: { provider: "deepseek", message: "401 Authentication Fails, Your api key: ****fcc2 is invalid" },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/vm0-ai/vm0/issues/34178 (openresty's stock 413 page in front of api.deepseek.com)
  {
    name: "deepseek 413 openresty page",
    facts: {
      provider: "deepseek",
      httpStatus: 413,
      body: "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
];

const xai: FailureCase[] = [
  // https://github.com/continuedev/continue/issues/10373 (the body is a bare JSON string)
  {
    name: "xai 429 credits spent is an exhausted quota",
    facts: {
      provider: "xai",
      httpStatus: 429,
      body: '"Your team 16f2151a-40f4-4a80-8ad0-cae00c27e8dd has either used all available credits or reached its monthly spending limit. To continue making API requests, please purchase more credits or raise your spending limit."',
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/warpdotdev/warp/issues/14863 (same condition as a 403)
  {
    name: "xai 403 credits spent is an exhausted quota",
    facts: {
      provider: "xai",
      message:
        'XAI API error: POST "https://api.x.ai/v1/responses": 403 Forbidden "Your team 8c268de0-42ec-4474-b4b6-4c92c1f97827 has either used all available credits or reached its monthly spending limit. To continue making API requests, please purchase more credits or raise your spending limit."',
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/continuedev/continue/issues/10778 (xAI answers a bad key with 400)
  {
    name: "xai 400 incorrect API key",
    facts: {
      provider: "xai",
      httpStatus: 400,
      body: '"Incorrect API key provided: na***ys. You can obtain an API key from https://console.x.ai."',
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/i-am-bee/beeai-framework/issues/447 (the thread shows the text URL-encoded)
  {
    name: "xai 400 code-and-error object",
    facts: {
      provider: "xai",
      httpStatus: 400,
      body: '{"code":"Client specified an invalid argument","error":"Incorrect API key provided: ba***na. You can obtain an API key from https://console.x.ai."}',
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/cline/cline/issues/4826
  {
    name: "xai 429 team token rate limit",
    facts: {
      provider: "xai",
      httpStatus: 429,
      body: "\"Too many tokens for team e9fe19cb-de96-4c57-9ffb-2f1b9c631ce2 and model grok-4-0709. Your team's rate limit is — Tokens per Minute (actual/limit): 65605/16000. You can view your team rate limits at https://console.x.ai.\"",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
];

const openrouter: FailureCase[] = [
  // https://github.com/open-assistant-org/open-assistant/issues/80
  {
    name: "openrouter 402 insufficient credits",
    facts: {
      provider: "openrouter",
      httpStatus: 402,
      body: json({
        error: {
          message: "Insufficient credits. Add more using https://openrouter.ai/settings/credits",
          code: 402,
          metadata: {
            limit_source: "openrouter_credits",
            remedy_hint: "Add credits at https://openrouter.ai/settings/credits, or lower max_tokens / prompt size to fit your remaining balance.",
          },
        },
      }),
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/Gitlawb/openclaude/issues/43
  {
    name: "openrouter 402 never purchased credits",
    facts: {
      provider: "openrouter",
      httpStatus: 402,
      body: '{"error":{"message":"Insufficient credits. This account never purchased credits. Make sure your key is on the correct account or org, and if so, purchase more at https://openrouter.ai/settings/credits","code":402}}',
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/QwenLM/qwen-code/issues/73
  {
    name: "openrouter requires more credits message alone",
    facts: {
      provider: "openrouter",
      message:
        "402 This request requires more credits, or fewer max_tokens. You requested up to 225702 tokens, but can only afford 92985. To increase, visit https://openrouter.ai/settings/credits and add more credits",
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/Gitlawb/openclaude/issues/936 (daily free allowance; the thread cuts off in
  // metadata.headers, completed with the reset header)
  {
    name: "openrouter 429 free-models-per-day is an exhausted quota",
    facts: {
      provider: "openrouter",
      httpStatus: 429,
      body: pretty({
        error: {
          message: "Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day",
          code: 429,
          metadata: { headers: { "X-RateLimit-Limit": "50", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1777420800000" } },
        },
      }),
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/open-webui/computer/issues/293 (upstream provider rate-limited, reason in metadata.raw)
  {
    name: "openrouter 429 upstream rate limit in metadata.raw",
    facts: {
      provider: "openrouter",
      httpStatus: 429,
      body: '{"error":{"message":"Provider returned error","code":429,"metadata":{"raw":"z-ai/glm-5.3-flash is temporarily rate-limited upstream. Please retry shortly, or add your own key to accumulate your rate limits: ...","provider_name":"BaseTen","limit_source":"upstream_provider_shared_pool","remedy_hint":"Retry shortly, add your own provider key, or route to another provider"}}}',
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/diegosouzapw/OmniRoute/issues/3044 (the upstream body as a JSON string in metadata.raw)
  {
    name: "openrouter 400 upstream body in metadata.raw",
    facts: {
      provider: "openrouter",
      httpStatus: 400,
      body: pretty({
        error: {
          message: "Provider returned error",
          code: 400,
          metadata: {
            raw: '{"error":{"type":"invalid_request_error","code":"invalid_request_error","message":"Model \'moonshotai/kimi-k2.6\' supports at most 1 image per prompt.","request_id":"req_*******"}}',
            provider_name: "Crucible",
            is_byok: false,
          },
        },
        user_id: "user_***************",
      }),
    },
    errorType: "bad_request",
    providerCode: "invalid_request_error",
  },
  // https://github.com/musistudio/claude-code-router/issues/227
  {
    name: "openrouter 401 no auth credentials",
    facts: { provider: "openrouter", httpStatus: 401, body: '{"error":{"message":"No auth credentials found","code":401}}' },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/apurvsinghgautam/robin/issues/103
  {
    name: "openrouter 401 user not found",
    facts: { provider: "openrouter", httpStatus: 401, body: '{"error":{"message":"User not found.","code":401}}' },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/OpenRouterTeam/ai-sdk-provider/issues/412 (TLS socket closed mid-stream)
  {
    name: "openrouter stream terminated after HTTP 200",
    facts: { provider: "openrouter", httpStatus: 200, errorName: "TypeError", message: "terminated" },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/VOICEVOX/kanalizer/issues/23
  {
    name: "openrouter premature close while reading the body",
    facts: {
      provider: "openrouter",
      errorName: "FetchError",
      code: "ERR_STREAM_PREMATURE_CLOSE",
      message: "Invalid response body while trying to fetch https://openrouter.ai/api/v1/chat/completions: Premature close",
    },
    errorType: "network_error",
    providerCode: "ERR_STREAM_PREMATURE_CLOSE",
  },
];

const selfHosted: FailureCase[] = [
  // https://github.com/vllm-project/vllm/issues/3485
  {
    name: "vllm 404 model does not exist",
    facts: {
      provider: "vllm",
      httpStatus: 404,
      body: '{"object":"error","message":"The model `Qwen1.5-14B-Chat-GPTQ-Int8` does not exist.","type":"NotFoundError","param":null,"code":404}',
    },
    errorType: "not_found",
    providerCode: "NotFoundError",
  },
  // https://github.com/bytedance/UI-TARS-desktop/issues/626 (Hugging Face TGI through openai-node)
  {
    name: "tgi 422 input validation message alone",
    facts: {
      provider: "tgi",
      message:
        '422 "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 65537. Given: 79993 `inputs` tokens and 1024 `max_new_tokens`"',
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/ollama/ollama/issues/3876 (native API: `error` is a string)
  {
    name: "ollama 404 model not pulled",
    facts: { provider: "ollama", httpStatus: 404, body: '{"error":"model \'llama3\' not found, try pulling it first"}' },
    errorType: "not_found",
    providerCode: undefined,
  },
  // https://github.com/netease-youdao/QAnything/issues/555 (OpenAI-compatible endpoint)
  {
    name: "ollama 404 through the OpenAI-compatible endpoint",
    facts: {
      provider: "ollama",
      httpStatus: 404,
      body: '{"error":{"message":"model \\"ollama\\" not found, try pulling it first","type":"api_error","param":null,"code":null}}',
    },
    errorType: "not_found",
    providerCode: "api_error",
  },
  // https://github.com/ollama/ollama-js/issues/144 (undici gives up waiting for headers)
  {
    name: "ollama headers timeout",
    facts: { provider: "ollama", errorName: "TypeError", message: "fetch failed", code: "UND_ERR_HEADERS_TIMEOUT" },
    errorType: "timeout",
    providerCode: "UND_ERR_HEADERS_TIMEOUT",
  },
  // https://github.com/Mintplex-Labs/anything-llm/issues/1722 (HAProxy in front of Ollama)
  {
    name: "ollama 504 from HAProxy",
    facts: {
      provider: "ollama",
      httpStatus: 504,
      body: "<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/etalab-ia/OpenGateLLM/issues/116 (nginx in front of a vLLM-backed API)
  {
    name: "albert 504 from nginx",
    facts: {
      provider: "albert",
      httpStatus: 504,
      body: "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx/1.27.0</center>\r\n</body>\r\n</html>\r\n",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
];

const litellm: FailureCase[] = [
  // https://github.com/BerriAI/litellm/issues/14144
  {
    name: "litellm budget exceeded is an exhausted quota",
    facts: {
      provider: "litellm",
      httpStatus: 400,
      body: json({
        error: {
          message:
            "litellm.BadRequestError: OpenAIException - Budget has been exceeded! Current cost: 14.xxx, Max budget: 100. Received Model Group=meta.llama3-8b-instruct-v1:0\nAvailable Model Group Fallbacks=None",
          type: null,
          param: null,
          code: "400",
        },
      }),
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/BerriAI/litellm/issues/14144 (budget, even though "no deployments available")
  {
    name: "litellm crossed deployment budget",
    facts: {
      provider: "litellm",
      message:
        "429 No deployments available - crossed budget: Exceeded budget for deployment model_name: xxx, litellm_params.model: xxx, model_id: xxx: 0.36300000000000004 >= 1d",
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/jasonacox/TinyLLM/issues/17 (Azure 429 re-wrapped by the LiteLLM proxy)
  {
    name: "litellm throttling_error around an Azure rate limit",
    facts: {
      provider: "litellm",
      httpStatus: 429,
      body: json({
        error: {
          message:
            "litellm.RateLimitError: AzureException RateLimitError - Error code: 429 - {'error': {'code': '429', 'message': 'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2023-05-15 have exceeded token rate limit of your current AIServices S0 pricing tier. Please retry after 86400 seconds. Please contact Azure support service if you would like to further increase the default rate limit.'}}\nReceived Model Group=azure-gpt-4o-mini\nAvailable Model Group Fallbacks=None",
          type: "throttling_error",
          param: null,
          code: "429",
        },
      }),
    },
    errorType: "rate_limited",
    providerCode: "throttling_error",
    retryAfterMs: 86400000,
  },
  // https://github.com/BerriAI/litellm/pull/2493 (LiteLLM's router when every deployment cools down)
  {
    name: "litellm no deployments available is a rate-limited pool",
    facts: { provider: "litellm", message: "No deployments available for selected model" },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/BerriAI/litellm/issues/20867 (the router's own 429; Python's None written out as 'None')
  {
    name: "litellm router no deployments available with None written as a string",
    facts: {
      provider: "litellm",
      message:
        "RateLimitError: Error code: 429 - {'error': {'message': 'No deployments available for selected model.', 'type': 'None', 'param': 'None', 'code': '429'}}",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
];

const proxies: FailureCase[] = [
  // https://github.com/ClassmateLin/free-chatgpt/issues/2 (nginx stock page)
  {
    name: "nginx 504 page",
    facts: {
      provider: "openai",
      httpStatus: 504,
      body: "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/Helicone/helicone/issues/798
  {
    name: "cloudflare 522 connection timed out page is a network error",
    facts: {
      provider: "openai",
      httpStatus: 522,
      body: '<!DOCTYPE html>\n<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->\n<head>\n\n\n<title>oai.hconeai.com | 522: Connection timed out</title>\n<meta charset="UTF-8" />\n</head>\n<body>\n<div id="cf-wrapper">\n    <div id="cf-error-details" class="p-0">\n        <header class="mx-auto pt-10 lg:pt-6 lg:px-8 w-240 lg:w-full mb-8">\n            <h1 class="inline-block sm:block sm:mb-2 font-light text-60 lg:text-4xl text-black-dark leading-tight mr-2">\n              <span class="inline-block">Connection timed out</span>\n              <span class="code-label">Error code 522</span>\n            </h1>\n',
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/acheong08/ChatGPT/issues/447 (status beats the page's "timeout" prose either way)
  {
    name: "cloudflare 524 a timeout occurred page",
    facts: {
      provider: "openai",
      httpStatus: 524,
      body: '<!DOCTYPE html>\n\n <html class="no-js" lang="en-US">\n<head>\n\n<title>chat.openai.com | 524: A timeout occurred</title>\n<meta charset="UTF-8" />\n</head>\n<body>\n<div id="cf-wrapper">\n\n    <div id="cf-error-details" class="p-0">\n        <header class="mx-auto pt-10 lg:pt-6 lg:px-8 w-240 lg:w-full mb-8">\n            <h1 class="inline-block sm:block sm:mb-2 font-light text-60 lg:text-4xl text-black-dark leading-tight mr-2">\n\n              <span class="inline-block">A timeout occurred</span>\n              <span class="code-label">Error code 524</span>\n            </h1>\n',
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/acheong08/ChatGPT/issues/1165 (Cloudflare 502 page in front of a relay)
  {
    name: "cloudflare 502 bad gateway page",
    facts: {
      provider: "openai",
      httpStatus: 502,
      body: '<!DOCTYPE html>\n\n <html class="no-js" lang="en-US">\n<head>\n\n<title>bypass.duti.tech | 502: Bad gateway</title>\n<meta charset="UTF-8" />\n',
    },
    errorType: "server_error",
    providerCode: undefined,
  },
  // constructed: nginx's stock 503 page (as in https://github.com/nginx-proxy/nginx-proxy/issues/2513)
  {
    name: "nginx 503 page is overload",
    facts: {
      provider: "openai",
      httpStatus: 503,
      body: "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // constructed from https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/error-520/
  {
    name: "cloudflare 520 unknown error page",
    facts: {
      provider: "anthropic",
      httpStatus: 520,
      body: '<!DOCTYPE html>\n<html class="no-js" lang="en-US">\n<head>\n<title>example.com | 520: Web server is returning an unknown error</title>\n',
    },
    errorType: "server_error",
    providerCode: undefined,
  },
  // constructed from https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/error-523/
  {
    name: "cloudflare 523 origin unreachable page",
    facts: {
      provider: "anthropic",
      httpStatus: 523,
      body: '<!DOCTYPE html>\n<html class="no-js" lang="en-US">\n<head>\n<title>example.com | 523: Origin is unreachable</title>\n',
    },
    errorType: "network_error",
    providerCode: undefined,
  },
];

// The bridge's own key pool (see KEY_POOL_CODES in src/classify/phrases.ts). These are the
// bridge's words, so they are constructed; the messages are what common key-rotation code throws.
const keyPool: FailureCase[] = [
  // constructed: wording thrown by Gemini key-rotation code in the public code index
  {
    name: "key pool with no valid key is unauthorized",
    facts: { provider: "gemini", message: "No valid API keys available." },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // constructed: wording logged by key-rotation code in the public code index
  {
    name: "key pool with every key rate limited",
    facts: { provider: "groq", message: "All keys are rate limited" },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // constructed: the bridge's documented code
  {
    name: "key pool code all_keys_rejected",
    facts: { provider: "openai", code: "all_keys_rejected", message: "All keys rejected" },
    errorType: "unauthorized",
    providerCode: "all_keys_rejected",
  },
  // constructed: the bridge's documented code
  {
    name: "key pool code all_keys_rate_limited",
    facts: { provider: "anthropic", code: "all_keys_rate_limited" },
    errorType: "rate_limited",
    providerCode: "all_keys_rate_limited",
  },
];

// Issue 17's miss kinds: failures real traffic has that the first table lacked. Grouped by kind,
// each case still names its provider and where it was seen.

/** Models retired by the provider: the model no longer exists for anyone, so `not_found`. */
const retiredModels: FailureCase[] = [
  // https://github.com/valentinfrlch/ha-llmvision/issues/332 (the body as logged)
  {
    name: "groq model_decommissioned body is a model that no longer exists",
    facts: {
      provider: "groq",
      httpStatus: 400,
      body: json({
        error: {
          message:
            "The model `llama-3.2-11b-vision-preview` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.",
          type: "invalid_request_error",
          code: "model_decommissioned",
        },
      }),
    },
    errorType: "not_found",
    providerCode: "model_decommissioned",
  },
  // https://github.com/atiilla/sqlmap-ai/issues/3 (groq-python message)
  {
    name: "groq model_decommissioned in a Python SDK message",
    facts: {
      provider: "groq",
      errorName: "BadRequestError",
      message:
        "Error code: 400 - {'error': {'message': 'The model `qwen-qwq-32b` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.', 'type': 'invalid_request_error', 'code': 'model_decommissioned'}}",
    },
    errorType: "not_found",
    providerCode: "model_decommissioned",
  },
  // https://github.com/RightNow-AI/openfang/issues/60 (a 400 with request_id beside the error)
  {
    name: "groq decommissioned model body with request_id and an empty param",
    facts: {
      provider: "groq",
      httpStatus: 400,
      body: pretty({
        request_id: "req_01kjf0gsxyej1syt7a6t1dptd1",
        created_at: "2026-02-27T07:37:56.926Z",
        error: {
          message:
            "The model `deepseek-r1-distill-llama-70b` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.",
          type: "invalid_request_error",
          param: "",
          code: "model_decommissioned",
        },
      }),
    },
    errorType: "not_found",
    providerCode: "model_decommissioned",
  },
  // https://github.com/ItzCrazyKns/Vane/issues/771 (openai-node against Groq: message and code)
  {
    name: "groq decommissioned model through openai-node with its code",
    facts: {
      provider: "groq",
      code: "model_decommissioned",
      message:
        "400 The model `llama-3.3-70b-specdec` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.",
    },
    errorType: "not_found",
    providerCode: "model_decommissioned",
  },
  // https://github.com/continuedev/continue/issues/12741 (status and message only)
  {
    name: "groq decommissioned model with only the status and the wording",
    facts: {
      provider: "groq",
      httpStatus: 400,
      message:
        "400 The model `gemma2-9b-it` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.",
    },
    errorType: "not_found",
    providerCode: undefined,
  },
  // https://github.com/bitcrowd/exmeralda/pull/49
  {
    name: "groq qwen-2.5-coder decommissioned body",
    facts: {
      provider: "groq",
      httpStatus: 400,
      body: pretty({
        request_id: "req_01jrxjvtw2etc9agst0q7qsy6r",
        created_at: "2025-04-15T20:39:47.330Z",
        error: {
          message:
            "The model `qwen-2.5-coder-32b` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.",
          type: "invalid_request_error",
          code: "model_decommissioned",
        },
      }),
    },
    errorType: "not_found",
    providerCode: "model_decommissioned",
  },
];

/** Overload worded as capacity or "engine overloaded", often sent with 429 or 400. */
const overloadWording: FailureCase[] = [
  // https://github.com/continuedev/continue/issues/6185 (Mistral's capacity refusal, typed as a bad request)
  {
    name: "mistral service tier capacity exceeded is overload, not a bad request",
    facts: {
      provider: "mistral",
      body: json({
        object: "error",
        message: "Service tier capacity exceeded for this model.",
        type: "invalid_request_error",
        param: null,
        code: null,
      }),
    },
    errorType: "overloaded",
    providerCode: "invalid_request_error",
  },
  // https://github.com/raycast/extensions/issues/31107 (@mistralai/mistralai SDKError text)
  {
    name: "mistral SDKError text with a 429 rate_limited body",
    facts: {
      provider: "mistral",
      errorName: "SDKError",
      message:
        'API error occurred: Status 429\nBody: {"object":"error","message":"Rate limit exceeded","type":"rate_limited","param":null,"code":"1300","raw_status_code":429}',
    },
    errorType: "rate_limited",
    providerCode: "rate_limited",
  },
  // https://github.com/666ghj/BettaFish/issues/292 (Moonshot through openai-python)
  {
    name: "moonshot 429 engine_overloaded_error is overload, not a rate limit",
    facts: {
      provider: "moonshot",
      errorName: "RateLimitError",
      message:
        "Error code: 429 - {'error': {'message': 'The engine is currently overloaded, please try again later', 'type': 'engine_overloaded_error'}}",
    },
    errorType: "overloaded",
    providerCode: "engine_overloaded_error",
  },
  // https://github.com/MoonshotAI/MoonshotAI-Cookbook/issues/16
  {
    name: "moonshot engine_overloaded_error body",
    facts: {
      provider: "moonshot",
      httpStatus: 429,
      body: json({ error: { message: "The engine is currently overloaded, please try again later", type: "engine_overloaded_error" } }),
    },
    errorType: "overloaded",
    providerCode: "engine_overloaded_error",
  },
  // https://github.com/MoonshotAI/kimi-code/issues/3176 (the title, as the CLI shows it)
  {
    name: "moonshot engine overloaded with the status in the message",
    facts: { provider: "moonshot", message: "429 The engine is currently overloaded" },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/google-antigravity/antigravity-cli/issues/544 (error_code 429)
  {
    name: "gemini model API currently overloaded sent as 429",
    facts: {
      provider: "gemini",
      httpStatus: 429,
      message: "The model API is currently overloaded and may experience intermittent errors.",
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/lbjlaq/Antigravity-Manager/issues/2294
  {
    name: "gemini 503 MODEL_CAPACITY_EXHAUSTED no capacity available",
    facts: {
      provider: "gemini",
      httpStatus: 503,
      body: pretty({
        error: {
          code: 503,
          details: [
            {
              "@type": "type.googleapis.com/google.rpc.ErrorInfo",
              domain: "cloudcode-pa.googleapis.com",
              metadata: { model: "claude-opus-4-6-thinking" },
              reason: "MODEL_CAPACITY_EXHAUSTED",
            },
          ],
          message: "No capacity available for model claude-opus-4-6-thinking on the server",
          status: "UNAVAILABLE",
        },
      }),
    },
    errorType: "overloaded",
    providerCode: "MODEL_CAPACITY_EXHAUSTED",
  },
  // https://github.com/PawanOsman/ChatGPT-Official/issues/5
  {
    name: "openai model currently overloaded with other requests, message alone",
    facts: {
      provider: "openai",
      message:
        "Error: That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com if the error persists.",
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/agi-merge/waggle-dance/issues/53 (LangChain's rendering of the error fields)
  {
    name: "openai overloaded with type server_error as LangChain prints it",
    facts: {
      provider: "openai",
      message:
        "message: That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com if the error persists. (Please include the request ID ba26ecc19b891d51c802fd1bf379d34a in your message.) type: server_error param: null code: null",
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
];

/** Safety blocks, which arrive with HTTP 200: the request (or its answer) is refused as content. */
const safetyBlocks: FailureCase[] = [
  // https://github.com/CherryHQ/cherry-studio/issues/664 (the 200 body, usage cut)
  {
    name: "gemini 200 with finishReason SAFETY is a content block",
    facts: {
      provider: "gemini",
      httpStatus: 200,
      body: pretty({
        candidates: [
          {
            finishReason: "SAFETY",
            safetyRatings: [
              { category: "HARM_CATEGORY_HATE_SPEECH", probability: "NEGLIGIBLE" },
              { category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "NEGLIGIBLE" },
              { category: "HARM_CATEGORY_HARASSMENT", probability: "NEGLIGIBLE" },
              { category: "HARM_CATEGORY_SEXUALLY_EXPLICIT", probability: "HIGH", blocked: true },
            ],
          },
        ],
        usageMetadata: { promptTokenCount: 752, candidatesTokenCount: 16 },
      }),
    },
    errorType: "bad_request",
    providerCode: "SAFETY",
  },
  // https://github.com/ChatGPTNextWeb/NextChat/issues/3714 (NextChat's wrapper of Gemini's block)
  {
    name: "gemini message is being blocked for reason SAFETY",
    facts: { provider: "gemini", body: json({ error: true, message: "Message is being blocked for reason: SAFETY" }) },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/sparticleinc/chatgpt-google-summary-extension/issues/196 (@google/generative-ai)
  {
    name: "gemini candidate was blocked due to SAFETY",
    facts: { provider: "gemini", errorName: "GoogleGenerativeAIResponseError", message: "[GoogleGenerativeAI Error]: Candidate was blocked due to SAFETY" },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/zuisong/gemini-openai-proxy/issues/57
  {
    name: "gemini candidate was blocked due to recitation",
    facts: { provider: "gemini", message: "candidate was blocked due to recitation" },
    errorType: "bad_request",
    providerCode: undefined,
  },
];

/** Keys the provider reports as leaked, disabled or suspended: someone must issue a new key. */
const keysLeakedOrDisabled: FailureCase[] = [
  // https://github.com/google-gemini-php/laravel/issues/47 (Gemini's message, as the client raised it)
  {
    name: "gemini key reported as leaked is an unusable key",
    facts: { provider: "gemini", message: "Your API key was reported as leaked. Please use another API key." },
    errorType: "unauthorized",
    providerCode: undefined,
  },
];

/** Connections that closed mid-response, and transport failures wrapped in SDK or gateway text. */
const transportWrapped: FailureCase[] = [
  // https://github.com/npuichigo/openai_trtllm/issues/31 (h11 under httpx under openai-python)
  {
    name: "openai stream cut: h11 RemoteProtocolError incomplete chunked read",
    facts: {
      provider: "openai",
      errorName: "RemoteProtocolError",
      message: "peer closed connection without sending complete message body (incomplete chunked read)",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/kortix-ai/suna/issues/66 (LiteLLM's wrapping of the same cut)
  {
    name: "litellm APIConnectionError around an Anthropic stream cut",
    facts: {
      provider: "anthropic",
      message:
        "litellm.APIConnectionError: AnthropicException - peer closed connection without sending complete message body (incomplete chunked read)",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/666ghj/BettaFish/issues/229 (the app's own wording around httpx's)
  {
    name: "deepseek stream cut reported by an app around httpx's message",
    facts: { provider: "deepseek", message: "研究过程中发生错误: peer closed connection without sending complete message body (incomplete chunked read)" },
    errorType: "network_error",
    providerCode: undefined,
  },
];

/** Bedrock's event-stream errors, whose exception names botocore lower-cases. */
const bedrockEventStream: FailureCase[] = [
  // https://github.com/aws-samples/aws-genai-llm-chatbot/issues/220
  {
    name: "bedrock botocore EventStreamError with a lower-case throttlingException",
    facts: {
      provider: "bedrock",
      message:
        "<class 'botocore.exceptions.EventStreamError'>:An error occurred (throttlingException) when calling the InvokeModelWithResponseStream operation: Too many requests, please wait before trying again. You have sent too many requests.  Wait before trying again.",
    },
    errorType: "rate_limited",
    providerCode: "ThrottlingException",
  },
];

const together: FailureCase[] = [
  // https://github.com/xtekky/gpt4free/issues/3032 (Together's message, as gpt4free passed it on)
  {
    name: "together model-specific rate limit in queries per minute",
    facts: {
      provider: "together",
      message:
        "You have reached the rate limit specific to this model black-forest-labs/FLUX.1-kontext-pro. The maximum rate limit for this model is 9.0 queries per minute. This limit differs from the general rate limits published at Together AI rate limits documentation (https://docs.together.ai/docs/rate-limits). For inquiries about increasing your model-specific rate limit, please contact our sales team (https://www.together.ai/forms/contact-sales)",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/mozilla-ai/any-llm/issues/714 (together-python; note the `type_` key)
  {
    name: "together 400 input validation error",
    facts: {
      provider: "together",
      errorName: "InvalidRequestError",
      message: 'Error code: 400 - {"message": "Input validation error", "type_": "invalid_request_error"}',
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/Nutlope/logocreator/issues/10 (Together's per-tier refusal, quoted in the thread)
  {
    name: "together model allowed only from build tier 2 needs credit bought",
    facts: {
      provider: "together",
      message:
        "Access to this model is allowed for build tier 2 and above. Also please make sure that you have a positive balance. Please upgrade your tier by buying credits at https://api.together.xyz/settings/billing.",
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/expectedparrot/edsl/issues/2098
  {
    name: "together 402 credit limit exceeded",
    facts: {
      provider: "together",
      message:
        "Error code: 402 - {'id': 'o3LiXw4-62bZhn-96040daf687810ab', 'error': {'message': 'Credit limit exceeded. Please navigate to https://api.together.xyz/settings/billing to add credit or upgrade your plan.', 'type': 'credit_limit', 'param': None, 'code': None}}",
    },
    errorType: "quota_exhausted",
    providerCode: "credit_limit",
  },
  // https://github.com/togethercomputer/MoA/issues/27 (the same `credit_limit` type for a plain rate limit)
  {
    name: "together free-plan rate limit typed credit_limit is still a rate limit",
    facts: {
      provider: "together",
      body: json({
        error: {
          message:
            "You have been rate limited. Your rate limit is 60 queries per minute. Please navigate to https://api.together.xyz/settings/billing to upgrade to a paid plan.",
          type: "credit_limit",
          param: null,
          code: null,
        },
      }),
    },
    errorType: "rate_limited",
    providerCode: "credit_limit",
  },
];

const fireworks: FailureCase[] = [
  // https://github.com/GordeyZuev/LEAP/issues/6 (a 429; the body as the thread quoted it)
  {
    name: "fireworks 429 usage limits exceeded",
    facts: {
      provider: "fireworks",
      httpStatus: 429,
      body: json({
        error: "Too Many Requests",
        message: "You have exceeded your usage limits. Please try again later or contact Fireworks to explore dedicated capacity.",
      }),
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/pollinations/pollinations/issues/12136 (the upstream body of a 412)
  {
    name: "fireworks 412 account suspended for its monthly spending limit",
    facts: {
      provider: "fireworks",
      httpStatus: 412,
      body: json({
        error: {
          message:
            "Account pollinations is suspended, possibly due to reaching the monthly spending limit or failure to pay past invoices. Please go to https://fireworks.ai/account/billing for more information.",
          param: null,
          code: "PRECONDITION_FAILED",
          type: "error",
        },
        request_id: "11650e2f-ff1b-4aac-9719-98006adf7349",
      }),
    },
    errorType: "quota_exhausted",
    providerCode: "PRECONDITION_FAILED",
  },
  // https://github.com/BerriAI/litellm/pull/9779 (Fireworks' 429 "server overloaded")
  {
    name: "fireworks 429 server overloaded is overload",
    facts: { provider: "fireworks", httpStatus: 429, message: "server overloaded, please try again later" },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/BerriAI/litellm/pull/11455 (a 429 whose body types itself a bad request)
  {
    name: "fireworks 429 rate limit typed invalid_request_error",
    facts: {
      provider: "fireworks",
      httpStatus: 429,
      body: json({ error: { type: "invalid_request_error", message: "rate limit exceeded, please try again later" } }),
    },
    errorType: "rate_limited",
    providerCode: "invalid_request_error",
  },
];

const perplexity: FailureCase[] = [
  // https://github.com/perplexityai/api-discussion/issues/262
  {
    name: "perplexity 400 invalid_model is a model that does not exist",
    facts: {
      provider: "perplexity",
      httpStatus: 400,
      body: json({
        error: {
          message: "Invalid model 'sonar-pro '. Permitted models can be found in the documentation at https://docs.perplexity.ai/guides/model-cards.",
          type: "invalid_model",
          code: 400,
        },
      }),
    },
    errorType: "not_found",
    providerCode: "invalid_model",
  },
  // https://github.com/ELPROFUG0/TexTab/issues/2 (a retired model name, message only)
  {
    name: "perplexity invalid model message alone",
    facts: {
      provider: "perplexity",
      message:
        "Error: Invalid model 'llama-3.1-sonar-small-128k-online'. Permitted models can be found in the documentation at https://docs.perplexity.ai/docs/getting-started/models.",
    },
    errorType: "not_found",
    providerCode: undefined,
  },
  // https://github.com/FerroxLabs/wayland/issues/603
  {
    name: "perplexity invalid model body inside an app's provider error",
    facts: {
      provider: "perplexity",
      message:
        'Provider error: API error 400: {"error":{"message":"Invalid model \'perplexity/sonar\'. Permitted models can be found in the documentation at https://docs.perplexity.ai/docs/getting-started/models.","type":"invalid_model","code":400}}',
    },
    errorType: "not_found",
    providerCode: "invalid_model",
  },
  // https://github.com/eyaltoledano/claude-task-master/issues/13
  {
    name: "perplexity invalid model after a status the message leads with",
    facts: {
      provider: "perplexity",
      message: "Perplexity error: 400 Invalid model 'sonar-small-online'. Permitted models can be found in the documentation at https://docs.perplexity.ai/guides/model-cards.",
    },
    errorType: "not_found",
    providerCode: undefined,
  },
  // https://github.com/hex/llm-perplexity/issues/19 (openai-python against Perplexity)
  {
    name: "perplexity invalid model in a Python SDK message",
    facts: {
      provider: "perplexity",
      message:
        "Error code: 400 - {'error': {'message': \"Invalid model 'sonar-pro-online'. Permitted models can be found in the documentation at https://docs.perplexity.ai/guides/model-cards.\", 'type': 'invalid_model', 'code': 400}}",
    },
    errorType: "not_found",
    providerCode: "invalid_model",
  },
  // https://github.com/BerriAI/litellm/issues/2584 (openresty's page in front of the API)
  {
    name: "perplexity 401 openresty Authorization Required page",
    facts: {
      provider: "perplexity",
      httpStatus: 401,
      errorName: "AuthenticationError",
      body: "<html>\n<head><title>401 Authorization Required</title></head>\n<body>\n<center><h1>401 Authorization Required</h1></center>\n<hr><center>openresty/1.21.4.3</center>\n</body>\n</html>",
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
];

const perTierAndDaily: FailureCase[] = [
  // https://github.com/continuedev/continue/issues/11154 (OpenRouter's 402 for a token budget)
  {
    name: "openrouter 402 requires more credits or fewer max_tokens",
    facts: {
      provider: "openrouter",
      httpStatus: 402,
      message:
        "402 This request requires more credits, or fewer max_tokens. You requested up to 4096 tokens, but can only afford 222. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account",
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
];

const huggingface: FailureCase[] = [
  // https://github.com/bytedance/UI-TARS-desktop/issues/626 (TGI's 422 through openai-node)
  {
    name: "huggingface TGI 422 inputs plus max_new_tokens over the limit",
    facts: {
      provider: "huggingface",
      message:
        '422 "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 65537. Given: 79993 `inputs` tokens and 1024 `max_new_tokens`"',
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
];

/** The Vercel AI SDK's wrapping of transport failures (APICallError "Cannot connect to API: ..."). */
const vercelAiSdk: FailureCase[] = [
  // https://github.com/stackblitz-labs/bolt.diy/issues/532 (ollama-ai-provider under the AI SDK)
  {
    name: "ai sdk APICallError cannot connect to API: ECONNREFUSED",
    facts: {
      provider: "ollama",
      errorName: "AI_APICallError",
      message: "Cannot connect to API: connect ECONNREFUSED 172.17.0.1:11434",
    },
    errorType: "network_error",
    providerCode: "ECONNREFUSED",
  },
  // https://github.com/lbjlaq/Antigravity-Manager/issues/3137
  {
    name: "ai sdk cannot connect to API: other side closed",
    facts: { provider: "gemini", message: "Cannot connect to API: other side closed" },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/stackblitz-labs/bolt.diy/issues/387 (AI_RetryError whose cause has code ECONNREFUSED)
  {
    name: "ai sdk AI_RetryError over a refused connection",
    facts: { provider: "ollama", errorName: "AI_RetryError", code: "ECONNREFUSED" },
    errorType: "network_error",
    providerCode: "ECONNREFUSED",
  },
  // https://github.com/anthropics/claude-code/issues/53346 (Bun's ConnectionRefused code in the text;
  // the AI SDK lists Bun's codes in packages/provider-utils/src/handle-fetch-error.ts)
  {
    name: "anthropic unable to connect to API with Bun's ConnectionRefused",
    facts: { provider: "anthropic", message: "API Error: Unable to connect to API (ConnectionRefused)" },
    errorType: "network_error",
    providerCode: "ConnectionRefused",
  },
  // https://github.com/aipoch/open-science/issues/1582
  {
    name: "deepseek unable to connect to API through an agent framework",
    facts: { provider: "deepseek", message: "Internal error: API Error: Unable to connect to API (ConnectionRefused)" },
    errorType: "network_error",
    providerCode: "ConnectionRefused",
  },
];

/** vLLM's OpenAI-compatible server. */
const vllm: FailureCase[] = [
  // https://github.com/vllm-project/vllm/issues/4667
  {
    name: "vllm 400 max_tokens must be at least 1",
    facts: {
      provider: "vllm",
      errorName: "BadRequestError",
      message:
        "Error code: 400 - {'object': 'error', 'message': 'max_tokens must be at least 1, got -186.', 'type': 'BadRequestError', 'param': None, 'code': 400}",
    },
    errorType: "bad_request",
    providerCode: "BadRequestError",
  },
  // https://github.com/ogx-ai/ogx/issues/4534 (Python double-quotes a value holding an apostrophe)
  {
    name: "vllm maximum context length in a Python repr with an apostrophe",
    facts: {
      provider: "vllm",
      message:
        "openai.BadRequestError: Error code: 400 - {'object': 'error', 'message': \"This model's maximum context length is 6048 tokens. However, you requested 6616 tokens (568 in the messages, 6048 in the completion). Please reduce the length of the messages or completion.\", 'type': 'BadRequestError', 'param': None, 'code': 400}",
    },
    errorType: "bad_request",
    providerCode: "BadRequestError",
  },
  // https://github.com/gpustack/gpustack/issues/929 (the message as the playground showed it)
  {
    name: "vllm maximum context length message alone",
    facts: {
      provider: "vllm",
      message:
        "This model's maximum context length is 8192 tokens. However, you requested 8204 tokens (12 in the messages, 8192 in the completion). Please reduce the length of the messages or completion.",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
];

/** Ollama, a local server: its failures are the machine's, not a quota's. */
const ollamaServer: FailureCase[] = [
  // https://github.com/continuedev/continue/issues/11478
  {
    name: "ollama 500 model requires more system memory than is available",
    facts: { provider: "ollama", httpStatus: 500, message: '"model requires more system memory (2.7 GiB) than is available (2.3 GiB)"' },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/continuedev/continue/issues/11767
  {
    name: "ollama 500 model requires more system memory, larger model",
    facts: { provider: "ollama", httpStatus: 500, message: '"model requires more system memory (5.3 GiB) than is available (3.3 GiB)"' },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/ollama/ollama/issues/5941
  {
    name: "ollama llama runner process has terminated while loading",
    facts: { provider: "ollama", message: "Error: llama runner process has terminated: error loading model: unable to allocate backend buffer" },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/ollama/ollama/issues/1636
  {
    name: "ollama llama runner process has terminated, bare",
    facts: { provider: "ollama", message: "Error : llama runner process has terminated" },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/ollama/ollama/issues/1019
  {
    name: "ollama llama runner exited, not enough memory",
    facts: { provider: "ollama", message: "Error: llama runner exited, you may not have enough available memory to run this model?" },
    errorType: "server_error",
    providerCode: undefined,
  },
];

/**
 * Cloudflare Workers AI. Constructed from the table at
 * https://developers.cloudflare.com/workers-ai/platform/errors/ (each row's HTTP code and
 * description); no real body was found for these.
 */
const cloudflare: FailureCase[] = [
  {
    name: "cloudflare 429 account limited: daily free allocation of neurons used up",
    facts: {
      provider: "cloudflare",
      httpStatus: 429,
      message:
        "You have used up your daily free allocation of 10,000 neurons. Please upgrade to Cloudflare's Workers Paid plan if you would like to continue usage.",
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  {
    name: "cloudflare 429 out of capacity: no more data centers",
    facts: { provider: "cloudflare", httpStatus: 429, message: "No more data centers to forward the request to" },
    errorType: "overloaded",
    providerCode: undefined,
  },
  {
    name: "cloudflare 400 no such model",
    facts: { provider: "cloudflare", httpStatus: 400, message: "No such model @cf/meta/llama-2-7b-chat-int8 or task" },
    errorType: "not_found",
    providerCode: undefined,
  },
  {
    name: "cloudflare 408 request timeout",
    facts: { provider: "cloudflare", httpStatus: 408, message: "Request timeout" },
    errorType: "timeout",
    providerCode: undefined,
  },
  {
    name: "cloudflare 403 model terms not agreed",
    facts: { provider: "cloudflare", httpStatus: 403, message: "User has not agreed to Llama3.2 model terms" },
    errorType: "permission_denied",
    providerCode: undefined,
  },
  {
    name: "cloudflare 413 request is too large",
    facts: { provider: "cloudflare", httpStatus: 413, message: "Request is too large" },
    errorType: "bad_request",
    providerCode: undefined,
  },
  {
    name: "cloudflare 404 invalid model name",
    facts: { provider: "cloudflare", httpStatus: 404, message: "The model name is invalid" },
    errorType: "not_found",
    providerCode: undefined,
  },
];

/** Deadlines reported by the retry helper that gave up, not by the call itself. */
const retryHelperDeadlines: FailureCase[] = [
  // https://github.com/googleapis/python-datastore/issues/432 (google-api-core, which the Vertex AI
  // Python SDK retries through)
  {
    name: "vertex api_core RetryError deadline exceeded with a last 504",
    facts: {
      provider: "vertex",
      errorName: "RetryError",
      message: "Deadline of 60.0s exceeded while calling target function, last exception: 504 Deadline Exceeded",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/googleapis/python-asset/pull/379
  {
    name: "vertex api_core RetryError deadline exceeded without a last exception",
    facts: { provider: "vertex", message: "google.api_core.exceptions.RetryError: Deadline of 300.0s exceeded while calling target function" },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/googleapis/google-cloud-node-core/issues/410 (google-gax, under the Node clients)
  {
    name: "vertex gax retry total timeout exceeded",
    facts: { provider: "vertex", message: "Error: Retry total timeout exceeded before any response was received" },
    errorType: "timeout",
    providerCode: undefined,
  },
];

/** xAI, from recent threads. */
const xaiSeen: FailureCase[] = [
  // https://github.com/continuedev/continue/issues/10373 (a 429 for spent credits)
  {
    name: "xai 429 team used all available credits or reached its monthly spending limit",
    facts: {
      provider: "xai",
      httpStatus: 429,
      message:
        '429 "Your team 16f2151a-40f4-4a80-8ad0-cae00c27e8dd has either used all available credits or reached its monthly spending limit. To continue making API requests, please purchase more credits or raise your spending limit."',
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/Wei-Shaw/sub2api/issues/4069 (the thread masked the code)
  {
    name: "xai 403 run out of credits or need a Grok subscription",
    facts: {
      provider: "xai",
      httpStatus: 403,
      body: json({
        code: "***",
        error: "You have run out of credits or need a Grok subscription. Add credits at https://grok.com/?_s=usage or upgrade at https://grok.com/supergrok.",
      }),
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/luxus/pi-xai/issues/10
  {
    name: "xai run out of credits through an OpenAI-compatible client's message",
    facts: { provider: "xai", message: 'OpenAI API error (403): 403 "You have run out of credits or need a Grok subscription."' },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/continuedev/continue/issues/10778 (xAI answers a bad key with 400)
  {
    name: "xai 400 incorrect API key provided",
    facts: {
      provider: "xai",
      httpStatus: 400,
      message: '400 "Incorrect API key provided: na***ys. You can obtain an API key from https://console.x.ai."',
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
];

/** Azure OpenAI's content filter, as SDKs and wrappers pass it on. */
const azureContentFilter: FailureCase[] = [
  // https://github.com/openai/openai-python/issues/331 (curly apostrophe; numeric status inside)
  {
    name: "azure 400 content_filter body with a numeric status field",
    facts: {
      provider: "azure",
      httpStatus: 400,
      body: json({
        error: {
          message:
            "The response was filtered due to the prompt triggering Azure OpenAI’s content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
          type: null,
          param: "prompt",
          code: "content_filter",
          status: 400,
        },
      }),
    },
    errorType: "bad_request",
    providerCode: "content_filter",
  },
  // https://github.com/compl-ai/compl-ai/issues/20 (the dict repr has an apostrophe in a value)
  {
    name: "azure content filter with ResponsibleAIPolicyViolation in a Python repr",
    facts: {
      provider: "azure",
      message:
        "{'error': {'message': \"The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766\", 'type': None, 'param': 'prompt', 'code': 'content_filter', 'status': 400, 'innererror': {'code': 'ResponsibleAIPolicyViolation', 'content_filter_result': {'hate': {'filtered': False, 'severity': 'safe'}, 'jailbreak': {'filtered': False, 'detected': False}, 'self_harm': {'filtered': False, 'severity': 'safe'}, 'sexual': {'filtered': False, 'severity': 'safe'}, 'violence': {'filtered': True, 'severity': 'medium'}}}}}",
    },
    errorType: "bad_request",
    providerCode: "content_filter",
  },
  // https://github.com/langchain-ai/langchain/issues/4324 (LangChain's retry log around the body; its
  // own "in 1.0 seconds" is not the provider's hint)
  {
    name: "azure content filter inside LangChain's retry message",
    facts: {
      provider: "azure",
      message:
        "Retrying langchain.chat_models.openai.ChatOpenAI.completion_with_retry.<locals>._completion_with_retry in 1.0 seconds as it raised APIError: Invalid response object from API: '{\"error\":{\"message\":\"The response was filtered due to the prompt triggering Azure OpenAI’s content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766\",\"type\":null,\"param\":\"prompt\",\"code\":\"content_filter\",\"status\":400}}' (HTTP response code was 400).",
    },
    errorType: "bad_request",
    providerCode: "content_filter",
  },
  // https://github.com/run-llama/llama_index/issues/3939 (openai-python v0's InvalidRequestError)
  {
    name: "azure content management policy message through llama_index",
    facts: {
      provider: "azure",
      errorName: "InvalidRequestError",
      message:
        "The response was filtered due to the prompt triggering Azure OpenAI’s content management policy. Please modify your prompt and retry.",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
];

/** Gemini keys that expired or were never valid, and region or billing preconditions. */
const geminiKeysAndRegions: FailureCase[] = [
  // https://github.com/continuedev/continue/issues/11336 (the Google body as a string in a wrapper)
  {
    name: "gemini API key expired inside a wrapper's message string",
    facts: {
      provider: "gemini",
      message:
        '{"error":{"message":"{\\n  \\"error\\": {\\n    \\"code\\": 400,\\n    \\"message\\": \\"API key expired. Please renew the API key.\\",\\n    \\"status\\": \\"INVALID_ARGUMENT\\",\\n    \\"details\\": [\\n      {\\n        \\"@type\\": \\"type.googleapis.com/google.rpc.ErrorInfo\\",\\n        \\"reason\\": \\"API_KEY_INVALID\\",\\n        \\"domain\\": \\"googleapis.com\\",\\n        \\"metadata\\": {\\n          \\"service\\": \\"generativelanguage.googleapis.com\\"\\n        }\\n      },\\n      {\\n        \\"@type\\": \\"type.googleapis.com/google.rpc.LocalizedMessage\\",\\n        \\"locale\\": \\"en-US\\",\\n        \\"message\\": \\"API key expired. Please renew the API key.\\"\\n      }\\n    ]\\n  }\\n}\\n","code":400,"status":"Bad Request"}}',
    },
    errorType: "unauthorized",
    providerCode: "API_KEY_INVALID",
  },
  // https://github.com/plainbook-ai/plainbook/issues/25 (google-genai's ClientError)
  {
    name: "gemini API key expired in a google-genai ClientError",
    facts: {
      provider: "gemini",
      errorName: "ClientError",
      message:
        "400 INVALID_ARGUMENT. {'error': {'code': 400, 'message': 'API key expired. Please renew the API key.', 'status': 'INVALID_ARGUMENT', 'details': [{'@type': 'type.googleapis.com/google.rpc.ErrorInfo', 'reason': 'API_KEY_INVALID', 'domain': 'googleapis.com', 'metadata': {'service': 'generativelanguage.googleapis.com'}}, {'@type': 'type.googleapis.com/google.rpc.LocalizedMessage', 'locale': 'en-US', 'message': 'API key expired. Please renew the API key.'}]}}",
    },
    errorType: "unauthorized",
    providerCode: "API_KEY_INVALID",
  },
  // https://github.com/SamuelSchmidgall/AgentLaboratory/issues/33 (the gRPC client's text format)
  {
    name: "gemini API key expired with the reason in protobuf text format",
    facts: {
      provider: "gemini",
      message:
        '400 API key expired. Please renew the API key. [reason: "API_KEY_INVALID"\ndomain: "googleapis.com"\nmetadata {\n  key: "service"\n  value: "generativelanguage.googleapis.com"\n}\n, locale: "en-US"\nmessage: "API key expired. Please renew the API key."\n]',
    },
    errorType: "unauthorized",
    providerCode: "API_KEY_INVALID",
  },
  // https://github.com/simonw/llm/issues/1213 (the message alone)
  {
    name: "gemini API key expired, message alone",
    facts: { provider: "gemini", message: "Error: API key expired. Please renew the API key." },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/Wei-Shaw/sub2api/issues/1709
  {
    name: "gemini 400 API key not found",
    facts: {
      provider: "gemini",
      httpStatus: 400,
      body: pretty({
        error: {
          code: 400,
          message: "API Key not found. Please pass a valid API key.",
          status: "INVALID_ARGUMENT",
          details: [{ reason: "API_KEY_INVALID", domain: "googleapis.com" }],
        },
      }),
    },
    errorType: "unauthorized",
    providerCode: "API_KEY_INVALID",
  },
  // https://github.com/ChatGPTNextWeb/NextChat/issues/5255 (a region precondition)
  {
    name: "gemini 400 FAILED_PRECONDITION free tier not available in your country",
    facts: {
      provider: "gemini",
      httpStatus: 400,
      body: pretty({
        error: {
          code: 400,
          message: "Gemini API free tier is not available in your country. Please enable billing on your project in Google AI Studio.",
          status: "FAILED_PRECONDITION",
        },
      }),
    },
    errorType: "permission_denied",
    providerCode: "FAILED_PRECONDITION",
  },
  // https://github.com/u14app/neo-chat/issues/45 (@google/generative-ai's fetch error text)
  {
    name: "gemini free tier not available in your country through @google/generative-ai",
    facts: {
      provider: "gemini",
      message:
        "400: [GoogleGenerativeAI Error]: Error fetching from https://generativelanguage.googleapis.com/v1beta/models/gemini-pro:streamGenerateContent?alt=sse: [400 ] Gemini API free tier is not available in your country. Please enable billing on your project in Google AI Studio.",
    },
    errorType: "permission_denied",
    providerCode: undefined,
  },
  // https://github.com/EvanZhouDev/gemini-ai/issues/16
  {
    name: "gemini 400 user location not supported without a billing account",
    facts: {
      provider: "gemini",
      httpStatus: 400,
      body: pretty({
        error: {
          code: 400,
          message: "User location is not supported for the API use without a billing account linked.",
          status: "FAILED_PRECONDITION",
        },
      }),
    },
    errorType: "permission_denied",
    providerCode: "FAILED_PRECONDITION",
  },
];

/** What tenacity's RetryError says it gave up on. */
const tenacityWrapped: FailureCase[] = [
  // https://github.com/OpenBMB/ChatDev/issues/369
  {
    name: "openai tenacity RetryError that raised RateLimitError",
    facts: {
      provider: "openai",
      errorName: "RetryError",
      message: "RetryError[<Future at 0x1b0f8ed2f70 state=finished raised RateLimitError>]",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
];

/** OpenAI accounts and organizations that may not use a model, or no longer exist. */
const openaiAccess: FailureCase[] = [
  // https://github.com/continuedev/continue/issues/8209 (a 400 that only verification fixes)
  {
    name: "openai 400 organization must be verified to stream this model",
    facts: {
      provider: "openai",
      message:
        "400 Your organization must be verified to stream this model. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization. If you just verified, it can take up to 15 minutes for access to propagate.",
    },
    errorType: "permission_denied",
    providerCode: undefined,
  },
  // https://github.com/Lamb-Project/lamb/issues/27 (the body, as openai-python printed it)
  {
    name: "openai organization verification with code unsupported_value",
    facts: {
      provider: "openai",
      errorName: "BadRequestError",
      message:
        "Error code: 400 : {'error': {'message': 'Your organization must be verified to stream this model. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization. If you just verified, it can take up to 15 minutes for access to propagate.', 'type': 'invalid_request_error', 'param': 'stream', 'code': 'unsupported_value'}}",
    },
    errorType: "permission_denied",
    providerCode: "unsupported_value",
  },
  // https://github.com/danny-avila/LibreChat/issues/6926
  {
    name: "openai organization must be verified, as LibreChat logged it",
    facts: {
      provider: "openai",
      message:
        "AI response error; aborting request: 400 Your organization must be verified to stream this model. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization.",
    },
    errorType: "permission_denied",
    providerCode: undefined,
  },
  // https://github.com/nat/openplayground/issues/143
  {
    name: "openai 401 account_deactivated is a dead key",
    facts: {
      provider: "openai",
      message:
        "Error code: 401 - {'error': {'message': 'The OpenAI account associated with this API key has been deactivated. If you are the developer for this OpenAI app, please check your email for more information. If you are seeing this error while using another app or site, please reach out to them for more help.', 'type': 'invalid_request_error', 'param': None, 'code': 'account_deactivated'}}",
    },
    errorType: "unauthorized",
    providerCode: "account_deactivated",
  },
];

const deepseekBalance: FailureCase[] = [
  // https://github.com/continuedev/continue/issues/9942 (DeepSeek behind an OpenAI-compatible config)
  {
    name: "deepseek 402 insufficient balance, status and message",
    facts: { provider: "deepseek", httpStatus: 402, message: "402 Insufficient Balance" },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/Aider-AI/aider/issues/4851 (LiteLLM calls it a bad request)
  {
    name: "deepseek insufficient balance that LiteLLM raised as BadRequestError",
    facts: {
      provider: "deepseek",
      errorName: "BadRequestError",
      message:
        'litellm.BadRequestError: DeepseekException - {"error":{"message":"Insufficient Balance","type":"unknown_error","param":null,"code":"invalid_request_error"}}',
    },
    errorType: "quota_exhausted",
    providerCode: "invalid_request_error",
  },
];

/** Anthropic bodies as Claude Code's logs quote them. */
const anthropicLogged: FailureCase[] = [
  // https://github.com/anthropics/claude-code/issues/81487
  {
    name: "anthropic 400 prompt is too long for the 1M context",
    facts: {
      provider: "anthropic",
      message:
        'Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 1520294 tokens > 1000000 maximum"},"request_id":"req_011CdMrfXhUvBHWVjgKvvMcc"}',
    },
    errorType: "bad_request",
    providerCode: "invalid_request_error",
  },
  // https://github.com/anthropics/claude-code/issues/14567
  {
    name: "anthropic 413 request_too_large in Claude Code's API error",
    facts: { provider: "anthropic", message: 'API Error: 413 {"error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}' },
    errorType: "bad_request",
    providerCode: "request_too_large",
  },
  // https://github.com/anthropics/claude-code/issues/75382
  {
    name: "anthropic 429 rate_limit_error with a request id",
    facts: {
      provider: "anthropic",
      message: 'Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"Rate limited"},"request_id":"req_011CceSiqaeDDbeLwEmoZMCY"}',
    },
    errorType: "rate_limited",
    providerCode: "rate_limit_error",
  },
  // https://github.com/anthropics/claude-code/issues/70082 (no status: an error event in the stream)
  {
    name: "anthropic overloaded_error with details null and no status",
    facts: {
      provider: "anthropic",
      message: 'Error: {"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CcHM6P2JkSnZJzjSRaJNJ"}',
    },
    errorType: "overloaded",
    providerCode: "overloaded_error",
  },
];

const bedrockSeen: FailureCase[] = [
  // https://github.com/aws-samples/amazon-bedrock-client-for-mac/issues/99 (the Swift SDK's description)
  {
    name: "bedrock Swift SDK ThrottlingException too many tokens",
    facts: {
      provider: "bedrock",
      message:
        'Error invoking the model: ThrottlingException(properties: AWSBedrockRuntime.ThrottlingException.Properties(message: Optional("Too many tokens, please wait before trying again.")), httpResponse: Status Code: HTTP status code: 429 Date: Mon, 12 May 2025 11:11:55 GMT, Content-Type: application/json, Content-Length: 63, Connection: keep-alive, x-amzn-ErrorType: ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/, x-amzn-RequestId: ca47a5ce-e260-4824-aa0e-2e62669d5d6e, message: Optional("Too many tokens, please wait before trying again."), requestID: nil)',
    },
    errorType: "rate_limited",
    providerCode: "ThrottlingException",
  },
  // https://github.com/strands-agents/agent-builder/issues/31 (botocore through Strands)
  {
    name: "bedrock ConverseStream ThrottlingException too many tokens",
    facts: {
      provider: "bedrock",
      message:
        "An error occurred (ThrottlingException) when calling the ConverseStream operation: Too many tokens, please wait before trying again.",
    },
    errorType: "rate_limited",
    providerCode: "ThrottlingException",
  },
  // https://github.com/charmbracelet/crush/issues/946 (Bedrock's Anthropic-compatible endpoint)
  {
    name: "bedrock 400 maximum tokens requested exceeds the model limit",
    facts: {
      provider: "bedrock",
      httpStatus: 400,
      body: json({ message: "The maximum tokens you requested exceeds the model limit of 32768" }),
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/RooCodeInc/Roo-Code/issues/248 (message only)
  {
    name: "bedrock maximum tokens over the model limit, message alone",
    facts: {
      provider: "bedrock",
      message: "Error: The maximum tokens you requested exceed the model limit of 4096. Try again with a maximum tokens value lower than 4096.",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
];

/** OpenRouter's routing failures. */
const openrouterRouting: FailureCase[] = [
  // https://github.com/continuedev/continue/issues/11095
  {
    name: "openrouter 404 no endpoints found that support tool use",
    facts: {
      provider: "openrouter",
      httpStatus: 404,
      message: "404 No endpoints found that support tool use. To learn more about provider routing, visit: https://openrouter.ai/docs/guides/routing/provider-selection",
    },
    errorType: "not_found",
    providerCode: undefined,
  },
  // https://github.com/vyancharuk/nodejs-api-boilerplate/issues/16
  {
    name: "openrouter no endpoints found for a free model, message alone",
    facts: { provider: "openrouter", message: "No endpoints found for nousresearch/hermes-3-llama-3.1-405b:free." },
    errorType: "not_found",
    providerCode: undefined,
  },
  // https://github.com/musistudio/claude-code-router/issues/251 (a router's api_error around OpenRouter's 404)
  {
    name: "openrouter 404 inside a router's api_error envelope",
    facts: {
      provider: "openrouter",
      message:
        'API Error: 404 {"error":{"message":"Error from provider: {\\"error\\":{\\"message\\":\\"No endpoints found that support cache control\\",\\"code\\":404}}","type":"api_error","code":"provider_response_error"}}',
    },
    errorType: "not_found",
    providerCode: "provider_response_error",
  },
  // https://github.com/Kilo-Org/kilocode/issues/9006 (the AI SDK's APIError data)
  {
    name: "openrouter AI SDK APIError with statusCode 404",
    facts: {
      provider: "openrouter",
      httpStatus: 404,
      errorName: "APIError",
      body: json({
        error: {
          message:
            'No endpoints found that support tool use. Try disabling "question". To learn more about provider routing, visit: https://openrouter.ai/docs/guides/routing/provider-selection',
          code: 404,
        },
      }),
    },
    errorType: "not_found",
    providerCode: undefined,
  },
];

const litellmTimeouts: FailureCase[] = [
  // https://github.com/BerriAI/litellm/pull/3279 (the proxy's 408 body)
  {
    name: "litellm proxy 408 APITimeoutError body",
    facts: {
      provider: "litellm",
      httpStatus: 408,
      body: pretty({
        error: {
          message:
            "APITimeoutError - Request timed out. \n model: azure/chatgpt-v-2 \n api_base: https://openai-gpt-4-test-v-1.openai.azure.com/ \n error_str: Request timed out.",
          type: null,
          param: null,
          code: 408,
        },
      }),
    },
    errorType: "timeout",
    providerCode: undefined,
  },
];

/** Google failures through LangChain, google-genai, the Dart SDK and Vertex's quotas. */
const googleWrapped: FailureCase[] = [
  // https://github.com/assafelovic/gpt-researcher/issues/518 (LangChain's retry log; its own
  // "in 2.0 seconds" is not a provider hint)
  {
    name: "gemini ResourceExhausted inside LangChain's retry log",
    facts: {
      provider: "gemini",
      message:
        "Retrying langchain_google_genai.chat_models._achat_with_retry.<locals>._achat_with_retry in 2.0 seconds as it raised ResourceExhausted: 429 Resource has been exhausted (e.g. check quota)..",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/langchain-ai/langchain-google/issues/1351
  {
    name: "gemini invalid argument through ChatGoogleGenerativeAIError",
    facts: {
      provider: "gemini",
      errorName: "ChatGoogleGenerativeAIError",
      message: "Invalid argument provided to Gemini: 400 * GenerateContentRequest.contents: contents is not specified",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/langchain-ai/langchain-google/issues/685 (the reason in protobuf text format)
  {
    name: "gemini invalid resource field value through langchain_google_genai",
    facts: {
      provider: "gemini",
      message:
        'langchain_google_genai.chat_models.ChatGoogleGenerativeAIError: Invalid argument provided to Gemini: 400 Invalid resource field value in the request. [reason: "RESOURCE_PROJECT_INVALID"\ndomain: "googleapis.com"\nmetadata {\n  key: "method"\n  value: "google.cloud.aiplatform.internal.PredictionService.StreamGenerateContent"\n}\nmetadata {\n  key: "service"\n  value: "aiplatform.googleapis.com"\n}\n]',
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/yufeikang/raycast_api_proxy/issues/61 (google-genai's ClientError)
  {
    name: "gemini google-genai ClientError 429 RESOURCE_EXHAUSTED",
    facts: {
      provider: "gemini",
      errorName: "ClientError",
      message:
        "429 RESOURCE_EXHAUSTED. {'error': {'code': 429, 'message': 'Resource has been exhausted (e.g. check quota).', 'status': 'RESOURCE_EXHAUSTED'}}",
    },
    errorType: "rate_limited",
    providerCode: "RESOURCE_EXHAUSTED",
  },
  // https://github.com/continuedev/continue/issues/10560 (the Google body as a string in a wrapper)
  {
    name: "gemini RESOURCE_EXHAUSTED inside a wrapper's message string",
    facts: {
      provider: "gemini",
      message:
        '{"error":{"message":"{\\n  \\"error\\": {\\n    \\"code\\": 429,\\n    \\"message\\": \\"Resource has been exhausted (e.g. check quota).\\",\\n    \\"status\\": \\"RESOURCE_EXHAUSTED\\"\\n  }\\n}\\n","code":429,"status":"Too Many Requests"}}',
    },
    errorType: "rate_limited",
    providerCode: "RESOURCE_EXHAUSTED",
  },
  // https://github.com/leancodepl/arb_translate/issues/7 (the Dart google_generative_ai SDK, message only)
  {
    name: "vertex per-minute base-model quota exceeded, message alone",
    facts: {
      provider: "vertex",
      message:
        "Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute_per_project_per_base_model with base model: gemini-pro. Please submit a quota increase request. https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai.",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/GoogleCloudPlatform/Open_Data_QnA/issues/61 (google-api-core's exception)
  {
    name: "vertex api_core ResourceExhausted per-minute quota",
    facts: {
      provider: "vertex",
      message:
        "google.api_core.exceptions.ResourceExhausted: 429 Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute_per_project_per_base_model with base model: gemini-pro. Please submit a quota increase request. https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai.",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/cline/cline/issues/651 (Anthropic on Vertex; the body as an array)
  {
    name: "vertex 429 online prediction quota for a partner model",
    facts: {
      provider: "vertex",
      message:
        '429 [{"error":{"code":429,"message":"Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model with base model: anthropic-claude-3-5-sonnet-v2. Please submit a quota increase request. https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai.","status":"RESOURCE_EXHAUSTED"}}]',
    },
    errorType: "rate_limited",
    providerCode: "RESOURCE_EXHAUSTED",
  },
  // https://github.com/home-assistant/core/issues/132832 (the gRPC reason in protobuf text format)
  {
    name: "gemini 429 requests per minute with RATE_LIMIT_EXCEEDED in text format",
    facts: {
      provider: "gemini",
      message:
        "Error generating content: 429 Quota exceeded for quota metric 'Generate Content API requests per minute' and limit 'GenerateContent request limit per minute for a region' of service 'generativelanguage.googleapis.com' for consumer 'project_number:***********'. [reason: \"RATE_LIMIT_EXCEEDED\" domain: \"googleapis.com\" metadata { key: \"service\" value: \"generativelanguage.googleapis.com\" } metadata { key: \"quota_metric\" value: \"generativelanguage.googleapis.com/generate_content_requests\" } metadata { key: \"quota_location\" value: \"us-west4\" } metadata { key: \"quota_limit\" value: \"GenerateContentRequestsPerMinutePerProjectPerRegion\" } metadata { key: \"quota_limit_value\" value: \"0\" } metadata { key: \"consumer\" value: \"projects/***********\" }",
    },
    errorType: "rate_limited",
    providerCode: "rate_limit_exceeded",
  },
  // https://github.com/yym68686/uni-api/issues/41 (a project without access to a partner model)
  {
    name: "vertex 400 FAILED_PRECONDITION project not allowed to use publisher model",
    facts: {
      provider: "vertex",
      message:
        "Error 400 with provider vertex API key: None: [{'error': {'code': 400, 'message': 'Project `*********` is not allowed to use Publisher Model `projects/*****-*****-********-m8/locations/asia-southeast1/publishers/anthropic/models/claude-3-sonnet@20240229`', 'status': 'FAILED_PRECONDITION'}}]",
    },
    errorType: "permission_denied",
    providerCode: "FAILED_PRECONDITION",
  },
  // https://github.com/googleapis/python-genai/issues/426 (an API key sent to Vertex)
  {
    name: "vertex 401 UNAUTHENTICATED CREDENTIALS_MISSING for an API key",
    facts: {
      provider: "vertex",
      errorName: "ClientError",
      message:
        "401 UNAUTHENTICATED. {'error': {'code': 401, 'message': 'API keys are not supported by this API. Expected OAuth2 access token or other authentication credentials that assert a principal. See https://cloud.google.com/docs/authentication', 'status': 'UNAUTHENTICATED', 'details': [{'@type': 'type.googleapis.com/google.rpc.ErrorInfo', 'reason': 'CREDENTIALS_MISSING', 'domain': 'googleapis.com', 'metadata': {'method': 'google.cloud.aiplatform.v1beta1.PredictionService.GenerateContent', 'service': 'aiplatform.googleapis.com'}}]}}",
    },
    errorType: "unauthorized",
    providerCode: "CREDENTIALS_MISSING",
  },
  // https://github.com/cocoindex-io/cocoindex/issues/1151 (a Rust client's wording)
  {
    name: "vertex embedding tokens per minute quota in a Rust client's wording",
    facts: {
      provider: "vertex",
      message:
        "the service reports an error with code RESOURCE_EXHAUSTED described as: Quota exceeded for aiplatform.googleapis.com/embed_content_input_tokens_per_minute_per_base_model with base model: gemini-embedding. Please submit a quota increase request. https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai.",
    },
    errorType: "rate_limited",
    providerCode: "RESOURCE_EXHAUSTED",
  },
];

const cohereSeen: FailureCase[] = [
  // https://github.com/e-p-armstrong/verustoolkit/issues/1 (cohere-python v5)
  {
    name: "cohere TooManyRequestsError status_code 429",
    facts: { provider: "cohere", errorName: "TooManyRequestsError", message: "status_code: 429" },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/langgenius/dify/issues/2506 (an HTML 403 from in front of the API)
  {
    name: "cohere ApiError 403 with an HTML body",
    facts: {
      provider: "cohere",
      errorName: "ApiError",
      message:
        'status_code: 403, body: <!doctype html><meta charset="utf-8"><meta name=viewport content="width=device-width, initial-scale=1"><title>403</title>403 Forbidden',
    },
    errorType: "permission_denied",
    providerCode: undefined,
  },
  // https://github.com/cohere-ai/notebooks/issues/6 (the old cohere SDK)
  {
    name: "cohere CohereError invalid api token",
    facts: { provider: "cohere", errorName: "CohereError", message: "invalid api token" },
    errorType: "unauthorized",
    providerCode: undefined,
  },
];

const mistralAuth: FailureCase[] = [
  // https://github.com/agent0ai/agent-zero/issues/539
  {
    name: "mistral 401 detail Unauthorized in a fetch error",
    facts: {
      provider: "mistral",
      message: 'Error response 401 while fetching https://api.mistral.ai/v1/chat/completions: {"detail":"Unauthorized"}',
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/continuedev/continue/issues/10277
  {
    name: "mistral 401 with no body",
    facts: { provider: "mistral", httpStatus: 401, message: "401 status code (no body)" },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/coolcline/CoolCline/issues/36 (@mistralai/mistralai's text; Codestral not activated)
  {
    name: "mistral SDK status 401 with message Unauthorized and a request id",
    facts: {
      provider: "mistral",
      message:
        'API error occurred: Status 401 Content-Type application/json; charset=utf-8 Body \n{\n  "message":"Unauthorized",\n  "request_id":"933f233947ff6d346065bb297e4a4d56"\n}',
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/nextcloud/integration_openai/issues/332 (Guzzle's wording)
  {
    name: "mistral 401 through Guzzle's client error",
    facts: {
      provider: "mistral",
      message:
        'Client error: `GET https://api.mistral.ai/v1/models` resulted in a `401 Unauthorized` response:\n{"detail":"Unauthorized"}',
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
];

const groqSeen: FailureCase[] = [
  // https://github.com/HunorLaczko/ha-groq-cloud-api/issues/27 (a 413 typed rate_limit_exceeded)
  {
    name: "groq 413 request too large for the TPM limit in a Python repr",
    facts: {
      provider: "groq",
      message:
        "Error code: 413 - {'error': {'message': 'Request too large for model llama-3.1-8b-instant in organization org_xxxxxxx service tier on_demand on tokens per minute (TPM): Limit 6000, Requested 12328, please reduce your message size and try again. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing', 'type': 'tokens', 'code': 'rate_limit_exceeded'}}",
    },
    errorType: "bad_request",
    providerCode: "rate_limit_exceeded",
  },
  // https://github.com/continuedev/continue/issues/10218
  {
    name: "groq 413 request too large, status and message",
    facts: {
      provider: "groq",
      httpStatus: 413,
      message:
        "413 Request too large for model `llama-3.3-70b-versatile` in organization `org_01kgg5588eftc8k70aes4864eb` service tier `on_demand` on tokens per minute (TPM): Limit 12000, Requested 14137, please reduce your message size and try again. Need more tokens%3F Upgrade to Dev Tier today at https://console.groq.com/settings/billing",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/laravel/ai/pull/925 (Groq's documented 498, as the PR quotes console.groq.com/docs/errors)
  {
    name: "groq 498 flex tier at capacity",
    facts: {
      provider: "groq",
      httpStatus: 498,
      message: "the flex tier is at capacity and the request won't be processed. You can try again later.",
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
];

/** OpenAI's Responses API failing inside HTTP 200. */
const openaiInStream: FailureCase[] = [
  // https://github.com/openai/codex/issues/43337 (the thread wrapped the data line; it is one line here)
  {
    name: "openai responses stream error event server_is_overloaded after HTTP 200",
    facts: {
      provider: "openai",
      httpStatus: 200,
      body:
        'event: response.created\nevent: response.in_progress\nevent: error\ndata: {"type":"error","error":{"type":"service_unavailable_error","code":"server_is_overloaded","message":"Our servers are currently overloaded. Please try again later.","param":null},"sequence_number":2}\nevent: response.failed\n',
    },
    errorType: "overloaded",
    providerCode: "server_is_overloaded",
  },
];

/**
 * Billing and account states in words and codes the rules above did not know: disabled
 * organizations, overdue accounts, empty balances (also in Chinese), monthly allowances.
 */
const billingAndAccountWording: FailureCase[] = [
  // https://github.com/anthropics/claude-code/issues/19028
  {
    name: "anthropic 400 organization has been disabled is unauthorized",
    facts: {
      provider: "anthropic",
      message:
        'API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"This organization has been disabled."},"request_id":"req_011CXF1SZ3S3oXChsdxhoUwV"}',
    },
    errorType: "unauthorized",
    providerCode: "invalid_request_error",
  },
  // https://github.com/anthropics/claude-code/issues/72457
  {
    name: "anthropic organization disabled, message only",
    facts: { provider: "anthropic", message: "API Error: 400 This organization has been disabled." },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/CherryHQ/cherry-studio/issues/3340
  {
    name: "anthropic organization disabled through cherry-studio",
    facts: {
      provider: "anthropic",
      message:
        '400 {"type":"error","error":{"type":"invalid_request_error","message":"This organization has been disabled."}}',
    },
    errorType: "unauthorized",
    providerCode: "invalid_request_error",
  },
  // https://github.com/tencentmusic/supersonic/issues/1572 (dashscope-sdk-java)
  {
    name: "dashscope Arrearage in the Java SDK's ApiException",
    facts: {
      provider: "dashscope",
      message:
        'com.alibaba.dashscope.exception.ApiException: {"statusCode":400,"message":"Access denied, please make sure your account is in good standing.","code":"Arrearage","isJson":true,"requestId":"8af536f9-6b8b-93b5-bb5f-1597a3f65db4"}',
    },
    errorType: "quota_exhausted",
    providerCode: "Arrearage",
  },
  // https://github.com/hsliuping/TradingAgents-CN/issues/170
  {
    name: "dashscope Arrearage as a Python dict repr",
    facts: {
      provider: "dashscope",
      message:
        "{'error': {'code': 'Arrearage', 'param': None, 'message': 'Access denied, please make sure your account is in good standing.', 'type': 'Arrearage'}, 'id': 'chatcmpl-f9fdb027-830c-9e05-8366-ce479a878825', 'request_id': 'f9fdb027-830c-9e05-8366-ce479a878825'}",
    },
    errorType: "quota_exhausted",
    providerCode: "Arrearage",
  },
  // https://github.com/QuantumNous/new-api/pull/1401
  {
    name: "dashscope Arrearage body in the OpenAI envelope",
    facts: {
      provider: "dashscope",
      body:
        '{"error":{"message":"Access denied, please make sure your account is in good standing.","type":"Arrearage","param":"","code":"Arrearage"}}',
    },
    errorType: "quota_exhausted",
    providerCode: "Arrearage",
  },
  // https://github.com/anomalyco/opencode/issues/22994
  {
    name: "dashscope overdue-payment wording without a code",
    facts: {
      provider: "dashscope",
      message:
        "Access denied, please make sure your account is in good standing. For details, see: https://help.aliyun.com/zh/model-studio/error-code#overdue-payment",
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/RooCodeInc/Roo-Code/issues/12309
  {
    name: "relay 403 access denied due to overdue account",
    facts: {
      provider: "openai-compatible",
      message: "OpenAI completion error: 403 Access denied due to overdue account",
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/Wei-Shaw/sub2api/issues/890 (Codex CLI's wording around a sub2api body)
  {
    name: "relay 403 INSUFFICIENT_BALANCE is an exhausted quota",
    facts: {
      provider: "sub2api",
      message:
        'unexpected status 403 Forbidden: {"code":"INSUFFICIENT_BALANCE","message":"Insufficient account balance"}, url: https://sub2api.demo.com/responses, request id: ff94236c-2cf0-4bed-806d-dd01b5f938f4',
    },
    errorType: "quota_exhausted",
    providerCode: "INSUFFICIENT_BALANCE",
  },
  // https://github.com/continuedev/continue/issues/11823
  {
    name: "zhipu 429 balance exhausted in Chinese",
    facts: { provider: "zhipu", httpStatus: 429, message: "429 余额不足或无可用资源包,请充值。" },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/agentscope-ai/QwenPaw/issues/202
  {
    name: "zhipu 1113 in Chinese inside an openai-python RateLimitError",
    facts: {
      provider: "zhipu",
      message:
        "Unknown agent error: RateLimitError: Error code: 429 - {'error': {'code': '1113', 'message': '余额不足或无可用资源包,请充值。'}}",
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/zhayujie/CowAgent/issues/2910
  {
    name: "zhipu 1113 in Chinese after Error code: 429",
    facts: {
      provider: "zhipu",
      message: 'Error code: 429, with error text {"error":{"code":"1113","message":"余额不足或无可用资源包,请充值。"}}',
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/huggingface/agents-course/issues/386
  {
    name: "huggingface monthly included credits exceeded",
    facts: {
      provider: "huggingface",
      message:
        "You have exceeded your monthly included credits for Inference Providers. Subscribe to PRO to get 20x more monthly included credits.",
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/anomalyco/opencode/issues/12219 (a comment in the thread)
  {
    name: "openrouter key's monthly limit is an exhausted quota",
    facts: {
      provider: "openrouter",
      message:
        "Prompt tokens limit exceeded: 230799 > 91442. To increase, visit https://openrouter.ai/settings/keys and create a key with a higher monthly limit",
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
];

/**
 * Transport failures as Python tracebacks, Java's OkHttp, Envoy in front of a provider, and a 408 in
 * a client's words.
 */
const transportInOtherWords: FailureCase[] = [
  // https://github.com/NVIDIA/garak/pull/347
  {
    name: "openai-python 0.x APIConnectionError named at the head of the message",
    facts: {
      provider: "openai",
      message:
        "openai.error.APIConnectionError: Error communicating with OpenAI: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/OnaZeroN/WebGPT/issues/1
  {
    name: "openai-python 0.x APIConnectionError, message alone",
    facts: { provider: "openai", message: "openai.error.APIConnectionError: Error communicating with OpenAI" },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/ashinnotfound/ChatGPT-YourChatRobot/issues/55 (openai-java over OkHttp)
  {
    name: "okhttp unexpected end of stream is a network error",
    facts: {
      provider: "openai",
      message:
        "java.lang.RuntimeException: java.io.IOException: unexpected end of stream on https://api.openai.com/...",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/PlexPt/chatgpt-java/issues/343 (the same cut through chatgpt-java, long input)
  {
    name: "okhttp unexpected end of stream from chatgpt-java",
    facts: { provider: "openai", message: "java.io.IOException: unexpected end of stream on https://api.openai.com/" },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/666ghj/BettaFish/issues/253
  {
    name: "envoy upstream reset before headers inside an app's message",
    facts: {
      provider: "openai-compatible",
      message:
        "研究过程中发生错误: upstream connect error or disconnect/reset before headers. reset reason: connection termination",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/Kilo-Org/kilocode/issues/12543
  {
    name: "envoy upstream connect error, connection termination",
    facts: {
      provider: "kilo",
      message: "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/microsoft/vscode-copilot-release/issues/920 (a comment in the thread)
  {
    name: "copilot 408 Request Timeout in the client's words",
    facts: { provider: "github-copilot", message: "unhandled status from server: 408 Request Timeout" },
    errorType: "timeout",
    providerCode: undefined,
  },
];

/**
 * Wording that speaks only when no code or status did: OpenAI's 500 sentence, Copilot's
 * rate-limited, Hugging Face's loading model, DeepSeek's missing model.
 */
const everydayWordingSeen: FailureCase[] = [
  // https://github.com/LlmKira/Openaibot/issues/177
  {
    name: "openai server had an error while processing, in a bot's log line",
    facts: {
      provider: "openai",
      message:
        "RUN:Openai Error:500:server_error:The server had an error while processing your request. Sorry about that!",
    },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/openai/openai-realtime-console/issues/51
  {
    name: "openai realtime server had an error, message alone",
    facts: {
      provider: "openai",
      message:
        "The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if the error persists. (Please include the session ID sess_*** in your message.)",
    },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/microsoft/vscode-copilot-release/issues/1596
  {
    name: "copilot your request was rate-limited",
    facts: {
      provider: "github-copilot",
      message: "Sorry, your request was rate-limited. Please wait and try sending again later.",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/ela-codes/vibin/issues/2
  {
    name: "huggingface model is currently loading, body without a status",
    facts: {
      provider: "huggingface",
      body:
        '{"error":"Model mrm8488/t5-base-finetuned-emotion is currently loading","estimated_time":35.6677131652832}',
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/BerriAI/litellm/issues/1242
  {
    name: "huggingface model loading through litellm's APIError",
    facts: {
      provider: "huggingface",
      message:
        "litellm.exceptions.APIError: HuggingfaceException - response is not in expected format - [{'error': 'Model echarlaix/tiny-random-mistral is currently loading', 'estimated_time': 20.0}]",
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/ConardLi/easy-dataset/issues/9
  {
    name: "deepseek 400 Model Not Exist is not_found",
    facts: {
      provider: "deepseek",
      message:
        '调用DeepSeek模型失败: 请求失败，状态码: 400, 响应: {"error":{"message":"Model Not Exist","type":"invalid_request_error","param":null,"code":"invalid_request_error"}}',
    },
    errorType: "not_found",
    providerCode: "invalid_request_error",
  },
];

/**
 * Statuses and transport failures in the words other clients print: requests' "422 Client Error",
 * dio's "status code of 503", reason phrases, Go's unexpected EOF, validation wording.
 */
const statusWordsSeen: FailureCase[] = [
  // https://github.com/meta-llama/llama/issues/1103
  {
    name: "huggingface_hub 422 Client Error with an input validation error",
    facts: {
      provider: "huggingface",
      message:
        "HfHubHTTPError: 422 Client Error: Unprocessable Entity for url: https://api-inference.huggingface.co/models/meta-llama/Llama-2-7b-chat-hf (Request ID: gPxf6Ns0plH9zveHLZP_A)\n\nInput validation error: `inputs` must have less than 4096 tokens. Given: 4545\nMake sure 'text-generation' task is supported by the model.",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/babakcode/flutter_gemini/issues/44
  {
    name: "gemini 503 as dio's status code of 503",
    facts: {
      provider: "gemini",
      message:
        "Error in gemini function: **GeminiException** => This exception was thrown because the response has a status code of 503 and RequestOptions.validateStatus was configured to throw for this status code.",
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/replicate/replicate-javascript/issues/74 (a comment in the thread)
  {
    name: "replicate Payment Required in the client's words",
    facts: { provider: "replicate", message: "Error: API request failed: Payment Required" },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/ollama/ollama/issues/1770
  {
    name: "ollama CLI unexpected EOF is a network error",
    facts: { provider: "ollama", message: "Error: max retries exceeded: unexpected EOF" },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/stackblitz-labs/bolt.diy/issues/56
  {
    name: "groq max_tokens must be less than or equal to, through the AI SDK",
    facts: {
      provider: "groq",
      errorName: "AI_APICallError",
      message: "max_tokens for preview model `llama-3.1-8b-instant` must be less than or equal to 8000",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/yihong0618/bilingual_book_maker/issues/137
  {
    name: "openai provide your API key in an Authorization header",
    facts: {
      provider: "openai",
      message:
        "You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://beta.openai.com.",
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/huggingface/api-inference-community/issues/38
  {
    name: "huggingface invalid token body",
    facts: { provider: "huggingface", body: '{ "error": "invalid token" }' },
    errorType: "unauthorized",
    providerCode: undefined,
  },
];

/**
 * Connections that never came up, in the words of Python's httpx, aiohttp and ssl, Windows, and a
 * local server's web UI.
 */
const connectionFailuresSeen: FailureCase[] = [
  // https://github.com/YorkieDev/LMStudioWebUI/issues/8
  {
    name: "lm studio unable to connect to the server",
    facts: {
      provider: "lmstudio",
      message: "Error: Unable to connect to the LM Studio server. Please check the address and try again.",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/ollama/ollama-python/issues/27 (Windows)
  {
    name: "ollama-python ConnectError, target machine actively refused it",
    facts: {
      provider: "ollama",
      message:
        "ConnectError: [WinError 10061] No connection could be made because the target machine actively refused it",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/ollama/ollama-python/issues/304 (a comment in the thread)
  {
    name: "httpx ConnectError all connection attempts failed",
    facts: { provider: "ollama", message: "httpx.ConnectError: All connection attempts failed" },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/FoundationAgents/MetaGPT/issues/31
  {
    name: "aiohttp cannot connect to host on a certificate failure",
    facts: {
      provider: "openai",
      message:
        "aiohttp.client_exceptions.ClientConnectorCertificateError: Cannot connect to host api.openai.com:443 ssl:True [SSLCertVerificationError: (1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:992)')]",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/OpenRouterTeam/openrouter-examples/issues/8
  {
    name: "openrouter certificate verify failed through urllib3 retries",
    facts: {
      provider: "openrouter",
      message:
        "HTTPSConnectionPool(host='openrouter.ai', port=443): \nMax retries exceeded with url: /api/v1/chat/completions \n(Caused by SSLError(SSLCertVerificationError\n(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:992)')))",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/agent0ai/agent-zero/issues/748
  {
    name: "litellm APIConnectionError, cannot connect to a local ollama host",
    facts: {
      provider: "ollama",
      message:
        "litellm.APIConnectionError: OllamaException - Cannot connect to host localhost:11434 ssl:default [Connect call failed ('127.0.0.1', 11434)]",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/openai/openai-python/issues/326
  {
    name: "openai-python 0.x APIConnectionError over an SSL certificate failure",
    facts: {
      provider: "openai",
      message:
        "openai.error.APIConnectionError: Error communicating with OpenAI: HTTPSConnectionPool(host='api.openai.com', port=443): Max retries exceeded with url: /v1/chat/completions (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:992)')))",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
];

/**
 * Bedrock's 400 ValidationException "The provided model identifier is invalid." for a bare, retired
 * or unsupported model id, as SDKs, agents and relays print it: the model does not exist for this
 * key, so not_found (held-out set D, round 2).
 */
const bedrockModelIdentifier: FailureCase[] = [
  // https://github.com/Kilo-Org/kilocode/issues/1178 (the first of the two errors the report quotes)
  {
    name: "bedrock model identifier is invalid in kilocode's Unknown Error wording",
    facts: { provider: "bedrock", message: "Unknown Error: The provided model identifier is invalid." },
    errorType: "not_found",
    providerCode: undefined,
  },
  // https://github.com/aws-samples/amazon-bedrock-workshop/issues/315
  {
    name: "bedrock model identifier is invalid from boto3 InvokeModel",
    facts: {
      provider: "bedrock",
      message:
        "ValidationException: An error occurred (ValidationException) when calling the InvokeModel operation: The provided model identifier is invalid.",
    },
    errorType: "not_found",
    providerCode: "ValidationException",
  },
  // https://github.com/Wei-Shaw/sub2api/issues/1714
  {
    name: "bedrock model identifier is invalid through the sub2api relay",
    facts: {
      provider: "bedrock",
      message: 'API returned 400: {"message":"The provided model identifier is invalid."}',
    },
    errorType: "not_found",
    providerCode: undefined,
  },
  // https://github.com/earendil-works/pi/issues/4993
  {
    name: "bedrock model identifier is invalid as a Validation error",
    facts: { provider: "bedrock", message: "Error: Validation error: The provided model identifier is invalid." },
    errorType: "not_found",
    providerCode: undefined,
  },
  // https://github.com/MattJColes/lgtmaybe/pull/70
  {
    name: "bedrock model identifier is invalid as a LiteLLM BedrockException",
    facts: {
      provider: "bedrock",
      message: 'BedrockException - {"message":"The provided model identifier is invalid."}',
    },
    errorType: "not_found",
    providerCode: undefined,
  },
];

/**
 * Relays in front of a provider that report the call behind them failed: OpenRouter-style envelopes
 * with a numeric `code` that is the status they sent, and "Upstream request failed" (held-out set D,
 * round 2).
 */
const relayUpstreamFailures: FailureCase[] = [
  // https://github.com/Routstr/routstr-core/issues/461 (the first quoted error: the relay's body, logged as
  // errorMessage, with code 502 and no status passed)
  {
    name: "routstr 502 envelope around the upstream's HTML page",
    facts: {
      provider: "routstr",
      body:
        "{\"error\": {\"message\": \"<!DOCTYPE html>\\n<html lang=\\\"en\\\">\\n<head>\\n<meta charset=\\\"utf-8\\\">\\n<title>Error</title>\\n</head>\\n<body>\\n<pre>Cannot POST /messages</pre>\\n</body>\\n</html>\", \"type\": \"upstream_error\", \"code\": 502}, \"request_id\": \"619c8844-0e7e-4c72-b9e0-5ba267c02203\"}",
    },
    errorType: "server_error",
    providerCode: "upstream_error",
  },
  // https://github.com/Routstr/routstr-core/issues/461 (the third quoted error)
  {
    name: "routstr 502 envelope, upstream request failed",
    facts: {
      provider: "routstr",
      message:
        '{"error": {"message": "Upstream request failed", "type": "upstream_error", "code": 502}, "request_id": "32c3867f-e3dc-4750-8d61-dd7cb50e25a3"}',
    },
    errorType: "server_error",
    providerCode: "upstream_error",
  },
  // https://github.com/Wei-Shaw/sub2api/issues/2857
  {
    name: "sub2api upstream_error upstream request failed, then response.failed",
    facts: {
      provider: "openai",
      message:
        '{"error":{"message":"Upstream request failed","type":"upstream_error"}}event: response.failed data: {"type":"response.failed","response":{"id":"resp_ad53c232c45144e3b1e28abc125d2ec8","object":"response","model":"gpt-5.5","status":"failed","output":[],"error":{"code":"upstream_error","message":"Upstream request failed"}}}',
    },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/anomalyco/opencode/issues/37231
  {
    name: "opencode console go upstream request failed",
    facts: { provider: "opencode", message: "Error from provider (Console Go): Upstream request failed" },
    errorType: "server_error",
    providerCode: undefined,
  },
];

/**
 * A JavaScript error printed as `Name: message` (String(error)), so the class at the head stands for
 * the error name the bridge did not send (held-out set D, round 2).
 */
const jsErrorNameAtHead: FailureCase[] = [
  // https://github.com/assistant-ui/assistant-ui/issues/2984
  {
    name: "AbortError BodyStreamBuffer was aborted when the user cancels",
    facts: { provider: "openai", message: "AbortError: BodyStreamBuffer was aborted" },
    errorType: "canceled",
    providerCode: undefined,
  },
  // https://github.com/Azure-Samples/azure-search-openai-demo/issues/1221 (a comment in the thread)
  {
    name: "AbortError BodyStreamBuffer was aborted when a chat stream is stopped",
    facts: { provider: "azure", message: "AbortError: BodyStreamBuffer was aborted" },
    errorType: "canceled",
    providerCode: undefined,
  },
];

/**
 * Wording a log or terminal wrapped: a line break or doubled space inside a phrase or a retry hint
 * says nothing about the failure (held-out set E, round 3).
 */
const wrappedWording: FailureCase[] = [
  // https://github.com/anthropics/claude-code/issues/28032
  {
    name: "bedrock expired token with 403, printed with a doubled space, is unauthorized",
    facts: {
      provider: "bedrock",
      message: "API Error: 403 The security token included in the request  is expired · Please run /login",
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/ago19800/HomeMind/issues/29
  {
    name: "groq TPM 429 whose log wrapped 'Please try again in' over two lines keeps its hint",
    facts: {
      provider: "groq",
      message: "Error code: 429 - {'error': {'message': 'Rate limit reached for model\n`llama-3.3-70b-versatile` in organization\n`org_01kes94v04f9ramd2n1vj4gjnc` service tier `on_demand` on tokens\nper minute (TPM): Limit 12000, Used 2542, Requested 9855. Please try\nagain in 1.984999999s. Need more tokens? Upgrade to Dev Tier today at\nhttps://console.groq.com/settings/billing', 'type': 'tokens', 'code':\n'rate_limit_exceeded'}}",
    },
    errorType: "rate_limited",
    providerCode: "rate_limit_exceeded",
    retryAfterMs: 1985,
  },
];


/**
 * Statuses a client wrote into its message in shapes the earlier patterns missed: in parentheses
 * after 'API Error', as an HTTP status line, and an upstream's labelled status behind the app's own
 * at the head (held-out set E, round 3).
 */
const statusesInOtherShapes: FailureCase[] = [
  // https://github.com/anthropics/claude-code/issues/236
  {
    name: "bedrock 429 in parentheses after API Error is a rate limit",
    facts: {
      provider: "bedrock",
      message: "API Error (429 Too many tokens, please wait before trying again.)",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/anthropics/claude-code/issues/3197
  {
    name: "anthropic 520 Cloudflare page in parentheses after API Error is a server error",
    facts: {
      provider: "anthropic",
      message: "API Error (520 <!DOCTYPE html>\n<!--[if lt IE 7]> <html class=\"no-js ie6 oldie\" lang=\"en-US\"> <![endif]-->\n<!--[if IE 7]>    <html class=\"no-js ie7 oldie\" lang=\"en-US\"> <![endif]-->\n<!--[if IE 8]>    <html class=\"no-js ie8 oldie\" lang=\"en-US\"> <![endif]-->\n<!--[if gt IE 8]><!--> <html class=\"no-js\" lang=\"en-US\"> <!--<![endif]-->\n<head>\n\n\n<title>api.anthropic.com | 520: Web server is returning an unknown error</title>\n<meta charset=\"UTF-8\" />",
    },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/karthink/gptel/issues/1533
  {
    name: "mistral 429 as an HTTP/2 status line is a rate limit",
    facts: {
      provider: "mistral",
      message: "MistralLeChat error: ((HTTP/2 429) Could not parse HTTP response.) Could not parse HTTP response.",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/microsoft/copilot-camp/issues/551
  {
    name: "azure 429 behind an app's own 400 at the head is a rate limit, with its hint",
    facts: {
      provider: "azure",
      message: "400 An error occurred when calling Azure OpenAI: Server responded with status 429. Error message: {\"error\":{\"code\":\"429\",\"message\": \"Rate limit is exceeded. Try again in 2 seconds.\"}}",
    },
    errorType: "rate_limited",
    providerCode: undefined,
    retryAfterMs: 2000,
  },
];


/**
 * Transport failures in words the earlier lists lacked: httpx's server disconnect without its class
 * name, botocore's read timeout, and a stream that went idle mid-response (held-out set E, round 3).
 */
const transportWordingRound3: FailureCase[] = [
  // https://github.com/HKUDS/LightRAG/issues/2004
  {
    name: "httpx server disconnected without sending a response, no class name, is a network error",
    facts: {
      provider: "openai",
      message: "limit_async: Error in decorated function: Server disconnected without sending a response",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/Arize-ai/phoenix/issues/1925
  {
    name: "botocore ReadTimeoutError on a Bedrock endpoint is a timeout",
    facts: {
      provider: "bedrock",
      message: "botocore.exceptions.ReadTimeoutError: Read timeout on endpoint URL: \"https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-v2/invoke\"",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/danilop/multimodal-chat/issues/20
  {
    name: "botocore read timeout wording alone, URL wrapped, is a timeout",
    facts: {
      provider: "bedrock",
      message: "Read timeout on endpoint URL:\n\"https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-3\n-5-sonnet-20240620-v1%3A0/converse\"",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/anthropics/claude-code/issues/57637
  {
    name: "stream idle timeout with a partial response is a timeout",
    facts: {
      provider: "anthropic",
      message: "API Error: Stream idle timeout - partial response received",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
];


/**
 * A capacity refusal a relay tagged as a rate limit: the service, not this caller, is short
 * (held-out set E, round 3).
 */
const peakLoadCapacity: FailureCase[] = [
  // https://github.com/pollinations/pollinations/issues/6260
  {
    name: "azure 429 high demand at peak load behind a relay's RATE_LIMITED is overload, with its hint",
    facts: {
      provider: "azure",
      httpStatus: 429,
      body: "{\"success\":false,\"error\":{\"message\":\"azure-openai error: The system is currently experiencing high demand and cannot process your request. Your request exceeds the maximum usage size allowed during peak load. Please retry after 20 seconds. For improved latency reliability, consider switching to Provisioned Throughput.\",\"code\":\"RATE_LIMITED\",\"timestamp\":\"2025-12-21T01:27:42.111Z\"},\"status\":429}",
    },
    errorType: "overloaded",
    providerCode: "RATE_LIMITED",
    retryAfterMs: 20000,
  },
];


/**
 * A google.rpc status a client states in words at the end of its message, '(Status: NAME)'
 * (held-out set E, round 3).
 */
const statedRpcStatus: FailureCase[] = [
  // https://github.com/google-gemini/gemini-cli/issues/2194
  {
    name: "vertex API keys not supported, ending (Status: UNAUTHENTICATED), is unauthorized",
    facts: {
      provider: "vertex",
      message: "[API Error: API keys are not supported by this API. Expected OAuth2 access token \n  or other authentication credentials that assert a principal. See \n  https://cloud.google.com/docs/authentication (Status: UNAUTHENTICATED)]",
    },
    errorType: "unauthorized",
    providerCode: "UNAUTHENTICATED",
  },
];


/**
 * A model Together serves only on dedicated endpoints, asked for on the serverless API
 * (held-out set E, round 3).
 */
const togetherServerless: FailureCase[] = [
  // https://github.com/HeyPuter/puter/issues/3168
  {
    name: "together 400 model_not_available for a non-serverless model is not found",
    facts: {
      provider: "together",
      httpStatus: 400,
      body: "{\"id\":\"okkMZ1x-2kFHot-a023f63c6e2dff7e\",\"error\":{\"message\":\"Unable to access non-serverless model nim/nvidia/llama-3.3-nemotron-super-49b-v1. Please visit https://api.together.ai/models/nim/nvidia/llama-3.3-nemotron-super-49b-v1 to create and start a new dedicated endpoint for the model.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"model_not_available\"}}",
    },
    errorType: "not_found",
    providerCode: "model_not_available",
  },
];


/** Google's error array inside Gemini CLI's own brackets (held-out set G, round 4). */
const geminiCliArrays: FailureCase[] = [
  // https://github.com/google-gemini/gemini-cli/issues/11196
  {
    name: "gemini 503 array inside gemini-cli's [API Error: …] brackets is overloaded",
    facts: {
      provider: "gemini",
      message: "[API Error: [{\n    \"error\": {\n      \"code\": 503,\n      \"message\": \"The service is currently unavailable.\",\n      \"errors\": [\n        {\n          \"message\": \"The service is currently unavailable.\",\n          \"domain\": \"global\",\n          \"reason\": \"backendError\"\n        }\n      ],\n      \"status\": \"UNAVAILABLE\"\n    }\n  }\n  ]]",
    },
    errorType: "overloaded",
    providerCode: "UNAVAILABLE",
  },
];

/** A status leading the text after an exception class at a message's head, as Python and Java print one (held-out set G, round 4). */
const statusAfterExceptionClass: FailureCase[] = [
  // https://github.com/google-gemini/deprecated-generative-ai-python/issues/64
  {
    name: "google-api-core ServiceUnavailable: 503 after the class path is overloaded",
    facts: {
      provider: "gemini",
      message: "google.api_core.exceptions.ServiceUnavailable: 503 The service is currently unavailable.",
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/spring-projects/spring-ai/issues/2877
  {
    name: "Spring AI NonTransientAiException: 400 - Bad Request is a bad request",
    facts: {
      provider: "openai",
      message: "org.springframework.ai.retry.NonTransientAiException: 400 - Bad Request",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
];

/** openai-node's 'NNN status code (no body)' after a wrapper's own words (held-out set G, round 4). */
const noBodyInWrapper: FailureCase[] = [
  // https://github.com/OpenCoworkAI/open-codesign/issues/333
  {
    name: "gemini openai-compatible 400 status code (no body) inside an Electron wrapper is a bad request",
    facts: {
      provider: "gemini",
      message: "Error invoking remote method 'codesign:v1:generate': CodesignError: 400 status code (no body)",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
];

/** A proxy's HTML error page passed as the message, with no status: the page's title names it (held-out set G, round 4). */
const htmlTitleStatus: FailureCase[] = [
  // https://github.com/perplexityai/api-discussion/issues/281 (the page's inline Cloudflare script shortened)
  {
    name: "perplexity OpenResty 401 Authorization Required page as the message is unauthorized",
    facts: {
      provider: "perplexity",
      message: "<html>\n<head><title>401 Authorization Required</title></head>\n<body>\n<center><h1>401 Authorization Required</h1></center>\n<hr><center>openresty/1.27.4</center>\n<script>(function(){function c(){var b=a.contentDocument||a.contentWindow.document;})();</script></body>\n</html>",
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
];

/** A deadline the provider's own front end reports expiring, whatever status it is sent with (held-out set G, round 4). */
const serverDeadlines: FailureCase[] = [
  // https://github.com/googleapis/python-genai/issues/1808 (as the issue's title quotes it, google-genai 1.52)
  {
    name: "google-genai 503 UNAVAILABLE with an expired deadline is a timeout",
    facts: {
      provider: "gemini",
      httpStatus: 503,
      message: "Error 503, UNAVAILABLE, 'Deadline expired before operation could complete.'",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/tatookan/comfyui_ssl_gemini_EXP/issues/6
  {
    name: "gemini 503 UNAVAILABLE 'Deadline expired before operation could complete.' is a timeout",
    facts: {
      provider: "gemini",
      message: "API调用错误: 503 UNAVAILABLE. {'error': {'code': 503, 'message': 'Deadline expired before operation could complete.', 'status': 'UNAVAILABLE'}}",
    },
    errorType: "timeout",
    providerCode: "UNAVAILABLE",
  },
];

/** Google IAM's refusal in words, with no status or code beside it (held-out set G, round 4). */
const iamDeniedInWords: FailureCase[] = [
  // https://github.com/BerriAI/litellm/issues/8597 (the gRPC debug string of the traceback)
  {
    name: "vertex gRPC 'Permission ... denied on resource' in a debug string is permission denied",
    facts: {
      provider: "vertex",
      message: "debug_error_string = \"UNKNOWN:Error received from peer ipv4:142.250.191.138:443 {created_time:\"2025-02-17T19:04:22.270203099+00:00\", grpc_status:7, grpc_message:\"Permission \\'aiplatform.endpoints.predict\\' denied on resource \\'//aiplatform.googleapis.com/projects/*********/locations/us-central1/endpoints/1984786713414729728\\' (or it may not exist).\"}\"",
    },
    errorType: "permission_denied",
    providerCode: undefined,
  },
  // https://github.com/rominirani/genai-apptemplates-googlecloud/issues/4
  {
    name: "vertex gRPC details 'Permission ... denied on resource' is permission denied",
    facts: {
      provider: "vertex",
      message: "details = \"Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/projects/genai-playground-397314/locations/us-central1/publishers/google/models/chat-bison@001' (or it may not exist).\"",
    },
    errorType: "permission_denied",
    providerCode: undefined,
  },
];

/** A relay's status written as a string code in its error object (probe H, round 4). */
const stringStatusCodes: FailureCase[] = [
  // https://github.com/ChatGPTNextWeb/NextChat/issues/6603 (Vercel's function timeout in front of OpenAI; the body as quoted, the thread names the 504 too)
  {
    name: "vercel deployment error with code \"504\" as a string is a timeout",
    facts: {
      provider: "openai",
      body: "{\n  \"error\": {\n    \"code\": \"504\",\n    \"message\": \"An error occurred with your deployment\"\n  }\n}",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
];

/** Cloudflare's error page passed as the message: the status follows the host in its title (probe H, round 4). */
const cloudflareTitleStatus: FailureCase[] = [
  // https://github.com/acheong08/ChatGPT/issues/866 (the page's head, as printed)
  {
    name: "cloudflare 504 page as the message, status after the host in the title, is a timeout",
    facts: {
      provider: "openai",
      message: "<!DOCTYPE html>\n\n <html class=\"no-js\" lang=\"en-US\">\n<head>\n<meta http-equiv=\"refresh\" content=\"0\">\n\n<title>gpt.pawan.krd | 504: Gateway time-out</title>\n<meta charset=\"UTF-8\" />\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\" />\n<meta http-equiv=\"X-UA-Compatible\" content=\"IE=Edge\" />\n<meta name=\"robots\" content=\"noindex, nofollow\" />",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
];

/**
 * Round 5 (held-out set H): timeouts as clients in other languages name them, with no status and no
 * Node code: Java's SocketTimeoutException, Go's http.Client and .NET's HttpClient timeouts.
 */
const clientTimeoutsInOtherLanguages: FailureCase[] = [
  // https://github.com/TheoKanning/openai-java/issues/275
  {
    name: "java SocketTimeoutException wrapped in a RuntimeException is a timeout",
    facts: { provider: "openai", message: "java.lang.RuntimeException: java.net.SocketTimeoutException: timeout" },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/xtekky/gpt4free/issues/393
  {
    name: "go http.Client i/o timeout while awaiting headers is a timeout",
    facts: {
      provider: "openai",
      message: "read tcp 127.0.0.1:7076->127.0.0.1:7890: i/o timeout (Client.Timeout exceeded while awaiting headers)",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/RageAgainstThePixel/OpenAI-DotNet/issues/151
  {
    name: ".NET HttpClient.Timeout elapsing is a timeout, not a cancel",
    facts: {
      provider: "openai",
      message:
        "TaskCanceledException: The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
];

/**
 * Round 5 (held-out set H): context-length and usage-policy refusals worded alone, with no status or
 * code, as apps and the AI SDK print Anthropic's and OpenAI's messages.
 */
const refusalsInWords: FailureCase[] = [
  // https://github.com/stackblitz-labs/bolt.diy/issues/401
  {
    name: "AI SDK APICallError 'prompt is too long' alone is a bad request",
    facts: { provider: "anthropic", message: "APICallError [AI_APICallError]: prompt is too long: 202609 tokens > 200000 maximum" },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/openai/codex/issues/38849
  {
    name: "openai prompt flagged as potentially violating the usage policy, in words, is a bad request",
    facts: {
      provider: "openai",
      message:
        "■ Invalid prompt: your prompt was flagged as potentially violating our usage policy. Please try again with a different prompt: https://platform.openai.com/docs/guides/reasoning#advice-on-prompting",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
];

/**
 * Round 5 (held-out set H): everyday wording with no status or code the bridge could read: the 400
 * reason phrase, Bedrock's model-access refusal after a mid-message class, Cloudflare's 1101 page.
 */
const wordingRound5: FailureCase[] = [
  // https://github.com/onyx-dot-app/onyx/issues/10893
  {
    name: "an app's 'Bad request' reason phrase with no status is a bad request",
    facts: {
      provider: "azure",
      message:
        "Invalid Request\nBad request: The server couldn't process your request. Please check your input.\nModel: gpt-4.1-mini_Classification_Documents (azure)",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/gaiin-platform/amplify-genai-backend/issues/62 (the message's head)
  {
    name: "bedrock 'You don't have access to the model' after an app's words is permission denied",
    facts: {
      provider: "bedrock",
      message:
        "Error invoking Bedrock Anthropic:  PermissionDeniedError: 403 You don't have access to the model with the specified model ID.\n    at APIError.generate (file:///var/task/node_modules/@anthropic-ai/sdk/error.mjs:42:20)",
    },
    errorType: "permission_denied",
    providerCode: undefined,
  },
  // https://github.com/Jazee6/cloudflare-ai-web/issues/49 (the page's error block, gateway.ai.cloudflare.com)
  {
    name: "cloudflare 1101 'Worker threw exception' page is a server error",
    facts: {
      provider: "cloudflare",
      message:
        '<div id="cf-error-details" class="cf-error-details-wrapper"> <div class="cf-wrapper cf-header cf-error-overview"> <h1> <span class="cf-error-type" data-translate="error">Error</span> <span class="cf-error-code">1101</span> <small class="heading-ray-id">Ray ID: 8885b5d9562815fb &bull; 2024-05-23 14:24:34 UTC</small> </h1> <h2 class="cf-subheadline" data-translate="error_desc">Worker threw exception</h2> </div>',
    },
    errorType: "server_error",
    providerCode: undefined,
  },
];

/** Round 5 (held-out set H): a gateway's own 400 standing for a provider failure. */
const gatewayUpstreamFailure: FailureCase[] = [
  // https://github.com/cloudflare/ai/issues/436
  {
    name: "cloudflare AI Gateway 400 code 2005 'Failed to get response from provider' is a server error",
    facts: {
      provider: "cloudflare-ai-gateway",
      httpStatus: 400,
      body: json({
        success: false,
        result: [],
        messages: [],
        error: [{ code: 2005, message: "Failed to get response from provider" }],
      }),
    },
    errorType: "server_error",
    providerCode: undefined,
  },
];

/** httpx's raise_for_status wording, printed by LiteLLM and the apps on it with no status passed. */
const httpxStatusWording: FailureCase[] = [
  // https://github.com/Aider-AI/aider/issues/2204
  {
    name: "httpx 'Server error '529 ' for url' under aider is Anthropic's overload",
    facts: {
      provider: "anthropic",
      message:
        "httpx.HTTPStatusError: Server error '529 ' for url 'https://api.anthropic.com/v1/messages'\nFor more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/529",
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/crewAIInc/crewAI/issues/140 (the line httpx raised under openai-python)
  {
    name: "httpx 'Client error '400 Bad Request' for url' alone is a bad request",
    facts: {
      provider: "openai",
      message: "httpx.HTTPStatusError: Client error '400 Bad Request' for url 'https://api.openai.com/v1/chat/completions'",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
];

/** Dify's plugin daemon reporting that the model plugin did not answer in time. */
const difyPluginTimeouts: FailureCase[] = [
  // https://github.com/langgenius/dify/issues/28890
  {
    name: "dify PluginInvokeError MAX_REQUEST_TIMEOUT is a timeout",
    facts: {
      provider: "dify",
      message:
        'Run failed: req_id: 7b76b8fb04 PluginInvokeError: {"args":{"description":"[models] Error: MAX_REQUEST_TIMEOUT"},"error_type":"InvokeError","message":"[models] Error: MAX_REQUEST_TIMEOUT"}',
    },
    errorType: "timeout",
    providerCode: undefined,
  },
];

/** A failed fetch as a browser's console logs it, passed on by a web front end. */
const consoleFetchStatus: FailureCase[] = [
  // https://github.com/open-webui/open-webui/issues/9477
  {
    name: "browser console 'GET <url> 524 (<none>)' is Cloudflare's timeout",
    facts: { provider: "ollama", message: "Error GET https://chat.*********.com/api/models 524 (<none>)" },
    errorType: "timeout",
    providerCode: undefined,
  },
];

/**
 * Held-out round ten (set K): failures as gateways and frameworks pass them on (LiteLLM, OpenRouter,
 * the AI SDK, LangChain, Portkey, one-api/new-api, Go agents).
 */
const gatewayWrappedRound10: FailureCase[] = [
  // https://github.com/BerriAI/litellm/issues/15968
  {
    name: "azure 'Input tokens exceed the configured limit' through LiteLLM is a context limit",
    facts: {
      provider: "azure",
      message:
        "AzureException BadRequestError - Input tokens exceed the configured limit of 272000 tokens. Your messages resulted in 509178 tokens. Please reduce the length of the messages.",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/BerriAI/litellm/issues/18927
  {
    name: "litellm ContextWindowExceededError with OpenAI's configured-limit wording is a bad request",
    facts: {
      provider: "openai",
      message: "ContextWindowExceededError: OpenAIException - Input tokens exceed the configured limit of 272000 tokens.",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/BerriAI/litellm/issues/18118 (the LiteLLM proxy's own 500 for Gemini's 503)
  {
    name: "litellm proxy 500 wrapping gemini 'The model is overloaded' is an overload",
    facts: {
      provider: "gemini",
      httpStatus: 500,
      body: '{"error":{"message":"litellm.InternalServerError: litellm.InternalServerError: geminiException - {\\n  \\"error\\": {\\n    \\"code\\": 503,\\n    \\"message\\": \\"The model is overloaded. Please try again later.\\",\\n    \\"status\\": \\"UNAVAILABLE\\"\\n  }\\n}\\n. Received Model Group=gemini-3-pro-image-preview\\nAvailable Model Group Fallbacks=None","type":null,"param":null,"code":"500"}}',
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/anomalyco/opencode/issues/14252
  {
    name: "openrouter 'User not found.' printed with no status is an unknown key",
    facts: {
      provider: "openrouter",
      message: 'Error: Unauthorized: {"error":{"message":"User not found.","code":401}}data: {"choices":[],"cost":"0"}',
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/vercel/ai/issues/13302
  {
    name: "ai sdk GatewayAuthenticationError 'Unauthenticated request to AI Gateway' is unauthorized",
    facts: {
      provider: "vercel-ai-gateway",
      message:
        "Error [GatewayAuthenticationError]: Unauthenticated request to AI Gateway.\n\nTo authenticate, set the AI_GATEWAY_API_KEY environment variable with your API key.\n\nAlternatively, you can use a provider module instead of the AI Gateway.\n\nLearn more: https://ai-sdk.dev/unauthenticated-ai-gateway\n",
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/popjane/free_chatgpt_api/issues/65
  {
    name: "new-api 当前分组上游负载已饱和 with no status is the upstream's 429",
    facts: {
      provider: "new-api",
      body: pretty({
        error: {
          message: "当前分组上游负载已饱和，请稍后再试 (request id: 2024121602163036521732429064585)",
          type: "new_api_error",
          param: "",
          code: null,
        },
      }),
    },
    errorType: "rate_limited",
    providerCode: "new_api_error",
  },
  // https://github.com/langchain-ai/langchain/issues/9688
  {
    name: "langchain retry log 'as it raised APIConnectionError: Error communicating with OpenAI' is a network error",
    facts: {
      provider: "openai",
      message:
        "Retrying langchain.chat_models.openai.ChatOpenAI.completion_with_retry.<locals>._completion_with_retry in 4.0 seconds as it raised APIConnectionError: Error communicating with OpenAI: HTTPSConnectionPool(host='api.openai.com', port=443): Max retries exceeded with url: /v1/chat/completions (Caused by ProxyError('Cannot connect to proxy.', RemoteDisconnected('Remote end closed connection without response'))).",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/Portkey-AI/gateway/issues/267
  {
    name: "portkey 200 with 'Network connection lost.' (Cloudflare Workers' fetch) is a network error",
    facts: { provider: "portkey", httpStatus: 200, body: json({ "html-message": "Network connection lost." }) },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/charmbracelet/crush/issues/3024
  {
    name: "go sdk 'POST \"<url>\": 429 Too Many Requests' outranks the catch-all invalid_request_error",
    facts: {
      provider: "fireworks",
      message:
        'POST "https://api.fireworks.ai/inference/v1/messages": 429 Too Many Requests {"error":{"type":"invalid_request_error","message":"rate limit exceeded, please try again later"},"type":"error"}',
    },
    errorType: "rate_limited",
    providerCode: "invalid_request_error",
  },
];

/**
 * Round 9 (held-out set J): xAI's word for a new team that has bought nothing yet, sent as 403 and,
 * through its gRPC SDK, as PERMISSION_DENIED: no key, model or region is wrong, credit is missing.
 */
const teamWithoutCredits: FailureCase[] = [
  // https://github.com/continuedev/continue/issues/12670
  {
    name: "xai 403 newly created team without credits or licenses is an exhausted quota",
    facts: {
      provider: "xai",
      httpStatus: 403,
      message:
        '403 "Your newly created team doesn\'t have any credits or licenses yet. You can purchase those on https://console.x.ai/team/481c7584-ab46-4974-b86b-a4978384e229."',
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/pajeronda/xai_conversation/issues/7 (the xai-sdk's gRPC error, as logged)
  {
    name: "xai gRPC PERMISSION_DENIED for a team without credits is an exhausted quota",
    facts: {
      provider: "xai",
      message:
        'Failed to fetch xAI model data: <AioRpcError of RPC that terminated with:\n\tstatus = StatusCode.PERMISSION_DENIED\n\tdetails = "Your newly created team doesn\'t have any credits or licenses yet. You can purchase those on https://console.x.ai/team/a9456ea3-d029-4929-92e6-32c8a3dcb3fd."',
    },
    errorType: "quota_exhausted",
    providerCode: "PERMISSION_DENIED",
  },
];

/** Round 9 (held-out set J): a connection that ended before the answer did, in Claude Code's words. */
const connectionClosedMidResponse: FailureCase[] = [
  // https://github.com/anthropics/claude-code/issues/74224
  {
    name: "connection closed mid-response is a network error",
    facts: {
      provider: "anthropic",
      message: "API Error: Connection closed mid-response. The response above may be incomplete.",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
];

/**
 * Round 9 (held-out set J): a site's own envelope with the provider's error body nested under
 * `details` (an object, where google.rpc's `details` is an array).
 */
const upstreamBodyUnderDetails: FailureCase[] = [
  // https://smartdarisun.ir/ (the page shows the error its API returned)
  {
    name: "openai insufficient_quota nested under a wrapper's details object is an exhausted quota",
    facts: {
      provider: "openai",
      body: '{"message":"OpenAI API error.","details":{"error":{"message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https:\\/\\/platform.openai.com\\/docs\\/guides\\/error-codes\\/api-errors.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}}',
    },
    errorType: "quota_exhausted",
    providerCode: "insufficient_quota",
  },
];

/**
 * Envoy's own answers in front of a provider, whose words say why where its 503 does not: a
 * circuit breaker's overflow is capacity, a failed connection to the backend a network failure,
 * no healthy backend a failed service.
 */
const envoyLocalReplies: FailureCase[] = [
  // https://github.com/anthropics/claude-code/issues/7044 (the circuit breaker: too many requests
  // pending, as istio-handbook#288 explains "overflow")
  {
    name: "anthropic 503 envoy reset reason overflow is overload",
    facts: {
      provider: "anthropic",
      message: "API Error (503 upstream connect error or disconnect/reset before headers. reset reason: overflow",
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/Aider-AI/aider/issues/2309
  {
    name: "litellm-wrapped envoy upstream connect error with a refused connection is a network error",
    facts: {
      provider: "anthropic",
      message:
        "litellm.llms.anthropic.common_utils.AnthropicError: upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: delayed connect error: Connection refused",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/higress-group/higress/issues/4174 (Envoy's local reply, 19 bytes)
  {
    name: "higress 503 no healthy upstream is a failed service, not overload",
    facts: { provider: "higress", httpStatus: 503, body: "no healthy upstream" },
    errorType: "server_error",
    providerCode: undefined,
  },
];

/** gRPC's UNAVAILABLE for a connection that never came up, whatever status and words surround it. */
const grpcConnectionNeverUp: FailureCase[] = [
  // https://github.com/GoogleCloudPlatform/agent-starter-pack/issues/158 (grpc's UNAVAILABLE for a
  // connection that never came up, under the app's own words; held-out set M)
  {
    name: "vertex grpc failed to connect to all addresses with no route to host is a network error",
    facts: {
      provider: "vertex",
      message:
        "Failed to connect to Vertex AI: 503 failed to connect to all addresses; last error: UNKNOWN: ipv6:%5B2404:6800:4012:6::200a%5D:443: connect: No route to host (65)",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
];

/**
 * Misses of the traffic-weighted held-out sets N and O (measured before these rules): an app's
 * envelope around the provider's body, OpenSSL's reset, a status after a terminal glyph, Bedrock's
 * "Too many connections" with no status.
 */
const heldOutRoundsNAndO: FailureCase[] = [
  // https://petronellatech.com/blog/openai-ssl-error-syscall-errno-104-causes-and-fixes (a blog quoting the error: a reset under curl/OpenSSL)
  {
    name: "openai OpenSSL SSL_ERROR_SYSCALL (errno 104) is a network error",
    facts: {
      provider: "openai",
      message: "OpenAI Error: OpenSSL SSL_read: SSL_ERROR_SYSCALL, errno 104",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://oppl.ai/llms/gemini_complex_1/JE00B3XR4V72.json (an app's envelope around Google's body, under `response`)
  {
    name: "gemini 429 daily free-tier quota inside an app's response envelope is an exhausted quota",
    facts: {
      provider: "gemini",
      body: "{\n    \"error\": \"Gemini API error\",\n    \"response\": {\n        \"error\": {\n            \"code\": 429,\n            \"message\": \"You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\",\n            \"status\": \"RESOURCE_EXHAUSTED\",\n            \"details\": [\n                {\n                    \"@type\": \"type.googleapis.com/google.rpc.QuotaFailure\",\n                    \"violations\": [\n                        {\n                            \"quotaMetric\": \"generativelanguage.googleapis.com/generate_content_free_tier_requests\",\n                            \"quotaId\": \"GenerateRequestsPerDayPerProjectPerModel-FreeTier\",\n                            \"quotaDimensions\": {\n                                \"location\": \"global\",\n                                \"model\": \"gemini-2.5-flash\"\n                            },\n                            \"quotaValue\": \"250\"\n                        }\n                    ]\n                },\n                {\n                    \"@type\": \"type.googleapis.com/google.rpc.Help\",\n                    \"links\": [\n                        {\n                            \"description\": \"Learn more about Gemini API quotas\",\n                            \"url\": \"https://ai.google.dev/gemini-api/docs/rate-limits\"\n                        }\n                    ]\n                },\n                {\n                    \"@type\": \"type.googleapis.com/google.rpc.RetryInfo\",\n                    \"retryDelay\": \"22s\"\n                }\n            ]\n        }\n    }\n}",
    },
    errorType: "quota_exhausted",
    providerCode: "RESOURCE_EXHAUSTED",
    retryAfterMs: 22000,
  },
  // https://errs.dmxapi.cn/detail.php?id=2735 (a relay's public error board; Claude Code prints its tree glyph first)
  {
    name: "anthropic relay's Cloudflare 524 after Claude Code's glyph is a timeout",
    facts: {
      provider: "anthropic",
      message: "⎿ API Error: 524 {\"type\":\"https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-\n5xx-errors/error-524/\",\"title\":\"Error 524: A timeout occurred\",\"status\":524,\"detail\":\"The origin web server did\nnot return a complete response within the 120-second Proxy Read Timeout window. The connection was\nestablished, but the origin took too long to\nrespond.\",\"instance\":\"9f4670f97dfb64c8\",\"error_code\":524,\"error_name\":\"origin_response_timeout\",\"error_category\n\":\"origin\",\"ray_id\":\"9f4670f97dfb64c8\",\"timestamp\":\"2026-04-30T12:12:10Z\",\"zone\":\"api.meai.cloud\",\"cloudflare_e\nrror\":true,\"retryable\":true,\"retry_after\":120,\"owner_action_required\":true,\"what_you_should_do\":\"**Wait and\nretry.** Back off for at least 120 seconds. If the error persists, the website operator should check for\nlong-running processes or an overloaded origin.\",\"footer\":\"This error was generated by Cloudflare on behalf of\nthe website owner.\"}. This is a server-side issue, usually temporary — try again in a moment. If it persists,\ncheck status.claude.com.",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/onyx-dot-app/onyx/pull/6368
  {
    name: "bedrock too many connections under litellm's ServiceUnavailableError with no status is overload",
    facts: {
      provider: "bedrock",
      message: "Failed to process chat message due to litellm.ServiceUnavailableError: BedrockException - {\"exceptionMetadata\":{\"qosTier\":\"10\",\"rudiMetadata\":\"{\\\"queueDwellTimeInMs\\\":0,\\\"expectedQueueDelayInMs\\\":394460,\\\"variantIdentifier\\\":\\\"anthropic.claude-3-7-sonnet-20250219-v1:0:18k\\\"}\"},\"message\":\"Too many connections, please wait before trying again.\"}",
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
];

/**
 * Set P (held-out, traffic-weighted, as apps print failures: Cline, Roo Code, Continue, LibreChat,
 * LobeChat, NextChat, Dify, n8n, Flowise, ...): its misses and the real failures behind each rule.
 */
const heldOutRoundP: FailureCase[] = [
  // https://github.com/ChatGPTNextWeb/NextChat/issues/3365 (Chromium's fetch TypeError, as NextChat shows it)
  {
    name: "browser 'Failed to fetch' in NextChat's error object is a failed connection",
    facts: {
      provider: "openai",
      message: '{\n  "error": true,\n  "message": "Failed to fetch"\n}',
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/ChatGPTNextWeb/NextChat/issues/5848 (shown as {"error": true, "message": "Failed to fetch"}; here as the TypeError's name and message a bridge passes)
  {
    name: "browser 'Failed to fetch' as the whole message is a failed connection",
    facts: { provider: "openai", errorName: "TypeError", message: "Failed to fetch" },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/lobehub/lobehub/issues/4864 (Firefox's fetch TypeError, as LobeChat shows it)
  {
    name: "firefox 'NetworkError when attempting to fetch resource.' is a failed connection",
    facts: {
      provider: "openai",
      message: '{\n  "name": "TypeError",\n  "stack": "",\n  "message": "NetworkError when attempting to fetch resource."\n}',
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/dotneet/smart-chatbot-ui/issues/169 (Node's print of the error object; its 401 only as `code: '401'`)
  {
    name: "azure 'invalid subscription key' in Node's print of an error object is an invalid key",
    facts: {
      provider: "azure",
      message:
        "OpenAIError: Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.\n    at OpenAIStream (webpack-internal:///(api)/./utils/server/index.ts:84:19)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n    at async handler (webpack-internal:///(api)/./pages/api/chat.ts:74:24) {\n  type: undefined,\n  param: undefined,\n  code: '401'\n}",
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/microsoft/PubSec-Info-Assistant/issues/439 (the app's chat shows Azure's words alone)
  {
    name: "azure 'invalid subscription key' with no status is an invalid key",
    facts: {
      provider: "azure",
      message:
        "Error: Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/aws-samples/bedrock-access-gateway/issues/213 (botocore's ParamValidationError, which the gateway answers with its own 500)
  {
    name: "bedrock-access-gateway 500 for botocore's 'Parameter validation failed' is a bad request",
    facts: {
      provider: "bedrock",
      httpStatus: 500,
      message:
        "[ERROR] Stream error: 500: Parameter validation failed:\nInvalid length for parameter toolConfig.tools[13].toolSpec.description, value: 0, valid min length: 1",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/cline/cline/issues/7524 (Cline's own print of the same, no status passed)
  {
    name: "cline 'Parameter validation failed' after a 500 in words is a bad request",
    facts: {
      provider: "anthropic",
      message:
        'Err msg: "message":"500: Parameter validation failed:\\nInvalid length for parameter toolConfig.tools[15].toolSpec.description, value: 0, valid min length: 1"}}',
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/emarco177/langgraph-course/pull/5 (langchain-aws on botocore, with the class name)
  {
    name: "botocore ParamValidationError is a bad request",
    facts: {
      provider: "bedrock",
      errorName: "ParamValidationError",
      message:
        "Parameter validation failed:\nInvalid length for parameter toolConfig.tools[0].toolSpec.description, value: 0, valid min length: 1",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
];

/** Every case, provider by provider. */
/**
 * Set L (held-out round eleven): failures as production AI gateways and proxies (Bifrost,
 * APISIX, Higress, LLM relays in Go, Rust and Python) and the coding agents in front of them
 * (Codex, Claude Code, Copilot, Cursor, Zed) log or return them. Each case is a held-out miss and
 * the rule it justifies.
 */
const gatewaysAndAgentsRound11: FailureCase[] = [
  // https://github.com/maximhq/bifrost/issues/3927 (inner_err as Bifrost logged it, cut where the thread is)
  {
    name: "bifrost (fasthttp) 'server closed connection before returning the first response byte' is a broken connection",
    facts: {
      provider: "vllm",
      message: "the server closed connection before returning the first response byte.",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/apache/apisix/issues/13474
  {
    name: "apisix ai-proxy 'failed to connect to LLM server: timeout' is a timeout",
    facts: {
      provider: "openai-compatible",
      message: "openai-base.lua:366: failed to connect to LLM server: timeout",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/Alishahryar1/free-claude-code/issues/1
  {
    name: "a claude code proxy's 'API Timeout (read)' is a timeout",
    facts: {
      provider: "nvidia",
      message: "⏱️ API Timeout (read): Request exceeded time limit",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/anthropics/claude-code/issues/2728
  {
    name: "claude code 'API Error (api.anthropic.com | 504: Gateway time-out)' is a timeout",
    facts: {
      provider: "anthropic",
      message: "API Error (api.anthropic.com | 504: Gateway time-out) · Retrying in 5 seconds… (attempt 4/10)",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/open-ace/open-ace/issues/1995
  {
    name: "an llm proxy's '503 … Service temporarily unavailable' in words is an overload",
    facts: {
      provider: "anthropic-compatible",
      message: "LLM proxy error 503 from https://mintcn.macaron.xin/v1/messages key_id=21: Service temporarily unavailable",
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/openai/codex/issues/19102
  {
    name: "codex 'stream disconnected before completion: An error occurred while processing your request' is openai's server error",
    facts: {
      provider: "openai",
      message: "stream disconnected before completion: An error occurred while processing your request. You can retry your request, or contact us\nthrough our help center at help.openai.com if the error persists.\nPlease include the request ID 9a43a82f-c7d6-4b1a-9a2b-8f0f2231c475 in\nyour message.",
    },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/openai/codex/issues/14200
  {
    name: "codex (reqwest) 'error sending request for url' is a network error",
    facts: {
      provider: "openai",
      message: "stream disconnected before completion: error sending request for url (https://chatgpt.com/backend-api/codex/responses)",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/openai/codex/issues/14877
  {
    name: "codex 'stream disconnected before completion: tls handshake eof' is a network error",
    facts: {
      provider: "openai",
      message: "Falling back from WebSockets to HTTPS transport. stream disconnected before\n  completion: tls handshake eof",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/router-for-me/CLIProxyAPI/issues/2358
  {
    name: "codex through CLIProxyAPI 'stream closed before response.completed' is a cut stream",
    facts: {
      provider: "codex",
      message: "stream error: stream disconnected before completion: stream closed before response.completed",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/openai/codex/issues/36456
  {
    name: "codex 'ran out of room in the model's context window' is a context limit",
    facts: {
      provider: "openai",
      message: "Codex ran out of room in the model's context window. Start a new thread or clear earlier history before retrying.",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/RooCodeInc/Roo-Code/issues/2988 (a comment quoting Bedrock)
  {
    name: "bedrock claude 'input length and max_tokens exceed context limit' is a context limit",
    facts: {
      provider: "bedrock",
      message: "The model returned the following errors: input length and `max_tokens` exceed context limit: 198667 + 8192 > 204698, decrease input length or `max_tokens` and try again",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/microsoft/copilot-intellij-feedback/issues/1565
  {
    name: "copilot 'the token limit exceeded. Try to shorten your prompt' is a context limit",
    facts: {
      provider: "github-copilot",
      message: "Oops, the token limit exceeded. Try to shorten your prompt or start a new conversation.",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/zed-industries/zed/issues/35934
  {
    name: "zed's 'Outstanding invoices' permission error is an unpaid bill",
    facts: {
      provider: "zed",
      message: "permission error with Zed's API: Outstanding invoices. Please update your payment information or contact us to continue using your plan.",
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/theopenco/llmgateway/pull/3393 (aws-mantle behind llmgateway)
  {
    name: "bedrock 401 'is not available for this account' is a model the key may not use",
    facts: {
      provider: "bedrock",
      httpStatus: 401,
      message: "openai.gpt-5.6-luna is not available for this account. You can explore other available models on Amazon Bedrock. For additional access options, contact AWS Sales at https://aws.amazon.com/contact-us/sales-support/",
    },
    errorType: "permission_denied",
    providerCode: undefined,
  },
  // https://github.com/konveyor/kai/issues/923
  {
    name: "openai-node 'Missing credentials. Please pass an apiKey' is a missing key",
    facts: {
      provider: "openai",
      message: "Error: Missing credentials. Please pass an `apiKey`, or set the `OPENAI_API_KEY` environment variable.",
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/microsoft/vscode-copilot-release/issues/2627
  {
    name: "copilot 'Error Code: net::ERR_FAILED' is a network error",
    facts: {
      provider: "github-copilot",
      message: "Sorry, your request failed. Please try again. Request id: 70d094bd-da0e-4595-a821-92a6e80b4144\n\nReason: Please check your firewall rules and network connection then try again. Error Code: net::ERR_FAILED.",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/cursor/cursor/issues/3584
  {
    name: "cursor 'Connection failed … Network disconnected' is a network error",
    facts: {
      provider: "cursor",
      message: "Connection failed. If the problem persists, please check your internet connection or VPN\nNetwork disconnected [unknown]\n(Request ID: f28f0846-92ec-4f57-99ac-0e540a0f4641)",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/microsoft/vscode-copilot-release/issues/9960
  {
    name: "copilot 'Reason: Server error: 500' states its status",
    facts: {
      provider: "github-copilot",
      message: "Sorry, your request failed. Please try again. Request id: a0e8cdee-eccb-4aea-ae2d-02019ec43d1b\n\nReason: Server error: 500",
    },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/microsoft/vscode-copilot-release/issues/9297
  {
    name: "copilot 'Reason: Server error: 502' states its status",
    facts: {
      provider: "github-copilot",
      message: "Sorry, your request failed. Please try again. Request id: 2548e1a1-a5fc-47b8-b39f-1764eeaf00cb\n\nReason: Server error: 502",
    },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/decolua/9router/issues/187
  {
    name: "9router '[429]: You have exhausted your capacity on this model' states its status",
    facts: {
      provider: "gemini",
      message: "[gemini-cli/gemini-3-flash-preview] [429]: You have exhausted your capacity on this model. \nYour quota will reset after 54s. (reset after 1s)",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/aptdnfapt/qwen-code-oai-proxy/pull/14
  {
    name: "a proxy's envelope code 500 around 'Request failed with status code 429' is the upstream's rate limit",
    facts: {
      provider: "qwen",
      body: "{\"error\":{\"message\":\"Request failed with status code 429\",\"type\":\"api_error\",\"code\":500}}",
    },
    errorType: "rate_limited",
    providerCode: "api_error",
  },
];


/**
 * Moonshot's and Alibaba DashScope's own codes, which the code table lacked: Moonshot's
 * `invalid_authentication_error` and `exceeded_current_quota_error` (a 403 that is a billing state,
 * not a permission), and DashScope's `InvalidApiKey` and `DataInspectionFailed`, as agents and SDK
 * wrappers print them with no status the classifier reads (held-out set Q, weighted like enterprise
 * and regional cloud traffic).
 */
const moonshotAndDashscopeCodes: FailureCase[] = [
  // https://github.com/cline/cline/issues/9588
  {
    name: "moonshot invalid_authentication_error in Cline's log line is unauthorized",
    facts: {
      provider: "moonshot",
      message: "[MOONSHOT] 401 Invalid Authentication\n{\"message\":\"401 Invalid Authentication\",\"status\":401,\"modelId\":\"kimi-k2.5\",\"providerId\":\"moonshot\",\"details\":{\"message\":\"Invalid Authentication\",\"type\":\"invalid_authentication_error\"}}",
    },
    errorType: "unauthorized",
    providerCode: "invalid_authentication_error",
  },
  // https://github.com/can1357/oh-my-pi/issues/6292
  {
    name: "moonshot key validation failed (401) with invalid_authentication_error is unauthorized",
    facts: {
      provider: "moonshot",
      message: "Error: Login failed: moonshot API key validation failed (401): {\"error\":{\"message\":\"Invalid\n Authentication\",\"type\":\"invalid_authentication_error\"}}",
    },
    errorType: "unauthorized",
    providerCode: "invalid_authentication_error",
  },
  // https://github.com/MoonshotAI/Kimi-K2/issues/5
  {
    name: "moonshot 403 exceeded_current_quota_error is an exhausted quota, not a permission",
    facts: {
      provider: "moonshot",
      message: "403 {\"error\":{\"message\":\"Your account xx> is not active, organization <xx> exceeded current quota, please check your plan and billing details\",\"type\":\"exceeded_current_quota_error\"}}",
    },
    errorType: "quota_exhausted",
    providerCode: "exceeded_current_quota_error",
  },
  // https://github.com/dinoanderson/qwen_cli_coder/issues/1
  {
    name: "dashscope InvalidApiKey after a CLI's own words is unauthorized",
    facts: {
      provider: "qwen",
      message: "[API Error: Qwen API error: 401 - {\"code\":\"InvalidApiKey\",\"message\":\"Invalid API-key provided.\",\"request_id\":\"01415ff3-53f4-989d-83c0-3eb61fa1418e\"}]",
    },
    errorType: "unauthorized",
    providerCode: "InvalidApiKey",
  },
  // https://github.com/hsliuping/TradingAgents-CN/issues/203
  {
    name: "dashscope InvalidApiKey as an app prints code and message is unauthorized",
    facts: {
      provider: "dashscope",
      message: "Exception: DashScope embedding error: InvalidApiKey - Invalid API-key provided.",
    },
    errorType: "unauthorized",
    providerCode: "InvalidApiKey",
  },
  // https://github.com/QwenLM/qwen-code/issues/2905
  {
    name: "dashscope 400 DataInspectionFailed reports its code",
    facts: {
      provider: "qwen",
      message: "[API Error: 400 <400>     InternalError.Algo.DataInspectionFailed: Input text data may     contain inappropriate content.]",
    },
    errorType: "bad_request",
    providerCode: "DataInspectionFailed",
  },
];


/**
 * Rate limits, moderation and billing in the words of Chinese and Alibaba-hosted providers, as apps
 * print them with no status or code: DashScope's `limit_requests` and burst-rate wording and its
 * moderation message, Baidu Qianfan's and Zhipu's rate and concurrency limits in Chinese,
 * SiliconFlow's "paid balance is insufficient" behind a 403, and Bedrock's
 * ServiceUnavailableException message without its name (held-out set Q).
 */
const regionalProviderWording: FailureCase[] = [
  // https://github.com/Felix3322/PotPlayer_ChatGPT_Translate/issues/62
  {
    name: "dashscope 'You exceeded your current requests list' alone is a rate limit",
    facts: { provider: "qwen", message: "API Error: You exceeded your current requests list." },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/paperclipai/paperclip/issues/2885
  {
    name: "alibaba 'Request rate increased too quickly' behind an agent's words is a rate limit",
    facts: {
      provider: "alibaba",
      message: "Upstream error from Alibaba: Request rate increased too quickly. To ensure system stability, please adjust your client logic to scale requests more smoothly over time.(adapter_failed)",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/666ghj/BettaFish/issues/557
  {
    name: "dashscope moderation message with no status is a bad request",
    facts: {
      provider: "dashscope",
      message: "研究过程中发生错误: Input data may contain inappropriate content. For details, see: https://help.aliyun.com/zh/model-studio/error-code#inappropriate-content",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/PaddlePaddle/ERNIE-SDK/issues/107
  {
    name: "qianfan 访问过于频繁 under the SDK's APIError is a rate limit",
    facts: { provider: "qianfan", errorName: "APIError", message: "访问过于频繁，请稍候再试" },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/PaddlePaddle/PaddleClas/issues/3044
  {
    name: "qianfan RequestLimitError 并发超限 is a rate limit",
    facts: { provider: "qianfan", message: "erniebot.errors.RequestLimitError: 并发超限" },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/anomalyco/opencode/issues/9789
  {
    name: "zhipu 1302 in Chinese with no status is a rate limit",
    facts: { provider: "zhipu", message: "您当前使用该API的并发数过高，请降低并发，或联系客服增加限额。" },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/FoundationAgents/OpenManus/issues/438
  {
    name: "siliconflow 403 30011 'paid balance is insufficient' is an exhausted quota, not a permission",
    facts: {
      provider: "siliconflow",
      message: "API error: Error code: 403 - {'code': 30011, 'message': 'The selected model requires paid balance. Your paid balance is insufficient. Please top up and try again.', 'data': None}",
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/darko-mesaros/bedrust/issues/47
  {
    name: "bedrock 'Bedrock is unable to process your request' without its exception name is overloaded",
    facts: { provider: "bedrock", message: "Error: Can't invoke. Reason: Bedrock is unable to process your request." },
    errorType: "overloaded",
    providerCode: undefined,
  },
];


/**
 * Connections that never came up, in the words of urllib3 under requests (DashScope's Python SDK in
 * a Dify plugin) and of the OS's resolver, wrapped in Dify's PluginInvokeError with no status
 * (held-out set Q).
 */
const urllib3ConnectionFailures: FailureCase[] = [
  // https://github.com/langgenius/dify-plugins/issues/501
  {
    name: "dify plugin ConnectionError with 'Temporary failure in name resolution' is a network error",
    facts: {
      provider: "tongyi",
      message: "Run failed: [tongyi] Error: PluginInvokeError: {\"args\":{},\"error_type\":\"ConnectionError\",\"message\":\"HTTPSConnectionPool(host='dashscope.aliyuncs.com', port=443): Max retries exceeded with url: /api/v1/services/aigc/text-generation/generation (Caused by NameResolutionError(\\\"\\\\u003curllib3.connection.HTTPSConnection object at 0x7f4e49b3b560\\\\u003e: Failed to resolve 'dashscope.aliyuncs.com' ([Errno -3] Temporary failure in name resolution)\\\"))\"}",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/langgenius/dify/issues/31785
  {
    name: "urllib3 'Failed to establish a new connection' wrapped over lines is a network error",
    facts: {
      provider: "tongyi",
      message: "Run failed: req_id: 085571ff15 PluginInvokeError: {\"args\":\n{},\"error_type\": \"ConnectionError\", \"message\":\"HTTPSConne\nctionPool(host='dashscope.aliyuncs.com', port=443): Max\nretries exceeded with url: /api/v1/services/aigc/text-\ngeneration/generation (Caused by\nNewConnectionError(\"HTTPSConnection(host='dashscop\ne.aliyuncs.com', port=443): Failed to establish a new\nconnection: [Errno 24] Too many open files\"))\"}",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
];

/**
 * Streams cut or gone quiet, in the words of the runtimes and agents around them (held-out set R,
 * streaming and agentic traffic): a transport code a proxy passed on as JSON, undici's "terminated"
 * after a wrapper's label, Claude Code's later "Connection lost mid-response.", agent runtimes'
 * "stream ended without …" and "stream stalled …", google-genai's cut chunk.
 */
const streamCutWordingRoundR: FailureCase[] = [
  // https://github.com/ericc-ch/copilot-api/issues/51 (Claude Code printing copilot-api's stream cut)
  {
    name: "a transport code a proxy passed on as JSON, {\"code\":\"ERR_STREAM_PREMATURE_CLOSE\"}, is a network error",
    facts: {
      provider: "github-copilot",
      message: "{\"code\":\"ERR_STREAM_PREMATURE_CLOSE\"}",
    },
    errorType: "network_error",
    providerCode: "ERR_STREAM_PREMATURE_CLOSE",
  },
  // https://github.com/anthropics/claude-code/issues/51076 (a TCP RST mid-stream)
  {
    name: "undici's 'terminated' after Claude Code's 'API Error:' label is a network error",
    facts: {
      provider: "anthropic",
      message: "API Error: terminated",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/anthropics/claude-code/issues/83994
  {
    name: "claude code 'Connection lost mid-response.' is a network error",
    facts: {
      provider: "anthropic",
      message: "API Error: Connection lost mid-response.",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/aws-samples/sample-multi-agent-orchestration-chat-on-agentcore/issues/8
  {
    name: "'Stream ended without completing a message' (a cut ConverseStream) is a network error",
    facts: {
      provider: "bedrock",
      message: "[SYSTEM_ERROR] An error occurred. Type: ModelError Details: \"Stream ended without completing a message\"",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/ltmoerdani/opencode-copilot-chat/issues/179
  {
    name: "an agent's 'stream stalled for 2m 0s without new data' is a timeout",
    facts: {
      provider: "opencode",
      errorName: "OpenCodeRequestError",
      message: "OpenCode Go stream stalled for 2m 0s without new data.",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/googleapis/gcloud-mcp/issues/118 (Gemini CLI's bracket; googleapis/js-genai#1342 traces it to a stream ending mid-chunk)
  {
    name: "google-genai's 'Incomplete JSON segment at the end' (a stream cut inside a chunk) is a network error",
    facts: {
      provider: "gemini",
      message: "[API Error: Incomplete JSON segment at the end]",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
];

/**
 * OpenAI's words for a 500 and for a billing hard limit where no code was read: an error frame in a
 * chat stream whose JSON does not parse, openai-node's "400 Billing hard limit has been reached"
 * (held-out set R).
 */
const openaiWordingRoundR: FailureCase[] = [
  // https://github.com/sashabaranov/go-openai/pull/396 (the frame as quoted, its stray ')' and all)
  {
    name: "openai 'The server experienced an error' in a 200 chat stream's error frame is a server error",
    facts: {
      provider: "openai",
      httpStatus: 200,
      body: "data: {\"error\":{\"message\":\"The server experienced an error while processing your request. We apologize for the inconvenience!\", \"type\":\"server_error\", \"param\":null,\"code\":null)}\n\ndata: [DONE]\n",
    },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/all-in-aigc/aiwallpaper/issues/2 (images endpoint)
  {
    name: "openai 'Billing hard limit has been reached' after openai-node's 400 is an exhausted quota",
    facts: {
      provider: "openai",
      message: "400 Billing hard limit has been reached",
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
];

/**
 * Anthropic's "Overloaded" as a message of its own under a type or status that says otherwise: its
 * 500 `api_error` in an incident, LiteLLM's InternalServerError around the stream's overload event
 * (held-out set R). The 524 page above, whose advice mentions "an overloaded origin", stays a timeout.
 */
const overloadedAloneRoundR: FailureCase[] = [
  // https://github.com/anthropics/claude-code/issues/8104 (Claude Code during an incident)
  {
    name: "anthropic 500 api_error whose whole message is 'Overloaded' is an overload",
    facts: {
      provider: "anthropic",
      message: "API Error: 500 \n     {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Overloaded\"},\"request_id\":null}",
    },
    errorType: "overloaded",
    providerCode: "api_error",
  },
  // https://github.com/Aider-AI/aider/issues/957 (raised while iterating the stream)
  {
    name: "litellm InternalServerError 'AnthropicException - Overloaded.' is an overload",
    facts: {
      provider: "anthropic",
      errorName: "InternalServerError",
      message: "litellm.InternalServerError: AnthropicException - Overloaded. Handle with `litellm.InternalServerError`.",
    },
    errorType: "overloaded",
    providerCode: "InternalServerError",
  },
];

// Held-out set S (self-hosted and open-model serving behind a gateway: vLLM, TGI, Ollama, llama.cpp,
// Triton, KServe, SageMaker, Hugging Face, Replicate, Cerebras, Snowflake, Cohere): the misses that
// were wording and codes the corpus had not met. The servers' own words for a context limit, a full
// queue or a busy slot, a parameter they do not take; TGI's `error_type`; libcurl's empty reply; a
// per-minute window and a throttled request in words; a GPU out of memory.
const selfHostedServersRoundS: FailureCase[] = [
  // https://github.com/barun-saha/slide-deck-ai/issues/44 (TGI's 422 validation error as huggingface_hub raises it, no status)
  {
    name: "huggingface_hub ValidationError: TGI's 'Input validation error' alone is a bad request",
    facts: {
      provider: "huggingface",
      message: "huggingface_hub.errors.ValidationError: Input validation error: `inputs` tokens + `max_new_tokens` must be <= 32768. Given: X `inputs` tokens and Y `max_new_tokens`",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/huggingface/text-generation-inference/issues/695
  {
    name: "TGI 'Input validation error: `inputs` must have less than 1024 tokens' alone is a bad request",
    facts: {
      provider: "tgi",
      message: "ValidationError: Input validation error: `inputs` must have less than 1024 tokens. Given: 1168.",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/ggml-org/llama.cpp/issues/19774 (llama-server's older builds send a context overflow as 500 server_error)
  {
    name: "llama.cpp 500 'Context size has been exceeded.' is a context limit, not a server error",
    facts: {
      provider: "llama.cpp",
      httpStatus: 500,
      body: "{\"error\":{\"code\":500,\"message\":\"Context size has been exceeded.\",\"type\":\"server_error\"}}",
    },
    errorType: "bad_request",
    providerCode: "server_error",
  },
  // https://github.com/valentinfrlch/ha-llmvision/issues/648 (Ollama's queue-full 503 in an app's log, no status)
  {
    name: "ollama 'server busy, please try again. maximum pending requests exceeded' is an overload",
    facts: {
      provider: "ollama",
      message: "Provider Ollama failed: server busy, please try again.  maximum pending requests exceeded",
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/ollama/ollama/issues/4159
  {
    name: "ollama 'llm busy - no slots available' body is an overload",
    facts: {
      provider: "ollama",
      body: "{\"error\":\"unexpected server status: llm busy - no slots available\"}",
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/huggingface/smolagents/issues/61 (a capacity refusal under HF serverless' 500)
  {
    name: "hugging face 500 'Model too busy, unable to get response' is an overload",
    facts: {
      provider: "huggingface",
      message: "HfHubHTTPError: 500 Server Error: Internal Server Error for url: https://api-inference.huggingface.co/models/Qwen/Qwen2.5-72B-Instruct/v1/chat/completions (Request ID: 21DsMRrush2AMn6er2XMD)\n\nModel too busy, unable to get response in less than 120 second(s)",
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/huggingface/smolagents/issues/589
  {
    name: "hugging face 'Model too busy' alone is an overload",
    facts: {
      provider: "huggingface",
      message: "Model too busy, unable to get response in less than 60 second(s)",
    },
    errorType: "overloaded",
    providerCode: undefined,
  },
  // https://github.com/triton-inference-server/server/issues/1543 (libcurl's CURLE_GOT_NOTHING)
  {
    name: "triton HTTP client 'Server returned nothing (no headers, no data)' is a network error",
    facts: {
      provider: "triton",
      message: "InferenceServerException: [ 0] HTTP client failed: Server returned nothing (no headers, no data)",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/anomalyco/opencode/issues/7463
  {
    name: "cerebras 'Tokens per minute limit exceeded' alone is a rate limit",
    facts: {
      provider: "cerebras",
      message: "Tokens per minute limit exceeded - too many tokens processed",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/replicate/replicate-python/issues/445
  {
    name: "replicate 'Request was throttled' inside an app's own 400 is a rate limit",
    facts: {
      provider: "replicate",
      message: "Error: HTTP error! status: 400 - {\"error\":\"Replicate API error: 429 - {\\\"detail\\\":\\\"Request was throttled. Your rate limit resets in ~10s.\\\",\\\"status\\\":429,\\\"retry_after\\\":10}\\n\",\"success\":false}",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/kserve/kserve/issues/2324 (GFE's 502 page in front of a KServe InferenceService)
  {
    name: "google load balancer 'The server encountered a temporary error' page text is a server error",
    facts: {
      provider: "kserve",
      message: "The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.",
    },
    errorType: "server_error",
    providerCode: undefined,
    retryAfterMs: 30000,
  },
  // https://github.com/Snowflake-Labs/sfquickstarts/issues/2028
  {
    name: "snowflake cortex 'unknown model' in a SQL error is not found",
    facts: {
      provider: "snowflake",
      message: "Failed to refresh dynamic table with refresh_trigger INITIAL at data_timestamp 1745923529279\nbecause of the error: SQL compilation error: Target table failed to refresh: Request failed for external function EMBED_TEXT_768$V1 with remote service error: 400 '\"unknown model \\\"snowflake-arctic-embed-m-v1.5\\\"\"\n'; requests batch-id: 01bc02e5-3201-9240-0000-000d2df68145:2:62:0:0; request batch size: 5 rows; request retries: 0; response time (last retry): 17.14ms",
    },
    errorType: "not_found",
    providerCode: undefined,
  },
  // https://github.com/hidenobunagai/nvidia-nim-provider/issues/9
  {
    name: "nvidia nim 'Authentication failed' with its 401 problem body in a message is unauthorized",
    facts: {
      provider: "nvidia_nim",
      message: "[AUTH_FAILED] Authentication failed. Your API key may be invalid or expired. {\"status\":401,\"title\":\"Unauthorized\",\"detail\":\"Authentication failed\"}",
    },
    errorType: "unauthorized",
    providerCode: undefined,
  },
  // https://github.com/ggml-org/llama.cpp/issues/10920 (llama-server rejects a parameter it does not take under its 500)
  {
    name: "llama.cpp 500 'Unsupported param: tools' is a bad request",
    facts: {
      provider: "llama.cpp",
      httpStatus: 500,
      body: "{\"code\":500,\"message\":\"Unsupported param: tools\",\"type\":\"server_error\"}",
    },
    errorType: "bad_request",
    providerCode: "server_error",
  },
  // https://github.com/cohere-ai/sandbox-topically/issues/4 (the old cohere SDK's CohereError, no status)
  {
    name: "cohere 'too many tokens: total number of tokens … cannot exceed 2048' is a context limit",
    facts: {
      provider: "cohere",
      message: "CohereError: too many tokens: total number of tokens (prompt and prediction) cannot exceed 2048 - received 6354. Try using a shorter prompt or a smaller max_tokens value.",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/huggingface/text-generation-inference/issues/375 (TGI sends generation errors as 424, its error_type says the server failed)
  {
    name: "TGI error_type generation with no status is a server error",
    facts: {
      provider: "tgi",
      body: "{\"error\":\"Request failed during generation: Server error: attention_scores_2d must be a CUDA tensor\",\"error_type\":\"generation\"}",
    },
    errorType: "server_error",
    providerCode: "generation",
  },
  // https://github.com/huggingface/text-generation-inference/issues/653
  {
    name: "TGI 'Request failed during generation: Server error: CUDA out of memory' is a server error",
    facts: {
      provider: "tgi",
      message: "Request failed during generation: Server error: CUDA out of memory. Tried to allocate 16.00 MiB (GPU 0; 22.20 GiB total capacity; 20.75 GiB already allocated; 5.12 MiB free; 22.20 GiB allowed; 20.86 GiB reserved in total by PyTorch) If reserved memory is >> allocated memory try setting max_split_size_mb to avoid fragmentation.  See documentation for Memory Management and PYTORCH_CUDA_ALLOC_CONF",
    },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/replicate/cog/issues/960
  {
    name: "replicate cog 'It might have run out of memory?' is a server error",
    facts: {
      provider: "replicate",
      message: "cog.server.exceptions.FatalWorkerException: Prediction failed for an unknown reason. It might have run out of memory? (exitcode 2)",
    },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/aws/amazon-sagemaker-examples/issues/4324 (SageMaker's wrapper of the model container's own 500)
  {
    name: "sagemaker ModelError 'Received server error (500) from primary' is a server error",
    facts: {
      provider: "sagemaker",
      message: "ModelError: An error occurred (ModelError) when calling the InvokeEndpoint operation: Received server error (500) from primary and could not load the entire response body. See https://eu-west-3.console.aws.amazon.com/cloudwatch/home?region=eu-west-3#logEventViewer:group=/aws/sagemaker/Endpoints/pytorch-inference-2023-07-10-09-51-02-299 in account 086892845792 for more information.",
    },
    errorType: "server_error",
    providerCode: undefined,
  },

];

// Held-out set S, the misses that were statuses in shapes the corpus had not read: after "<API> API
// error" (Ollama's clients), as "response code" (AI21's SDK, Java), in SageMaker's ModelError, and in
// bodies that state it as RFC 9457 problem details' `status` or watsonx.ai's `status_code`, with
// watsonx's `errors[]` items and Hugging Face's `warnings` read for their codes and messages.
const statusShapesRoundS: FailureCase[] = [
  // https://github.com/ollama/ollama/issues/14795
  {
    name: "ollama 'Ollama API error 400: {…does not support tools}' states its status",
    facts: {
      provider: "ollama",
      message: "Ollama API error 400: {\"error\":\"registry.ollama.ai/library/Qwen3.5:0.8b does not support tools\"}",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/louisho5/picobot/issues/6 (the status an app wrote before Ollama's OpenAI-style body outranks its catch-all api_error)
  {
    name: "ollama 'Ollama API error: 400 Bad Request' with api_error in the body is a bad request",
    facts: {
      provider: "ollama",
      message: "Ollama API error: 400 Bad Request - {\"error\":{\"message\":\"registry.ollama.ai/library/gemma3:4b does not support tools\",\"type\":\"api_error\",\"param\":null,\"code\":null}}",
    },
    errorType: "bad_request",
    providerCode: "api_error",
  },
  // https://github.com/i-am-bee/beeai-framework/issues/746 (IBM watsonx.ai's envelope: errors[].code and .message, status_code)
  {
    name: "watsonx errors[] envelope with status_code 400 under LiteLLM is a bad request",
    facts: {
      provider: "watsonx",
      message: "BadRequestError(litellm.exceptions): litellm.BadRequestError: watsonxException - {\"errors\":[{\"code\":\"invalid_request_entity\",\"message\":\"Missing json field response_format.type in request entity\",\"more_info\":\"https://cloud.ibm.com/apidocs/watsonx-ai\"}],\"trace\":\"f26c53cf48852163c13accd9d2d9d023\",\"status_code\":400}",
    },
    errorType: "bad_request",
    providerCode: "invalid_request_entity",
  },
  // https://github.com/swarmauri/swarmauri-sdk/issues/117
  {
    name: "ai21 'failed with a non-200 response code: 422' states its status",
    facts: {
      provider: "ai21",
      message: "Calling POST https://api.ai21.com/studio/v1 failed with a non-200 response code: 422",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/LeafYeeXYZ/PainterLeaf/issues/9 (HF Inference API puts the cause in warnings)
  {
    name: "hugging face {error: unknown error, warnings: [CUDA out of memory]} is a server error",
    facts: {
      provider: "huggingface",
      body: "{\"error\":\"unknown error\",\"warnings\":[\"CUDA out of memory. Tried to allocate 1024.00 MiB (GPU 0; 14.75 GiB total capacity; 8.46 GiB already allocated; 985.06 MiB free; 8.99 GiB reserved in total by PyTorch) If reserved memory is >> allocated memory try setting max_split_size_mb to avoid fragmentation. See documentation for Memory Management and PYTORCH_CUDA_ALLOC_CONF\",\"There was an inference error: CUDA out of memory. Tried to allocate 1024.00 MiB (GPU 0; 14.75 GiB total capacity; 8.46 GiB already allocated; 985.06 MiB free; 8.99 GiB reserved in total by PyTorch) If reserved memory is >> allocated memory try setting max_split_size_mb to avoid fragmentation. See documentation for Memory Management and PYTORCH_CUDA_ALLOC_CONF\"]}",
    },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/aws/amazon-sagemaker-examples/issues/785 (the container's own 400, in SageMaker's words)
  {
    name: "sagemaker ModelError 'Received client error (400) from model' states its status",
    facts: {
      provider: "sagemaker",
      message:
        'An error occurred (ModelError) when calling the InvokeEndpoint operation: Received client error (400) from model with message "Unable to evaluate payload provided".',
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
];

/**
 * Set T (held-out, the newest API surfaces of OpenAI and Anthropic: the Responses API and its
 * WebSocket, GPT-5 and o-series parameters, Codex, the Anthropic SDKs, extended thinking, Claude
 * Code): its misses and the real failures behind each rule.
 */
const heldOutRoundT: FailureCase[] = [
  // https://github.com/openai/codex/issues/17042 (Codex CLI 0.118 with an API key, gpt-5.4)
  {
    name: "codex 'Quota exceeded. Check your plan and billing details.' is an exhausted quota",
    facts: { provider: "openai", message: "Quota exceeded. Check your plan and billing details." },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/openai/codex/issues/751 (the TypeScript Codex CLI with o4-mini)
  {
    name: "codex 'Insufficient quota.' in words is an exhausted quota",
    facts: { provider: "openai", message: "⚠️ Insufficient quota. Please check your billing details and retry." },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
  // https://github.com/anthropics/claude-code/issues/41054 (Claude Code's errors log; the same 429 in #39948 and #33514)
  {
    name: "anthropic 429 'Extra usage is required for long context requests.' is an exhausted quota",
    facts: {
      provider: "anthropic",
      httpStatus: 429,
      body: '{"type":"error","error":{"type":"rate_limit_error","message":"Extra usage is required for long context requests."},"request_id":"req_011CZZdjHSVxmk9JQHfRuajn"}',
    },
    errorType: "quota_exhausted",
    providerCode: "rate_limit_error",
  },
  // https://github.com/anthropics/anthropic-sdk-python/issues/1002 (the SDK's ValueError, claude-opus-4 with max_tokens 32000)
  {
    name: "anthropic SDK 'Streaming is strongly recommended for operations that may take longer than 10 minutes' is a bad request",
    facts: {
      provider: "anthropic",
      errorName: "ValueError",
      message:
        "Streaming is strongly recommended for operations that may take longer than 10 minutes. See https://github.com/anthropics/anthropic-sdk-python#long-requests for more details",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/archestra-ai/archestra/pull/4688 (the TypeScript SDK's refusal under an agent's 500 wording)
  {
    name: "anthropic SDK 'Streaming is required for operations …' under an agent's 500 is a bad request",
    facts: {
      provider: "anthropic",
      message:
        "API Error: 500 Streaming is required for operations that may take longer than 10 minutes. See https://github.com/anthropics/anthropic-sdk-typescript#long-requests for more details. This is a server-side issue, usually temporary — try again in a moment. If it persists, check status.claude.com.",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/sigoden/aichat/issues/1304 (aichat prints the message and its type, no status)
  {
    name: "anthropic extended-thinking refusal printed with '(type: invalid_request_error)' and no status is a bad request",
    facts: {
      provider: "anthropic",
      message:
        "Error: Failed to call chat-completions api\n\nCaused by:\n    `max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size (type: invalid_request_error)",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/themaximalist/llm.js/issues/30 (llm.js prints type, then message)
  {
    name: "anthropic 'invalid_request_error: thinking.enabled.budget_tokens …' with no status is a bad request",
    facts: {
      provider: "anthropic",
      message: "invalid_request_error: thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/Shopify/shop-chat-agent/pull/69 (the Anthropic SDK's NotFoundError for the retired claude-opus-4-20250514, after the app's words)
  {
    name: "anthropic NotFoundError: 404 after an app's own words is an unknown model",
    facts: { provider: "anthropic", message: "Error processing streaming request: NotFoundError: 404....." },
    errorType: "not_found",
    providerCode: undefined,
  },
  // https://github.com/openai/codex/issues/20739 (Codex over the Responses WebSocket, gpt-5.5)
  {
    name: "codex 'websocket closed by server before response.completed' is a dropped connection",
    facts: {
      provider: "openai",
      message: "stream disconnected before completion: websocket closed by server before response.completed",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/earendil-works/pi/issues/4629 (pi-ai over the Responses WebSocket, gpt-5.5)
  {
    name: "WebSocketCloseError 'WebSocket closed 1006' is a dropped connection",
    facts: { provider: "openai", errorName: "WebSocketCloseError", message: "WebSocket closed 1006" },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/openai/codex/issues/7197 (reqwest's decode error while the Responses stream was read)
  {
    name: "reqwest 'error decoding response body' under Codex is a dropped connection",
    facts: {
      provider: "openai",
      message:
        "stream disconnected before completion: Transport error: Error while reading the server response: error decoding response body, request id: 9a2dd9de3ee62d12-IAD",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
];

// Held-out set U, the JVM SDKs' exception classes that restate a status (LangChain4j's mapping of a
// status to RateLimitException or InvalidRequestException, often with an empty message; openai-java's
// and anthropic-sdk-java's classes of the same names) read as the Python and Node SDKs' are.
const javaSdkExceptionNamesRoundU: FailureCase[] = [
  // https://github.com/langchain4j/langchain4j/issues/5423
  {
    name: "langchain4j RateLimitException with an empty message is a rate limit",
    facts: {
      provider: "openai",
      message: "dev.langchain4j.exception.RateLimitException: \n\tat dev.langchain4j.internal.ExceptionMapper$DefaultExceptionMapper.mapHttpStatusCode(ExceptionMapper.java:68)\n\tat dev.langchain4j.internal.ExceptionMapper$DefaultExceptionMapper.mapException(ExceptionMapper.java:44)\n\tat dev.langchain4j.model.openai.OpenAiStreamingChatModel.lambda$doChat$2(OpenAiStreamingChatModel.java:173)",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/chatanywhere/GPT_API_free/issues/477
  {
    name: "langchain4j InvalidRequestException: null (a relay's 400) is a bad request",
    facts: {
      provider: "openai",
      message: "dev.langchain4j.exception.InvalidRequestException: null\n\tat dev.langchain4j.internal.ExceptionMapper$DefaultExceptionMapper.mapHttpStatusCode(ExceptionMapper.java:71) ~[langchain4j-core-1.12.2.jar:na]\n\tat dev.langchain4j.internal.ExceptionMapper$DefaultExceptionMapper.mapException(ExceptionMapper.java:44) ~[langchain4j-core-1.12.2.jar:na]",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
];

// Held-out set U, transport failures in the words of Rust and JVM clients: Rust's io::ErrorKind::TimedOut
// in a reqwest Debug print, java.net.UnknownHostException and java.net.ConnectException.
const transportWordsRoundU: FailureCase[] = [
  // https://github.com/juanrgon/chatgpt-cli/issues/1
  {
    name: "reqwest Debug print 'source: TimedOut' (chatgpt-cli) is a timeout",
    facts: {
      provider: "openai",
      message: "thread 'main' panicked at 'called `Result::unwrap()` on an `Err` value: reqwest::Error { kind: Request, url: Url { scheme: \"https\", cannot_be_a_base: false, username: \"\", password: None, host: Some(Domain(\"api.openai.com\")), port: None, path: \"/v1/chat/completions\", query: None, fragment: None }, source: TimedOut }'",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/efugier/smartcat/issues/22
  {
    name: "reqwest Debug print 'source: TimedOut' to Ollama (smartcat) is a timeout",
    facts: {
      provider: "ollama",
      message: "Failed to make API request: reqwest::Error { kind: Request, url: Url { scheme: \"http\", cannot_be_a_base: false, username: \"\", password: None, host: Some(Domain(\"localhost\")), port: Some(11434), path: \"/api/chat\", query: None, fragment: None }, source: TimedOut }",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://github.com/TheoKanning/openai-java/issues/302
  {
    name: "java.net.UnknownHostException for api.openai.com is a network error",
    facts: {
      provider: "openai",
      message: "java.net.UnknownHostException: Unable to resolve host \"api.openai.com\": No address associated with hostname\nat io.reactivex.Single.blockingGet(Single.java:2002)\n        at com.theokanning.openai.service.OpenAiService.execute(OpenAiService.java:260)",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/langchain4j/langchain4j-examples/issues/5
  {
    name: "java.net.ConnectException 'Failed to connect to api.openai.com' is a network error",
    facts: {
      provider: "openai",
      message: "java.lang.RuntimeException: java.net.ConnectException: Failed to connect to api.openai.com/199.59.150.12:443",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
];

// Held-out set U, what .NET clients print: the TLS failure "The SSL connection could not be established"
// (whose inner AuthenticationException is TLS's), and HttpStatusCode's name for a 429, TooManyRequests.
const dotnetWordsRoundU: FailureCase[] = [
  // https://github.com/microsoft/semantic-kernel/issues/10082
  {
    name: "semantic-kernel 'The SSL connection could not be established' with an inner 'Authentication failed' is a network error",
    facts: {
      provider: "openai",
      message: "Microsoft.SemanticKernel.HttpOperationException: The SSL connection could not be established, see inner exception.\n---> System.ClientModel.ClientResultException: The SSL connection could not be established, see inner exception.\n---> System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.\n---> System.Security.Authentication.AuthenticationException: Authentication failed, see inner exception.\n---> Interop+AndroidCrypto+SslException: Exception of type 'Interop+AndroidCrypto+SslException' was thrown.",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/microsoft/kernel-memory/issues/127
  {
    name: "kernel-memory Azure.RequestFailedException 'The SSL connection could not be established' is a network error",
    facts: {
      provider: "openai",
      errorName: "RequestFailedException",
      message: "Azure.RequestFailedException: The SSL connection could not be established, see inner exception.",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/OkGoDoIt/OpenAI-API-dotnet/issues/28
  {
    name: ".NET 'HTTP status code: TooManyRequests' (OpenAI-API-dotnet) is a rate limit",
    facts: {
      provider: "openai",
      message: "Error at embeddings (https://api.openai.com/v1/embeddings) with HTTP status code: TooManyRequests. Content: {\n    \"error\": {",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/microsoft/semantic-kernel/issues/2486
  {
    name: "semantic-kernel retry handler 'Reason: TooManyRequests' is a rate limit",
    facts: {
      provider: "azure",
      message: "Error executing request, max retry count reached. Reason: TooManyRequests",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
];

// Held-out set W (Google's Gemini API and Vertex AI as gateways see them): google-api-core's
// RetryError in its newer words, "Timeout of 60.0s exceeded, last exception: …", is a timeout
// whatever the last attempt's failure was, as its older "Deadline of … exceeded" is.
const retryDeadlineRoundW: FailureCase[] = [
  // https://github.com/google/generative-ai-docs/issues/367
  {
    name: "google-api-core 'Timeout of 60.0s exceeded, last exception: 503 failed to connect' (langchain_google_genai) is a timeout",
    facts: {
      provider: "gemini",
      message:
        "langchain_google_genai._common.GoogleGenerativeAIError: Error embedding content: Timeout of 60.0s exceeded, last exception: 503 failed to connect to all addresses; last error: UNKNOWN: ipv4:142.251.43.10:443: tcp handshaker shutdown",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
];

// Held-out set W: WebKit's fetch failure, "Load failed" (Safari's words for Chromium's "Failed to
// fetch"), as @google/generative-ai prints it in a browser app.
const webkitFetchFailureRoundW: FailureCase[] = [
  // https://github.com/bclswl0827/ChatGemini/issues/27
  {
    name: "@google/generative-ai 'Error fetching from …: Load failed' (WebKit's fetch failure) is a network error",
    facts: {
      provider: "gemini",
      message:
        "[GoogleGenerativeAI Error]: Error fetching from https://generativelanguage.googleapis.com/v1/models/gemini-pro:streamGenerateContent?alt=sse: Load failed",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // constructed from WebKit's own wording (the whole message of its fetch TypeError), to keep a model
  // server's sentence out: not a network error.
  {
    name: "'Model load failed: CUDA error' (a model server's sentence) is not WebKit's fetch failure",
    facts: { provider: "ollama", message: "Model load failed: CUDA error" },
    errorType: "unknown",
    providerCode: undefined,
  },
];

// Held-out set W: the status in Google's Go client's googleapi.Error ("googleapi: Error 429:") is the
// upstream's, even under the 400 a Go relay in front of Gemini answers with.
const googleapiGoStatusRoundW: FailureCase[] = [
  // https://github.com/zhu327/gemini-openai-proxy/issues/21
  {
    name: "gemini-openai-proxy's 400 around 'googleapi: Error 429:' is a rate limit",
    facts: {
      provider: "openai",
      httpStatus: 400,
      body: '{\n  "code": 400,\n  "message": "genai send message error: googleapi: Error 429:",\n  "type": ""\n}',
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
];

// Held-out set X, Bedrock and Azure OpenAI as gateways see them: Bedrock's throttle, internal-error
// and inference-profile refusals in its own words with no exception name or status, and Azure's
// BadRequest body after a placeholder brace its message keeps.
const bedrockAndAzureWordsRoundX: FailureCase[] = [
  // https://github.com/cline/cline/issues/4196
  {
    name: "bedrock 'Too many tokens, please wait before trying again.' alone (Cline) is a rate limit",
    facts: {
      provider: "bedrock",
      message: "[ERROR] Failed to process response: Too many tokens, please wait before trying again.",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/aws-samples/amazon-bedrock-agents-healthcare-lifesciences/issues/136
  {
    name: "bedrock agents 'Your request rate is too high.' is a rate limit",
    facts: {
      provider: "bedrock",
      message:
        "Your request rate is too high. Reduce the frequency of requests. Check your Bedrock model invocation quotas to find the acceptable frequency.",
    },
    errorType: "rate_limited",
    providerCode: undefined,
  },
  // https://github.com/hydro-project/infinity/pull/124
  {
    name: "bedrock InternalServerException wording with no name is a server error",
    facts: {
      provider: "bedrock",
      message: "The system encountered an unexpected error during processing. Try your request again.",
    },
    errorType: "server_error",
    providerCode: undefined,
  },
  // https://github.com/cline/cline/issues/2482
  {
    name: "bedrock 'with on-demand throughput isn’t supported' under Cline's own label is a bad request",
    facts: {
      provider: "bedrock",
      message:
        "API Request Failed:\n400 Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
    },
    errorType: "bad_request",
    providerCode: undefined,
  },
  // https://github.com/egoist/chatwise-releases/issues/258
  {
    name: "azure BadRequest body after the message's '{modelName}' placeholder is a bad request",
    facts: {
      provider: "azure",
      message:
        'Azure OpenAI (azure) provider error:\n\nModel {modelName} is enabled only for api versions 2024-12-01-preview and later {"error":{"code":"BadRequest","message":"Model {modelName} is enabled only for api versions 2024-12-01-preview and later"}}',
    },
    errorType: "bad_request",
    providerCode: "BadRequest",
  },
];

// Round V: held-out set V (non-English apps, regional providers); its misses that a general rule fixes.
const wordingRoundV: FailureCase[] = [
  // https://github.com/tomyumm-ge/n8n-gigachat/issues/26
  {
    name: "Node's 'self-signed certificate in certificate chain' (n8n GigaChat node) is a network error",
    facts: {
      provider: "gigachat",
      message: "Couldn’t connect with these settings self-signed certificate in certificate chain",
    },
    errorType: "network_error",
    providerCode: undefined,
  },
  // https://github.com/AkashiCoin/nonebot-plugin-chatgpt-plus/issues/28
  {
    name: "httpx ReadTimeout with no text after a QQ bot's Chinese words is a timeout",
    facts: {
      provider: "openai",
      message: "请求 ChatGPT 服务器时出现问题，请稍后再试 错误信息: ReadTimeout:",
    },
    errorType: "timeout",
    providerCode: undefined,
  },
  // https://api.ncloud-docs.com/docs/en/ai-naver-clovastudiojp-summary
  {
    name: "NAVER CLOVA Studio's 403 40340380 'You have used all your ... tokens.' is an exhausted quota",
    facts: {
      provider: "clovastudio",
      httpStatus: 403,
      body: '{"status":{"code":"40340380","message":"You have used all your 1000000 tokens."}}',
    },
    errorType: "quota_exhausted",
    providerCode: undefined,
  },
];

export const FAILURE_CASES: readonly FailureCase[] = [
  ...openai,
  ...anthropic,
  ...gemini,
  ...vertex,
  ...bedrock,
  ...azure,
  ...mistral,
  ...groq,
  ...cohere,
  ...deepseek,
  ...xai,
  ...openrouter,
  ...selfHosted,
  ...litellm,
  ...proxies,
  ...keyPool,
  ...retiredModels,
  ...overloadWording,
  ...safetyBlocks,
  ...keysLeakedOrDisabled,
  ...transportWrapped,
  ...bedrockEventStream,
  ...together,
  ...fireworks,
  ...perplexity,
  ...perTierAndDaily,
  ...huggingface,
  ...vercelAiSdk,
  ...vllm,
  ...ollamaServer,
  ...cloudflare,
  ...retryHelperDeadlines,
  ...xaiSeen,
  ...azureContentFilter,
  ...geminiKeysAndRegions,
  ...tenacityWrapped,
  ...openaiAccess,
  ...deepseekBalance,
  ...anthropicLogged,
  ...bedrockSeen,
  ...openrouterRouting,
  ...litellmTimeouts,
  ...googleWrapped,
  ...cohereSeen,
  ...mistralAuth,
  ...groqSeen,
  ...openaiInStream,
  ...billingAndAccountWording,
  ...transportInOtherWords,
  ...everydayWordingSeen,
  ...statusWordsSeen,
  ...connectionFailuresSeen,
  ...bedrockModelIdentifier,
  ...relayUpstreamFailures,
  ...jsErrorNameAtHead,
  ...wrappedWording,
  ...statusesInOtherShapes,
  ...transportWordingRound3,
  ...peakLoadCapacity,
  ...statedRpcStatus,
  ...togetherServerless,
  ...geminiCliArrays,
  ...statusAfterExceptionClass,
  ...noBodyInWrapper,
  ...htmlTitleStatus,
  ...serverDeadlines,
  ...iamDeniedInWords,
  ...stringStatusCodes,
  ...cloudflareTitleStatus,
  ...clientTimeoutsInOtherLanguages,
  ...refusalsInWords,
  ...wordingRound5,
  ...gatewayUpstreamFailure,
  ...httpxStatusWording,
  ...difyPluginTimeouts,
  ...consoleFetchStatus,
  ...teamWithoutCredits,
  ...connectionClosedMidResponse,
  ...upstreamBodyUnderDetails,
  ...gatewayWrappedRound10,
  ...gatewaysAndAgentsRound11,
  ...envoyLocalReplies,
  ...grpcConnectionNeverUp,
  ...heldOutRoundsNAndO,
  ...moonshotAndDashscopeCodes,
  ...regionalProviderWording,
  ...urllib3ConnectionFailures,
  ...heldOutRoundP,
  ...streamCutWordingRoundR,
  ...openaiWordingRoundR,
  ...overloadedAloneRoundR,
  ...selfHostedServersRoundS,
  ...statusShapesRoundS,
  ...heldOutRoundT,
  ...javaSdkExceptionNamesRoundU,
  ...transportWordsRoundU,
  ...dotnetWordsRoundU,
  ...retryDeadlineRoundW,
  ...webkitFetchFailureRoundW,
  ...googleapiGoStatusRoundW,
  ...bedrockAndAzureWordsRoundX,
  ...wordingRoundV,
];
