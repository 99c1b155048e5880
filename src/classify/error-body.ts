import { providerCodeMeaning, RPC_STATUS_NAMES } from "./provider-codes.js";

/**
 * How much of a failure the classifier reads. Bodies can be megabytes (an HTML page, a runaway
 * stream), but every provider puts its error details first, so a bounded head is enough and keeps
 * one classification in the microseconds whatever arrives.
 */
export const READ_LIMITS = {
  /** Text rules look at this much of a body and of a message. */
  textChars: 64 * 1024,
  /** JSON larger than this is not parsed; its head is searched as text instead. */
  jsonChars: 256 * 1024,
  /** Each provider message kept for the text rules is cut to this length. */
  messageChars: 8 * 1024,
} as const;

/** What a provider's error body says, pulled out of whichever envelope it arrived in. */
export interface ErrorBody {
  /** Machine-readable codes, in the order the envelopes rank them (see the reader below). */
  readonly codes: readonly string[];
  /** Human-readable messages. */
  readonly messages: readonly string[];
  /** The google.rpc status name (`RESOURCE_EXHAUSTED`) when the body is a google.rpc.Status. */
  readonly rpcStatus: string | undefined;
  /** QuotaFailure violation ids (`GenerateRequestsPerDayPerProjectPerModel-FreeTier`). */
  readonly quotaIds: readonly string[];
  /** The first google.rpc.RetryInfo `retryDelay` ("20s"), the provider's own retry hint. */
  readonly retryDelay: string | undefined;
  /**
   * The HTTP status an error object states as a number in its `code` (4xx or 5xx): OpenRouter's
   * documented `{"error": {"code": 429, ...}}`, and relays in its style (`"code": 502`); or in its
   * `status` (RFC 9457 problem details: NVIDIA NIM, Replicate) or `status_code` (IBM watsonx.ai).
   * The body then says what status it was sent with, or would have been, when the bridge did not
   * pass one.
   */
  readonly httpStatus: number | undefined;
  /**
   * The text around a body embedded in a message (`Error code: 429 - ` before it, for instance),
   * which may say more than the body; empty when the whole text was the body.
   */
  readonly surroundingText: string;
}

// Bounds on the walk, so hostile JSON (10,000 levels deep, a million array items) costs no more
// than a real error body. Real envelopes are at most five levels deep.
const MAX_DEPTH = 12;
const MAX_VISITS = 400;
const MAX_ITEMS = 8;
const MAX_KEYS = 64;
const MAX_NESTED_PARSES = 4;
const MAX_CODES = 32;
const MAX_MESSAGES = 16;
const MAX_SSE_ERRORS = 16;

const NOT_JSON = Symbol("not JSON");

// An absent value a relay wrote out as a string: LiteLLM's router sends Python's None as
// `'type': 'None', 'param': 'None'`. It is no provider code. Compared directly rather than through a
// Set: every code passes here, and a comparison of strings of other lengths costs nothing.
function isAbsentValue(code: string): boolean {
  return code === "None" || code === "null" || code === "undefined";
}

// Gemini finish reasons that mean the answer was withheld (ai.google.dev/api/generate-content#FinishReason).
const BLOCKING_FINISH_REASONS: ReadonlySet<string> = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
]);

/**
 * Reads the error out of a response body or an SDK message, whichever envelope it uses:
 * - JSON objects (OpenAI `error.code`/`error.type`, Anthropic `error.type`, google.rpc.Status with
 *   `details[].reason` and QuotaFailure violations, Bedrock `__type` and event-stream exception keys,
 *   Azure `innererror.code`, OpenRouter `metadata.raw`), JSON arrays wrapping one (Gemini), and JSON
 *   strings (xAI);
 * - server-sent events, where the error is a `data:` line after HTTP 200;
 * - text with an embedded body (`400 {"type":"error",...}`, `Error code: 429 - {'error': ...}`).
 * Messages that are themselves JSON bodies (LiteLLM, gateways that wrap upstream errors) are read
 * as bodies too.
 *
 * Returns undefined when nothing error-shaped was found; the caller then searches the raw text.
 * Never parses more than `READ_LIMITS.jsonChars` at once and never throws.
 */
export function readErrorBody(text: string): ErrorBody | undefined {
  const start = firstNonSpace(text);
  if (start < 0) return undefined;
  const stream = looksLikeEventStream(text, start);
  const json = !stream && mayBeJson(text, start);
  // Most messages are plain prose; those are turned away before anything is allocated.
  if (!stream && !json && embeddedBodyStart(text) < 0) return undefined;
  const reader = new ErrorBodyReader();
  if (stream) {
    reader.readEventStream(text);
  } else if (!(json && reader.readJson(text))) {
    // Not JSON as a whole: `[GoogleGenerativeAI Error]: ... [{...}]`, a Python repr, `400 {...}`.
    reader.readEmbedded(text);
  }
  return reader.found() ? reader : undefined;
}

/**
 * Whether a body is an HTML page (a proxy's or CDN's error page), judged by its first non-blank
 * character within the first 256. Such a body is not read: it says nothing the status does not.
 */
export function looksLikeHtml(body: string): boolean {
  const start = firstNonSpace(body, 0, 256);
  return start >= 0 && body.charCodeAt(start) === 0x3c; // "<"
}

class ErrorBodyReader implements ErrorBody {
  readonly codes: string[] = [];
  readonly messages: string[] = [];
  readonly quotaIds: string[] = [];
  rpcStatus: string | undefined;
  retryDelay: string | undefined;
  httpStatus: number | undefined;
  surroundingText = "";
  private visits = 0;
  private nestedParses = 0;

  found(): boolean {
    return this.codes.length > 0 || this.messages.length > 0 || this.quotaIds.length > 0;
  }

  readJson(text: string): boolean {
    if (text.length > READ_LIMITS.jsonChars) return false;
    const value = parseJson(text);
    if (value === NOT_JSON) return false;
    this.visit(value, 0);
    return true;
  }

  /** Only `data:` lines that carry an error are parsed; content deltas are skipped unread. */
  readEventStream(text: string): void {
    const end = Math.min(text.length, READ_LIMITS.textChars);
    let errors = 0;
    let lineStart = 0;
    while (lineStart < end && errors < MAX_SSE_ERRORS) {
      let lineEnd = text.indexOf("\n", lineStart);
      if (lineEnd < 0 || lineEnd > end) lineEnd = end;
      if (text.startsWith("data:", lineStart)) {
        const payload = text.slice(lineStart + 5, lineEnd).trim();
        if (payload.startsWith("{") && payload.includes('"error"')) {
          errors++;
          this.readJson(payload);
        }
      }
      lineStart = lineEnd + 1;
    }
  }

  /** A body inside a message: from the first `{` (or `[{`) to the last matching closer. */
  readEmbedded(whole: string): void {
    const text = whole.length > READ_LIMITS.jsonChars ? whole.slice(0, READ_LIMITS.jsonChars) : whole;
    const brace = embeddedBodyStart(text);
    if (brace < 0) return;
    const open = brace > 0 && text.charCodeAt(brace - 1) === 0x5b /* [ */ ? brace - 1 : brace;
    const close = text.lastIndexOf(open === brace ? "}" : "]");
    if (close <= open) return;
    if (this.readCandidate(text, open, close)) return;
    // A brace of the prose before the body: Azure's own message keeps its template's placeholder,
    // "Model {modelName} is enabled only for api versions 2024-12-01-preview and later
    // {"error":{"code":"BadRequest",…}}". The body starts at the next brace that opens an object's
    // first key. Tried once, after a failure, within the same bounded head.
    if (open === brace && !opensObject(text, brace)) {
      const next = nextObjectStart(text, brace + 1);
      if (next > brace && next < close && this.readCandidate(text, next, close)) return;
    }
    // Gemini CLI wraps Google's error array in its own brackets, `[API Error: [{"error": …}]]`: the
    // last `]` is the wrapper's, so the array ends at the one before it. Tried once, after a failure.
    if (open === brace) return;
    const inner = text.lastIndexOf("]", close - 1);
    if (inner > open) this.readCandidate(text, open, inner);
  }

  /** Reads text[open..close] as a body; on success the text around it becomes `surroundingText`. */
  private readCandidate(text: string, open: number, close: number): boolean {
    const candidate = text.slice(open, close + 1);
    // Python SDKs print the body as a dict repr, which reads as JSON once rewritten string by string
    // (a value holding an apostrophe is double-quoted there, as in "This model's maximum context").
    // The repr is tried first when it looks like one: a failed JSON.parse costs microseconds.
    const asJson = candidate.includes("{'") ? pythonReprAsJson(candidate) : undefined;
    const read =
      (asJson !== undefined && this.readJson(asJson)) || (mayBeJson(candidate, 0) && this.readJson(candidate));
    if (read) this.surroundingText = `${text.slice(0, open)} ${text.slice(close + 1)}`;
    return read;
  }

  private visit(value: unknown, depth: number): void {
    if (depth > MAX_DEPTH || ++this.visits > MAX_VISITS) return;
    if (typeof value === "string") {
      this.visitString(value, depth);
    } else if (Array.isArray(value)) {
      const n = Math.min(value.length, MAX_ITEMS);
      for (let i = 0; i < n; i++) this.visit(value[i], depth + 1);
    } else if (isObject(value)) {
      this.visitObject(value, depth);
    }
  }

  /**
   * The order codes are collected in is the order the provider code is chosen in: the inner `error`
   * object first, then google.rpc `details[].reason`, then `code` before `type` (OpenAI's rule),
   * `__type`, exception names, Azure's `innererror.code`, the rpc `status`, and legacy `errors[]`.
   */
  private visitObject(o: Record<string, unknown>, depth: number): void {
    const error = o["error"];
    if (error !== undefined && error !== null) this.visit(error, depth + 1);
    // @google/generative-ai prints the details array on its own, so a detail can arrive bare.
    if (typeof o["@type"] === "string") this.readDetail(o);
    const details = o["details"];
    this.readDetails(details);
    // google.rpc `details` is an array; a wrapper's `details` object holds the upstream's own error
    // body ({"message": "OpenAI API error.", "details": {"error": {"type": "insufficient_quota"}}}),
    // and so does an app's `response` ({"error": "Gemini API error", "response": {"error": {…}}}).
    if (isObject(details)) this.visit(details, depth + 1);
    const response = o["response"];
    if (isObject(response)) this.visit(response, depth + 1);
    const code = o["code"];
    if (typeof code === "number") this.readNumericStatus(code);
    else this.addCode(code);
    // Relays write the status they sent as a string code (Vercel's `"code": "504"`, LiteLLM's "400").
    if (typeof code === "string" && isThreeDigits(code)) this.readNumericStatus(Number(code));
    if (o["type"] !== "error") this.addCode(o["type"]);
    this.addCode(o["__type"]);
    this.addCode(o["errorType"]);
    // text-generation-inference's `{"error": "…", "error_type": "validation" | "generation" |
    // "overloaded" | "incomplete_generation"}`. Dify's plugin errors put an exception class there
    // (`"error_type":"ConnectionError"`), which is no provider code: only known codes are taken.
    const errorType = o["error_type"];
    if (typeof errorType === "string" && providerCodeMeaning(errorType) !== undefined) this.addCode(errorType);
    const name = o["name"];
    if (typeof name === "string" && name.toLowerCase().endsWith("exception")) this.addCode(name);
    const inner = o["innererror"];
    if (isObject(inner)) this.addCode(inner["code"]);
    const status = o["status"];
    // RFC 9457 problem details state the status as a number beside `title` and `detail` (NVIDIA
    // NIM's `{"status":401,"title":"Unauthorized","detail":"Authentication failed"}`, Replicate's
    // `{"detail":"Request was throttled. …","status":429}`), and IBM watsonx.ai's envelope as
    // `status_code` (`{"errors":[…],"trace":"…","status_code":400}`): read as the numeric `code` is.
    if (typeof status === "number") this.readNumericStatus(status);
    else this.readStatus(status);
    const statusCode = o["status_code"];
    if (typeof statusCode === "number") this.readNumericStatus(statusCode);
    this.readLegacyErrors(o["errors"], depth);
    this.readExceptionKeys(o, depth);
    for (const key of ["message", "Message", "detail", "errorMessage", "error_description"]) {
      const text = o[key];
      if (typeof text === "string") this.visitString(text, depth);
    }
    // Hugging Face's Inference API puts the cause beside a generic `error` in `warnings`:
    // `{"error":"unknown error","warnings":["CUDA out of memory. Tried to allocate …", …]}`.
    if (error !== undefined) this.readWarnings(o["warnings"], depth);
    const metadata = o["metadata"];
    if (isObject(metadata)) {
      // OpenRouter puts the upstream provider's own error body in `metadata.raw`.
      if (typeof metadata["raw"] === "string") this.visitString(metadata["raw"], depth);
      this.addCode(metadata["error_type"]);
    }
    const providerFields = o["provider_specific_fields"];
    if (isObject(providerFields)) this.visit(providerFields, depth + 1);
    this.readGeminiBlock(o);
  }

  /**
   * A Gemini response that was refused as content arrives with HTTP 200: `promptFeedback.blockReason`
   * for a blocked prompt, `candidates[].finishReason` for a blocked answer. Only the blocking reasons
   * count; `STOP` or `MAX_TOKENS` is an answer, not a failure.
   */
  private readGeminiBlock(o: Record<string, unknown>): void {
    const feedback = o["promptFeedback"];
    if (isObject(feedback) && typeof feedback["blockReason"] === "string") this.addCode(feedback["blockReason"]);
    const candidates = o["candidates"];
    if (!Array.isArray(candidates)) return;
    const n = Math.min(candidates.length, MAX_ITEMS);
    for (let i = 0; i < n; i++) {
      const candidate: unknown = candidates[i];
      const reason = isObject(candidate) ? candidate["finishReason"] : undefined;
      if (typeof reason === "string" && BLOCKING_FINISH_REASONS.has(reason)) this.addCode(reason);
    }
  }

  private visitString(s: string, depth: number): void {
    const text = s.trim();
    if (text.length === 0) return;
    const first = text.charCodeAt(0);
    if (
      (first === 0x7b /* { */ || first === 0x5b /* [ */) &&
      this.nestedParses < MAX_NESTED_PARSES &&
      text.length <= READ_LIMITS.jsonChars &&
      mayBeJson(text, 0)
    ) {
      this.nestedParses++;
      const inner = parseJson(text);
      if (inner !== NOT_JSON && (isObject(inner) || Array.isArray(inner))) {
        this.visit(inner, depth + 1);
        return;
      }
    }
    if (this.messages.length < MAX_MESSAGES) {
      this.messages.push(text.length > READ_LIMITS.messageChars ? text.slice(0, READ_LIMITS.messageChars) : text);
    }
  }

  private readDetails(details: unknown): void {
    if (!Array.isArray(details)) return;
    const n = Math.min(details.length, MAX_ITEMS);
    for (let i = 0; i < n; i++) {
      const detail: unknown = details[i];
      if (isObject(detail)) this.readDetail(detail);
    }
  }

  /**
   * One google.rpc detail: ErrorInfo carries `reason`, QuotaFailure carries `violations`, RetryInfo
   * carries `retryDelay`.
   */
  private readDetail(detail: Record<string, unknown>): void {
    this.addCode(detail["reason"]);
    const delay = detail["retryDelay"];
    if (typeof delay === "string" && delay.length <= 32) this.retryDelay ??= delay;
    const violations = detail["violations"];
    if (!Array.isArray(violations)) return;
    const n = Math.min(violations.length, MAX_ITEMS);
    for (let i = 0; i < n; i++) {
      const violation: unknown = violations[i];
      if (isObject(violation) && typeof violation["quotaId"] === "string") {
        this.quotaIds.push(violation["quotaId"]);
      }
    }
  }

  private readNumericStatus(code: number): void {
    if (Number.isInteger(code) && code >= 400 && code <= 599) this.httpStatus ??= code;
  }

  private readStatus(status: unknown): void {
    if (typeof status !== "string") return;
    const name = status.trim().toUpperCase();
    if (!RPC_STATUS_NAMES.has(name)) return;
    this.rpcStatus ??= name;
    this.addCode(status);
  }

  /**
   * An `errors` array: Google's legacy `errors[].reason`, and IBM watsonx.ai's only error list,
   * `{"errors":[{"code":"invalid_request_entity","message":"Missing json field …"}],"status_code":400}`,
   * whose items carry the code and the message.
   */
  private readLegacyErrors(errors: unknown, depth: number): void {
    if (!Array.isArray(errors)) return;
    const n = Math.min(errors.length, MAX_ITEMS);
    for (let i = 0; i < n; i++) {
      const item: unknown = errors[i];
      if (!isObject(item)) continue;
      this.addCode(item["reason"]);
      this.addCode(item["code"]);
      const message = item["message"];
      if (typeof message === "string") this.visitString(message, depth + 1);
    }
  }

  private readWarnings(warnings: unknown, depth: number): void {
    if (!Array.isArray(warnings)) return;
    const n = Math.min(warnings.length, MAX_ITEMS);
    for (let i = 0; i < n; i++) {
      const warning: unknown = warnings[i];
      if (typeof warning === "string") this.visitString(warning, depth + 1);
    }
  }

  /** Bedrock event-stream frames name the exception by key: `{"throttlingException":{"message":...}}`. */
  private readExceptionKeys(o: Record<string, unknown>, depth: number): void {
    let seen = 0;
    for (const key in o) {
      if (++seen > MAX_KEYS) return;
      // A last letter other than n spares most keys the lower-casing.
      if (key.length < 9 || (key.charCodeAt(key.length - 1) | 0x20) !== 0x6e /* n */) continue;
      const value = o[key];
      if (key.toLowerCase().endsWith("exception") && isObject(value)) {
        this.addCode(key);
        this.visit(value, depth + 1);
      }
    }
  }

  private addCode(value: unknown): void {
    if (typeof value !== "string" || this.codes.length >= MAX_CODES) return;
    const code = value.trim();
    if (code.length > 0 && code.length <= 100 && !isAbsentValue(code)) this.codes.push(code);
  }
}

/** Where a body embedded in a message could start: its first `{`, if within the text rules' reach; else -1. */
function embeddedBodyStart(text: string): number {
  const head = text.length > READ_LIMITS.textChars ? text.slice(0, READ_LIMITS.textChars) : text;
  return head.indexOf("{");
}

/** Whether the brace at `at` opens an object with a key: `{"` or `{'` (a Python repr). */
function opensObject(text: string, at: number): boolean {
  const c = text.charCodeAt(at + 1);
  return c === 0x22 /* " */ || c === 0x27 /* ' */;
}

/** The first `{"` or `{'` at or after `from`, within the text rules' reach; else -1. */
function nextObjectStart(text: string, from: number): number {
  const end = Math.min(text.length, READ_LIMITS.textChars);
  const double = text.indexOf('{"', from);
  const single = text.indexOf("{'", from);
  const next = double < 0 ? single : single < 0 ? double : Math.min(double, single);
  return next >= 0 && next < end ? next : -1;
}

function isThreeDigits(text: string): boolean {
  if (text.length !== 3) return false;
  for (let i = 0; i < 3; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/**
 * A Python dict repr as JSON: each string literal, single- or double-quoted, becomes a JSON string,
 * and `None`, `True`, `False` outside strings become JSON literals. One linear pass; undefined for a
 * string left open (a repr cut short), which no JSON parse would accept anyway.
 */
function pythonReprAsJson(repr: string): string | undefined {
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < repr.length) {
    const quote = repr.charCodeAt(i);
    if (quote !== 0x27 /* ' */ && quote !== 0x22 /* " */) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < repr.length && repr.charCodeAt(end) !== quote) end += repr.charCodeAt(end) === 0x5c /* \ */ ? 2 : 1;
    if (end >= repr.length) return undefined;
    parts.push(pythonLiterals(repr.slice(start, i)), JSON.stringify(pythonUnescape(repr.slice(i + 1, end))));
    i = end + 1;
    start = i;
  }
  parts.push(pythonLiterals(repr.slice(start)));
  return parts.join("");
}

/** `None`, `True`, `False` in the text between string literals (keys, commas, braces, numbers). */
function pythonLiterals(between: string): string {
  if (between.length < 4) return between;
  return between.replaceAll("None", "null").replaceAll("True", "true").replaceAll("False", "false");
}

/** The escapes a repr writes inside a string literal: `\'`, `\"`, `\\`, `\n`, `\t`. */
function pythonUnescape(literal: string): string {
  if (!literal.includes("\\")) return literal;
  return literal.replace(/\\(.)/gs, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The offset of the first character from `from` that is not whitespace (or a byte-order mark),
 * looking no further than `within` characters; -1 when there is none.
 */
function firstNonSpace(text: string, from = 0, within: number = READ_LIMITS.textChars): number {
  const end = Math.min(text.length, from + within);
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) return i;
  }
  return -1;
}

/**
 * Whether text at `start` can begin a JSON value worth parsing: an object opening with a key, an
 * array of values, or a string. Screens out `[GoogleGenerativeAI Error]` and `{'error': ...}` before
 * JSON.parse throws on them.
 */
function mayBeJson(text: string, start: number): boolean {
  const first = text.charCodeAt(start);
  if (first === 0x22 /* " */) return true;
  if (first !== 0x7b /* { */ && first !== 0x5b /* [ */) return false;
  const next = firstNonSpace(text, start + 1);
  if (next < 0) return false;
  const c = text.charCodeAt(next);
  if (first === 0x7b) return c === 0x22 /* " */ || c === 0x7d /* } */;
  // An array: another container, a string, a number, true/false/null, or its end.
  return (
    c === 0x7b || c === 0x5b || c === 0x22 || c === 0x5d || c === 0x2d ||
    (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e
  );
}

function looksLikeEventStream(text: string, start: number): boolean {
  return (
    text.startsWith("event:", start) ||
    text.startsWith("data:", start) ||
    text.startsWith("id:", start) ||
    text.startsWith(":", start)
  );
}
