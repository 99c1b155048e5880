import { describe, expect, it } from "vitest";
import { classifyFailure } from "../../src/classify/classify-failure.js";
import { isRetryable } from "../../src/interception/error-type.js";
import { FAILURE_CASES } from "./cases.js";

// Floors, not exact counts, so the table can grow but never silently shrink.
const MIN_CASES = 350;
const MIN_PROVIDERS = 20;

describe("classifyFailure on real provider failures", () => {
  it(`keeps at least ${MIN_CASES} cases from at least ${MIN_PROVIDERS} providers`, () => {
    const providers = new Set(FAILURE_CASES.map((c) => c.facts.provider));
    expect(FAILURE_CASES.length).toBeGreaterThanOrEqual(MIN_CASES);
    expect(providers.size).toBeGreaterThanOrEqual(MIN_PROVIDERS);
  });

  it("names every case differently, so a failure points at one body", () => {
    const names = FAILURE_CASES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(FAILURE_CASES.map((c) => [c.name, c] as const))("%s", (_name, failure) => {
    expect(classifyFailure(failure.facts)).toEqual({
      errorType: failure.errorType,
      providerCode: failure.providerCode,
      retryable: isRetryable(failure.errorType),
      retryAfterMs: failure.retryAfterMs,
    });
  });
});

describe("classifyFailure's reading of text", () => {
  it("lets a phrase's space stand for a wrapped line's break, but never run from one part of the failure into the next", () => {
    expect(classifyFailure({ provider: "acme", message: "the request timed\nout" }).errorType).toBe("timeout");
    // The body's message ends "timed" and the caller's own message starts "out": two texts, no phrase.
    expect(classifyFailure({ provider: "acme", body: '{"error":{"message":"the request timed"}}', message: "out of nothing" }).errorType).toBe("unknown");
  });

  it("reads a status alone in brackets, but not an index into an array", () => {
    expect(classifyFailure({ provider: "acme", message: "[429]: slow down" }).errorType).toBe("rate_limited");
    const index = "GenerateContentRequest.contents[404].parts: contents.parts must not be empty.";
    expect(classifyFailure({ provider: "acme", message: index }).errorType).toBe("unknown");
  });

  it("reads a browser's 'Failed to fetch' only as a message of its own, not as an app's words about what it fetched", () => {
    expect(classifyFailure({ provider: "acme", message: "TypeError: Failed to fetch" }).errorType).toBe("network_error");
    expect(classifyFailure({ provider: "acme", body: '{"message":"Failed to fetch"}' }).errorType).toBe("network_error");
    expect(classifyFailure({ provider: "acme", message: "Failed to fetch models from the server" }).errorType).toBe("unknown");
  });
});
