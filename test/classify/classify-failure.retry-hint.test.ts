import { describe, expect, it } from "vitest";
import { classifyFailure, type UpstreamFailure } from "../../src/classify/classify-failure.js";
import { RETRY_AFTER_MAX_MS } from "../../src/classify/retry-hint.js";

// A fixed clock, for `retry-after` HTTP dates.
const NOW = Date.parse("2026-03-01T12:00:00Z");
const hint = (facts: UpstreamFailure) => classifyFailure(facts, NOW).retryAfterMs;

describe("the retry hint from response headers", () => {
  it("when retry-after-ms is sent, then it is the hint, rounded up to a whole millisecond, whatever the header's case", () => {
    expect(hint({ provider: "openai", httpStatus: 429, responseHeaders: { "retry-after-ms": "1500" } })).toBe(1500);
    expect(hint({ provider: "openai", httpStatus: 429, responseHeaders: { "Retry-After-Ms": "20.25" } })).toBe(21);
  });

  it("when retry-after is a number of seconds, then it is read as seconds", () => {
    expect(hint({ provider: "anthropic", httpStatus: 529, responseHeaders: { "retry-after": "20" } })).toBe(20_000);
    expect(hint({ provider: "anthropic", httpStatus: 429, responseHeaders: { "Retry-After": "0.5" } })).toBe(500);
  });

  it("when both are sent, then retry-after-ms wins, being the more precise", () => {
    expect(hint({ httpStatus: 429, responseHeaders: { "retry-after": "2", "retry-after-ms": "1234" } })).toBe(1234);
  });

  it("when retry-after is an HTTP date, then the hint is the time until it, and 0 for a date already past", () => {
    expect(hint({ httpStatus: 503, responseHeaders: { "retry-after": "Sun, 01 Mar 2026 12:01:30 GMT" } })).toBe(90_000);
    expect(hint({ httpStatus: 503, responseHeaders: { "retry-after": "Sun, 01 Mar 2026 11:00:00 GMT" } })).toBe(0);
  });

  it("when a header is nonsense, then it is ignored and the next source speaks", () => {
    for (const value of ["soon", "-5", "", "1e9", "12345678901234567890", "Sun, 99 Foo 2026 99:99:99 GMT"]) {
      expect(hint({ httpStatus: 429, responseHeaders: { "retry-after": value } }), value).toBeUndefined();
    }
    expect(
      hint({ httpStatus: 429, responseHeaders: { "retry-after-ms": "later" }, message: "Please try again in 2s." }),
    ).toBe(2000);
  });

  it("when a header asks for more than a day, then the hint is capped at 24 hours", () => {
    expect(hint({ httpStatus: 429, responseHeaders: { "retry-after": "999999" } })).toBe(RETRY_AFTER_MAX_MS);
    expect(RETRY_AFTER_MAX_MS).toBe(24 * 3600 * 1000);
  });
});

describe("the retry hint from google.rpc.RetryInfo", () => {
  it("when a Google error body carries RetryInfo, then its retryDelay is the hint", () => {
    const body = JSON.stringify({
      error: {
        code: 429,
        message: "Resource has been exhausted (e.g. check quota).",
        status: "RESOURCE_EXHAUSTED",
        details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "1.5s" }],
      },
    });
    expect(hint({ provider: "gemini", httpStatus: 429, body })).toBe(1500);
  });

  it("when a header and RetryInfo disagree, then the header wins", () => {
    const body = JSON.stringify({ error: { code: 503, status: "UNAVAILABLE", details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "30s" }] } });
    expect(hint({ provider: "vertex", httpStatus: 503, body, responseHeaders: { "retry-after": "5" } })).toBe(5000);
  });
});

describe("the retry hint from wording", () => {
  it.each([
    ["Please try again in 644ms.", 644],
    ["Please try again in 1.5s.", 1500],
    ["Please try again in 9m38.016s.", 578_016],
    ["Please try again in 1h2m3s.", 3_723_000],
    ["Please retry after 20 seconds.", 20_000],
    ["Please retry after 1 second.", 1000],
    ["Please retry in 38.863719904s.", 38_864],
    ["Try again in 2 minutes.", 120_000],
  ])("when the message says %j, then the hint is %i ms", (message, ms) => {
    expect(hint({ httpStatus: 429, message })).toBe(ms);
  });

  it("when the wording names no duration, then there is no hint", () => {
    expect(hint({ httpStatus: 429, message: "Rate limited. Please try again in a few minutes." })).toBeUndefined();
    expect(hint({ httpStatus: 503, message: "Please retry after the maintenance window." })).toBeUndefined();
  });

  it("when a log wrapped the sentence over lines or doubled its spaces, then the hint is still read", () => {
    expect(hint({ httpStatus: 429, message: "Please try\nagain in 1.984999999s." })).toBe(1985);
    expect(hint({ httpStatus: 429, message: "Please retry  after\n  20 seconds." })).toBe(20_000);
  });

  it("when the client words its own backoff, then that is no hint", () => {
    // Claude Code's retry loop, https://github.com/anthropics/claude-code/issues/3197
    expect(hint({ provider: "anthropic", message: "API Error (Request timed out.) · Retrying in 1 seconds… (attempt 1/10)" })).toBeUndefined();
  });
});

describe("which failures carry a hint", () => {
  it("when a wait cannot fix the failure, then no hint is given even if the provider sent one", () => {
    expect(hint({ provider: "openai", httpStatus: 401, responseHeaders: { "retry-after": "20" } })).toBeUndefined();
    expect(hint({ provider: "openai", httpStatus: 400, message: "Please try again in 1s." })).toBeUndefined();
    expect(hint({ provider: "openai", httpStatus: 404, responseHeaders: { "retry-after": "1" } })).toBeUndefined();
  });

  it("when a quota's window reopens at a stated time, then the exhausted quota keeps its hint", () => {
    const result = classifyFailure(
      {
        provider: "groq",
        httpStatus: 429,
        message: "Rate limit reached for model `llama-3.3-70b-versatile` on tokens per day (TPD): Limit 100000, Used 97050, Requested 3619. Please try again in 9m38.016s.",
      },
      NOW,
    );
    expect(result).toMatchObject({ errorType: "quota_exhausted", retryable: false, retryAfterMs: 578_016 });
  });

  it("when the provider states nothing, then the classification has no retryAfterMs at all", () => {
    expect(Object.keys(classifyFailure({ provider: "anthropic", httpStatus: 529 }, NOW))).toEqual(["errorType", "providerCode", "retryable"]);
  });
});
