import type { ErrorType } from "../interception/error-type.js";
import { PhraseMatcher, PlacedPhrase, type SearchableText } from "./searchable-text.js";

// The wording rules of classifyFailure: decisive phrases (rule 2), which overrule codes and
// statuses, and weak phrases (rule 9), which only speak when nothing else did. The bridge's own
// key pool is here too, since most of what it reports is wording.

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
const KEYS_REJECTED_PHRASES: readonly string[] = [
  "all keys rejected",
  "all api keys rejected",
  "all keys are invalid",
  "all api keys are invalid",
  "no valid api key",
  "no valid keys",
];

/** Lower-case phrases meaning every key in the pool is rate-limited or cooling down. */
const KEYS_RATE_LIMITED_PHRASES: readonly string[] = [
  "all keys rate limited",
  "all keys are rate limited",
  "all api keys rate limited",
  "all api keys are rate limited",
  "no deployments available",
  "no healthy deployment available",
];

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
      // SiliconFlow's 403 `30011`: "The selected model requires paid balance. Your paid balance is
      // insufficient. Please top up and try again."
      "balance is insufficient",
      "insufficient credits",
      "requires more credits",
      "exceeded your current quota",
      "specified api usage limits",
      "used all available credits",
      // NAVER CLOVA Studio's 403 `40340380`: "You have used all your {max token count} tokens." (its
      // API reference); a spent allowance, not a permission, whatever status carries it.
      "you have used all your",
      "monthly spending limit",
      "budget has been exceeded",
      "exceeded budget",
      // Together: a credit limit (402), and models open only to higher tiers bought with credit.
      "credit limit exceeded",
      "upgrade your tier",
      // Cloudflare Workers AI 3036: "You have used up your daily free allocation of 10,000 neurons."
      "daily free allocation",
      // xAI: "You have run out of credits or need a Grok subscription." (403)
      "run out of credits",
      // xAI before a new team's first purchase, as 403 and as gRPC PERMISSION_DENIED: "Your newly
      // created team doesn't have any credits or licenses yet."
      "have any credits",
      "per-day",
      "per day",
      // Monthly windows are allowances too: Hugging Face's "exceeded your monthly included credits",
      // OpenRouter's "create a key with a higher monthly limit".
      "monthly included credits",
      "monthly limit",
      // Overdue billing: Alibaba DashScope's `Arrearage` ("#overdue-payment"), relays' "Access
      // denied due to overdue account" (403).
      "overdue",
      // Zed's own API for an unpaid bill: "permission error with Zed's API: Outstanding invoices.
      // Please update your payment information …".
      "outstanding invoice",
      // OpenAI's `billing_hard_limit_reached` (images and chat alike) in words, as openai-node prints
      // it with the 400 it came with: "400 Billing hard limit has been reached".
      "billing hard limit",
      // OpenAI's `insufficient_quota` as coding agents word it with no code or status: Codex's
      // "Quota exceeded. Check your plan and billing details." (its shortening of OpenAI's "You
      // exceeded your current quota, please check your plan and billing details.") and the older
      // CLI's "Insufficient quota. Please check your billing details and retry." (the code in words).
      "check your plan and billing",
      "insufficient quota",
      // Anthropic's 429 `rate_limit_error` for a long-context (1M) request on a plan without paid
      // extra usage enabled: "Extra usage is required for long context requests." No wait lets it
      // pass; buying or enabling extra usage does, as for an empty credit balance.
      "extra usage is required",
    ],
  ],
  // .NET's HttpRequestException for a TLS handshake that failed ("The SSL connection could not be
  // established, see inner exception." under Semantic Kernel's HttpOperationException and Azure's
  // RequestFailedException): no request was sent. Listed before the key phrases, since its inner
  // System.Security.Authentication.AuthenticationException says "Authentication failed" of TLS.
  ["network_error", ["ssl connection could not be established"]],
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
      // NVIDIA NIM's 401 problem body ({"status":401,"title":"Unauthorized","detail":"Authentication
      // failed"}) and the clients that print its detail with their own words: no retry passes until
      // the key is fixed.
      "authentication failed",
      "no auth credentials found",
      "security token included in the request is invalid",
      "security token included in the request is expired",
      // Gemini answers a key found in public code with 403 PERMISSION_DENIED; only a new key helps.
      "reported as leaked",
      // Gemini sends an expired key as 400 INVALID_ARGUMENT ("API key expired. Please renew the API key.").
      "api key expired",
      // Anthropic's 400 `invalid_request_error` for a banned or disabled organization: no request
      // passes until the account is restored, like OpenAI's `account_deactivated`.
      "organization has been disabled",
      // Azure's 401 (and Azure API Management's) for a wrong key or a key of another resource:
      // "Access denied due to invalid subscription key or wrong API endpoint.", which apps print
      // without its status, as Node's print of the error object or after their own words.
      "invalid subscription key",
    ],
  ],
  [
    "rate_limited",
    [
      ...KEYS_RATE_LIMITED_PHRASES,
      // Replicate's 429 ("Request was throttled. Your rate limit resets in ~10s.") also after an
      // app's own 400 around it: throttling is a rate limit whatever status wraps it.
      "was throttled",
      "being throttled",
    ],
  ],
  [
    "permission_denied",
    [
      "user location is not supported",
      "country, region, or territory not supported",
      "is not authorized to perform",
      // Gemini's 400 FAILED_PRECONDITION for regions without a free tier.
      "free tier is not available in your country",
      // OpenAI's 400 for models (o3 streaming, gpt-image-1) open only to verified organizations.
      "organization must be verified",
      // Vertex's 400 FAILED_PRECONDITION for partner models not enabled on the project.
      "is not allowed to use",
      // Bedrock (through gateways such as llmgateway) for a model the valid key is not entitled to,
      // even sent as 401: "openai.gpt-5.6-luna is not available for this account. You can explore
      // other available models on Amazon Bedrock."
      "not available for this account",
    ],
  ],
  [
    "bad_request",
    [
      "request too large for",
      "content management policy",
      // Alibaba DashScope's moderation (`data_inspection_failed`, 400), also printed by apps with no
      // status or code: "Input data may contain inappropriate content." ("Input text data …",
      // "Output data …").
      "data may contain inappropriate content",
      "maximum context length",
      "input is too long",
      // Anthropic's (and Bedrock's for Claude) context limit, often printed alone by apps and the AI
      // SDK: "prompt is too long: 202609 tokens > 200000 maximum".
      "prompt is too long",
      // OpenAI's 400 `invalid_prompt` in words, as Codex and relays print it: "Invalid prompt: your
      // prompt was flagged as potentially violating our usage policy."
      "flagged as potentially violating",
      // Gemini safety blocks as @google/generative-ai and proxies word them, after HTTP 200.
      "candidate was blocked",
      "response was blocked",
      "prompt was blocked",
      "blocked for reason: safety",
      // Bedrock: "The maximum tokens you requested exceeds the model limit of 32768".
      "maximum tokens you requested",
      // Bedrock's 400 ValidationException for a model served only through an inference profile:
      // "Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand throughput
      // isn’t supported. Retry your request with the ID or ARN of an inference profile …". The model
      // id must change, also when an app prints the words alone or a gateway wraps them.
      "demand throughput isn",
      // OpenAI's and Azure's context limit for the gpt-5 family, as LiteLLM passes it on:
      // "Input tokens exceed the configured limit of 272000 tokens. Your messages resulted in …".
      "input tokens exceed the configured limit",
      // Anthropic's context limit counting the output too, also through Bedrock: "input length and
      // `max_tokens` exceed context limit: 198667 + 8192 > 204698".
      "exceed context limit",
      // Codex's words for OpenAI's `context_length_exceeded`: "Codex ran out of room in the model's
      // context window."
      "model's context window",
      // GitHub Copilot (JetBrains): "Oops, the token limit exceeded. Try to shorten your prompt or
      // start a new conversation."
      "shorten your prompt",
      // The AWS SDKs' own check of a request before it is sent (botocore's ParamValidationError):
      // "Parameter validation failed:\nInvalid length for parameter toolConfig.tools[13].toolSpec.
      // description, value: 0, valid min length: 1". Nothing reached the provider, so a status beside
      // it is the wrapping gateway's (bedrock-access-gateway answers it with its own 500).
      "parameter validation failed",
      // llama.cpp's server words its context overflow so, under its 400 and under the 500 its older
      // builds send (`{"code":500,"message":"Context size has been exceeded.","type":"server_error"}`):
      // "the request exceeds the available context size. try increasing the context size …".
      "context size has been exceeded",
      "exceeds the available context size",
      // A parameter the server does not take: OpenAI's 400 "Unsupported parameter: 'max_tokens' …",
      // llama.cpp's 500 `{"code":500,"message":"Unsupported param: tools","type":"server_error"}`.
      // The request must change; a retry gets the same answer.
      "unsupported param",
      // The Anthropic SDKs' own refusal of a non-streaming request whose max_tokens could run past
      // their 10-minute limit, before anything is sent: "Streaming is strongly recommended for
      // operations that may take longer than 10 minutes" (Python's ValueError, older wording) and
      // "Streaming is required for operations that may take longer than 10 minutes". The request must
      // change (stream, or ask for fewer tokens), also under the 500 an agent or proxy prints with it.
      "streaming is required for operations",
      "streaming is strongly recommended for operations",
    ],
  ],
  // Retired or unknown models: Groq sends them as 400 `invalid_request_error`, Perplexity as 400
  // "Invalid model 'sonar-small-online'".
  // "Invalid model 'sonar-small-online'", DeepSeek as 400 `invalid_request_error` "Model Not Exist".
  // Bedrock's 400 ValidationException "The provided model identifier is invalid." (a bare or
  // unsupported model id) says the model does not exist for this key, as "invalid model" does.
  [
    "not_found",
    [
      "has been decommissioned",
      "invalid model",
      "no such model",
      "model not exist",
      "model identifier is invalid",
      // Snowflake Cortex for a model its region does not serve, as a SQL error wraps the service's
      // 400: "Request failed for external function EMBED_TEXT_768$V1 with remote service error: 400
      // '"unknown model …"'".
      "unknown model",
    ],
  ],
  // Capacity refusals that providers send as 429 (OpenAI, Moonshot, Gemini) or 400 (Mistral's
  // `invalid_request_error`): waiting or another model helps, and the key's own limits are not hit.
  [
    "overloaded",
    [
      "temporarily out of capacity",
      // Azure's peak-load refusal (429, which relays tag RATE_LIMITED) and Gemini's 503 both say the
      // service, not this caller, is short: "The system is currently experiencing high demand".
      "experiencing high demand",
      "currently overloaded",
      // Gemini's 503 "The model is overloaded. Please try again later.", also when a relay in
      // between answers for it with its own 500 (LiteLLM's proxy: "litellm.InternalServerError: …").
      "model is overloaded",
      "server overloaded",
      "engine overloaded",
      "capacity exceeded",
      "no capacity available",
      // Cloudflare Workers AI 3040, "Out of capacity", sent as 429.
      "no more data centers",
      // Envoy's circuit breaker: more requests pending for the backend than it allows (Anthropic's
      // edge: "503 upstream connect error or disconnect/reset before headers. reset reason: overflow").
      // Listed before Envoy's other words below, which it comes with.
      "reset reason: overflow",
      // Self-hosted servers refusing work for want of a free slot or queue place: Hugging Face's
      // serverless API ("Model too busy, unable to get response in less than 60 second(s)", even under
      // its 500), Ollama's 503 "server busy, please try again.  maximum pending requests exceeded" and
      // its runner's "llm busy - no slots available".
      "too busy",
      "server busy",
      "no slots available",
    ],
  ],
  // google-api-core's RetryError gave up at its deadline, whatever the last attempt's failure was:
  // "Timeout of 60.0s exceeded, last exception: 503 failed to connect to all addresses; …" (as
  // langchain_google_genai quotes it), and its older "Deadline of 60.0s exceeded while calling target
  // function, last exception: …". Listed before the connection failures below, which it quotes.
  ["timeout", ["exceeded, last exception", "exceeded while calling target function"]],
  // Envoy, and the gateways and edges built on it (Istio, Higress, Anthropic's), says why it
  // answered 503 itself, and its words name the cause where the 503 does not: "upstream connect
  // error or disconnect/reset before headers" when its connection to the backend failed or was cut,
  // "no healthy upstream" when no backend passed its health checks (down, not busy).
  ["network_error", ["upstream connect error"]],
  // gRPC's own words (C-core, grpc-js) for an UNAVAILABLE that no connection came up for, also
  // after an app's words and with the 503 it maps to: "Failed to connect to Vertex AI: 503 failed
  // to connect to all addresses; last error: UNKNOWN: ipv6:…:443: connect: No route to host".
  ["network_error", ["failed to connect to all addresses"]],
  ["server_error", ["no healthy upstream"]],
  // Cloudflare AI Gateway's code 2005, "Failed to get response from provider", sent as its own 400
  // in place of the upstream's answer: the provider call behind the gateway failed, and a retry
  // usually passes (cloudflare/ai#436), whatever the 400 says.
  ["server_error", ["failed to get response from provider"]],
  // Google's front end gave up waiting for its backend ("Deadline expired before operation could
  // complete."), sent as 503 UNAVAILABLE: no answer in time, whatever the status says.
  ["timeout", ["deadline expired"]],
];

const decisive = new PhraseMatcher<ErrorType>(
  DECISIVE.flatMap(([errorType, phrases]) => phrases.map((phrase) => [phrase, errorType] as const)),
);

/**
 * Decisive phrases in scripts without spaces, which the word scan cannot see. Chinese gateways and
 * providers (Zhipu's 429 `1113` "余额不足或无可用资源包,请充值。", new-api and siliconflow relays)
 * word an empty balance as 余额不足, "insufficient balance".
 */
const UNSPACED_DECISIVE: readonly (readonly [string, ErrorType])[] = [["余额不足", "quota_exhausted"]];

/** The error type a decisive phrase in the text implies, if any. */
export function decisivePhraseErrorType(text: SearchableText): ErrorType | undefined {
  return decisive.find(text) ?? unspaced(UNSPACED_DECISIVE, text.lower) ?? (OVERLOADED.in(text) ? "overloaded" : undefined);
}

// Anthropic's whole message for its capacity refusals is "Overloaded" ("Overloaded. https://…" of
// late), and it is a capacity refusal whatever type or status it came under: `api_error` with a 500
// in an incident (Claude Code: `500 {"type":"error","error":{"type":"api_error","message":
// "Overloaded"}}`), LiteLLM's InternalServerError ("AnthropicException - Overloaded. Handle with
// …"). Only the word as a sentence of its own counts; "an overloaded origin" in a proxy's advice
// does not.
const OVERLOADED = new PlacedPhrase("overloaded", (lower, start, end) => sentenceStartsAt(lower, start) && sentenceEndsAt(lower, end));
// The break between the text's parts (failure-evidence.ts): the word is a whole message there. Or a
// JSON string of its own, `"message":"Overloaded"`, where the body was not read as an error object.
const PART_BREAK = 0x2029;
const QUOTE = 0x22;

function sentenceStartsAt(lower: string, at: number): boolean {
  if (at === 0) return true;
  const before = lower.charCodeAt(at - 1);
  if (before === PART_BREAK || before === QUOTE) return true;
  return before === 0x20 && at >= 2 && (lower.charCodeAt(at - 2) === 0x3a /* : */ || lower.charCodeAt(at - 2) === 0x2d /* - */);
}

function sentenceEndsAt(lower: string, end: number): boolean {
  if (end === lower.length) return true;
  const after = lower.charCodeAt(end);
  return after === 0x2e /* . */ || after === PART_BREAK || after === QUOTE;
}

function unspaced(phrases: readonly (readonly [string, ErrorType])[], lower: string): ErrorType | undefined {
  // V8 answers at once when a two-byte phrase is sought in one-byte (ASCII) text, which nearly
  // every failure is.
  for (const [phrase, errorType] of phrases) if (lower.includes(phrase)) return errorType;
  return undefined;
}

/**
 * Everyday wording that hints at a type. Weaker than any code or status: consulted only when the
 * failure carried neither (a bare SDK message like "Requests rate limit exceeded" or "API Error:
 * The model is overloaded"). Checked in order.
 */
const WEAK: readonly (readonly [string, ErrorType])[] = [
  ["rate limit", "rate_limited"],
  // A per-minute window in words, as Cerebras (and relays) word their 429s and apps print them alone:
  // "Tokens per minute limit exceeded - too many tokens processed." (Daily windows are decisive
  // quota phrases above.)
  ["per minute", "rate_limited"],
  ["rate-limited", "rate_limited"], // GitHub Copilot: "Sorry, your request was rate-limited."
  // Bedrock's ThrottlingException in its own words, as apps print the message without the name or
  // the 429: "Too many tokens, please wait before trying again." (Cline), and Bedrock Agents' "Your
  // request rate is too high. Reduce the frequency of requests." (A daily window, "Too many tokens per
  // day, please wait …", is a decisive quota phrase above.)
  ["too many tokens, please wait", "rate_limited"],
  ["request rate is too high", "rate_limited"],
  ["ratelimit", "rate_limited"],
  ["too many requests", "rate_limited"],
  // .NET's HttpStatusCode name for a 429, as .NET clients print a status: "HTTP status code:
  // TooManyRequests" (OpenAI-API-dotnet), Semantic Kernel's retry handler "Reason: TooManyRequests".
  ["toomanyrequests", "rate_limited"],
  // Alibaba DashScope's words for its 429s when an app prints them alone: `limit_requests` ("You
  // exceeded your current requests list.") and its burst limit ("Request rate increased too quickly.
  // To ensure system stability, please adjust your client logic …").
  ["exceeded your current requests list", "rate_limited"],
  ["request rate increased too quickly", "rate_limited"],
  ["overloaded", "overloaded"],
  ["high demand", "overloaded"],
  ["at capacity", "overloaded"],
  ["service unavailable", "overloaded"],
  // Bedrock's ServiceUnavailableException, also without its 503 (under LiteLLM's
  // ServiceUnavailableError): "Too many connections, please wait before trying again."
  ["too many connections", "overloaded"],
  // Its fixed message, also without the exception name (bedrust, LibreChat): "Bedrock is unable to
  // process your request."
  ["bedrock is unable to process your request", "overloaded"],
  // nginx's 503 reason phrase, "Service Temporarily Unavailable", as LLM proxies pass it on ("LLM
  // proxy error 503 from …: Service temporarily unavailable").
  ["temporarily unavailable", "overloaded"],
  ["currently unavailable", "overloaded"], // Google's 503: "The service is currently unavailable."
  // Hugging Face while a model is loaded onto capacity: {"error":"Model x is currently loading"} (503).
  ["is currently loading", "overloaded"],
  ["deadline exceeded", "timeout"],
  ["gateway timeout", "timeout"],
  // The 504 reason phrase as nginx and Cloudflare spell it, also inside Claude Code's retry line:
  // "API Error (api.anthropic.com | 504: Gateway time-out) · Retrying in 5 seconds…".
  ["gateway time-out", "timeout"],
  ["timed out", "timeout"],
  // A bare "timeout": OpenResty's cosocket error under APISIX's ai-proxy ("failed to connect to LLM
  // server: timeout", which APISIX itself answers with 504), a proxy's "API Timeout (read)".
  ["timeout", "timeout"],
  ["bad gateway", "server_error"],
  // Google's front end (Cloud Run, GKE ingress, Cloud Load Balancing, in front of KServe and other
  // model servers) answers a failed backend with a 502 page: "The server encountered a temporary
  // error and could not complete your request.<p>Please try again in 30 seconds."
  ["temporary error", "server_error"],
  // Relays in front of a provider (sub2api's `upstream_error`, OpenCode's Console Go, Routstr) when
  // the provider call behind them failed; they send it as 502.
  ["upstream request failed", "server_error"],
  ["internal server error", "server_error"],
  // Bedrock's InternalServerException in its own words, also mid-stream with no exception name: "The
  // system encountered an unexpected error during processing. Try your request again."
  ["encountered an unexpected error", "server_error"],
  ["internal error", "server_error"],
  // text-generation-inference's generation failures, with no status passed: `{"error":"Request failed
  // during generation: Server error: CUDA out of memory. …","error_type":"generation"}`. A status
  // written beside the words ("Server error '529 '", "Server error: 500") is read before this.
  ["server error", "server_error"],
  // A model server out of (GPU) memory mid-request: TGI's and Hugging Face's "CUDA out of memory.
  // Tried to allocate …", Replicate's cog "Prediction failed for an unknown reason. It might have run
  // out of memory?". The server, not the request, failed (a context limit has words of its own).
  ["out of memory", "server_error"],
  // OpenAI's 500 wording, "The server had an error (while) processing your request".
  ["server had an error", "server_error"],
  // The same 500 in OpenAI's other wording, also as an error frame in a chat stream after HTTP 200:
  // "The server experienced an error while processing your request. We apologize for the inconvenience!"
  ["server experienced an error", "server_error"],
  // OpenAI's `server_error` in a failed Responses stream, as Codex prints it: "stream disconnected
  // before completion: An error occurred while processing your request. You can retry your request…".
  ["error occurred while processing your request", "server_error"],
  // Ollama's model runner crashed or could not load the model (usually memory).
  ["runner process has terminated", "server_error"],
  // Cloudflare's error 1101 page: the Worker in front of the provider (an AI Gateway, a relay) crashed.
  ["worker threw exception", "server_error"],
  ["llama runner exited", "server_error"],
  // "Invalid argument provided to Gemini: 400 ..." (langchain_google_genai), Google's INVALID_ARGUMENT in words.
  ["invalid argument", "bad_request"],
  // Parameter validation in words: "max_tokens for preview model ... must be less than or equal to 8000" (Groq).
  ["must be less than or equal to", "bad_request"],
  // The same in Cohere's words for its context limit, which its SDK raised without a status:
  // "too many tokens: total number of tokens (prompt and prediction) cannot exceed 2048 - received
  // 6354." (Per-minute windows, "cannot exceed 60 requests per minute", are read as rates above.)
  ["cannot exceed", "bad_request"],
  // text-generation-inference's 422 ValidationError, which its clients (huggingface_hub, the
  // `text_generation` client, LangChain) print alone: "Input validation error: `inputs` tokens +
  // `max_new_tokens` must be <= 32768. Given: …", "Input validation error: `inputs` must have less
  // than 1024 tokens. Given: 1168".
  ["input validation error", "bad_request"],
  // OpenRouter's 401 for a key it knows no account for, "User not found.", which apps print with
  // no status ("Error: Unauthorized: {…User not found.…}"): the key, not a resource, is missing.
  ["user not found", "unauthorized"],
  ["not found", "not_found"],
  ["no endpoints found", "not_found"], // OpenRouter: no provider serves the model (with those features)
  ["does not exist", "not_found"],
  ["unauthorized", "unauthorized"],
  // The AI SDK's GatewayAuthenticationError: "Unauthenticated request to AI Gateway."
  ["unauthenticated", "unauthorized"],
  // OpenAI's 401 without a key: "You need to provide your API key in an Authorization header".
  ["provide your api key", "unauthorized"],
  // Hugging Face's {"error": "invalid token"} for a bad access token.
  ["invalid token", "unauthorized"],
  // openai-node when no key was configured: "Missing credentials. Please pass an `apiKey`, or set
  // the `OPENAI_API_KEY` environment variable."
  ["missing credentials", "unauthorized"],
  // The 402 reason phrase, as clients print it ("API request failed: Payment Required", Replicate).
  ["payment required", "quota_exhausted"],
  ["permission denied", "permission_denied"],
  ["denied on resource", "permission_denied"], // Google IAM: "Permission 'aiplatform.endpoints.predict' denied on resource '…'"
  ["forbidden", "permission_denied"],
  // Bedrock's AccessDeniedException wording, also after a class that states its 403 mid-message
  // ("Error invoking Bedrock Anthropic: PermissionDeniedError: 403 You don't have access to the
  // model with the specified model ID."): the model was not granted to this account.
  ["have access to the model", "permission_denied"],
  // The 400 reason phrase in a client's or app's words, last so that any more telling word wins.
  ["bad request", "bad_request"],
  // Azure's code for it, one word, when its body could not be read as one (an app's re-cased print):
  // `{"error":{"code":"BadRequest","message":"API version not supported"}}`.
  ["badrequest", "bad_request"],
  // Anthropic's and OpenAI's catch-all type for a refused request, in an app's print of it with no
  // status and no error object to read it from: "`max_tokens` must be greater than
  // `thinking.budget_tokens`. … (type: invalid_request_error)" (aichat), "invalid_request_error:
  // thinking.enabled.budget_tokens: Input should be greater than or equal to 1024" (llm.js). As
  // weak as the code is without a status, and listed last, so any other word here says more.
  ["invalid_request_error", "bad_request"],
];

const weak = new PhraseMatcher<ErrorType>(WEAK);

/**
 * Everyday wording in scripts without spaces, as weak as WEAK. one-api and new-api relays replace
 * the message of every upstream 429 with 当前分组上游负载已饱和，请稍后再试 ("this group's upstream
 * load is saturated, try again later"), keeping the upstream's code; so it speaks only when no code
 * or status did. Chinese providers word their rate and concurrency limits the same way, and apps
 * print those words alone: Baidu Qianfan's 访问过于频繁，请稍候再试 ("requests too frequent, try again
 * later") and its SDK's RequestLimitError 并发超限 ("concurrency limit exceeded"), Zhipu's 429 `1302`
 * 您当前使用该API的并发数过高 ("your concurrency on this API is too high").
 */
const UNSPACED_WEAK: readonly (readonly [string, ErrorType])[] = [
  ["上游负载已饱和", "rate_limited"],
  ["过于频繁", "rate_limited"],
  ["并发超限", "rate_limited"],
  ["并发数过高", "rate_limited"],
];

/** The error type everyday wording in the text suggests, if any. */
export function weakPhraseErrorType(text: SearchableText): ErrorType | undefined {
  return weak.find(text) ?? unspaced(UNSPACED_WEAK, text.lower);
}
