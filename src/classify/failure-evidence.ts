import type { UpstreamFailure } from "./classify-failure.js";
import { looksLikeHtml, READ_LIMITS, readErrorBody, type ErrorBody } from "./error-body.js";
import { believableStatus } from "./http-status.js";
import { type CodeMeaning, providerCodeMeaning, RPC_STATUS_NAMES } from "./provider-codes.js";
import { searchableText, type SearchableText } from "./searchable-text.js";

/**
 * The facts of one failure in the form the rules read them: trusted types only, bounded sizes,
 * text already lower-cased once. Building it is the only place raw input is touched.
 */
export interface FailureEvidence {
  /** Lower-cased provider name, "" when unknown. */
  readonly provider: string;
  /** An HTTP status from 100 to 599, or undefined when there was no (believable) response. */
  readonly status: number | undefined;
  /**
   * Provider codes in the order they should be believed: the response body's, then those in the
   * bridge's message, then the message's gRPC status, then the bridge's `code`, then a Bedrock
   * exception name from `errorName`. AWS names are normalized (`ThrottlingException`).
   */
  readonly codes: readonly string[];
  /** What each of `codes` means (undefined for codes the table does not know), looked up once. */
  readonly codeMeanings: readonly (CodeMeaning | undefined)[];
  /**
   * The google.rpc status of the body, the message, a gRPC message, or one a message states in
   * words ("(Status: UNAUTHENTICATED)").
   */
  readonly rpcStatus: string | undefined;
  /** Google QuotaFailure violation ids. */
  readonly quotaIds: readonly string[];
  /** google.rpc.RetryInfo `retryDelay` of the body, else of the message. */
  readonly retryDelay: string | undefined;
  /**
   * A 4xx or 5xx an error object in the body (else the message) states as its numeric `code`
   * (OpenRouter's envelope); read as a status written into the message is, never over a passed one.
   */
  readonly bodyStatus: number | undefined;
  /** The response headers as the bridge sent them (names in any case); undefined when none. */
  readonly headers: Readonly<Record<string, unknown>> | undefined;
  /**
   * Lower-cased text the phrase rules search: provider messages out of the body and the bridge's
   * message, the bridge's message itself (only the part around a body it embeds), and the head of a
   * body that was neither parsed nor HTML.
   * HTML pages are left out: a proxy's error page says nothing the status does not, and its prose
   * ("If you're a visitor of this website...") would only mislead the phrase rules.
   */
  readonly text: SearchableText;
  /** The bridge's message alone, lower-cased and trimmed. */
  readonly message: string;
  /** The bridge's `code`, trimmed, as given. */
  readonly code: string;
  /** The bridge's `errorName`, trimmed, as given; else the error a tenacity `RetryError` gave up on. */
  readonly errorName: string;
}

/** Turns a raw upstream failure, whatever its types and sizes, into evidence. */
export function gatherEvidence(failure: UpstreamFailure | undefined | null): FailureEvidence {
  const provider = bounded(stringOrEmpty(failure?.provider), 64).trim().toLowerCase();
  const body = typeof failure?.body === "string" ? failure.body : "";
  const rawMessage = bounded(stringOrEmpty(failure?.message), READ_LIMITS.textChars);
  const lowerMessage = rawMessage.trim().toLowerCase();
  const code = bounded(stringOrEmpty(failure?.code), 200).trim();
  const namedError = wrappedErrorName(bounded(stringOrEmpty(failure?.errorName), 200).trim(), lowerMessage);

  const html = looksLikeHtml(body);
  const fromBody = body.length > 0 && !html ? readErrorBody(body) : undefined;
  const fromMessage = rawMessage.length > 0 ? readErrorBody(rawMessage) : undefined;
  const grpcStatus = grpcStatusName(rawMessage) ?? statedRpcStatus(lowerMessage);

  const codes: string[] = [];
  if (fromBody !== undefined) for (const c of fromBody.codes) codes.push(normalizeAwsExceptionName(c));
  if (fromMessage !== undefined) for (const c of fromMessage.codes) codes.push(normalizeAwsExceptionName(c));
  if (grpcStatus !== undefined) codes.push(grpcStatus);
  if (code.length > 0) codes.push(normalizeAwsExceptionName(code));
  // Only exception names that are provider codes (Bedrock's); `TypeError` or a Java class name is not one.
  const awsName = namedError.length > 0 ? normalizeAwsExceptionName(namedError) : "";
  if (awsName.length > 0 && providerCodeMeaning(awsName) !== undefined) codes.push(awsName);
  const codeMeanings: (CodeMeaning | undefined)[] = [];
  for (const c of codes) codeMeanings.push(providerCodeMeaning(c));

  // The bridge's message joins the text whole, or only around the body it embeds: the body's own
  // messages are already in, and reading its JSON syntax again would only cost time. The parts are
  // joined first and lower-cased once.
  let text = joinedMessages("", fromBody);
  text = joinedMessages(text, fromMessage);
  text = joined(text, fromMessage === undefined ? rawMessage.trim() : fromMessage.surroundingText);
  if (fromBody === undefined && !html) text = joined(text, bounded(body, READ_LIMITS.textChars));

  return {
    provider,
    status: believableStatus(failure?.httpStatus),
    codes,
    codeMeanings,
    rpcStatus: fromBody?.rpcStatus ?? fromMessage?.rpcStatus ?? grpcStatus,
    quotaIds: bothQuotaIds(fromBody, fromMessage),
    retryDelay: fromBody?.retryDelay ?? fromMessage?.retryDelay,
    bodyStatus: fromBody?.httpStatus ?? fromMessage?.httpStatus,
    headers: isRecord(failure?.responseHeaders) ? failure.responseHeaders : undefined,
    text: searchableText(text.toLowerCase()),
    message: lowerMessage,
    code,
    errorName: namedError,
  };
}

/** `text` and `part` on separate lines; an empty part adds nothing, as no rule reads blank lines. */
// Between the parts of the searchable text: a word boundary that is not white space, so no phrase
// (whose spaces also match a wrapped line's breaks) runs from one part into the next.
const PART_BREAK = "\u2029";

function joined(text: string, part: string): string {
  if (part.length === 0) return text;
  return text.length === 0 ? part : `${text}${PART_BREAK}${part}`;
}

function joinedMessages(text: string, body: ErrorBody | undefined): string {
  if (body === undefined) return text;
  let all = text;
  for (const message of body.messages) all = joined(all, message);
  return all;
}

const NO_QUOTA_IDS: readonly string[] = [];

function bothQuotaIds(fromBody: ErrorBody | undefined, fromMessage: ErrorBody | undefined): readonly string[] {
  const a = fromBody?.quotaIds ?? NO_QUOTA_IDS;
  const b = fromMessage?.quotaIds ?? NO_QUOTA_IDS;
  return b.length === 0 ? a : a.length === 0 ? b : [...a, ...b];
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOrEmpty(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function bounded(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

// tenacity's `RetryError[<Future at 0x1b0f8ed2f70 state=finished raised RateLimitError>]`.
const RETRY_WRAPPED = /state=finished raised ([A-Za-z_][A-Za-z0-9_.]{2,100})>/i;

/**
 * A retry helper's error says only that it gave up; the error it gave up on is the failure. When
 * the bridge sent no name, or tenacity's `RetryError`, the name the message says was raised stands
 * in for it (`openai.RateLimitError` → `RateLimitError`).
 */
function wrappedErrorName(errorName: string, lowerMessage: string): string {
  if (errorName !== "" && errorName.toLowerCase() !== "retryerror") return errorName;
  // Most messages say nothing of the kind; a plain search spares them the regex.
  const at = lowerMessage.indexOf("state=finished raised ");
  const raised = at < 0 || at > 2048 ? undefined : RETRY_WRAPPED.exec(lowerMessage.slice(at, at + 160))?.[1];
  return raised === undefined ? errorName : raised.slice(raised.lastIndexOf(".") + 1);
}

// `8 RESOURCE_EXHAUSTED: Quota exceeded.`, as @grpc/grpc-js formats a status into an Error message
// (Vertex and other Google Cloud Node clients surface it unchanged). Anchored, no nested quantifiers.
const GRPC_MESSAGE = /^(?:error: )?\d{1,2} ([a-z_]{4,25}):/i;

/**
 * The google.rpc status name at the head of a gRPC error message, such as `DEADLINE_EXCEEDED` in
 * `4 DEADLINE_EXCEEDED: Deadline exceeded`; undefined for any other message.
 */
function grpcStatusName(message: string): string | undefined {
  const head = message.trimStart();
  // The pattern needs a digit or "error: " first; any other message is spared the regex.
  const first = head.charCodeAt(0) | 0x20;
  if (!((first >= 0x30 && first <= 0x39) || first === 0x65 /* e */)) return undefined;
  const name = GRPC_MESSAGE.exec(head)?.[1]?.toUpperCase();
  return name !== undefined && RPC_STATUS_NAMES.has(name) ? name : undefined;
}

const STATED = "status: ";

/**
 * A google.rpc status name a message states in words, as Gemini clients print a Google error: "API
 * keys are not supported by this API. … (Status: UNAUTHENTICATED)", "got status: UNAVAILABLE.".
 * Looks at the first few "status: " only, and only at the word right after.
 */
function statedRpcStatus(lowerMessage: string): string | undefined {
  let at = lowerMessage.indexOf(STATED);
  for (let seen = 0; at >= 0 && seen < 4; seen++) {
    const start = at + STATED.length;
    let end = start;
    while (end < lowerMessage.length && end - start < 25 && isLowerOrUnderscore(lowerMessage.charCodeAt(end))) end++;
    const name = end - start >= 4 ? lowerMessage.slice(start, end).toUpperCase() : "";
    // "status: unknown" in prose says nobody knows, not that the server failed (google.rpc UNKNOWN).
    if (name !== "UNKNOWN" && RPC_STATUS_NAMES.has(name)) return name;
    at = lowerMessage.indexOf(STATED, start);
  }
  return undefined;
}

function isLowerOrUnderscore(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/**
 * Bedrock reports one exception in several spellings: `ThrottlingException` from the SDK,
 * `throttlingException` in event-stream frames, `com.amazon.coral.service#ThrottlingException` in a
 * JSON `__type`, and `ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/` in
 * the `x-amzn-ErrorType` header. This reduces all of them to `ThrottlingException`, so one table
 * entry and one reported provider code cover every path.
 *
 * Anything that is not an exception name comes back unchanged.
 */
function normalizeAwsExceptionName(raw: string): string {
  if (!raw.toLowerCase().includes("exception")) return raw;
  let name = raw.trim();
  const hash = name.lastIndexOf("#");
  if (hash >= 0) name = name.slice(hash + 1);
  const colon = name.indexOf(":");
  if (colon > 0) name = name.slice(0, colon);
  if (!name.toLowerCase().endsWith("exception")) return raw;
  return name.charAt(0).toUpperCase() + name.slice(1);
}
