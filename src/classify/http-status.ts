import type { ErrorType } from "../interception/error-type.js";
import { effectiveErrorName } from "./error-name.js";
import type { FailureEvidence } from "./failure-evidence.js";
import { PhraseMatcher } from "./searchable-text.js";

// Everything the classifier knows about an HTTP status: what a bridge may send, which statuses it
// believes, where else a status can be read when the bridge sent none, and what a status means.

/**
 * An `http_status` as a bridge sent it, checked: `status` is undefined when no response arrived,
 * and also when the value was refused.
 */
export type UpstreamHttpStatus =
  | { readonly valid: true; readonly status: number | undefined }
  | { readonly valid: false; readonly status: undefined };

/**
 * What the RPCs answer, under `upstream.http_status`, when `readUpstreamHttpStatus` refuses a value.
 * It names the statuses that exist; 1 to 99 pass the check too, as they always have.
 */
export const UPSTREAM_HTTP_STATUS_RULE = "must be 0 (no response) or 100 to 999";

/**
 * The rule for the `http_status` a bridge sends, over RPC (`upstream.http_status`) or on a line of
 * `bridgelog classify` (`http_status`): a whole number from 0 to 999, where 0 means no response
 * arrived (connection refused, reset, timed out) and becomes undefined. Any other number is kept as
 * sent, since it is what the bridge saw and is stored as such; the classifier itself believes only
 * 100 to 599 (`believableStatus`). Each caller words the refusal under its own field name.
 */
export function readUpstreamHttpStatus(value: unknown): UpstreamHttpStatus {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 999) {
    return { valid: false, status: undefined };
  }
  return { valid: true, status: value === 0 ? undefined : value };
}

/**
 * The HTTP status the classifier believes: a whole number from 100 to 599 (or a string of one),
 * undefined for anything else, including no response.
 */
export function believableStatus(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

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

/**
 * A status the bridge did not pass but the SDK wrote into the message, the error body stated as its
 * numeric `code` (OpenRouter's envelope, relays in its style), or the error class name implies;
 * undefined when the bridge passed an error status itself, which is always believed first.
 */
export function impliedStatus(evidence: FailureEvidence): number | undefined {
  if (evidence.status !== undefined && evidence.status >= 400) return undefined;
  return (
    statusInMessage(evidence.message) ?? envelopeStatus(evidence) ?? statusForSdkErrorName(effectiveErrorName(evidence))
  );
}

/**
 * The numeric `code` of the body's error object, unless that object's message names a status: a
 * relay's envelope code is its own answer, and a labelled status in its message is the upstream's
 * (qwen-code-oai-proxy's `{"error": {"message": "Request failed with status code 429", "type":
 * "api_error", "code": 500}}` for the portal's 429), as a labelled status outranks the wrapping
 * app's own at a message's head.
 */
function envelopeStatus(evidence: FailureEvidence): number | undefined {
  if (evidence.bodyStatus === undefined) return undefined;
  const lower = evidence.text.lower;
  const head = lower.length > 512 ? lower.slice(0, 512) : lower;
  return statusFrom(LABELLED.exec(head)?.[1]) ?? evidence.bodyStatus;
}

/**
 * The status Google's Go client library saw, in its googleapi.Error: "googleapi: Error 429: …" (and
 * "googleapi: got HTTP response code 503 with body: …"). Only the client that got Google's answer
 * prints it, so it is the upstream's status even where a relay in front sends its own: the Go
 * OpenAI-to-Gemini proxy answers `{"code": 400, "message": "genai send message error: googleapi:
 * Error 429:"}` with a 400 (zhu327/gemini-openai-proxy#21). Found in the one pass over the words;
 * only a text with the phrase is read again, 64 characters from the phrase.
 */
export function googleApiClientStatus(evidence: FailureEvidence): number | undefined {
  if (GOOGLEAPI.find(evidence.text) !== true) return undefined;
  const lower = evidence.text.lower;
  const at = lower.indexOf(GOOGLEAPI_PREFIX);
  return at < 0 ? undefined : statusFrom(GOOGLEAPI_STATUS.exec(lower.slice(at, at + 64))?.[1]);
}

const GOOGLEAPI_PREFIX = "googleapi: ";
const GOOGLEAPI = new PhraseMatcher<true>([
  ["googleapi: error", true],
  ["googleapi: got http response code", true],
]);
const GOOGLEAPI_STATUS = /^googleapi: (?:error|got http response code) (\d{3})\b/;

// Anchored or literal-prefixed patterns with single bounded quantifiers: nothing to backtrack over.
// "429 You exceeded…" (openai-node, anthropic-sdk), "Error: 400 {…}", "API Error: 529 Overloaded",
// "API Error (429 Too many tokens…)" (Claude Code), also after the glyphs a terminal UI puts
// before it ("⎿ API Error: 524 {…}").
const LEADING = /^[^a-z0-9(]{0,4}(?:[a-z]+ )?(?:error:? )?\(?(\d{3})\b/;
// "Error code: 429 - {…}" (Python SDKs), "status_code: 401, body: …" (cohere), "Status 429" (mistral),
// "has a status code of 503" (Dart's dio), a status line "(HTTP/2 429)" (Emacs' url.el via gptel),
// "failed with a non-200 response code: 422" (AI21's SDK) and Java's "Server returned HTTP response
// code: 503 for URL".
const LABELLED =
  /(?:error code|status code|status_code|response code|status|http\/\d(?:\.\d)?|http)(?: of)?[:=]? ?(\d{3})\b/;
// "Ollama API error 400: {…}", "Ollama API error: 400 Bad Request - {…}": an app names the API whose
// error it passes on, then its status (one word before "API error", which LEADING does not allow).
const API_ERROR = /^[a-z0-9_.-]{1,40} api error:? \(?(\d{3})\b/;
// "422 Client Error: Unprocessable Entity for url: …" (Python requests' raise_for_status, huggingface_hub).
const REQUESTS = /\b(\d{3}) (?:client|server) error\b/;
// "Server error '529 ' for url '…'" (httpx's raise_for_status, under LiteLLM and aider): the status
// in quotes after the words.
const HTTPX = /\b(?:client|server) error '(\d{3})\b/;
// "GET https://chat.example.com/api/models 524 (<none>)": a failed fetch as a browser's console logs
// it (Open WebUI's front end), the status between the URL and its reason in parentheses.
const CONSOLE_FETCH = /\b(?:get|post) https?:\/\/\S{1,300} (\d{3}) \(/;
// `POST "https://api.fireworks.ai/inference/v1/messages": 429 Too Many Requests {…}`: the Go SDKs'
// error (anthropic-sdk-go, openai-go), as Go agents such as Crush print it: the status after the
// quoted URL.
const GO_SDK = /\b(?:get|post) "https?:\/\/[^"\s]{1,300}": (\d{3}) /;
// "[400 Bad Request] API key not valid." (@google/generative-ai).
const BRACKETED = /\[(\d{3}) [a-z]/;
// "Reason: Server error: 500" (GitHub Copilot Chat), behind the plain search for "server error".
const SERVER_ERROR_COLON = /\bserver error: (\d{3})\b/;
// SageMaker's ModelError for the model container's own answer (TGI, LMI and other LLM containers it
// hosts): "Received server error (500) from primary and could not load the entire response body",
// "Received client error (400) from model with message "Unable to evaluate payload provided"". Its
// "(0)" (no answer in time) is no status.
const SAGEMAKER = /\b(?:client|server) error \((\d{3})\)/;

// In the order statusInMessage tries them.
const HEAD_PATTERNS: readonly RegExp[] = [LABELLED, LEADING, API_ERROR, BRACKETED];

/**
 * The HTTP status an SDK wrote into its error message, for bridges that pass only `error.message`.
 * Takes lower-cased text; only 4xx and 5xx count.
 */
function statusInMessage(lowerMessage: string): number | undefined {
  if (lowerMessage.length === 0) return undefined;
  const head = lowerMessage.length > 512 ? lowerMessage.slice(0, 512) : lowerMessage;
  // A labelled status comes first: an app that wraps the upstream's answer prints its own status at
  // the head ("400 An error occurred when calling Azure OpenAI: Server responded with status 429").
  for (const pattern of HEAD_PATTERNS) {
    // API_ERROR only where its words are: a plain search spares the rest the regex.
    if (pattern === API_ERROR && !head.includes(" api error")) continue;
    const status = statusFrom(pattern.exec(head)?.[1]);
    if (status !== undefined) return status;
  }
  const status =
    statusAfterClassName(head) ??
    statusWithoutBody(head) ??
    statusInHtmlTitle(head) ??
    statusAloneInBrackets(head) ??
    statusAfterInnerErrorClass(head);
  if (status !== undefined) return status;
  if (head.includes("get http") || head.includes("post http")) {
    const logged = statusFrom(CONSOLE_FETCH.exec(head)?.[1]);
    if (logged !== undefined) return logged;
  }
  if (head.includes('get "http') || head.includes('post "http')) {
    const fromGo = statusFrom(GO_SDK.exec(head)?.[1]);
    if (fromGo !== undefined) return fromGo;
  }
  // Few messages carry requests' or httpx's wording; a plain search spares the rest the unanchored
  // regexes.
  if (!head.includes("client error") && !head.includes("server error")) return undefined;
  return (
    statusFrom(REQUESTS.exec(head)?.[1]) ??
    statusFrom(HTTPX.exec(head)?.[1]) ??
    statusFrom(SERVER_ERROR_COLON.exec(head)?.[1]) ??
    statusFrom(SAGEMAKER.exec(head)?.[1])
  );
}

/**
 * A status alone in brackets, as relays in front of CLI accounts print the upstream's answer:
 * "[gemini-cli/gemini-3-flash-preview] [429]: You have exhausted your capacity on this model." (9router),
 * "[Error: [429]: Rate limit exceeded.]" (OmniRoute). An index such as `contents[413]` is no status,
 * so the bracket must not follow a word. Looks at the first few brackets only.
 */
function statusAloneInBrackets(head: string): number | undefined {
  let at = head.indexOf("[");
  for (let seen = 0; at >= 0 && seen < 8; seen++) {
    if (head.charCodeAt(at + 4) === 0x5d /* ] */ && (at === 0 || !isClassNameChar(head.charCodeAt(at - 1)))) {
      const status = threeDigitsAt(head, at + 1);
      if (status !== undefined) return status;
    }
    at = head.indexOf("[", at + 1);
  }
  return undefined;
}

/**
 * A status leading what follows an exception class at the message's head, as Python and Java print
 * an exception: google-api-core's `google.api_core.exceptions.ServiceUnavailable: 503 The service is
 * currently unavailable.`, Spring AI's `org.springframework.ai.retry.NonTransientAiException: 400 -
 * Bad Request`. The class is one unspaced word (dots allowed) right before ": ".
 */
function statusAfterClassName(head: string): number | undefined {
  let i = 0;
  while (i < head.length && i <= 120 && isClassNameChar(head.charCodeAt(i))) i++;
  if (i === 0 || head.charCodeAt(i) !== 0x3a /* : */ || head.charCodeAt(i + 1) !== 0x20) return undefined;
  return statusFrom(LEADING.exec(head.slice(i + 2, i + 40))?.[1]);
}

const ERROR_COLON = "error: ";

/**
 * A status right after an SDK error class that an app's own words come before, as apps print
 * `${context}: ${err}`: "Error processing streaming request: NotFoundError: 404 …" (the Anthropic SDK's
 * NotFoundError for a retired model, in Shopify's chat agent). The class is a word ending in "Error"
 * (`NotFoundError`, `RateLimitError`), not the bare "Error: " LEADING reads at the head. Looks at the
 * first few "error: " only.
 */
function statusAfterInnerErrorClass(head: string): number | undefined {
  let at = head.indexOf(ERROR_COLON);
  for (let seen = 0; at >= 0 && seen < 4; seen++) {
    if (at > 0 && isLowerLetter(head.charCodeAt(at - 1))) {
      const status = threeDigitsAt(head, at + ERROR_COLON.length);
      if (status !== undefined) return status;
    }
    at = head.indexOf(ERROR_COLON, at + ERROR_COLON.length);
  }
  return undefined;
}

function isLowerLetter(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}

function isClassNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e || c === 0x24;
}

const NO_BODY = " status code (no body)";

/**
 * openai-node's message for an error response without a body, `400 status code (no body)`, which
 * every client built on it (OpenAI-compatible providers, Gemini's OpenAI endpoint) prints, often
 * after its own words: "Error invoking remote method '…': CodesignError: 400 status code (no body)".
 */
function statusWithoutBody(head: string): number | undefined {
  const at = head.indexOf(NO_BODY);
  // Three digits right before it, with no digit ahead of them.
  return at < 3 || isDigit(head.charCodeAt(at - 4)) ? undefined : threeDigitsAt(head, at - 3);
}

/**
 * The status an HTML error page names in its title, for a bridge that passed the page as its
 * message and no status: nginx, OpenResty and Tengine in front of an API write it first
 * (`<title>401 Authorization Required</title>`), Cloudflare after the host
 * (`<title>gpt.pawan.krd | 504: Gateway time-out</title>`).
 */
function statusInHtmlTitle(head: string): number | undefined {
  const at = head.indexOf("<title>");
  if (at < 0) return undefined;
  const start = at + "<title>".length;
  const first = threeDigitsAt(head, start);
  if (first !== undefined) return first;
  const bar = head.indexOf(" | ", start);
  const end = head.indexOf("</title>", start);
  return bar < 0 || (end >= 0 && bar > end) || bar - start > 100 ? undefined : threeDigitsAt(head, bar + 3);
}

/** The status spelled by exactly three digits at `at` (a fourth digit makes it no status). */
function threeDigitsAt(text: string, at: number): number | undefined {
  for (let i = at; i < at + 3; i++) if (!isDigit(text.charCodeAt(i))) return undefined;
  return isDigit(text.charCodeAt(at + 3)) ? undefined : statusFrom(text.slice(at, at + 3));
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function statusFrom(digits: string | undefined): number | undefined {
  if (digits === undefined) return undefined;
  const status = Number(digits);
  return status >= 400 && status <= 599 ? status : undefined;
}

/**
 * SDK error classes that only restate an HTTP status (openai-node, anthropic-sdk, cohere, LiteLLM).
 * They stand in for the status when a bridge passes the error name without the status; they are no
 * better than the status, since `RateLimitError` also wraps OpenAI's `insufficient_quota`.
 */
const STATUS_BY_SDK_ERROR_NAME: ReadonlyMap<string, number> = new Map([
  ["badrequesterror", 400],
  ["authenticationerror", 401],
  ["unauthorizederror", 401],
  ["paymentrequirederror", 402],
  ["permissiondeniederror", 403],
  ["forbiddenerror", 403],
  ["notfounderror", 404],
  ["conflicterror", 409],
  ["unprocessableentityerror", 422],
  ["ratelimiterror", 429],
  ["toomanyrequestserror", 429],
  ["internalservererror", 500],
  ["serviceunavailableerror", 503],
  ["gatewaytimeouterror", 504],
  ["overloadederror", 529],
  // The same in Java, as LangChain4j maps a status to its exceptions and often logs them with an
  // empty message (`dev.langchain4j.exception.RateLimitException: `, and `InvalidRequestException:
  // null` for a relay's 400).
  ["invalidrequestexception", 400],
  ["ratelimitexception", 429],
]);

/** The HTTP status an SDK error class name stands for, if it stands for one. */
function statusForSdkErrorName(errorName: string): number | undefined {
  if (errorName.length === 0) return undefined;
  return STATUS_BY_SDK_ERROR_NAME.get(errorName.toLowerCase());
}
