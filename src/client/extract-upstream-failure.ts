import { keptResponseHeaders } from "./response-headers.js";

/** What a bridge can know about a failed LLM call from the error it caught. */
export interface UpstreamFailure {
  /** The HTTP status of the failed response, or 0 when none arrived (refused, reset, timed out). */
  httpStatus: number;
  /** The error body as the provider sent it (the SDK's parsed `error`, serialised), or "". */
  body: string;
  /** The error's class name, e.g. "RateLimitError", "APIConnectionError", "AbortError". */
  errorName: string;
  /** A provider or system code, e.g. "insufficient_quota", "ECONNREFUSED", "UND_ERR_SOCKET". */
  code: string;
  /** The error's message followed by those of its causes, e.g. "Connection error. (caused by: fetch failed; other side closed)". */
  message: string;
  /** Allow-listed response headers (request ids, retry hints); nothing secret. */
  headers: Record<string, string> | undefined;
}

// Long enough for any provider's error body (the server reads a bounded head and stores 4 KiB);
// short enough that a batch never nears the server's 4 MiB message limit.
const TEXT_MAX_CHARS = 32 * 1024;
// The server refuses names and codes over 256 bytes or with control characters.
const IDENTIFIER = /^[\x20-\x7e]{1,256}$/;
const CAUSE_DEPTH = 5;

/**
 * Reads the upstream facts out of whatever a call threw, so the server's classifier sees what the
 * bridge saw. Duck-typed, so bridges need not install the SDKs:
 * - `openai` and `@anthropic-ai/sdk` `APIError`s: `status`, `headers`, `error` (the parsed body:
 *   OpenAI keeps the inner `error` object, Anthropic the whole body), `name` (OpenAI leaves it
 *   "Error"; the class name is used then), `code` (OpenAI) or `errorCode` (Anthropic);
 * - their `APIConnectionError`, `APIConnectionTimeoutError`, `APIUserAbortError`, which wrap the
 *   fetch failure in `cause`;
 * - plain `fetch` failures: `TypeError: fetch failed` with `cause.code` (ECONNREFUSED,
 *   UND_ERR_SOCKET, ...), and `AbortError` / `TimeoutError` DOMExceptions (whose numeric `code`
 *   is ignored);
 * - anything else thrown, down to a string.
 * It never throws: facts that cannot be read are left empty.
 */
export function extractUpstreamFailure(thrown: unknown): UpstreamFailure {
  const facts: UpstreamFailure = { httpStatus: 0, body: "", errorName: "", code: "", message: "", headers: undefined };
  try {
    if (typeof thrown !== "object" || thrown === null) {
      facts.message = bounded(String(thrown));
      return facts;
    }
    const top = thrown as Record<string, unknown>;
    facts.errorName = errorName(top);
    facts.body = bodyText(top.error ?? top.body);
    facts.headers = keptResponseHeaders(top.headers);
    const messages: string[] = [];
    for (const link of causeChain(top)) {
      if (facts.httpStatus === 0) facts.httpStatus = httpStatus(link.status ?? link.statusCode);
      if (facts.code === "") facts.code = identifier(link.code) || identifier(link.errorCode);
      const message = typeof link.message === "string" ? link.message.trim() : "";
      if (message !== "" && !messages.includes(message)) messages.push(message);
    }
    const [first, ...causes] = messages;
    facts.message = bounded(causes.length === 0 ? (first ?? "") : `${first} (caused by: ${causes.join("; ")})`);
  } catch {
    // A getter or proxy that throws: keep what was read. Recording must never fail the call.
  }
  return facts;
}

function causeChain(top: Record<string, unknown>): Record<string, unknown>[] {
  const chain = [top];
  let link: unknown = top.cause;
  while (chain.length < CAUSE_DEPTH && typeof link === "object" && link !== null && !chain.includes(link as Record<string, unknown>)) {
    chain.push(link as Record<string, unknown>);
    link = (link as { cause?: unknown }).cause;
  }
  return chain;
}

function errorName(error: Record<string, unknown>): string {
  const name = identifier(error.name);
  if (name !== "" && name !== "Error") return name;
  // openai-node never sets `name`; its classes (RateLimitError, ...) say what happened.
  const constructorName = identifier((error.constructor as { name?: unknown } | undefined)?.name);
  return constructorName !== "" && constructorName !== "Object" ? constructorName : name;
}

function bodyText(body: unknown): string {
  if (typeof body === "string") return bounded(body);
  if (typeof body !== "object" || body === null) return "";
  try {
    return bounded(JSON.stringify(body) ?? "");
  } catch {
    return ""; // a cycle or a BigInt: the message still carries the gist
  }
}

function httpStatus(value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 599 ? value : 0;
}

function identifier(value: unknown): string {
  return typeof value === "string" && IDENTIFIER.test(value) ? value : "";
}

function bounded(text: string): string {
  return text.length > TEXT_MAX_CHARS ? text.slice(0, TEXT_MAX_CHARS) : text;
}
