import type { ErrorType } from "../interception/error-type.js";
import { isWordChar, isWrapped } from "./searchable-text.js";

// The retry hint: how long the provider said to wait before the same request may pass. A separate
// question from the error type (which says whether waiting helps at all), answered from what the
// provider stated, never guessed from the type.

/**
 * The longest hint reported, 24 hours in milliseconds. Longer waits are reported as this: the
 * caller learns "not today" without a number that overflows its timer (Azure's S0 tier says
 * "Please retry after 86400 seconds", which is exactly this). Stated in the proto comments of
 * `retry_after_ms` and in docs/error-types.md; test/schema-agreement.test.ts ties them.
 */
export const RETRY_AFTER_MAX_MS = 86_400_000;

/**
 * Types for which a wait cannot help, so no hint is reported even when the provider sent one: the
 * request, key, access or model must change, or nobody is waiting. Quota exhaustion keeps its hint:
 * a rolling daily window ("Please try again in 9m38.016s") does reopen.
 */
const NO_HINT: ReadonlySet<ErrorType> = new Set<ErrorType>([
  "bad_request",
  "unauthorized",
  "permission_denied",
  "not_found",
  "canceled",
]);

/** Whether a failure of this type carries a retry hint when the provider gave one. */
export function mayHaveRetryHint(errorType: ErrorType): boolean {
  return !NO_HINT.has(errorType);
}

/** Where a hint can come from, in the order they are believed. */
export interface RetryHintSources {
  /** Response headers by name, any case. `retry-after-ms` and `retry-after` are read. */
  readonly headers: Readonly<Record<string, unknown>> | undefined;
  /** google.rpc.RetryInfo `retryDelay` from the body, as JSON carries a Duration ("20s", "1.5s"). */
  readonly retryDelay: string | undefined;
  /** Lower-cased provider and bridge messages ("please try again in 1.5s"). */
  readonly lowerText: string;
  /** The clock, for a `retry-after` that is an HTTP date; the system clock when undefined. */
  readonly nowMs: number | undefined;
}

/**
 * The provider's retry hint in whole milliseconds (rounded up), from the first source that has one:
 * 1. the `retry-after-ms` header (OpenAI, Azure OpenAI): milliseconds, possibly fractional;
 * 2. the `retry-after` header (RFC 9110): seconds, or an HTTP date (a date already past is 0);
 * 3. google.rpc.RetryInfo `retryDelay` (Gemini, Vertex): "20s", "1.5s";
 * 4. wording: "Please try again in 9m38.016s" / "in 644ms" (OpenAI, Groq), "Please retry after 20
 *    seconds" (Azure), "Please retry in 38.863719904s" (Gemini).
 * Capped at RETRY_AFTER_MAX_MS; a value that is not a duration (negative, empty, "soon", a number
 * with thirty digits) is ignored and the next source is tried. Undefined when none has one.
 */
export function retryHintMs(sources: RetryHintSources): number | undefined {
  const headers = sources.headers;
  if (headers !== undefined) {
    const ms = header(headers, "retry-after-ms");
    const byMs = ms === undefined ? undefined : decimal(ms, 1);
    if (byMs !== undefined) return byMs;
    const after = header(headers, "retry-after");
    const byAfter = after === undefined ? undefined : (decimal(after, 1000) ?? httpDate(after, sources.nowMs ?? Date.now()));
    if (byAfter !== undefined) return byAfter;
  }
  if (sources.retryDelay !== undefined) {
    const delay = sources.retryDelay.trim();
    const byDelay = delay.endsWith("s") ? decimal(delay.slice(0, -1), 1000) : undefined;
    if (byDelay !== undefined) return byDelay;
  }
  return sources.lowerText.length > 0 ? hintInWrappedWording(sources.lowerText) : undefined;
}

/**
 * The wait in the wording, also where a log wrapped the sentence ("Please try\nagain in
 * 1.984999999s", Groq's 429 as a Python logger printed it). Only text that has no hint as it stands
 * and has a break in it is flattened, once.
 */
function hintInWrappedWording(lower: string): number | undefined {
  const hint = hintInWording(lower);
  // Every lead has "try" in it ("try again in", "retry after", "retry in"): text without one is spared.
  if (hint !== undefined || !lower.includes("try") || !isWrapped(lower)) return hint;
  return hintInWording(lower.replace(/[ \n\r\t]+/g, " "));
}

const MAX_HEADERS = 64;

function header(headers: Readonly<Record<string, unknown>>, name: string): string | undefined {
  let seen = 0;
  for (const key in headers) {
    if (++seen > MAX_HEADERS) return undefined;
    if (key.length === name.length && key.toLowerCase() === name) {
      const value = headers[key];
      return typeof value === "string" ? value : undefined;
    }
  }
  return undefined;
}

// A plain non-negative decimal, at most 12 digits before the point: anything longer is nonsense.
const DECIMAL = /^\s*(\d{1,12}(?:\.\d{1,9})?)\s*$/;

/** A decimal number of `unitMs` milliseconds, capped; undefined when it is not one. */
function decimal(text: string, unitMs: number): number | undefined {
  const digits = DECIMAL.exec(text)?.[1];
  return digits === undefined ? undefined : capped(Number(digits) * unitMs);
}

// IMF-fixdate, "Wed, 21 Oct 2015 07:28:00 GMT", the form RFC 9110 requires senders to use.
const HTTP_DATE = /^\s*[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT\s*$/;

function httpDate(text: string, nowMs: number): number | undefined {
  if (!HTTP_DATE.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? capped(Math.max(0, at - nowMs)) : undefined;
}

function capped(ms: number): number | undefined {
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return Math.min(Math.ceil(ms), RETRY_AFTER_MAX_MS);
}

/** What precedes a wait in providers' wording, lower-cased. */
const LEADS = ["try again in ", "retry after ", "retry in "] as const;

// Occurrences of one lead looked at, so a text repeating it cannot make this slow.
const MAX_LEAD_HITS = 8;

/**
 * The first wait in the wording. A lead counts only where a word starts: LangChain's
 * `_completion_with_retry in 1.0 seconds` is its own backoff, not the provider's hint.
 */
function hintInWording(lower: string): number | undefined {
  for (const lead of LEADS) {
    let at = lower.indexOf(lead);
    for (let hits = 0; at >= 0 && hits < MAX_LEAD_HITS; hits++) {
      if (at === 0 || !isWordChar(lower.charCodeAt(at - 1))) {
        const ms = durationAt(lower, at + lead.length);
        if (ms !== undefined) return capped(ms);
      }
      at = lower.indexOf(lead, at + lead.length);
    }
  }
  return undefined;
}

const UNIT_MS: ReadonlyMap<string, number> = new Map([
  ["ms", 1],
  ["millisecond", 1],
  ["milliseconds", 1],
  ["s", 1000],
  ["sec", 1000],
  ["secs", 1000],
  ["second", 1000],
  ["seconds", 1000],
  ["m", 60_000],
  ["min", 60_000],
  ["mins", 60_000],
  ["minute", 60_000],
  ["minutes", 60_000],
  ["h", 3_600_000],
  ["hour", 3_600_000],
  ["hours", 3_600_000],
]);

// One term of a wait: a number and its unit, as Go prints a Duration ("9m38.016s" is two terms) or
// as prose writes it ("20 seconds"). Sticky and anchored, single bounded quantifiers: no backtracking
// worth the name, and it reads at most a few dozen characters.
const TERM = /(\d{1,9}(?:\.\d{1,9})?) ?([a-z]{1,12})/y;

/**
 * The wait written at `from` ("9m38.016s", "644ms", "20 seconds", "1.5s"); undefined when what
 * follows is not a duration ("try again in a few minutes", "retry after the reset").
 */
function durationAt(lower: string, from: number): number | undefined {
  let total = 0;
  let terms = 0;
  let at = from;
  while (terms < 4) {
    TERM.lastIndex = at;
    const match = TERM.exec(lower);
    if (match === null) break;
    const unit = UNIT_MS.get(match[2]!);
    if (unit === undefined) break;
    total += Number(match[1]) * unit;
    terms++;
    at = TERM.lastIndex;
    // Go's form runs on without a space ("9m38s"); prose has one term.
    if (match[0].includes(" ")) break;
  }
  return terms > 0 ? total : undefined;
}
